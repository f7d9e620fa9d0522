"""The README's commands work as written: its collaborator round trip runs in bash against a served
app, and ``make run PORT=…`` / ``duluan demo --port`` say clearly, before any setup, when the port
is taken."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.main import create_app
from cli import app
from core.config import ROOT, Settings
from core.db import make_engine, make_sessionmaker
from core.tables import Base, ReviewTask, TaskStatus
from tests.factories import make_task, make_user

README = ROOT / "README.md"


def _block(heading: str) -> str:
    """The first ```sh block after ``heading`` in the README."""
    text = README.read_text(encoding="utf-8")
    start = text.index(heading)
    m = re.search(r"```sh\n(.*?)```", text[start:], re.DOTALL)
    assert m, f"no sh block after {heading!r}"
    return m.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(sqlite_settings: Settings, analyzer) -> Iterator[tuple[int, sessionmaker[Session]]]:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_settings.database_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(sqlite_settings, analyzer), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield port, factory
    server.should_exit = True
    thread.join(10)
    engine.dispose()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_collaborators_round_trip_runs_as_written(
    served: tuple[int, sessionmaker[Session]],
) -> None:
    port, factory = served
    with factory() as s:
        make_user(s, "ctv1", "collaborator", "ctv1-demo-2026")
        make_task(s, priority=0.1)  # task 1 is not the one the claim returns
        make_task(s, priority=0.9)
        s.commit()
    script = _block("### A collaborator's round trip through the API").replace(
        "localhost:8000", f"127.0.0.1:{port}"
    )
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout.strip().splitlines()[-1])
    assert verdict["verdict"] == "scam"
    with factory() as s:
        task = s.get(ReviewTask, verdict["task_id"])
        assert task is not None
        assert task.status == TaskStatus.decided
        assert s.scalar(select(ReviewTask.status).where(ReviewTask.id == 1)) == "pending"


def test_a_port_in_use_is_reported_before_the_demo_sets_up(cli_env: Path) -> None:
    db = cli_env
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["demo", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cổng {port}" in result.output
    assert "PORT=" in result.output
    assert not db.exists()  # nothing was set up


def test_make_run_passes_the_port() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(if $(PORT),--port $(PORT))" in make
    assert "make run PORT=" in README.read_text(encoding="utf-8")
