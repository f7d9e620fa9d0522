"""The analysis backlog (items waiting, age of the oldest) on ``/metrics`` and on the feed-health
page, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.db import utcnow
from tests.apps import Apps, web_login
from tests.factories import make_analysis, make_item

LOOPBACK = ("127.0.0.1", 51000)


@pytest.fixture
def client(factory: sessionmaker[Session], settings: Settings, apps: Apps) -> TestClient:
    with factory() as s:
        make_analysis(s, make_item(s, fetched_at=utcnow() - timedelta(days=2)))  # analysed
        s.commit()
    return apps(settings, users={"qt1": "admin"}, client=LOOPBACK)


def _gauge(text: str, name: str) -> float:
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    assert m, f"{name} missing"
    return float(m.group(1))


def test_metrics_and_the_feeds_page_show_the_backlog(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    metrics = client.get("/metrics").text
    assert _gauge(metrics, "duluan_backlog_items") == 0
    assert _gauge(metrics, "duluan_backlog_oldest_seconds") == 0
    web_login(client, "qt1")
    assert "Không có tin nào chờ phân tích" in client.get("/feeds").text

    with factory() as s:
        make_item(s, fetched_at=utcnow() - timedelta(hours=3, minutes=5))
        make_item(s, fetched_at=utcnow() - timedelta(minutes=1))
        s.commit()
    metrics = client.get("/metrics").text
    assert _gauge(metrics, "duluan_backlog_items") == 2
    assert 3 * 3600 + 5 * 60 <= _gauge(metrics, "duluan_backlog_oldest_seconds") < 3 * 3600 + 600
    page = client.get("/feeds").text
    assert "Tin chờ phân tích" in page
    assert "2 tin đã thu thập đang chờ máy phân tích" in page
    assert "3 giờ trước" in page
