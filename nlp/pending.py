"""The items waiting for analysis: which they are, how a worker takes a batch of them (keyset
order, ``SKIP LOCKED`` on PostgreSQL) and how their analyses are stored. A batch job: it commits
batch by batch, as ``duluan analyze`` and the worker (``cli/worker.py``) run it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.tables import Analysis, Item
from nlp.analyze import Analyzer

log = logging.getLogger(__name__)


def pending_items(clustered_only: bool = False):  # type: ignore[no-untyped-def]
    """The condition for an item that waits for analysis: no analysis row yet (with
    ``clustered_only``, also given its near-duplicate cluster, so that the queue's one task per
    cluster holds for items a worker analyses while a collector is still storing). An item whose
    text retention blanked (``core.retention``) never waits: its analyses may be deleted, and
    there is no text left to score. It reads ``item.analyzed_at`` (set with the first analysis,
    :func:`score_items`) and so is served by the partial index ``ix_item_pending``: its cost does not
    grow with the items already analysed."""
    cond = Item.purged_at.is_(None) & Item.analyzed_at.is_(None)
    return cond & Item.cluster_id.is_not(None) if clustered_only else cond


def claim_pending(
    session: Session,
    after_id: int,
    limit: int,
    *,
    clustered_only: bool = False,
    since: datetime | None = None,
) -> tuple[list[Item], int]:
    """Take the next ``limit`` items without an analysis whose id is above ``after_id`` (keyset
    order), for this session's transaction alone; returns ``(items, cursor)`` where ``cursor`` is
    the highest id looked at (the next call's ``after_id``; equal to ``after_id`` when nothing
    is left).

    On PostgreSQL the rows are locked ``FOR NO KEY UPDATE SKIP LOCKED`` until the caller commits
    or rolls back: concurrent workers each get different items, and a worker that dies (even
    ``kill -9``) loses its locks with its connection, so its batch is at once available again.
    ``NO KEY`` leaves the foreign-key share locks free: a review task or an analysis may still
    be inserted for a locked item by someone else. A batch another worker committed between this
    statement's snapshot and the lock (PostgreSQL does not re-check ``NOT EXISTS`` for a row
    that was only locked, not updated) is dropped by a second look once the locks are held: an
    analysis is only written under the item's lock, so it is visible by then. Nothing is locked
    on SQLite, where one worker analyses (``cli.worker`` enforces it with a lock file).
    """
    query = (
        select(Item)
        .where(Item.id > after_id, pending_items(clustered_only))
        .order_by(Item.id)
        .limit(limit)
    )
    if since is not None:
        query = query.where(Item.fetched_at >= since)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        query = query.with_for_update(skip_locked=True, key_share=True, of=Item)
    items = list(session.scalars(query))
    if not items:
        return [], after_id
    cursor = items[-1].id
    if postgres:
        done = set(
            session.scalars(
                select(Analysis.item_id).where(Analysis.item_id.in_([i.id for i in items]))
            )
        )
        if done:
            log.info("%d items were analysed by another worker meanwhile: skipped", len(done))
            items = [i for i in items if i.id not in done]
    return items, cursor


def count_pending(session: Session) -> tuple[int, datetime | None]:
    """How many items wait for analysis and when the oldest of them was fetched (UTC; None
    when none waits)."""
    n, oldest = session.execute(
        select(func.count(Item.id), func.min(Item.fetched_at)).where(pending_items())
    ).one()
    return int(n or 0), oldest


def analyze_pending(
    session: Session,
    analyzer: Analyzer,
    *,
    batch_size: int = 256,
    since: datetime | None = None,
    rescore: bool = False,
    progress: Callable[[int, int], None] | None = None,
    commit: bool = False,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Analyse items that have no analysis yet (or, with ``rescore``, every item since ``since``);
    the number of items analysed.

    The backlog is streamed: ``batch_size`` items at a time in id order (keyset pages), never
    the whole list of ids, so memory does not grow with the number of items waiting. Pending
    items are taken with :func:`claim_pending` (on PostgreSQL several processes share the work
    and none scores an item another one holds). Each batch is flushed; with ``commit`` it is
    also committed, so a long run never holds the database's write lock (SQLite) or its row
    locks (PostgreSQL) for more than a batch and a crash loses at most the batch in hand;
    without it the caller commits. ``progress(done, total)`` follows the batches (``total`` is
    counted once, at the start). ``stop()``, asked between batches, ends the run early (a
    worker's SIGTERM). Errors of the analyser propagate (the batch in hand is not stored).
    """
    report = progress or (lambda _done, _total: None)
    total = 0
    if progress is not None:
        counted = select(func.count(Item.id))
        if since is not None:
            counted = counted.where(Item.fetched_at >= since)
        if not rescore:
            counted = counted.where(pending_items())
        total = int(session.scalar(counted) or 0)
    if commit:
        session.commit()  # the count above must not keep a transaction open
    report(0, total)
    done, cursor = 0, 0
    while stop is None or not stop():
        if rescore:
            query = (
                select(Item)
                .where(Item.id > cursor, Item.purged_at.is_(None))
                .order_by(Item.id)
                .limit(batch_size)
            )
            if since is not None:
                query = query.where(Item.fetched_at >= since)
            items = list(session.scalars(query))
            cursor = items[-1].id if items else cursor
            more = bool(items)
        else:
            before = cursor
            items, cursor = claim_pending(session, cursor, batch_size, since=since)
            more = cursor != before
        if not more:
            break
        done += score_items(session, analyzer, items) if items else 0
        if commit:
            session.commit()
        report(done, max(total, done))
    if commit:
        session.commit()
    return done


def score_items(session: Session, analyzer: Analyzer, items: list[Item]) -> int:
    """Analyse ``items`` with ``analyzer`` and add one ``Analysis`` each (an item's first one
    also sets ``item.analyzed_at``); flushes. The number of items analysed."""
    results = analyzer.analyze([f"{i.title}. {i.text}" if i.title else i.text for i in items])
    now = utcnow()
    for item, res in zip(items, results, strict=True):
        if item.analyzed_at is None:
            item.analyzed_at = now
        session.add(
            Analysis(
                item_id=item.id,
                model_versions=res["model_versions"],
                relevance=res["relevance"],
                relevant=res["relevant"],
                sentiment=res["sentiment"],
                sentiment_scores=res["sentiment_scores"],
                misinfo=res["misinfo"],
                misinfo_scores=res["misinfo_scores"],
                risk=res["risk"],
                reasons=res["reasons"],
            )
        )
    session.flush()
    return len(items)
