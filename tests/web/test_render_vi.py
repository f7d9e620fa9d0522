"""The feed-health sentence is Vietnamese whatever cause the collector stored."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from api.web.render import feed_health, feed_problem

VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)


def _feed(**values: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "enabled": True,
        "error_count": 0,
        "last_error": None,
        "last_warning": None,
        "last_success_at": NOW - timedelta(hours=1),
    }
    return SimpleNamespace(**(base | values))


@pytest.mark.parametrize(
    ("stored", "vietnamese"),
    [
        (
            "refused: 127.0.0.1 is a non-public address (not in DULUAN_FETCH_ALLOWLIST)",
            "mạng nội bộ",
        ),
        (  # as stored before the wording was fixed
            "refused: 127.0.0.1 is 127.0.0.1, a non-public address (not in DULUAN_FETCH_ALLOWLIST)",
            "mạng nội bộ",
        ),
        ("refused: cannot resolve tin.invalid: Name or service not known", "tin.invalid"),
        ("HTTP 503", "Máy chủ nguồn tin đang lỗi (HTTP 503)"),
        ("HTTP 404", "không có trang này"),
        ("timed out (ReadTimeout)", "thời gian chờ"),
        ("parse error: not a feed: no RSS or Atom elements", "không phải RSS/Atom"),
        ("ConnectError: [Errno 111] Connection refused", "Không kết nối được"),
    ],
)
def test_failing_feed_cause_is_vietnamese_with_the_stored_text(
    stored: str, vietnamese: str
) -> None:
    level, sentence = feed_health(_feed(error_count=2, last_error=stored), NOW)
    assert level == "bad"
    assert vietnamese in sentence
    assert f"({stored})" in sentence


def test_disabled_feed_and_warning_are_vietnamese() -> None:
    stored = "disabled after 5 errors in a row; last: refused: cannot resolve a.invalid: x"
    _, sentence = feed_health(_feed(enabled=False, error_count=5, last_error=stored), NOW)
    assert "Đã tự tắt sau 5 lần lỗi liên tiếp" in sentence
    assert "Không tìm thấy tên miền a.invalid" in sentence
    warning = (
        "3 entries with a date that could not be read: fetch time used; 2 unusable entries skipped"
    )
    level, sentence = feed_health(_feed(last_warning=warning), NOW)
    assert level == "warn"
    assert "3 bài không đọc được ngày đăng" in sentence
    assert "Bỏ qua 2 bài không dùng được" in sentence


def test_vietnamese_text_is_kept_as_it_is() -> None:
    stored = "Lỗi nội bộ khi lưu tin của nguồn này; chi tiết trong nhật ký của bộ thu thập."
    assert feed_problem(stored) == stored


@given(st.text(max_size=300))
@example(";")
def test_any_stored_text_reads_in_vietnamese_and_keeps_the_original(stored: str) -> None:
    shown = feed_problem(stored)
    assert stored.strip() in shown
    if stored.strip() and not VIETNAMESE.search(stored):
        assert VIETNAMESE.search(shown.split(f"({stored.strip()})")[0])
