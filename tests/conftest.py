"""Shared fixtures: databases (SQLite always; PostgreSQL when reachable), settings, a feed server.

The app, the CLI and the models are imported by the fixtures that need them, not here: the
xdist controller loads this file and runs no test (4 s of imports it does not need)."""

from __future__ import annotations

import gc
import ipaddress
import json
import os
import shutil
import socket
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from core import security
from core.config import ROOT, Settings, get_settings
from core.db import make_engine, make_sessionmaker
from core.tables import Base

if TYPE_CHECKING:
    from tests.apps import Apps

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


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (pyproject's addopts): one worker more than the cores this process may use.
    With one worker per core the cores sit idle a fifth of the time, while tests wait on the
    processes, Chromium, servers and databases they start (2 cores: whole suite 255 s with 2
    workers, 236 s with 3; the quick loop 83 s and 73 s)."""
    return len(os.sched_getaffinity(0)) + 1


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the test modules imported lives as long as the run: moved out of the garbage
    collector's reach (``gc.freeze``), so the full collections of a long run do not walk the
    libraries again and again (they cost each worker ~15 % of its time)."""
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the ``slow`` tests first (a stable sort, so files stay together otherwise): the
    workers start on the long ones and share out the short ones at the end, instead of one
    worker finishing a long test alone while the other waits."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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


def _create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)


# Above this many rows in a table, DELETE (each row checked against the keys that refer to it)
# costs more than TRUNCATE's new files: 10,000 items took 9 s to delete.
_DELETE_MAX_ROWS = 1_000


def _empty_tables(engine: Engine) -> None:
    """Every table emptied and every id sequence restarted, as if the schema were new.

    Only what a test wrote is touched: one query finds the tables that hold rows, which are
    emptied with DELETE, children first (TRUNCATE when one holds more than
    ``_DELETE_MAX_ROWS``), and the sequences that were used, which restart. About 2 ms after
    most tests, where a TRUNCATE of every table took ~100 ms (it makes new files for each table
    and index) and dropping and creating the schema ~0.8 s. A test that dropped the tables gets
    them back."""
    tables = [table.name for table in Base.metadata.sorted_tables]
    holding = " UNION ALL ".join(  # each table's rows, counted up to _DELETE_MAX_ROWS + 1
        f"SELECT '{name}', (SELECT count(*) FROM "
        f'(SELECT 1 FROM "{name}" LIMIT {_DELETE_MAX_ROWS + 1}) AS head)'
        for name in tables
    )
    try:
        with engine.begin() as conn:
            rows = {name: n for name, n in conn.execute(text(holding)) if n}
            if rows and max(rows.values()) > _DELETE_MAX_ROWS:
                names = ", ".join(f'"{name}"' for name in rows)
                conn.execute(text(f"TRUNCATE {names} CASCADE"))
            else:
                for name in reversed(tables):
                    if name in rows:
                        conn.execute(text(f'DELETE FROM "{name}"'))
            used = conn.execute(
                text(
                    "SELECT quote_ident(sequencename) FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            ).scalars()
            for sequence in used:
                conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
    except ProgrammingError:
        Base.metadata.drop_all(engine)
        _create_schema(engine)


def _new_pg_schema(admin: Engine) -> tuple[str, str]:
    """A fresh, empty schema in the test database: (its name, a URL whose search path it is)."""
    schema = f"duluan_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    return schema, f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """The test database itself (skipped, with the reason, when PostgreSQL is unreachable)."""
    reason = _pg_reason()
    if reason:
        pytest.skip(reason)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


@pytest.fixture(scope="session")
def pg_schema_url(pg_admin: Engine) -> Iterator[str]:
    """This worker's schema in the test database, with every table, created once per run and
    dropped afterwards; ``pg_url`` empties its tables before each test."""
    schema, url = _new_pg_schema(pg_admin)
    engine = create_engine(url)
    _create_schema(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with pg_admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(scope="session")
def _pg_cleaner(pg_schema_url: str) -> Iterator[Engine]:
    engine = create_engine(pg_schema_url, poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every table, made once per run: a test's database is a copy of it."""
    path = tmp_path_factory.mktemp("template") / "schema.db"
    engine = create_engine(f"sqlite:///{path}")
    _create_schema(engine)
    engine.dispose()
    return path


def sqlite_copy(template: Path, path: Path) -> str:
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database test runs on SQLite and on PostgreSQL (skipped, with the reason, if
    unreachable), on every table, all of them empty."""
    if request.param == "sqlite":
        return sqlite_copy(request.getfixturevalue("_sqlite_template"), tmp_path / "test.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without any table, on SQLite and on PostgreSQL (a schema of its own, dropped
    afterwards): for the migrations."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin: Engine = request.getfixturevalue("pg_admin")
    schema, url = _new_pg_schema(admin)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def pg_url(pg_schema_url: str, _pg_cleaner: Engine) -> str:
    """PostgreSQL only (tests of what only PostgreSQL promises), every table there and empty."""
    _empty_tables(_pg_cleaner)
    return pg_schema_url


@pytest.fixture
def pg_factory(pg_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(pg_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
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
def sqlite_settings(tmp_path: Path, _sqlite_template: Path) -> Settings:
    """Settings on a SQLite database of this test's own, every table there and empty."""
    return Settings(
        database_url=sqlite_copy(_sqlite_template, tmp_path / "app.db"),
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
    from cli.serve import serve_folder

    server = serve_folder(FEEDS)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    """The shipped default models, loaded from the repository."""
    from nlp.analyze import Analyzer

    loaded = Analyzer.load(ROOT / "models", ROOT / "data" / "facts")
    gc.freeze()  # the models live as long as the run: no collection needs to walk them again
    return loaded


@pytest.fixture
def apps(request: pytest.FixtureRequest) -> Iterator[Apps]:
    """Builds app clients (``tests.apps``); the shipped models are loaded only when asked for."""
    from tests.apps import Apps

    with Apps(lambda: request.getfixturevalue("analyzer")) as built:
        yield built


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder like ``data/`` (``Settings.data_dir``) whose seed and check set are tiny:
    a few rows of every class of every classifier, in the seed's training part and in its fixed
    held-out part. For tests of what training does (a job runs, a card is written, the gate,
    promotion, rollback), not of how well the shipped seed trains; built once per run."""
    folder = tmp_path_factory.mktemp("tiny-data")
    for entry in (ROOT / "data").iterdir():
        if entry.name not in {"seed", "eval"}:
            (folder / entry.name).symlink_to(entry)
    (folder / "seed").mkdir()
    (folder / "eval").mkdir()
    _write_tiny(ROOT / "data" / "seed" / "seed.jsonl", folder / "seed" / "seed.jsonl", 4, 1)
    _write_tiny(ROOT / "data" / "eval" / "check.jsonl", folder / "eval" / "check.jsonl", 2, 0)
    return folder


def _write_tiny(source: Path, target: Path, per_class: int, held_per_class: int) -> None:
    """The first rows of ``source`` that bring some class of some classifier up to
    ``per_class`` rows outside the seed's fixed hold-out (``held_per_class`` inside it)."""
    from nlp.pipeline import CLASSIFIERS
    from nlp.retrain import seed_held_out

    def labels(row: dict[str, object]) -> list[str]:
        return [
            f"relevance:{row['relevant']}",
            f"sentiment:{row['sentiment']}",
            f"misinfo:{row['misinfo']}",
        ]

    counts: dict[tuple[bool, str], int] = {}
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        held = held_per_class > 0 and seed_held_out(str(row["id"]))
        want = held_per_class if held else per_class
        if any(counts.get((held, label), 0) < want for label in labels(row)):
            kept.append(line)
            for label in labels(row):
                counts[held, label] = counts.get((held, label), 0) + 1
    assert len({label for _, label in counts}) == sum(map(len, CLASSIFIERS.values()))
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
