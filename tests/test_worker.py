"""``duluan worker``: several workers on PostgreSQL share the backlog without doing anything
twice; ``kill -9`` loses at most the batch in hand; SIGTERM finishes it and exits 0; on SQLite
one worker runs (a second one says so and waits); the periodic jobs hook."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from cli.worker import PeriodicJob, Worker
from core.config import ROOT, Settings
from core.tables import Analysis, Item, ReviewTask
from tests.collector.feedfarm import FeedFarm
from tests.factories import make_feed, make_item

SCAM = "Tài khoản của bạn bị khóa, cung cấp mã OTP tại vcb-xacthuc.top để nhận hỗ trợ {n}"
NEWS = "Xã {n} của Ninh Bình triển khai chuyển đổi số, người dân làm thủ tục trực tuyến"


def _backlog(factory: sessionmaker[Session], n: int) -> None:
    with factory() as s:
        for i in range(n):
            make_item(s, title=f"Tin {i}", text=(SCAM if i % 7 == 0 else NEWS).format(n=i))
        s.commit()


def _worker(db_url: str, *args: str, **env: str) -> subprocess.Popen[str]:
    full = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DULUAN_DATABASE_URL": db_url,
        "DULUAN_FETCH_ALLOWLIST": "127.0.0.1",
        "DULUAN_PER_HOST_GAP_S": "0",
        "DULUAN_WORKER_IDLE_S": "0.5",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "worker", *args],
        cwd=ROOT,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    """(analysis rows, distinct items analysed)."""
    with factory() as s:
        rows = s.scalar(select(func.count(Analysis.id))) or 0
        items = s.scalar(select(func.count(func.distinct(Analysis.item_id)))) or 0
    return rows, items


def _scoring(factory: sessionmaker[Session], pid: int, timeout: float = 60.0) -> int:
    """Wait until worker ``pid`` holds a claimed batch it is scoring (its transaction idle after
    the claim's second look); the analyses committed at that moment."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with factory() as s:
            held = s.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                    "AND state = 'idle in transaction' AND query LIKE 'SELECT analysis.item_id %'"
                ),
                {"name": f"duluan-worker-{pid}"},
            )
            done = s.scalar(select(func.count(Analysis.id))) or 0
        if held and done > 0:
            return done
        time.sleep(0.02)
    raise AssertionError("the worker never held a batch")


def _analysed_by(output: str) -> int:
    m = re.search(r"analysed (\d+), queued", output)
    assert m, output
    return int(m.group(1))


@pytest.mark.slow
def test_two_workers_on_postgresql_share_the_backlog_and_analyse_nothing_twice(
    pg_factory: sessionmaker[Session], pg_url: str
) -> None:
    _backlog(pg_factory, 600)
    procs = [_worker(pg_url, "--analyze-only", "--drain", DULUAN_WORKER_BATCH="20") for _ in "ab"]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    rows, items = _counts(pg_factory)
    assert (rows, items) == (600, 600)
    per_worker = [_analysed_by(o) for o in outputs]
    assert sum(per_worker) == 600
    assert all(n > 0 for n in per_worker), per_worker  # the work was shared
    with pg_factory() as s:
        tasks = s.execute(select(ReviewTask.item_id, ReviewTask.cluster_id)).all()
        flagged = set(
            s.scalars(
                select(Item.cluster_id)
                .join(Analysis, Analysis.item_id == Item.id)
                .where(Analysis.risk >= Settings().review_risk_threshold)
            )
        )
    assert len({item for item, _ in tasks}) == len(tasks)  # no item queued twice
    assert len({cluster for _, cluster in tasks}) == len(tasks)  # one task per story
    assert flagged
    assert flagged <= {cluster for _, cluster in tasks}


@pytest.mark.slow
def test_kill_9_mid_batch_loses_only_that_batch_and_a_second_worker_finishes_it(
    pg_factory: sessionmaker[Session], pg_url: str
) -> None:
    _backlog(pg_factory, 400)
    victim = _worker(pg_url, "--analyze-only", DULUAN_WORKER_BATCH="40")
    try:
        done = _scoring(pg_factory, victim.pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(30)
    finally:
        victim.kill()
    rows, items = _counts(pg_factory)
    assert rows == items == done, "the batch in hand was lost whole, nothing else"
    assert 0 < done < 400
    assert done % 40 == 0
    survivor = _worker(pg_url, "--analyze-only", "--drain", DULUAN_WORKER_BATCH="40")
    out = survivor.communicate(timeout=300)[0]
    assert survivor.returncode == 0, out
    assert _counts(pg_factory) == (400, 400)
    assert _analysed_by(out) == 400 - done


@pytest.mark.slow
def test_sigterm_finishes_the_batch_in_hand_and_exits_0(
    pg_factory: sessionmaker[Session], pg_url: str
) -> None:
    _backlog(pg_factory, 400)
    proc = _worker(pg_url, "--analyze-only", DULUAN_WORKER_BATCH="40")
    try:
        done = _scoring(pg_factory, proc.pid)
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
    finally:
        proc.kill()
    assert proc.returncode == 0, out
    assert "finishing" in out
    rows, items = _counts(pg_factory)
    assert rows == items == done + 40, "the batch in hand was committed, and no other"


@pytest.mark.slow
def test_one_worker_on_sqlite_collects_analyses_and_queues(tmp_path: Path) -> None:
    from core.db import make_engine, make_sessionmaker
    from core.tables import Base

    db_url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    farm = FeedFarm(feeds=6, items=10)
    farm.bodies["/f/scam.xml"] = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>S</title>'
        + "".join(
            f"<item><title>Thông báo {i}</title><guid>s-{i}</guid>"
            f"<link>https://s.example/{i}</link><description>{SCAM.format(n=i * 991)}"
            "</description></item>"
            for i in range(3)
        )
        + "</channel></rss>"
    ).encode()
    try:
        with factory() as s:
            for url in farm.urls():
                make_feed(s, url=url, name=url.rsplit("/", 1)[1])
            s.commit()
        proc = _worker(db_url, "--drain")
        out = proc.communicate(timeout=300)[0]
    finally:
        farm.close()
    assert proc.returncode == 0, out
    with factory() as s:
        assert s.scalar(select(func.count(Item.id))) == 63
        assert s.scalar(select(func.count(Item.id)).where(Item.cluster_id.is_(None))) == 0
        tasks = s.scalar(select(func.count(ReviewTask.id))) or 0
    assert _counts(factory) == (63, 63)
    assert tasks >= 1
    assert "63 new items, analysed 63" in out
    engine.dispose()


@pytest.mark.slow
def test_a_second_worker_on_sqlite_says_so_and_waits(tmp_path: Path) -> None:
    from core.db import make_engine
    from core.tables import Base

    db_url = f"sqlite:///{tmp_path / 'one.db'}"
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    first = _worker(db_url, "--analyze-only")
    second = None
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "one.db.worker.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        lock_holder = ""
        while time.monotonic() < deadline and not lock_holder:
            lock_holder = (tmp_path / "one.db.worker.lock").read_text().strip()
            time.sleep(0.05)
        assert lock_holder == str(first.pid)
        second = _worker(db_url, "--analyze-only", "--drain")
        line = ""
        while second.stdout and "Another" not in line:  # after the periodic jobs' line
            line = second.stdout.readline()
            if not line:
                break
        assert f"Another duluan worker (pid {first.pid})" in line
        assert "Waiting" in line
        assert second.poll() is None  # it waits
        first.send_signal(signal.SIGTERM)
        assert first.wait(60) == 0
        rest = second.communicate(timeout=120)[0]  # takes over, finds nothing, drains
        assert second.returncode == 0, rest
        assert "analysed 0" in rest
    finally:
        first.kill()
        if second is not None:
            second.kill()


def test_periodic_jobs_run_on_their_interval_and_a_failing_one_stops_nothing(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    calls: list[tuple[str, datetime]] = []

    def every_cycle(session: Session, s: Settings, now: datetime) -> None:
        assert s is settings
        assert now.tzinfo is not None
        session.add(make_item(session, title="từ một tác vụ định kỳ"))
        calls.append(("cycle", now))

    def daily(session: Session, s: Settings, now: datetime) -> None:
        calls.append(("daily", now))

    def broken(session: Session, s: Settings, now: datetime) -> None:
        raise RuntimeError("the hook failed")

    said: list[str] = []
    w = Worker(
        settings,
        collect=False,
        analyze=False,
        jobs=[
            PeriodicJob("broken", 0, broken),
            PeriodicJob("cycle", 0, every_cycle),
            PeriodicJob("daily", 86_400, daily),
        ],
        say=said.append,
        factory=factory,
    )
    for _ in range(3):
        stats = w.cycle()
    assert [name for name, _ in calls] == ["cycle", "daily", "cycle", "cycle"]
    assert stats.jobs == ["cycle"]
    assert any("broken failed" in line for line in said)
    with factory() as s:  # each job's transaction was committed
        assert s.scalar(select(func.count(Item.id))) == 3


def test_the_worker_runs_the_alert_rules_once_a_minute_and_retention_daily() -> None:
    from alerts import check_and_send
    from cli import worker
    from core.config import Settings
    from core.retention import purge

    jobs = {j.name: j for j in worker.default_jobs()}
    assert jobs["alerts"].interval_s == 60
    assert {j.name: j for j in worker.default_jobs(Settings(alert_check_interval_s=0))}[
        "alerts"
    ].interval_s == 0  # every cycle
    assert jobs["alerts"].run is check_and_send
    assert jobs["retention"].interval_s == 86_400
    assert jobs["retention"].run is purge
    assert jobs["report_images"].interval_s == 86_400


@pytest.mark.slow
def test_the_worker_owns_its_parse_pool_and_joins_it_when_it_stops(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    """Before: the worker's passes shared a module-global parse pool, shut down by name in
    ``run()``'s ``finally`` (and never by anything else that collected). Now ``run()`` opens
    one ``ParsePool`` for all its passes and its ``with`` joins the processes."""
    from tests.collector.conftest import parser_children

    settings = settings.model_copy(update={"parse_processes": 1})
    with factory() as s:
        make_feed(s, url=f"{feed_server}/basic.rss", name="basic.rss")
        s.commit()
    before = {p.pid for p in parser_children()}
    seen: list[set[int]] = []
    w = Worker(
        settings,
        collect=True,
        analyze=False,
        drain=True,
        jobs=[],
        say=lambda _: None,
        factory=factory,
    )
    real_cycle = w.cycle

    def cycle(client: object = None) -> object:
        stats = real_cycle(client)
        assert w.parse_pool is not None
        seen.append(set(w.parse_pool.pids()))
        return stats

    w.cycle = cycle  # type: ignore[method-assign]
    assert w.run() == 0
    assert w.totals.new == 3
    assert seen[0], "the worker's first pass parsed in no parser process"
    assert all(pids == seen[0] for pids in seen), "the pool changed between passes"
    assert w.parse_pool is None
    assert {p.pid for p in parser_children()} - before == set(), "the worker left parsers behind"
