"""Alerts through the API, the web page (Vietnamese, phone-sized) and ``duluan alerts check``."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from alerts import check_and_send
from cli import app as cli_app
from core.config import Settings
from core.db import make_engine, make_sessionmaker, utcnow
from core.tables import Alert, AlertSubscription, AuditEvent, ReviewTask, TaskStatus, User
from tests.apps import Apps, csrf_of, login, web_login
from tests.factories import make_analysis, make_item
from tests.web.helpers import people


def _old_task(session: Session, minutes: int = 125) -> None:
    item = make_item(session, title="Tin chờ rà soát <b>đậm</b>", text="Nội dung")
    session.add(
        ReviewTask(
            item_id=item.id,
            analysis_id=make_analysis(session, item).id,
            status=TaskStatus.pending,
            created_at=utcnow() - timedelta(minutes=minutes),
        )
    )


@pytest.fixture
def app_db(
    sqlite_settings: Settings, apps: Apps
) -> tuple[TestClient, sessionmaker[Session], Settings]:
    factory = apps.sessions(sqlite_settings)
    with factory() as s:
        people(s)
        _old_task(s)
        s.commit()
        check_and_send(s, sqlite_settings)  # one queue_wait alert, no subscriber yet
    c = apps(sqlite_settings)
    return c, factory, sqlite_settings


def test_the_api_lists_alerts_and_keeps_each_analysts_subscription(
    app_db: tuple[TestClient, sessionmaker[Session], Settings],
) -> None:
    c, factory, _ = app_db
    ctv, analyst = login(c, "ctv1"), login(c, "pt1")
    assert c.get("/api/v1/alerts", headers=ctv).status_code == 403
    refused = c.put(
        "/api/v1/alerts/subscription",
        headers=ctv,
        json={"rules": ["queue_wait"], "channels": ["email"], "email": "ctv1@example.org"},
    )
    assert refused.status_code == 403
    listed = c.get("/api/v1/alerts", headers=analyst)
    assert listed.status_code == 200
    (alert,) = listed.json()
    assert alert["rule"] == "queue_wait"
    assert alert["subject_kind"] == "queue"
    assert alert["title"].startswith("Hàng đợi rà soát chờ quá lâu")
    assert alert["deliveries"] == []
    assert c.get("/api/v1/alerts?rule=spreading", headers=analyst).json() == []
    assert c.get("/api/v1/alerts?rule=who", headers=analyst).status_code == 422
    empty = c.get("/api/v1/alerts/subscription", headers=analyst).json()
    assert empty == {"rules": [], "channels": [], "email": None, "updated_at": None}
    bad = c.put(
        "/api/v1/alerts/subscription",
        headers=analyst,
        json={"rules": ["queue_wait"], "channels": ["email"]},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_email"
    saved = c.put(
        "/api/v1/alerts/subscription",
        headers=analyst,
        json={
            "rules": ["spreading", "queue_wait"],
            "channels": ["webhook", "email"],
            "email": "pt1@example.org",
        },
    )
    assert saved.status_code == 200, saved.text
    got = c.get("/api/v1/alerts/subscription", headers=analyst).json()
    assert (got["rules"], got["channels"], got["email"]) == (
        ["queue_wait", "spreading"],
        ["email", "webhook"],
        "pt1@example.org",
    )
    with factory() as s:
        pt1 = s.scalar(select(User).where(User.username == "pt1"))
        assert pt1 is not None
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "alert.subscribe")).all()
        assert [e.actor_id for e in events] == [pt1.id]
        assert s.scalar(select(AlertSubscription.user_id)) == pt1.id


def test_the_alerts_page_is_vietnamese_for_analysts_and_saves_a_subscription(
    app_db: tuple[TestClient, sessionmaker[Session], Settings],
) -> None:
    c, factory, _ = app_db
    web_login(c, "ctv1")
    forbidden = c.get("/alerts")
    assert forbidden.status_code == 403
    assert "Không có quyền" in forbidden.text
    assert 'href="/alerts"' not in c.get("/queue").text  # not in a collaborator's menu
    c.cookies.clear()
    web_login(c, "pt1")
    page = c.get("/alerts")
    assert page.status_code == 200
    html = page.text
    assert 'name="viewport"' in html
    assert 'href="/alerts" aria-current="page"' in html
    for words in (
        "Cảnh báo",
        "Hàng đợi rà soát chờ quá lâu: tin cũ nhất đã chờ 2 giờ 5 phút",
        "Hàng đợi chờ lâu",
        "Tôi muốn nhận cảnh báo",
        "Tin đã xác nhận vẫn lan",
        "Lan nhanh bất thường",
        "Nguồn tin im lặng / lỗi",
        "Nhóm chat (webhook)",
        "Lưu lựa chọn",
        "Máy chủ e-mail chưa được cấu hình",
        "Bạn chưa chọn nhận cảnh báo nào",
    ):
        assert words in html, words
    assert "queue_wait</" not in html  # no raw rule names shown
    # e-mail chosen without an address: explained, the choices kept
    refused = c.post(
        "/alerts/subscription",
        data={"csrf": csrf_of(html), "rules": ["queue_wait"], "channels": ["email"]},
    )
    assert refused.status_code == 422
    assert "Hãy nhập địa chỉ e-mail" in refused.text
    assert re.search(r'value="queue_wait"\s+checked', refused.text)
    saved = c.post(
        "/alerts/subscription",
        data={
            "csrf": csrf_of(html),
            "rules": ["queue_wait", "feed_silent"],
            "channels": ["email", "webhook"],
            "email": "pt1@example.org",
        },
    )
    assert "Đã lưu lựa chọn nhận cảnh báo." in saved.text
    assert re.search(r'value="feed_silent"\s+checked', saved.text)
    assert 'value="pt1@example.org"' in saved.text
    assert "Bạn chưa chọn nhận cảnh báo nào" not in saved.text
    forged = c.post("/alerts/subscription", data={"csrf": "forged", "rules": [], "channels": []})
    assert "Biểu mẫu không hợp lệ" in forged.text
    with factory() as s:
        sub = s.scalar(select(AlertSubscription))
        assert sub is not None
        assert (sub.rules, sub.channels) == (["feed_silent", "queue_wait"], ["email", "webhook"])


def test_feed_text_in_an_alert_is_shown_as_text(
    app_db: tuple[TestClient, sessionmaker[Session], Settings],
) -> None:
    c, factory, _ = app_db
    with factory() as s:
        s.add(
            Alert(
                rule="spreading",
                subject_kind="cluster",
                subject_id=1,
                title="<script>window.__x=1</script>Tin giả",
                text="Nội dung: «<img src=x onerror=alert(1)>»",
                details={"item_id": 5},
            )
        )
        s.commit()
    web_login(c, "qt1")
    html = c.get("/alerts").text
    assert "<script>window.__x" not in html
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;Tin giả" in html
    assert "<img src=x" not in html
    assert 'href="/items/5"' in html


def test_cli_alerts_check_runs_once(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli_app, ["migrate"]).exit_code == 0
    engine = make_engine(f"sqlite:///{cli_env}")
    with make_sessionmaker(engine)() as s:
        _old_task(s, minutes=300)
        s.commit()
    first = runner.invoke(cli_app, ["alerts", "check"])
    assert first.exit_code == 0, first.output
    assert (
        "[queue_wait] Hàng đợi rà soát chờ quá lâu: tin cũ nhất đã chờ 5 giờ 0 phút" in first.output
    )
    assert "1 new alert(s); 0 delivery(ies) failing" in first.output
    again = runner.invoke(cli_app, ["alerts", "check"])
    assert again.exit_code == 0
    assert "0 new alert(s)" in again.output
