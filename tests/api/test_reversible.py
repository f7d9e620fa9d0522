"""The JSON API's side of reversible verdicts: undo, change, an analyst's override of a decided
task and sending any item to review."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import AuditEvent, ReviewTask, TaskStatus, Verdict
from tests.apps import Apps, login
from tests.factories import make_analysis, make_item, make_task


@pytest.fixture
def client(settings: Settings, factory: sessionmaker[Session], apps: Apps) -> TestClient:
    with factory() as s:
        make_task(s, priority=0.9)
        make_task(s, priority=0.5)
        s.commit()
    return apps(settings, users={"ctv1": "collaborator", "ctv2": "collaborator", "pt1": "analyst"})


def _decide(client: TestClient, who: dict[str, str], verdict: str) -> dict:  # type: ignore[type-arg]
    task = client.post("/api/v1/queue/claim", headers=who).json()
    r = client.post(f"/api/v1/tasks/{task['id']}/verdict", headers=who, json={"verdict": verdict})
    assert r.status_code == 200, r.text
    return r.json()


def test_undo_then_decide_again(client: TestClient) -> None:
    me, other = login(client, "ctv1"), login(client, "ctv2")
    given = _decide(client, me, "scam")
    r = client.post(f"/api/v1/verdicts/{given['id']}/undo", headers=other)
    assert r.status_code == 403  # not theirs
    r = client.post(f"/api/v1/verdicts/{given['id']}/undo", headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == given["task_id"]
    assert r.json()["status"] == "claimed"
    again = client.post(f"/api/v1/verdicts/{given['id']}/undo", headers=me)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "verdict_withdrawn"
    r = client.post(
        f"/api/v1/tasks/{given['task_id']}/verdict", headers=me, json={"verdict": "distortion"}
    )
    assert r.status_code == 200, r.text


def test_undo_after_the_window_is_refused(
    settings: Settings, factory: sessionmaker[Session], apps: Apps
) -> None:
    with factory() as s:
        make_task(s)
        s.commit()
    short = settings.model_copy(update={"undo_seconds": -10.0})  # the window is already over
    c = apps(short, users={"ctv1": "collaborator"})
    me = login(c, "ctv1")
    given = _decide(c, me, "scam")
    r = c.post(f"/api/v1/verdicts/{given['id']}/undo", headers=me)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "undo_too_late"
    assert "hoàn tác" in r.json()["error"]["message"]


def test_change_needs_a_reason_and_stops_once_an_analyst_acted(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    me, analyst = login(client, "ctv1"), login(client, "pt1")
    given = _decide(client, me, "scam")
    url = f"/api/v1/verdicts/{given['id']}/change"
    assert (
        client.post(url, headers=me, json={"verdict": "distortion", "reason": ""}).status_code
        == 422
    )
    r = client.post(url, headers=me, json={"verdict": "distortion", "reason": "sai số liệu"})
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["verdict"] == "distortion"
    assert new["task_status"] == "decided"
    # an analyst overrides the decided task (not only escalated ones) …
    r = client.post(
        f"/api/v1/tasks/{given['task_id']}/override",
        headers=analyst,
        json={"verdict": "not_misinformation", "reason": "Đã đối chiếu nguồn chính thức"},
    )
    assert r.status_code == 200, r.text
    # … after which the collaborator can no longer change it
    r = client.post(
        f"/api/v1/verdicts/{new['id']}/change",
        headers=me,
        json={"verdict": "scam", "reason": "đổi ý"},
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "analyst_decided"
    with factory() as s:
        old = s.get(Verdict, given["id"])
        assert old is not None
        assert old.replaced_by_id == new["id"]
        actions = s.scalars(select(AuditEvent.action)).all()
        assert {"task.verdict_change", "task.override"} <= set(actions)


def test_an_analyst_sends_any_item_to_review(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    with factory() as s:
        item = make_item(s)
        make_analysis(s, item, risk=0.1, misinfo="none")
        s.commit()
        item_id = item.id
    me, analyst = login(client, "ctv1"), login(client, "pt1")
    assert client.post(f"/api/v1/items/{item_id}/review", headers=me).status_code == 403
    assert client.post("/api/v1/items/999999/review", headers=analyst).status_code == 404
    r = client.post(f"/api/v1/items/{item_id}/review", headers=analyst, json={"note": "xem lại"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "pending"
    assert r.json()["reason"] == "analyst"
    r = client.post(f"/api/v1/items/{item_id}/review", headers=analyst)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "already_queued"
    # it comes first to a collaborator
    assert client.post("/api/v1/queue/claim", headers=me).json()["item"]["id"] == item_id
    with factory() as s:
        task = s.scalar(select(ReviewTask).where(ReviewTask.item_id == item_id))
        assert task is not None
        assert task.status == TaskStatus.claimed
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "task.send_to_review"))
