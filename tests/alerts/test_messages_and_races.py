"""An alert's words from untrusted feed text, and two checks at once on PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from alerts import service
from alerts.messages import compose
from alerts.rules import Finding
from core.config import Settings
from core.tables import Alert, AlertRule

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def test_a_title_from_feed_text_stays_on_one_line_and_names_no_reviewer() -> None:
    view = {
        "item_id": 12,
        "title": "Nhận quà\r\nBcc: ai-do@example.org",
        "excerpt": "Bấm link",
        "items": 3,
        "sources": 2,
        "source_names": ["Trang A", "Trang B"],
    }
    details = {
        "verdict": "distortion",
        "decided_at": NOW.isoformat(),
        "new_sources": ["Trang B"],
        "sources_before": 1,
        "sources_total": 2,
    }
    title, text = compose(AlertRule.spreading, details, view, "https://duluan.example/")
    assert "\n" not in title
    assert "\r" not in title
    assert title == "Tin đã xác nhận là sai lệch vẫn lan: thêm 1 nguồn mới"
    assert "lúc 16:30 29/11/2026" in text  # Vietnam time
    assert "https://duluan.example/items/12" in text
    feed = {
        "feed": "Báo\nX",
        "why": "failing",
        "errors": 5,
        "last_error": "disabled after 5 errors",
        "silent_hours": 3.0,
    }
    title, text = compose(AlertRule.feed_silent, feed, None, "http://h")
    assert title == "Nguồn tin «Báo X» đang lỗi"
    assert "Đã tự tắt sau 5 lần lỗi liên tiếp" in text


def _waits_for_a_lock(factory: sessionmaker[Session], pid: int, timeout: float = 10.0) -> bool:
    """Whether the backend ``pid`` comes to wait on a lock within ``timeout`` seconds (asked of
    PostgreSQL, instead of sleeping a fixed second and hoping it got there)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with factory() as s:
            waiting = s.scalar(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
        if waiting == "Lock":
            return True
        time.sleep(0.01)
    return False


def test_two_checks_at_once_on_postgresql_record_one_alert(
    pg_factory: sessionmaker[Session], pg_url: str
) -> None:
    settings = Settings(database_url=pg_url, _env_file=None)
    finding = Finding(AlertRule.queue_wait, "queue", 0, {"pending": 3, "oldest_minutes": 90})
    first, second = pg_factory(), pg_factory()
    racer_pid = second.scalar(text("SELECT pg_backend_pid()"))
    service.record_new(first, settings, [finding], NOW)  # holds the lock, not yet committed
    done: list[list[Alert]] = []
    racer = threading.Thread(
        target=lambda: done.append(
            service.record_new(second, settings, [finding], NOW + timedelta(seconds=1))
        )
    )
    racer.start()
    assert _waits_for_a_lock(pg_factory, racer_pid)  # waits for the first check's lock
    assert racer.is_alive()
    first.commit()
    racer.join(timeout=10)
    second.commit()
    assert done == [[]]  # it saw the first alert: deduplicated
    with pg_factory() as s:
        assert len(s.scalars(select(Alert)).all()) == 1
    first.close()
    second.close()
