"""Collect due feeds: lease → fetch and parse (threads, a parser process pool) → store (one
transaction per feed) → cluster.

The jobs live in their own modules: ``collector.leases`` (claiming feeds, releasing dead
collectors' leases), ``collector.dispatch`` (per-host politeness), ``collector.parse_pool``
(the feedparser processes, owned by whoever runs collection). This module fetches, stores and
runs the pass: ``collect_due``. Items are stored with unique constraints and idempotent
inserts, one transaction per feed, so a collector killed at any point and restarted ends with
every item exactly once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collector.cluster import cluster_pending
from collector.dispatch import Dispatcher
from collector.extract import full_text
from collector.feeds import FeedNotFound
from collector.fetch import FetchError, FetchPolicy, FetchResult, fetch
from collector.leases import FeedJob, claim_feeds, new_owner, release, release_dead_leases
from collector.limits import HostLimiter
from collector.parse import ParsedEntry, ParsedFeed, ParseError, parse
from collector.parse_pool import ParsePool, ParsePoolClosed
from collector.schedule import Outcome, next_check
from collector.store import NewItem, save_items
from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.tables import Feed, Item

log = logging.getLogger(__name__)

# At most this many feeds leased and waiting in one collector: the rest is left to the others.
MAX_QUEUED = 1000
# The feed's health line (shown to admins) after an internal error: a plain cause in the UI's
# language; the detail (exception, SQL and its parameters) is logged, never stored.
STORE_FAILED = "Lỗi nội bộ khi lưu tin của nguồn này; chi tiết trong nhật ký của bộ thu thập."
WORKER_FAILED = "Lỗi nội bộ khi tải hoặc đọc nguồn này; chi tiết trong nhật ký của bộ thu thập."

__all__ = [
    "MAX_QUEUED",
    "STORE_FAILED",
    "WORKER_FAILED",
    "FeedJob",
    "FeedResult",
    "Fetched",
    "Outcome",
    "ParsePool",
    "ParsePoolClosed",
    "RunSummary",
    "claim_feeds",
    "collect_due",
    "fetch_and_parse",
    "new_owner",
    "release_dead_leases",
    "store_fetched",
]


@dataclass
class Fetched:
    """The network and parsing half's answer for one feed: its outcome, the HTTP result (none
    after a fetch error), the parsed feed (only when ``ok``), the body's SHA-256 hex digest,
    the error line and the server's ``Retry-After`` in seconds."""

    job: FeedJob
    outcome: Outcome
    result: FetchResult | None = None
    parsed: ParsedFeed | None = None
    body_hash: str | None = None
    error: str | None = None
    retry_after: float | None = None


@dataclass
class FeedResult:
    """What collecting one feed did: its outcome, items new and already known, entries dated
    in the future (kept with their fetch time), entries the database refused, the error line."""

    feed_id: int
    url: str
    outcome: Outcome
    new: int = 0
    duplicate: int = 0
    future_dates: int = 0
    refused: int = 0  # entries skipped because the database refused them
    error: str | None = None


@dataclass
class RunSummary:
    """One pass: a result per feed, in the order they were stored, and how many items the
    clustering after it placed."""

    results: list[FeedResult] = field(default_factory=list)
    clustered: int = 0

    @property
    def new(self) -> int:
        """New items stored by the pass."""
        return sum(r.new for r in self.results)

    def count(self, outcome: Outcome) -> int:
        """How many feeds ended with ``outcome``."""
        return sum(r.outcome == outcome for r in self.results)


def _unclustered(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        return session.scalar(select(Item.id).where(Item.cluster_id.is_(None)).limit(1)) is not None


def _submit(
    pool: ThreadPoolExecutor,
    client: httpx.Client,
    limiter: HostLimiter,
    job: FeedJob,
    *,
    settings: Settings,
    now: datetime,
    parser: ParsePool,
) -> Future[Fetched]:
    return pool.submit(fetch_and_parse, client, limiter, job, settings, now, parser=parser)


def fetch_and_parse(
    client: httpx.Client,
    limiter: HostLimiter,
    job: FeedJob,
    settings: Settings,
    now: datetime,
    *,
    parser: ParsePool | None = None,
) -> Fetched:
    """The network and parsing half of collecting one feed (``now``: the pass's time, aware
    UTC); touches no database. Fetch and parse errors become the answer's outcome
    (``soft_error``/``hard_error``) and error line; only a bug raises. ``parser``: the
    caller's parse pool (``None``: parse in this thread); ``ParsePoolClosed`` propagates when
    it was shut down.
    """
    policy = FetchPolicy.from_settings(settings)
    try:
        with limiter.slot(job.url):
            result = fetch(client, job.url, policy, etag=job.etag, last_modified=job.last_modified)
        if result.not_modified:
            return Fetched(job, Outcome.not_modified, result)
        body_hash = hashlib.sha256(result.body).hexdigest()
        if body_hash == job.body_hash:
            # Some servers never answer 304: an unchanged body counts the same.
            return Fetched(job, Outcome.not_modified, result, body_hash=body_hash)
        args = (
            result.body,
            result.headers,
            now,
            result.final_url or job.url,
            settings.max_entries_per_feed,
        )
        parsed = parser.parse(*args) if parser else parse(*args)
        if job.extract_full_text:
            parsed = _with_full_text(client, limiter, parsed, settings)
        return Fetched(job, Outcome.ok, result, parsed, body_hash)
    except FetchError as exc:
        outcome = Outcome.soft_error if exc.soft else Outcome.hard_error
        return Fetched(job, outcome, error=str(exc), retry_after=exc.retry_after)
    except ParseError as exc:
        return Fetched(job, Outcome.hard_error, error=f"parse error: {exc}")


def _with_full_text(
    client: httpx.Client, limiter: HostLimiter, parsed: ParsedFeed, settings: Settings
) -> ParsedFeed:
    policy = FetchPolicy.from_settings(settings, max_bytes=settings.extract_max_bytes)
    entries = []
    for e in parsed.entries:
        if e.url and len(e.text) < settings.extract_min_chars:
            with limiter.slot(e.url):
                e = replace(
                    e, text=full_text(client, e.url, policy, e.text, settings.extract_min_chars)
                )
        entries.append(e)
    return replace(parsed, entries=entries)


def store_fetched(
    session: Session, feed: Feed, fetched: Fetched, settings: Settings, now: datetime
) -> FeedResult:
    """The database half of collecting one feed: its items stored (idempotently), its health
    (last success, error count and line, warning line; disabled after
    ``settings.disable_after_errors`` hard errors in a row), validators, new address after a
    permanent move (audited) and next check, its lease released. ``now``: aware UTC. Flushes;
    the caller commits. Database errors propagate (the caller rolls back)."""
    result = FeedResult(feed.id, feed.url, fetched.outcome, error=fetched.error)
    feed.last_fetched_at = now
    ttl = max_age = None
    if fetched.outcome in (Outcome.ok, Outcome.not_modified):
        if fetched.parsed is not None:
            stats = save_items(
                session,
                feed,
                [
                    NewItem(
                        source=feed.name,
                        title=e.title,
                        text=e.text,
                        url=e.url,
                        external_id=e.guid,
                        author=e.author,
                        published_at=e.published_at,
                        notes=_date_notes(e),
                    )
                    for e in fetched.parsed.entries
                ],
            )
            result.new, result.duplicate = stats.new, stats.duplicate
            result.refused = len(stats.refused)
            result.future_dates = sum(e.future_date for e in fetched.parsed.entries)
            if result.future_dates:
                log.warning(
                    "feed %s: %d entries dated in the future; their fetch time is kept instead",
                    feed.id,
                    result.future_dates,
                )
            ttl = fetched.parsed.ttl_s
            feed.last_warning = _warning(fetched.parsed, result.refused)
        if fetched.body_hash:
            feed.body_hash = fetched.body_hash
        if fetched.result is not None and fetched.result.moved_to:
            _follow_move(session, feed, fetched.result.moved_to)
        if fetched.result is not None:
            feed.etag = fetched.result.headers.get("etag") or feed.etag
            feed.last_modified = fetched.result.headers.get("last-modified") or feed.last_modified
            max_age = fetched.result.max_age
        feed.last_success_at = now
        feed.last_error = None
        feed.error_count = 0
    else:
        feed.error_count += 1
        feed.last_error = fetched.error
        if (
            fetched.outcome == Outcome.hard_error
            and feed.error_count >= settings.disable_after_errors
        ):
            feed.enabled = False
            feed.last_error = (
                f"disabled after {feed.error_count} errors in a row; last: {fetched.error}"
            )
        log.warning("feed %s (%s): %s", feed.id, feed.url, fetched.error)
    feed.next_check_at = next_check(
        now,
        fetched.outcome,
        settings,
        poll_interval_s=feed.poll_interval_s,
        errors_in_a_row=feed.error_count,
        ttl_s=ttl,
        max_age_s=max_age,
        retry_after_s=fetched.retry_after,
    )
    feed.lease_owner = None
    feed.lease_expires_at = None
    session.flush()
    return result


def _date_notes(entry: ParsedEntry) -> tuple[dict[str, str], ...]:
    """The item's note when its date was not stored (it keeps its fetch time instead)."""
    if not entry.date_note:
        return ()
    code = "date_in_future" if entry.future_date else "date_unreadable"
    return ({"code": code, "detail": entry.date_note},)


def _warning(parsed: ParsedFeed, refused: int = 0) -> str | None:
    """What went wrong in a fetch that still succeeded, in one line for the feed's health;
    ``refused``: entries the database would not store (skipped; the cause is in the log)."""
    parts = list(parsed.warnings)
    if refused:
        parts.append(f"{refused} entries could not be stored and were skipped (see the log)")
    undated = sum(1 for e in parsed.entries if e.date_note and not e.future_date)
    if undated:
        parts.append(f"{undated} entries with a date that could not be read: fetch time used")
    if parsed.skipped:
        parts.append(f"{parsed.skipped} unusable entries skipped")
    return "; ".join(parts)[:1000] or None


def _follow_move(session: Session, feed: Feed, new_url: str) -> None:
    """A feed that answered with permanent redirects (301/308) only: register its new address
    (audited), unless another registered feed already has it."""
    if new_url == feed.url:
        return
    taken = session.scalar(select(Feed.id).where(Feed.url == new_url, Feed.id != feed.id))
    if taken is not None:
        log.warning("feed %s moved to %s, already registered as feed %s", feed.id, new_url, taken)
        return
    record(
        session,
        None,
        "feed.moved",
        "feed",
        feed.id,
        before={"url": feed.url},
        after={"url": new_url},
    )
    log.info("feed %s moved permanently: %s -> %s", feed.id, feed.url, new_url)
    feed.url = new_url


def _store(
    factory: sessionmaker[Session], fetched: Fetched, settings: Settings, owner: str, now: datetime
) -> FeedResult:
    with factory() as session:
        feed = session.get(Feed, fetched.job.id)
        if feed is None or feed.lease_owner != owner:
            return FeedResult(
                fetched.job.id,
                fetched.job.url,
                Outcome.hard_error,
                error="feed removed or its lease lost while fetching; nothing stored",
            )
        try:
            result = store_fetched(session, feed, fetched, settings, now)
            session.commit()
            return result
        except Exception:  # noqa: BLE001 - a job boundary: one bad feed loses only itself
            session.rollback()
            log.exception("feed %s: storing failed", fetched.job.id)
            # The detail (SQL, parameters) goes to the log, not to the feed's health line.
            failed = Fetched(fetched.job, Outcome.hard_error, error=STORE_FAILED)
            feed = session.get(Feed, fetched.job.id)
            if feed is None:
                raise FeedNotFound(
                    f"Nguồn {fetched.job.id} đã bị xoá trong lúc đang lưu tin của nó. "
                    f"(feed {fetched.job.id} was removed while its items were being stored)",
                ) from None
            result = store_fetched(session, feed, failed, settings, now)
            session.commit()
            return result


def collect_due(
    factory: sessionmaker[Session],
    client: httpx.Client,
    settings: Settings,
    now: datetime | None = None,
    *,
    feed_ids: list[int] | None = None,
    on_result: Callable[[FeedResult], None] | None = None,
    stop: threading.Event | None = None,
    owner: str | None = None,
    cluster: bool = True,
    parse_pool: ParsePool | None = None,
) -> RunSummary:
    """One pass: lease due feeds as capacity frees up, fetch them concurrently and politely,
    store each as it arrives (one transaction per feed), then cluster the new items.

    ``now`` (aware UTC) fixes the pass's clock (tests); ``feed_ids`` collects those feeds
    only, due or not; ``on_result`` is called with each feed's result as it is stored;
    ``owner`` names the leases (default ``new_owner()``); ``cluster=False`` skips clustering.
    ``parse_pool``: the caller's pool of parser processes, left running for its next pass
    (the worker loop); without one, the pass opens its own ``ParsePool(settings.parse_processes)``
    and shuts it down, its processes joined, before it returns.

    When ``stop`` is set, feeds already being fetched are finished and stored, the ones leased
    but not started are released untouched, and the pass ends.

    Raises ``ParsePoolClosed`` when ``parse_pool`` was already shut down; database errors
    outside a feed's own transaction propagate. A feed's fetch, parse or store failure is
    its result's outcome and error line, never an exception.
    """
    if parse_pool is not None and parse_pool.closed:
        raise ParsePoolClosed("collect_due was given a parse pool its owner already shut down")
    owner = owner or new_owner()
    stop = stop or threading.Event()
    with factory() as session:
        release_dead_leases(session, now or utcnow())
        session.commit()
    limiter = HostLimiter(settings.per_host_limit, settings.per_host_gap_s)  # for article pages
    dispatcher: Dispatcher[Fetched] = Dispatcher(settings)
    summary = RunSummary()
    claimed: set[int] = set()
    exhausted = False
    next_claim = 0.0
    with (
        (
            contextlib.nullcontext(parse_pool)
            if parse_pool
            else ParsePool(settings.parse_processes)
        ) as parser,
        ThreadPoolExecutor(
            max_workers=dispatcher.concurrency, thread_name_prefix="collector"
        ) as pool,
    ):
        while True:
            run_now = now or utcnow()
            starved = (
                len(dispatcher.in_flight) < dispatcher.concurrency
                and time.monotonic() >= next_claim
            )
            want_more = dispatcher.queued < 2 * dispatcher.concurrency or (
                starved and dispatcher.queued < MAX_QUEUED
            )
            if not exhausted and not stop.is_set() and want_more:
                next_claim = time.monotonic() + 0.2
                remaining = [i for i in feed_ids if i not in claimed] if feed_ids else None
                leased: list[FeedJob] = []
                if feed_ids is None or remaining:
                    with factory() as session:
                        leased = claim_feeds(
                            session, owner, run_now, settings, dispatcher.concurrency * 4, remaining
                        )
                        session.commit()
                # A lease can run out while its feed waits in this pass's queue: the claim then
                # takes it again (renewing it), which is no new work, but the pass is done only
                # when the claim finds nothing at all (else an unclaimed feed could be skipped).
                jobs = [j for j in leased if j.id not in claimed]
                claimed.update(j.id for j in jobs)
                exhausted = not leased
                dispatcher.add(jobs)
            if stop.is_set():
                release(factory, owner, [j.id for j in dispatcher.drain_queued()])
            wait_s = (
                0.0
                if stop.is_set()
                else dispatcher.start_ready(
                    partial(
                        _submit,
                        pool,
                        client,
                        limiter,
                        settings=settings,
                        now=run_now,
                        parser=parser,
                    )
                )
            )
            if not dispatcher.in_flight:
                if not dispatcher.queued:
                    if exhausted or stop.is_set():
                        break
                    continue
                stop.wait(wait_s)  # every queued feed's host is in its politeness gap
                continue
            for future, job in dispatcher.finished(timeout=wait_s if dispatcher.queued else None):
                try:
                    fetched = future.result()
                except Exception:  # noqa: BLE001 - a worker bug must not stop the run
                    log.exception("feed %s: worker failed", job.id)
                    fetched = Fetched(job, Outcome.hard_error, error=WORKER_FAILED)
                result = _store(factory, fetched, settings, owner, run_now)
                summary.results.append(result)
                if on_result:
                    on_result(result)
    if cluster and (summary.new or _unclustered(factory)):
        # also items stored by a pass that was killed before it clustered them
        with factory() as session:
            summary.clustered = cluster_pending(
                session,
                threshold=settings.cluster_threshold,
                window_days=settings.cluster_window_days,
            )
            session.commit()
    return summary
