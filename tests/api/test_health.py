"""/health is liveness; /health/ready says whether the database can be written (503 if not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import Cluster
from tests.apps import Apps


def _read_only(connection: Any, _record: Any) -> None:
    """Every new connection can read but not write (a standby, a read-only file, a full disk)."""
    cursor = connection.cursor()
    if type(connection).__module__.startswith("sqlite3"):
        cursor.execute("PRAGMA query_only = ON")
    else:
        cursor.execute("SET default_transaction_read_only = on")
    cursor.close()


def test_ready_when_writable_and_503_when_every_write_fails(
    settings: Settings, factory: sessionmaker[Session], apps: Apps
) -> None:
    app = apps.app(settings)
    c = apps(settings, app=app)
    ready = c.get("/api/v1/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "database_writable": True, "models_loaded": True}

    engine = app.state.sessionmaker.kw["bind"]
    event.listen(engine, "connect", _read_only)
    engine.dispose()  # every connection from now on is read-only

    live = c.get("/api/v1/health")
    assert live.status_code == 200
    assert live.json()["database"] is True  # reads still work: liveness cannot tell
    with app.state.sessionmaker() as s:
        s.add(Cluster())
        with pytest.raises(DBAPIError):
            s.flush()  # every write fails
    r = c.get("/api/v1/health/ready")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == "not_ready"
    assert "database" in r.json()["error"]["message"]

    event.remove(engine, "connect", _read_only)
    engine.dispose()
    assert c.get("/api/v1/health/ready").status_code == 200
    with factory() as s:
        assert s.scalar(select(func.count(Cluster.id))) == 0  # the probe row never stays


def test_ready_is_503_when_the_database_is_gone(tmp_path: Path, apps: Apps) -> None:
    settings = Settings(
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
        models_dir=tmp_path / "no-models",
        data_dir=tmp_path,
        _env_file=None,
    )
    c = apps(settings, schema=False)
    assert c.get("/api/v1/health").json()["database"] is False
    r = c.get("/api/v1/health/ready")
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "not_ready"
