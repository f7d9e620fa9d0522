"""Several collector processes on one database, and a collector killed with SIGKILL mid-run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.config import ROOT
from core.tables import Feed, Item
from tests.collector.feedfarm import FeedFarm
from tests.factories import make_feed

pytestmark = pytest.mark.slow  # every test here starts collector processes


def _collector(db_url: str, mode: str = "--once", **env: str) -> subprocess.Popen[bytes]:
    full = {
        **os.environ,
        "DULUAN_DATABASE_URL": db_url,
        "DULUAN_FETCH_ALLOWLIST": "127.0.0.1",
        "DULUAN_PER_HOST_GAP_S": "0",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "collect", mode],
        cwd=ROOT,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _register(factory: sessionmaker[Session], farm: FeedFarm) -> None:
    with factory() as s:
        for url in farm.urls():
            make_feed(s, url=url, name=url.rsplit("/", 1)[1])
        s.commit()


def _leasing(factory: sessionmaker[Session]) -> int:
    """How many collectors hold a lease now."""
    with factory() as s:
        return s.scalar(select(func.count(func.distinct(Feed.lease_owner)))) or 0


def _fetched(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return s.scalar(select(func.count(Feed.id)).where(Feed.last_success_at.is_not(None))) or 0


def test_four_collectors_fetch_each_feed_once_and_store_each_item_once(
    pg_factory: sessionmaker[Session], pg_url: str
) -> None:
    farm = FeedFarm(feeds=200, items=5, latency_s=0.02)
    try:
        _register(pg_factory, farm)
        # Hold the farm until all four hold leases: on a loaded machine the first process to
        # start could otherwise fetch all 200 feeds before the last has imported its modules.
        farm.gate.clear()
        procs = [_collector(pg_url, DULUAN_FETCH_CONCURRENCY="4") for _ in range(4)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _leasing(pg_factory) < 4:
            time.sleep(0.05)
        farm.gate.set()
        outputs = [p.communicate(timeout=120)[0].decode() for p in procs]
        assert all(p.returncode == 0 for p in procs), outputs
    finally:
        farm.close()
    assert len(farm.hits) == 200
    assert set(farm.hits.values()) == {1}, "a feed was fetched twice in one round"
    with pg_factory() as s:
        assert s.scalar(select(func.count(Item.id))) == 1000
        assert s.scalar(select(func.count(func.distinct(Item.content_hash)))) == 1000
        assert s.scalar(select(func.count(Feed.id)).where(Feed.lease_owner.is_not(None))) == 0
    per_process = [int(re.search(r"^(\d+) feeds", o, re.M).group(1)) for o in outputs]
    assert sum(per_process) == 200
    assert sum(n > 0 for n in per_process) >= 3, per_process  # the work was shared


def test_killed_collector_restarts_without_losing_or_doubling_items(tmp_path: Path) -> None:
    from core.db import make_engine, make_sessionmaker
    from core.tables import Base

    db_url = f"sqlite:///{tmp_path / 'kill.db'}"
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    farm = FeedFarm(feeds=60, items=20, latency_s=0.05)
    try:
        _register(factory, farm)
        env = {"DULUAN_FEED_LEASE_S": "1", "DULUAN_FETCH_CONCURRENCY": "2"}
        victim = _collector(db_url, **env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # wait until it has stored part of the work
            with factory() as s:
                if s.scalar(select(func.count(Item.id))) >= 100:
                    break
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        with factory() as s:
            partial = s.scalar(select(func.count(Item.id)))
        assert 0 < partial < 1200, "kill the collector mid-run"
        time.sleep(1.2)  # the dead collector's leases expire
        survivor = _collector(db_url, **env)
        out = survivor.communicate(timeout=120)[0].decode()
        assert survivor.returncode == 0, out
    finally:
        farm.close()
    with factory() as s:
        assert s.scalar(select(func.count(Item.id))) == 1200
        assert s.scalar(select(func.count(func.distinct(Item.canonical_url)))) == 1200
        assert s.scalar(select(func.count(Feed.id)).where(Feed.last_success_at.is_(None))) == 0
    engine.dispose()


def test_sigterm_finishes_the_feeds_in_hand_and_exits_cleanly(tmp_path: Path) -> None:
    from core.db import make_engine, make_sessionmaker
    from core.tables import Base

    db_url = f"sqlite:///{tmp_path / 'term.db'}"
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    farm = FeedFarm(feeds=40, items=5, latency_s=0.3)
    try:
        _register(factory, farm)
        proc = _collector(db_url, "--loop", DULUAN_FETCH_CONCURRENCY="2")
        # Signal once the collector has stored a feed: its handlers are installed by then,
        # however slowly the interpreter started (a fixed sleep raced the imports on a busy CI).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _fetched(factory) == 0:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=30)[0].decode()
    finally:
        farm.close()
    assert proc.returncode == 0, out
    assert "finishing the feeds in hand" in out
    done = _fetched(factory)
    with factory() as s:
        assert 0 < done < 40  # stopped part-way
        assert s.scalar(select(func.count(Item.id))) == done * 5  # every fetched feed stored whole
        assert s.scalar(select(func.count(Feed.id)).where(Feed.lease_owner.is_not(None))) == 0
    engine.dispose()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" in status.read_text()  # exited, not yet reaped


def test_parser_processes_exit_with_their_collector(tmp_path: Path) -> None:
    """Before: a collector killed (or a demo stopped) left its parser process and the resource
    tracker running as orphans."""
    script = (
        "import os, sys, time\n"
        "from collector.parse_pool import ParsePool\n"
        "pool = ParsePool(1)._started()\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "time.sleep(120)\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout is not None
    worker = int(owner.stdout.readline())
    assert not _gone(worker)
    owner.send_signal(signal.SIGKILL)
    owner.wait(10)
    deadline = time.monotonic() + 15
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(worker), f"parser process {worker} outlived its collector"


def test_parser_processes_exit_when_the_collector_dies_while_they_start() -> None:
    """Before: a collector killed while its parsers were still importing left them orphaned
    (they read their parent's pid only after the imports, by then init's)."""
    script = (
        "import os, signal\n"
        "from collector.parse_pool import ParsePool\n"
        "pool = ParsePool(2)._started()\n"
        "pool.submit(os.getpid)\n"
        "print(' '.join(str(p) for p in pool._processes), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout is not None
    workers = [int(p) for p in owner.stdout.readline().split()]
    owner.wait(30)
    assert workers
    deadline = time.monotonic() + 60  # they finish importing, then notice
    while not all(_gone(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = [w for w in workers if not _gone(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == [], f"parser processes {left} outlived their collector"
