from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from core.config import Settings
from core.db import make_engine, make_sessionmaker
from core.tables import AuditEvent, Base
from tests.factories import make_user


@pytest.fixture
def client(
    sqlite_settings: Settings, analyzer
) -> Iterator[tuple[TestClient, sessionmaker[Session]]]:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_settings.database_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory() as s:
        make_user(s, "admin1", "admin", "admin1-password")
        make_user(s, "ctv1", "collaborator", "ctv1-password")
        s.commit()
    with TestClient(create_app(sqlite_settings, analyzer)) as c:
        yield c, factory
    engine.dispose()


def _auth(c: TestClient, name: str) -> dict[str, str]:
    token = c.post(
        "/api/v1/auth/login", json={"username": name, "password": f"{name}-password"}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_admin_manages_feeds_and_every_change_is_audited(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = client
    admin = _auth(c, "admin1")
    r = c.post(
        "/api/v1/feeds",
        headers=admin,
        json={"url": "https://bao.example/rss", "name": "Báo", "kind": "news"},
    )
    assert r.status_code == 201
    feed = r.json()
    assert feed["enabled"] is True
    assert feed["items_7d"] == 0
    again = c.post(
        "/api/v1/feeds", headers=admin, json={"url": "https://bao.example/rss", "name": "Báo"}
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "feed_exists"
    bad = c.post("/api/v1/feeds", headers=admin, json={"url": "file:///etc/passwd", "name": "x"})
    assert bad.status_code == 422
    r = c.patch(
        f"/api/v1/feeds/{feed['id']}",
        headers=admin,
        json={"enabled": False, "poll_interval_s": 600},
    )
    assert r.status_code == 200
    assert (r.json()["enabled"], r.json()["poll_interval_s"]) == (False, 600)
    assert [f["id"] for f in c.get("/api/v1/feeds", headers=admin).json()] == [feed["id"]]
    assert c.delete(f"/api/v1/feeds/{feed['id']}", headers=admin).status_code == 204
    assert c.delete(f"/api/v1/feeds/{feed['id']}", headers=admin).status_code == 404
    with factory() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "feed").order_by(AuditEvent.id)
        ).all()
    assert actions == ["feed.create", "feed.update", "feed.delete"]


def test_collaborators_and_anonymous_cannot_touch_feeds(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = client
    ctv = _auth(c, "ctv1")
    assert c.get("/api/v1/feeds", headers=ctv).status_code == 403
    assert (
        c.post(
            "/api/v1/feeds", headers=ctv, json={"url": "https://a.example/rss", "name": "A"}
        ).status_code
        == 403
    )
    assert c.get("/api/v1/feeds").status_code == 401
