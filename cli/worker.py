"""``duluan worker``: the whole pipeline, continuously — collect due feeds, analyse new items,
queue the risky ones — and the periodic jobs other parts of duluan register.

One cycle:

1. **collect** (unless ``--analyze-only``): one pass over the due feeds
   (:func:`collector.run.collect_due`: feeds leased ``FOR UPDATE SKIP LOCKED`` with an expiry,
   items stored once, new items clustered);
2. **analyse and queue** (unless ``--collect-only``): items without an analysis are taken in
   keyset batches of ``DULUAN_WORKER_BATCH`` (:func:`nlp.pending.claim_pending`), scored, and
   committed batch by batch; after each batch :func:`review.queue.enqueue_flagged` queues the
   risky ones (it serialises itself with an advisory lock on PostgreSQL). At most
   ``ANALYSIS_SLICE_S`` seconds of analysis per cycle when the worker also collects, so a large
   backlog does not keep due feeds waiting;
3. **periodic jobs**: each :class:`PeriodicJob` whose interval has passed.

Why row locks rather than a lease column for analysis: the batch is locked
``FOR NO KEY UPDATE SKIP LOCKED`` for the transaction that scores and stores it. Nothing is
written to claim it, a worker killed with ``kill -9`` loses its locks the moment PostgreSQL sees
its connection close (its batch is at once available again, and nothing of it was committed),
and a worker that hangs with its transaction open is cut off by PostgreSQL after
``DULUAN_ANALYSIS_LEASE_S`` (``idle_in_transaction_session_timeout``, set on the worker's
connections): that is the lease's expiry, kept by the database rather than by a clock in each
worker. An analysis is only ever written under its item's lock, and the claim looks again once
the lock is held, so no item gets two analyses from one set of model versions.

On SQLite one worker runs: a second one (or a second ``duluan demo``) finds the lock file
``<database>.worker.lock`` taken, says so, and waits until the first one stops.

SIGTERM or SIGINT: the feeds and the analysis batch in hand are finished and committed, and the
worker exits with status 0.

Periodic jobs: ``default_jobs()`` and :data:`JOBS` list ``PeriodicJob(name, interval_s, run)``; ``run(session,
settings, now)`` is called in a transaction of its own, committed after it returns (rolled back
and logged if it raises: a failing job never stops the pipeline; it is tried again after its
interval). ``interval_s = 0`` runs it every cycle. The jobs are listed in ``default_jobs`` (``alerts.check_and_send``: every ``DULUAN_ALERT_CHECK_INTERVAL_S``, 60 s; ``core.retention.purge``: daily). To add another, one line::

    JOBS.append(PeriodicJob("digest", 3600, digest.send))

On PostgreSQL a job runs in one worker at a time (``pg_try_advisory_xact_lock`` on its name;
a worker that finds it taken skips that turn), but every worker keeps its own clock: a daily job
runs once a day per worker and must be idempotent (a second purge finds nothing to purge).
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from cli.app import app, fail, make_factory
from core.config import Settings, get_settings

if TYPE_CHECKING:
    from collector.parse_pool import ParsePool

log = logging.getLogger(__name__)

# With collection in the same worker, analysis yields to it after this many seconds of a cycle
# (the rest of the backlog is taken in the next cycles).
ANALYSIS_SLICE_S = 20.0
# An incremental pass starts where the previous one ended (cheap, whatever the number of items
# already analysed); every this many seconds a pass starts again from the first item, to take
# what a late commit or a dead worker left behind the cursor.
FULL_SWEEP_S = 60.0
DAY_S = 86_400.0


@dataclass(frozen=True)
class PeriodicJob:
    """A job the worker runs every ``interval_s`` seconds (0: every cycle): ``run(session,
    settings, now)`` with ``now`` an aware UTC datetime, in its own committed transaction."""

    name: str
    interval_s: float
    run: Callable[[Session, Settings, datetime], Any]


def default_jobs(settings: Settings | None = None) -> list[PeriodicJob]:
    """The worker's periodic jobs: the alert rules every ``settings.alert_check_interval_s``
    (default 60 s; ``alerts.check_and_send``, which
    commits what it records before it sends) and retention daily (``core.retention.purge``, which
    commits batch by batch and is idempotent: on PostgreSQL one worker runs it at a time) and
    collaborators' screenshots past ``report_image_days`` daily (``collector.submissions.purge_images``)."""
    from alerts import check_and_send
    from collector.submissions import purge_images
    from core.retention import purge

    return [
        PeriodicJob("alerts", (settings or Settings()).alert_check_interval_s, check_and_send),
        PeriodicJob("retention", DAY_S, purge),
        PeriodicJob("report_images", DAY_S, purge_images),
    ]


# Jobs added to the defaults (``default_jobs``, built when a worker starts, not when any
# ``duluan`` command imports this module).
JOBS: list[PeriodicJob] = []


@dataclass
class CycleStats:
    feeds: int = 0
    new: int = 0
    analysed: int = 0
    queued: int = 0
    jobs: list[str] = field(default_factory=list)
    more: bool = False  # analysis stopped with items left (slice over or stop asked)

    def line(self) -> str:
        return (
            f"{self.feeds} feeds, {self.new} new items; analysed {self.analysed}; "
            f"queued {self.queued}" + (f"; jobs {', '.join(self.jobs)}" if self.jobs else "")
        )


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def sqlite_worker_lock(
    settings: Settings, stop: threading.Event, say: Callable[[str], None]
) -> IO[str] | None:
    """On SQLite, the exclusive lock file ``<database>.worker.lock`` (held until the returned
    file is closed or the process dies); waits, saying so once, while another worker holds it.
    None on PostgreSQL, or when ``stop`` is set while waiting."""
    path = _sqlite_path(settings.database_url)
    if path is None:
        return None
    lock_path = path.with_name(path.name + ".worker.lock")
    fh = lock_path.open("a+", encoding="utf-8")
    said = False
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not said:
                fh.seek(0)
                holder = fh.read().strip() or "?"
                say(
                    f"Another duluan worker (pid {holder}) runs on the SQLite database {path}: "
                    "on SQLite one worker runs. Waiting for it to stop (use PostgreSQL for "
                    "several workers)."
                )
                said = True
            if stop.wait(1.0):
                fh.close()
                return None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


def worker_factory(settings: Settings) -> sessionmaker[Session]:
    """Sessions for a worker: ``make_factory``'s checks, plus, on PostgreSQL, the analysis lease
    (``idle_in_transaction_session_timeout``) and ``application_name = duluan-worker-<pid>`` on
    each connection (``pg_stat_activity`` names the process)."""
    factory = make_factory(settings)
    engine = factory.kw["bind"]
    if engine.dialect.name == "postgresql":
        lease_ms = int(settings.analysis_lease_s * 1000)
        name = f"duluan-worker-{os.getpid()}"

        @event.listens_for(engine, "connect")
        def _lease(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cur:
                cur.execute(f"SET idle_in_transaction_session_timeout = {lease_ms}")
                cur.execute(f"SET application_name = '{name}'")
            dbapi_connection.commit()

        engine.dispose()  # connections opened by the checks above lack the settings
    return factory


class Worker:
    """The pipeline loop. ``collect``/``analyze`` choose the roles; ``stop`` ends it between
    steps (the feeds and the batch in hand are finished first); ``drain`` ends it once a cycle
    finds nothing to do. ``say`` receives one line per cycle that did something."""

    def __init__(
        self,
        settings: Settings,
        *,
        collect: bool = True,
        analyze: bool = True,
        stop: threading.Event | None = None,
        jobs: list[PeriodicJob] | None = None,
        drain: bool = False,
        say: Callable[[str], None] = print,
        factory: sessionmaker[Session] | None = None,
    ) -> None:
        self.settings = settings
        self.collect, self.analyze = collect, analyze
        self.stop = stop or threading.Event()
        self.jobs = [*default_jobs(settings), *JOBS] if jobs is None else list(jobs)
        self.drain, self.say = drain, say
        self.factory = factory or worker_factory(settings)
        self.analyzer: Any = None
        self.cursor = 0
        self.last_sweep = float("-inf")
        self.last_run: dict[str, float] = {}
        self.totals = CycleStats()
        # The parser processes of ``run()``'s collection passes: opened and shut down there.
        self.parse_pool: ParsePool | None = None

    # -- roles -------------------------------------------------------------------------------

    def _collect(self, stats: CycleStats, client: Any) -> None:
        from collector.run import collect_due

        # Inside run(), its pool serves every pass; a cycle called on its own opens and shuts
        # down one for its pass.
        summary = collect_due(
            self.factory, client, self.settings, stop=self.stop, parse_pool=self.parse_pool
        )
        stats.feeds, stats.new = len(summary.results), summary.new

    def _load_analyzer(self) -> Any:
        """The analyzer of the models in service, reloaded when one was promoted or rolled back."""
        from nlp.analyze import Analyzer
        from nlp.pipeline import CLASSIFIERS
        from nlp.registry import current_version

        models_dir = self.settings.models_dir
        if self.analyzer is not None:
            wanted = {t: current_version(models_dir, t) for t in CLASSIFIERS}
            if all(self.analyzer.versions.get(t) == v for t, v in wanted.items()):
                return self.analyzer
            log.warning("models changed (%s): reloading", wanted)
        self.analyzer = Analyzer.load(models_dir, self.settings.data_dir / "facts")
        return self.analyzer

    def _cluster_unclustered(self) -> None:
        """An analyse-only worker clusters what collectors stored but have not clustered yet
        (the queue's one task per cluster needs it; analysis waits for it)."""
        from sqlalchemy import select

        from collector.cluster import cluster_pending
        from core.tables import Item

        with self.factory() as session:
            if session.scalar(select(Item.id).where(Item.cluster_id.is_(None)).limit(1)) is None:
                return
            cluster_pending(
                session,
                threshold=self.settings.cluster_threshold,
                window_days=self.settings.cluster_window_days,
            )
            session.commit()

    def _analyse(self, stats: CycleStats) -> None:
        from nlp.pending import claim_pending, score_items
        from review.queue import enqueue_flagged

        analyzer = self._load_analyzer()
        if not self.collect:
            self._cluster_unclustered()
        if time.monotonic() - self.last_sweep >= FULL_SWEEP_S:
            self.cursor, self.last_sweep = 0, time.monotonic()
        started = time.monotonic()
        batch = self.settings.worker_batch
        while not self.stop.is_set():
            if self.collect and time.monotonic() - started > ANALYSIS_SLICE_S:
                stats.more = True
                break
            with self.factory() as session:
                items, cursor = claim_pending(session, self.cursor, batch, clustered_only=True)
                if cursor == self.cursor:  # nothing left above the cursor
                    session.rollback()
                    break
                try:
                    stats.analysed += score_items(session, analyzer, items) if items else 0
                    session.commit()
                except Exception:
                    session.rollback()
                    ids = [i.id for i in items]
                    log.exception("analysis of items %s..%s failed", ids[:1], ids[-1:])
                    self.say(
                        f"analysis of items {ids[0]}–{ids[-1]} failed; the batch is left for a "
                        "later pass (see the log)"
                    )
                    self.cursor = cursor  # the others go on; the next full sweep retries it
                    break
                self.cursor = cursor
            with self.factory() as session:
                stats.queued += enqueue_flagged(session, self.settings)
                session.commit()
        else:
            stats.more = True

    def _run_jobs(self, stats: CycleStats) -> None:
        from core.db import utcnow

        for job in self.jobs:
            if self.stop.is_set():
                return
            last = self.last_run.get(job.name)
            if last is not None and time.monotonic() - last < job.interval_s:
                continue
            self.last_run[job.name] = time.monotonic()
            with self.factory() as session:
                try:
                    if session.get_bind().dialect.name == "postgresql":
                        key = zlib.crc32(f"duluan-job:{job.name}".encode()) & 0x7FFFFFFF
                        got = session.scalar(
                            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}
                        )
                        if not got:
                            continue  # another worker runs it now
                    job.run(session, self.settings, utcnow())
                    session.commit()
                    stats.jobs.append(job.name)
                except Exception:  # noqa: BLE001 - a failing job never stops the pipeline
                    session.rollback()
                    log.exception("periodic job %s failed", job.name)
                    self.say(f"periodic job {job.name} failed (see the log); next try later")

    # -- loop --------------------------------------------------------------------------------

    def cycle(self, client: Any = None) -> CycleStats:
        """One cycle: collect (with ``client``), analyse and queue, periodic jobs."""
        stats = CycleStats()
        if self.collect and not self.stop.is_set():
            self._collect(stats, client)
        if self.analyze and not self.stop.is_set():
            self._analyse(stats)
        self._run_jobs(stats)
        for name in ("feeds", "new", "analysed", "queued"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))
        return stats

    def _idle_s(self) -> float:
        wait = self.settings.worker_idle_s
        if self.collect:
            from cli.collect import _seconds_to_next_due

            wait = min(wait, _seconds_to_next_due(self.settings))
        return max(wait, 0.1)

    def run(self) -> int:
        """Cycles until ``stop`` (or, with ``drain``, until a cycle finds nothing to do);
        the exit status (0)."""
        from collector.fetch import make_client
        from collector.parse_pool import ParsePool

        lock = sqlite_worker_lock(self.settings, self.stop, self.say)
        try:
            if self.stop.is_set():
                return 0
            # The worker owns its parser processes: started at the first parse, kept for every
            # pass, stopped and joined when the loop ends (signal, drain or error).
            with (
                make_client(self.settings) as client,
                ParsePool(self.settings.parse_processes if self.collect else 0) as parse_pool,
            ):
                self.parse_pool = parse_pool
                while not self.stop.is_set():
                    stats = self.cycle(client)
                    if stats.new or stats.analysed or stats.queued or stats.jobs:
                        self.say(stats.line())
                    if stats.more:
                        continue
                    if self.drain and not (stats.new or stats.analysed):
                        break
                    self.stop.wait(self._idle_s())
        finally:
            self.parse_pool = None
            if lock is not None:
                lock.close()
        return 0


def _stop_on_signals(say: Callable[[str], None]) -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: Any) -> None:
        say(f"Signal {signum}: finishing the feeds and the batch in hand, then exiting.")
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


@app.command()
def worker(
    collect_only: Annotated[
        bool, typer.Option("--collect-only", help="Only collect feeds (no analysis).")
    ] = False,
    analyze_only: Annotated[
        bool, typer.Option("--analyze-only", help="Only analyse and queue (no collection).")
    ] = False,
    drain: Annotated[
        bool, typer.Option("--drain", help="Exit once a cycle finds nothing to do.")
    ] = False,
) -> None:
    """Run the pipeline continuously: collect due feeds, analyse new items, queue the risky ones.

    Several workers can share one PostgreSQL database (each feed and each item is taken by one
    of them); on SQLite one runs. SIGTERM or Ctrl-C finishes the batch in hand and exits 0.
    Example: duluan worker          (or: duluan worker --analyze-only)
    """
    if collect_only and analyze_only:
        raise fail("--collect-only and --analyze-only exclude each other")

    def say(line: str) -> None:
        typer.echo(line, err=True)

    settings = get_settings()
    stop = _stop_on_signals(say)
    w = Worker(
        settings,
        collect=not analyze_only,
        analyze=not collect_only,
        stop=stop,
        drain=drain,
        say=say,
    )
    if w.jobs:
        say("periodic jobs: " + ", ".join(f"{j.name} every {j.interval_s:g} s" for j in w.jobs))
    w.run()
    t = w.totals
    typer.echo(
        f"worker {os.getpid()}: {t.feeds} feeds, {t.new} new items, analysed {t.analysed}, "
        f"queued {t.queued}."
    )
