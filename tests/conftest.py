"""Shared fixtures: databases (SQLite always; PostgreSQL when reachable), settings, a feed server."""

from __future__ import annotations

import ipaddress
import os
import socket
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from cli import serve_folder
from core import security
from core.config import ROOT, Settings, get_settings
from core.db import make_engine, make_sessionmaker
from core.tables import Base

PG_URL = os.environ.get("DULUAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FEEDS = Path(__file__).parent / "data" / "feeds"
# shared/ sits beside the repository (CI lays a copy there); DULUAN_SHARED points elsewhere.
SHARED = Path(os.environ.get("DULUAN_SHARED") or ROOT.parent / "shared")
CASES = SHARED / "cases" / "feeds-and-text"


_LOCAL_NAMES = {"localhost", "localhost.localdomain", "testserver", "testclient"}
_real_getaddrinfo = socket.getaddrinfo


def _offline_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Resolve only address literals and local names; any other name fails as it would
    offline. Tests never touch the internet, not even a DNS resolver (the SSRF guard resolves
    a feed's host at registration and at fetch time)."""
    name = host.decode() if isinstance(host, bytes) else host
    local = name is None or _literal(str(name)) or str(name).lower().rstrip(".") in _LOCAL_NAMES
    if not local:
        raise socket.gaierror(socket.EAI_NONAME, f"{name}: no DNS in tests")
    return _real_getaddrinfo(host, *args, **kwargs)


def _literal(name: str) -> bool:
    """An address the resolver reads without DNS: IPv6, IPv4 and inet_aton's shorthands
    ("127.1", "0x7f000001", "2130706433")."""
    try:
        ipaddress.ip_address(name.strip("[]").split("%")[0])
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(name)
        return True
    except OSError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """The cheapest Argon2id in this process: the suite creates and signs in hundreds of people,
    and the shipped parameters cost ~0.1–0.5 s a hash here. ``tests/core/test_security.py``
    checks the shipped parameters; servers started as subprocesses keep them."""
    shipped = security._hasher
    security.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    security.use_hasher(shipped)


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _offline_getaddrinfo)


def cp1258(text: str) -> bytes:
    """Vietnamese → windows-1258 as Windows and Excel write it: a letter the code page lacks is
    its base letter (with any circumflex, breve or horn) followed by a combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in parts if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out.append(base.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def shared_case(name: str) -> Path:
    """A file of ``shared/cases/feeds-and-text``; the test is skipped, saying where it looked,
    when shared/ is absent."""
    path = CASES / name
    if not path.is_file():
        pytest.skip(f"shared case {path} is absent (set DULUAN_SHARED to the shared/ folder)")
    return path


def _pg_reason() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return (
            f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}); set DULUAN_TEST_PG_URL"
        )


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A fresh schema in the test database for this run, dropped afterwards."""
    reason = _pg_reason()
    if reason:
        pytest.skip(reason)
    schema = f"duluan_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each database test runs on SQLite and on PostgreSQL (skipped, with the reason, if unreachable)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = request.getfixturevalue("pg_schema_url")
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    yield url


@pytest.fixture
def pg_url(pg_schema_url: str) -> str:
    """PostgreSQL only (tests of what only PostgreSQL promises), with empty tables."""
    engine = create_engine(pg_schema_url)
    Base.metadata.drop_all(engine)
    engine.dispose()
    return pg_schema_url


@pytest.fixture
def pg_factory(pg_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(pg_url)
    Base.metadata.create_all(engine)
    yield make_sessionmaker(engine)
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    yield make_sessionmaker(engine)
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s:
        yield s


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        models_dir=ROOT / "models",
        data_dir=ROOT / "data",
        fetch_allowlist="127.0.0.1",  # the local feed server
        per_host_gap_s=0.0,
        _env_file=None,
    )


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        models_dir=ROOT / "models",
        data_dir=ROOT / "data",
        _env_file=None,
    )


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Point the CLI's settings at a temporary SQLite database."""
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DULUAN_DATABASE_URL", f"sqlite:///{db}")
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def feed_server() -> Iterator[str]:
    """Base URL of a local HTTP server serving tests/data/feeds."""
    server = serve_folder(FEEDS)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    """The shipped default models, loaded from the repository."""
    from nlp.analyze import Analyzer

    return Analyzer.load(ROOT / "models", ROOT / "data" / "facts")
