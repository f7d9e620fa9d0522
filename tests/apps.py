"""The one way tests build an app client and sign in (the ``apps`` fixture in conftest.py).

``apps(settings, users={"pt1": "analyst"}, login_as="pt1")`` gives a started ``TestClient`` on the
settings' database with those people in it (each one's password is ``password(name)``), signed
in as ``login_as`` when given; ``apps.sessions(settings)`` is a sessionmaker on the same database.
Everything it opened is closed when the test ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from core.config import Settings
from core.db import make_engine, make_sessionmaker
from core.tables import Base
from nlp.analyze import Analyzer
from tests.factories import make_user

# ``analyzer=SHARED``: the shipped models, loaded once per test run (the ``analyzer`` fixture);
# ``analyzer=None``: the app loads ``settings.models_dir`` itself (a test that trains or promotes).
SHARED: Any = object()


def password(name: str) -> str:
    """The password the tests give ``name``."""
    return f"{name}-password"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: httpx.Client, name: str, secret: str | None = None) -> dict[str, str]:
    """Sign ``name`` in through the JSON API (an app client, or an ``httpx.Client`` on a served
    app); the header that carries the token."""
    r = client.post(
        "/api/v1/auth/login", json={"username": name, "password": secret or password(name)}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"]
    return bearer(body["access_token"])


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def web_login(client: TestClient, name: str, secret: str | None = None) -> None:
    """Sign ``name`` in through the web form (its CSRF field included); the client keeps the
    session cookie."""
    page = client.get("/login")
    r = client.post(
        "/login",
        data={
            "username": name,
            "password": secret or password(name),
            "csrf": csrf_of(page.text),
            "next": "/queue",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


class Apps:
    """Builds app clients and sessions for one test (or one module); closes them at the end."""

    def __init__(self, shared_analyzer: Callable[[], Analyzer] | None = None) -> None:
        self._shared_analyzer = shared_analyzer
        self._stack = ExitStack()
        self._engines: dict[str, Engine] = {}

    def sessions(self, settings: Settings) -> sessionmaker[Session]:
        """A sessionmaker on ``settings``' database, its tables created when absent."""
        url = settings.database_url
        if url not in self._engines:
            engine = make_engine(url)
            Base.metadata.create_all(engine)
            self._engines[url] = engine
            self._stack.callback(engine.dispose)
        return make_sessionmaker(self._engines[url])

    def __call__(
        self,
        settings: Settings,
        *,
        users: Mapping[str, str] | None = None,
        login_as: str | None = None,
        analyzer: Analyzer | None = SHARED,
        app: FastAPI | None = None,
        schema: bool = True,
        **client: Any,
    ) -> TestClient:
        """A started client of ``create_app(settings, analyzer)`` with ``users`` (name → role)
        added, signed in through the API as ``login_as`` when given; ``client`` goes to
        ``TestClient`` (``client=(host, port)``, ``raise_server_exceptions``…). Clients of one
        app (``app=apps.app(settings)``) share its state: its limits, its metrics."""
        if users:
            with self.sessions(settings)() as s:
                for name, role in users.items():
                    make_user(s, name, role, password(name))
                s.commit()
        elif schema:
            self.sessions(settings)
        app = app or self.app(settings, analyzer)
        c = self._stack.enter_context(TestClient(app, **client))
        if login_as:
            c.headers.update(login(c, login_as))
        return c

    def app(self, settings: Settings, analyzer: Analyzer | None = SHARED) -> FastAPI:
        """``create_app(settings, analyzer)``, not started."""
        if analyzer is SHARED:
            assert self._shared_analyzer, "no shared analyzer here: pass analyzer="
            analyzer = self._shared_analyzer()
        return create_app(settings, analyzer)

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Apps:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
