"""Collect due feeds: fetch, parse, store, reschedule — one commit per feed."""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import httpx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from collector.fetch import FetchError, fetch
from collector.parse import ParseError, parse
from collector.store import NewItem, save_items
from core.config import Settings
from core.db import utcnow
from core.tables import Feed

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(days=1)
DISABLE_AFTER_HARD_ERRORS = 5


class Outcome(StrEnum):
    ok = "ok"
    not_modified = "not_modified"
    soft_error = "soft_error"
    hard_error = "hard_error"


@dataclass
class FeedResult:
    feed_id: int
    url: str
    outcome: Outcome
    new: int = 0
    duplicate: int = 0
    error: str | None = None


@dataclass
class RunSummary:
    results: list[FeedResult] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome == outcome for r in self.results)


def next_check(
    feed: Feed, outcome: Outcome, now: datetime, retry_after: float | None = None
) -> datetime:
    """Poll interval on success; exponential backoff with jitter on errors, capped at a day."""
    base = timedelta(seconds=max(60, feed.poll_interval_s))
    if outcome in (Outcome.ok, Outcome.not_modified):
        return now + base
    delay = min(base * (2 ** min(feed.error_count, 10)), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_BACKOFF))
    return now + delay * random.uniform(0.9, 1.1)


def collect_feed(
    session: Session, client: httpx.Client, feed: Feed, settings: Settings, now: datetime
) -> FeedResult:
    """Fetch and store one feed and update its health; flushes, the caller commits."""
    result = FeedResult(feed.id, feed.url, Outcome.ok)
    retry_after = None
    feed.last_fetched_at = now
    try:
        fetched = fetch(
            client,
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            max_bytes=settings.max_feed_bytes,
            total_timeout_s=settings.http_total_timeout_s,
        )
        body_hash = hashlib.sha256(fetched.body).hexdigest() if not fetched.not_modified else None
        if fetched.not_modified or body_hash == feed.body_hash:
            # Some servers never answer 304: an unchanged body counts the same.
            result.outcome = Outcome.not_modified
        else:
            parsed = parse(fetched.body, fetched.headers, now, url=fetched.final_url or feed.url)
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
                    )
                    for e in parsed.entries
                ],
            )
            result.new, result.duplicate = stats.new, stats.duplicate
            feed.body_hash = body_hash
        feed.etag = fetched.headers.get("etag") or feed.etag
        feed.last_modified = fetched.headers.get("last-modified") or feed.last_modified
        feed.last_success_at = now
        feed.last_error = None
        feed.error_count = 0
    except FetchError as exc:
        result.outcome = Outcome.soft_error if exc.soft else Outcome.hard_error
        result.error = str(exc)
        retry_after = exc.retry_after
    except ParseError as exc:
        result.outcome = Outcome.hard_error
        result.error = f"parse error: {exc}"
    if result.error:
        feed.error_count += 1
        feed.last_error = result.error
        if result.outcome == Outcome.hard_error and feed.error_count >= DISABLE_AFTER_HARD_ERRORS:
            feed.enabled = False
            feed.last_error = (
                f"disabled after {feed.error_count} errors in a row; last: {result.error}"
            )
        log.warning("feed %s (%s): %s", feed.id, feed.url, result.error)
    feed.next_check_at = next_check(feed, result.outcome, now, retry_after)
    session.flush()
    return result


def _record_failure(
    factory: sessionmaker[Session], feed_id: int, result: FeedResult, now: datetime
) -> None:
    """Keep the feed's health honest after an unexpected error rolled its transaction back."""
    with factory() as session:
        feed = session.get(Feed, feed_id)
        if feed is None:
            return
        result.url = feed.url
        feed.error_count += 1
        feed.last_error = result.error
        feed.next_check_at = next_check(feed, Outcome.hard_error, now)
        session.commit()


def collect_due(
    factory: sessionmaker[Session],
    client: httpx.Client,
    settings: Settings,
    now: datetime | None = None,
    *,
    feed_ids: list[int] | None = None,
    on_result: Callable[[FeedResult], None] | None = None,
) -> RunSummary:
    """One pass over enabled feeds that are due (or the given ones); one transaction per feed."""
    now = now or utcnow()
    with factory() as session:
        query = select(Feed.id).where(Feed.enabled.is_(True)).order_by(Feed.id)
        if feed_ids:
            query = select(Feed.id).where(Feed.id.in_(feed_ids)).order_by(Feed.id)
        else:
            query = query.where(or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now))
        due = list(session.scalars(query))
    summary = RunSummary()
    for feed_id in due:
        with factory() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                continue
            try:
                result = collect_feed(session, client, feed, settings, now)
                session.commit()
            except Exception as exc:  # noqa: BLE001 - a job boundary: one bad feed loses only itself
                session.rollback()
                log.exception("feed %s failed", feed_id)
                result = FeedResult(feed_id, "", Outcome.hard_error, error=f"internal error: {exc}")
                _record_failure(factory, feed_id, result, now)
        summary.results.append(result)
        if on_result:
            on_result(result)
    return summary
