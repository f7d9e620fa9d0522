from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from core.config import Settings
from core.db import make_engine, make_sessionmaker
from core.tables import AuditEvent, Base, User
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
        s.commit()
    with TestClient(create_app(sqlite_settings, analyzer)) as c:
        yield c, factory
    engine.dispose()


def _login(c: TestClient, name: str, password: str) -> TestClient:
    return c.post("/api/v1/auth/login", json={"username": name, "password": password})


def test_admin_adds_changes_and_disables_accounts_and_each_step_is_audited(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = client
    admin = {
        "Authorization": f"Bearer {_login(c, 'admin1', 'admin1-password').json()['access_token']}"
    }
    r = c.post(
        "/api/v1/users",
        headers=admin,
        json={"username": "CTV2", "role": "collaborator", "password": "ctv2-password"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["username"] == "ctv2"
    assert "password" not in r.text
    assert "hash" not in r.text
    assert (
        c.post(
            "/api/v1/users",
            headers=admin,
            json={"username": "ctv2", "role": "collaborator", "password": "other-password"},
        ).json()["error"]["code"]
        == "user_exists"
    )
    weak = c.post(
        "/api/v1/users",
        headers=admin,
        json={"username": "x2", "role": "admin", "password": "short"},
    )
    assert weak.status_code == 422

    token = _login(c, "ctv2", "ctv2-password").json()["access_token"]
    ctv = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/v1/items", headers=ctv).status_code == 403
    r = c.patch("/api/v1/users/ctv2", headers=admin, json={"role": "analyst"})
    assert r.json()["role"] == "analyst"
    assert c.get("/api/v1/items", headers=ctv).status_code == 200  # the new role, same token

    r = c.patch("/api/v1/users/ctv2", headers=admin, json={"is_active": False})
    assert r.json()["is_active"] is False
    assert c.get("/api/v1/items", headers=ctv).status_code == 401  # tokens revoked
    assert _login(c, "ctv2", "ctv2-password").status_code == 401
    names = [u["username"] for u in c.get("/api/v1/users", headers=admin).json()]
    assert names == ["admin1", "ctv2"]

    with factory() as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(
                    AuditEvent.action.like("user.%"),
                    AuditEvent.entity_id
                    == s.scalar(select(User.id).where(User.username == "ctv2")),
                )
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["user.create", "user.role", "user.disable"]


def test_an_admin_cannot_lock_themself_out(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = client
    admin = {
        "Authorization": f"Bearer {_login(c, 'admin1', 'admin1-password').json()['access_token']}"
    }
    assert (
        c.patch("/api/v1/users/admin1", headers=admin, json={"is_active": False}).status_code == 409
    )
    assert (
        c.patch("/api/v1/users/admin1", headers=admin, json={"role": "analyst"}).status_code == 409
    )
    assert (
        c.patch("/api/v1/users/nobody", headers=admin, json={"is_active": False}).status_code == 404
    )
