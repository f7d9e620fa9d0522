"""Every route × every role: allowed → works (not 401/403), denied → 403, anonymous → 401."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.main import create_app
from core.config import Settings
from core.permissions import ROLE_PERMISSIONS, Permission, allowed
from core.tables import Role
from tests.apps import Apps, login

PUBLIC = {
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/health/ready"),
    ("POST", "/api/v1/auth/login"),
}
# Checks its caller itself (the metrics token, or a loopback client or an admin):
# tests/api/test_metrics.py.
OWN_ACCESS = {("GET", "/metrics")}


def _permission(dependant: Any) -> tuple[bool, Permission | None]:
    """(needs a user, the permission required) from a route's dependency tree."""
    needs_user, permission = False, None
    for dep in dependant.dependencies:
        call = dep.call
        if getattr(call, "permission", None) is not None:
            permission = call.permission
        if getattr(call, "__name__", "") in {"get_current_user", "get_token"}:
            needs_user = True
        sub_user, sub_perm = _permission(dep)
        needs_user = needs_user or sub_user or permission is not None
        permission = permission or sub_perm
    return needs_user, permission


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path (FastAPI keeps included routers nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def _routes() -> list[tuple[str, str, bool, Permission | None]]:
    out = []
    for path, route in _walk(create_app(Settings(_env_file=None)).routes):
        if not (path.startswith("/api/") or path == "/metrics"):
            continue  # the web app's pages: tests/web/test_pages.py
        needs_user, permission = _permission(route.dependant)
        for method in sorted(route.methods):
            out.append((method, path, needs_user, permission))
    return sorted(out)


ROUTES = _routes()


def test_every_api_route_is_classified() -> None:
    assert len(ROUTES) >= 11
    for method, path, needs_user, _ in ROUTES:
        assert needs_user or (method, path) in PUBLIC | OWN_ACCESS, f"{method} {path} is open"
    assert {p for *_, p in ROUTES if p} <= set(Permission)


def test_the_table_is_cumulative() -> None:
    assert (
        ROLE_PERMISSIONS[Role.collaborator]
        < ROLE_PERMISSIONS[Role.analyst]
        < ROLE_PERMISSIONS[Role.admin]
    )


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, analyzer
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("perm") / "p.db"
    settings = Settings(database_url=f"sqlite:///{db}", _env_file=None)
    with Apps(lambda: analyzer) as apps:  # one client for the whole module
        c = apps(settings, users={f"u{role.value}": role.value for role in Role})
        yield c, {role.value: login(c, f"u{role.value}") for role in Role}


# Logout revokes the caller's own token, which the other cases still need: test_flow covers it.
ROLE_CASES = [r for r in ROUTES if not r[1].endswith("/logout") and r[:2] not in OWN_ACCESS]


@pytest.mark.parametrize(
    ("method", "path", "needs_user", "permission"),
    ROLE_CASES,
    ids=[f"{m} {p}" for m, p, *_ in ROLE_CASES],
)
def test_route_by_role(
    client: tuple[TestClient, dict[str, dict[str, str]]],
    method: str,
    path: str,
    needs_user: bool,
    permission: Permission | None,
) -> None:
    c, headers = client
    url = re.sub(r"\{[^}]+\}", "999999", path)
    anonymous = c.request(method, url, json={})
    if needs_user:
        assert anonymous.status_code == 401, anonymous.text
    for role in Role:
        r = c.request(method, url, json={}, headers=headers[role.value])
        if permission is None or allowed(role.value, permission):
            assert r.status_code not in (401, 403), f"{role}: {r.status_code} {r.text}"
        else:
            assert r.status_code == 403, f"{role}: {r.status_code} {r.text}"
