from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import AuditEvent, User
from tests.apps import Apps, login, password


@pytest.fixture
def client(sqlite_settings: Settings, apps: Apps) -> tuple[TestClient, sessionmaker[Session]]:
    return apps(sqlite_settings, users={"admin1": "admin"}), apps.sessions(sqlite_settings)


def _sign_in(c: TestClient, name: str) -> Response:
    """A login the test expects may fail (``tests.apps.login`` asserts success)."""
    return c.post("/api/v1/auth/login", json={"username": name, "password": password(name)})


def test_admin_adds_changes_and_disables_accounts_and_each_step_is_audited(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = client
    admin = login(c, "admin1")
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

    ctv = login(c, "ctv2")
    assert c.get("/api/v1/items", headers=ctv).status_code == 403
    r = c.patch("/api/v1/users/ctv2", headers=admin, json={"role": "analyst"})
    assert r.json()["role"] == "analyst"
    assert c.get("/api/v1/items", headers=ctv).status_code == 200  # the new role, same token

    r = c.patch("/api/v1/users/ctv2", headers=admin, json={"is_active": False})
    assert r.json()["is_active"] is False
    assert c.get("/api/v1/items", headers=ctv).status_code == 401  # tokens revoked
    assert _sign_in(c, "ctv2").status_code == 401
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
    admin = login(c, "admin1")
    assert (
        c.patch("/api/v1/users/admin1", headers=admin, json={"is_active": False}).status_code == 409
    )
    assert (
        c.patch("/api/v1/users/admin1", headers=admin, json={"role": "analyst"}).status_code == 409
    )
    assert (
        c.patch("/api/v1/users/nobody", headers=admin, json={"is_active": False}).status_code == 404
    )
