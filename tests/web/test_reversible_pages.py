"""The web app's side of reversible verdicts, without a browser: the undo banner and its
window, changing a verdict from "Đã làm", an analyst's override and "send to review" from any
item's page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import AuditEvent, ReviewTask, TaskStatus, Verdict
from tests.apps import Apps, csrf_of, web_login
from tests.factories import make_analysis, make_item
from tests.web.helpers import flagged, people


def _app(settings: Settings, apps: Apps) -> Iterator[tuple[TestClient, sessionmaker[Session]]]:
    factory = apps.sessions(settings)
    with factory() as s:
        people(s)
        flagged(s, 3, hostile=False)
        s.commit()
    c = apps(settings)
    yield c, factory


@pytest.fixture
def app_db(
    sqlite_settings: Settings, apps: Apps
) -> Iterator[tuple[TestClient, sessionmaker[Session]]]:
    yield from _app(sqlite_settings, apps)


def _task_on(html: str) -> int:
    found = re.search(r"/tasks/(\d+)/verdict", html)
    assert found, "no card on the page"
    return int(found.group(1))


def _decide(c: TestClient, verdict: str = "scam") -> tuple[int, object]:
    card = c.post("/queue/claim", data={"csrf": csrf_of(c.get("/queue").text)})
    task_id = _task_on(card.text)
    r = c.post(
        f"/tasks/{task_id}/verdict",
        data={"csrf": csrf_of(card.text), "verdict": verdict},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return task_id, r


def test_the_next_page_offers_undo_and_undo_brings_the_card_back(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "ctv1")
    task_id, r = _decide(c, "scam")
    location = r.headers["location"]  # type: ignore[attr-defined]
    assert re.search(r"[?&]undo=\d+", location)
    page = c.get(location)
    assert _task_on(page.text) != task_id  # the next card …
    assert "Bạn vừa chọn «Lừa đảo»" in page.text  # … under a banner naming the verdict
    assert 'data-undo-seconds="10"' in page.text
    action = re.search(r'action="(/verdicts/\d+/undo)"', page.text)
    assert action
    back = c.post(action.group(1), data={"csrf": csrf_of(page.text)})
    assert "Đã hoàn tác kết luận" in back.text
    assert _task_on(back.text) == task_id  # the same card is back
    assert "Bạn vừa chọn" not in back.text
    # a second undo of the same verdict is refused, in words
    again = c.post(action.group(1), data={"csrf": csrf_of(back.text)})
    assert "đã được hoàn tác" in again.text
    with factory() as s:
        verdict = s.scalar(select(Verdict).where(Verdict.task_id == task_id))
        assert verdict is not None
        assert verdict.withdrawn_at is not None
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "task.undo"))
        assert event is not None
        assert event.before is not None
        assert event.before["verdict"] == "scam"
    # someone else's verdict shows no banner
    c.cookies.clear()
    web_login(c, "ctv2")
    assert "Bạn vừa chọn" not in c.get(location).text


def test_no_undo_once_the_window_has_passed(sqlite_settings: Settings, apps: Apps) -> None:
    closed = sqlite_settings.model_copy(update={"undo_seconds": -5.0})
    for c, _ in _app(closed, apps):
        web_login(c, "ctv1")
        _, r = _decide(c)
        page = c.get(r.headers["location"])  # type: ignore[attr-defined]
        assert "Bạn vừa chọn" not in page.text  # the banner is gone with the window
        verdict_id = re.search(r"undo=(\d+)", r.headers["location"]).group(1)  # type: ignore[attr-defined,union-attr]
        late = c.post(f"/verdicts/{verdict_id}/undo", data={"csrf": csrf_of(page.text)})
        assert "Đã quá thời gian hoàn tác" in late.text


def test_change_a_verdict_from_history_until_an_analyst_acts(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "ctv1")
    task_id, _ = _decide(c, "scam")
    history = c.get("/history")
    assert "Đổi kết luận" in history.text
    action = re.search(r'action="(/verdicts/\d+/change)"', history.text)
    assert action
    csrf = csrf_of(history.text)
    r = c.post(action.group(1), data={"csrf": csrf, "verdict": "not_misinformation"})
    assert "Hãy ghi lý do" in r.text
    r = c.post(
        action.group(1),
        data={"csrf": csrf, "verdict": "not_misinformation", "reason": "Là bài cảnh báo"},
    )
    assert "Đã đổi kết luận" in r.text
    assert "Là bài cảnh báo" in r.text
    assert r.text.count('class="tag v-') == 1  # the replaced verdict is no longer listed
    with factory() as s:
        rows = s.scalars(select(Verdict).where(Verdict.task_id == task_id)).all()
        assert [v.label for v in rows] == ["scam", "not_misinformation"]
        assert rows[0].replaced_by_id == rows[1].id
    # an analyst decides it from the item's page; the collaborator can no longer change it
    c.cookies.clear()
    web_login(c, "pt1")
    with factory() as s:
        item_id = s.get(ReviewTask, task_id).item_id  # type: ignore[union-attr]
    item_page = c.get(f"/items/{item_id}")
    assert "(đã thay bằng kết luận khác)" in item_page.text
    assert "Quyết định cuối cùng" in item_page.text
    r = c.post(
        f"/items/{item_id}/override",
        data={"csrf": csrf_of(item_page.text), "verdict": "scam", "reason": ""},
    )
    assert "Hãy ghi lý do" in r.text
    r = c.post(
        f"/items/{item_id}/override",
        data={"csrf": csrf_of(item_page.text), "verdict": "scam", "reason": "Đã đối chiếu"},
    )
    assert "Đã lưu quyết định cuối cùng" in r.text
    c.cookies.clear()
    web_login(c, "ctv1")
    history = c.get("/history")
    assert "Chuyên viên đã quyết định về tin này" in history.text
    assert "/change" not in history.text
    with factory() as s:
        standing = s.scalar(
            select(Verdict.id).where(
                Verdict.task_id == task_id, Verdict.kind == "review", Verdict.withdrawn_at.is_(None)
            )
        )
    r = c.post(
        f"/verdicts/{standing}/change",
        data={"csrf": csrf_of(history.text), "verdict": "distortion", "reason": "đổi ý"},
    )
    assert "không thể đổi kết luận nữa" in r.text


def test_an_analyst_sends_any_item_to_review_from_its_page(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    with factory() as s:
        item = make_item(s, title="Tin bình thường về VNeID")
        make_analysis(s, item, risk=0.1, misinfo="none")
        s.commit()
        item_id = item.id
    web_login(c, "ctv1")
    assert (
        c.post(f"/items/{item_id}/review", data={"csrf": csrf_of(c.get("/queue").text)}).status_code
        == 403
    )
    c.cookies.clear()
    web_login(c, "pt1")
    page = c.get(f"/items/{item_id}")
    assert "Đưa tin vào rà soát" in page.text
    assert f'action="/items/{item_id}/override"' not in page.text  # nothing decided yet
    r = c.post(f"/items/{item_id}/review", data={"csrf": csrf_of(page.text), "note": "xem giúp"})
    assert "Đã đưa tin vào hàng đợi rà soát" in r.text
    assert "Đưa tin vào rà soát" not in r.text  # it is waiting now
    again = c.post(f"/items/{item_id}/review", data={"csrf": csrf_of(page.text)})
    assert "đang chờ hoặc đang được rà soát" in again.text
    with factory() as s:
        task = s.scalar(select(ReviewTask).where(ReviewTask.item_id == item_id))
        assert task is not None
        assert task.status == TaskStatus.pending
        assert task.reason == "analyst"
