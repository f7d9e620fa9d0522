"""Retention: what is past its time is blanked or deleted, in batches (``purge``).

Three settings (``core.config``, days; 0 = kept forever):

- ``retention_text_days`` (180): an item fetched *and* dated (published, else fetched) longer
  ago than that has its text blanked: title, text, byline, search key, shingles and title
  history are emptied, and so is the evidence its analyses quote from the text (each reason's
  ``evidence`` becomes empty, its offsets and the fact card's ``in_text`` go; its cue, message,
  weight and official fact stay). The item *row* stays — source, dates, link, digest,
  cluster, review task and verdicts — with ``purged_at`` set and the labels the weekly report
  needs frozen in ``retained`` (``core.genre.frozen_labels``). So a purged week still reports
  its volume, sources, sentiment shares, flags and confirmed counts from the same rows as
  before (``report.loading.load_week``), the collector still knows the item (no re-collection
  as new), and a search simply no longer finds its words.

  Two kinds of item are not blanked on that schedule:
    * an item whose review task is open (pending, claimed or escalated): a reviewer is about
      to read it. It is blanked at the first purge after its task is decided;
    * an item with a confirmed verdict (its latest standing verdict is distortion or scam): its
      text is the evidence behind a decision the audit log records, so it is kept as long as
      audit events (``retention_audit_days``; forever when that is 0), then blanked.

- ``retention_analysis_days`` (365): an analysis made longer ago than that is deleted once it
  no longer describes a kept item — superseded by a newer analysis of the same item, or its
  item's text is blanked (its labels are in ``retained``). An item's newest analysis lives as
  long as the item's text; analyses of an item under open review are never deleted.

- ``retention_audit_days`` (730): audit events older than that are deleted. Audit events are
  append-only for the application (``core.tables``); this is the one deletion, by a bulk
  statement. It must not be shorter than the text retention (``core.config`` refuses it).

Each batch (``retention_batch_size`` rows) is one transaction: a crash loses at most the batch
in hand, and what was committed is consistent (an item is blanked together with its frozen
labels and stripped reasons). A second run carries on where the first stopped. Every run
records one audit event with its counts (``retention.purge``), or, if it fails,
``retention.purge_failed`` with the counts committed before the error, which is re-raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from core import audit
from core.config import Settings, retention_problem
from core.tables import (
    Analysis,
    AuditEvent,
    Feed,
    Item,
    ReviewTask,
    TaskStatus,
    User,
    Verdict,
    VerdictLabel,
)

log = logging.getLogger(__name__)

OPEN_STATUSES = (TaskStatus.pending, TaskStatus.claimed, TaskStatus.escalated)
CONFIRMED_VERDICTS = (VerdictLabel.distortion, VerdictLabel.scam)
# Keys of an analysis reason kept once the item's text is blanked (the rest quotes the text).
KEPT_REASON_KEYS = ("kind", "message", "weight")
KEPT_FACT_KEYS = ("fact_id", "official", "differs", "similarity", "level", "method", "source")


class RetentionConfigError(ValueError):
    """The retention settings contradict each other (``core.config.retention_problem``)."""


@dataclass
class PurgeReport:
    """What a purge did (or, with ``dry_run``, would do). Cut-offs are UTC, None when that kind
    is kept forever; counts are rows."""

    now: datetime
    dry_run: bool
    text_cutoff: datetime | None
    analysis_cutoff: datetime | None
    audit_cutoff: datetime | None
    texts_blanked: int = 0
    analyses_deleted: int = 0
    audit_events_deleted: int = 0
    # past the text retention but kept: under open review / evidence of a confirmed verdict
    kept_under_review: int = 0
    kept_confirmed: int = 0
    batches: int = 0
    steps_done: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        """The audit event's payload: counts and cut-offs only, nothing about content."""
        out = asdict(self)
        for key in ("now", "text_cutoff", "analysis_cutoff", "audit_cutoff"):
            out[key] = out[key].isoformat() if out[key] is not None else None
        return out


def _cutoff(now: datetime, days: int) -> datetime | None:
    return now - timedelta(days=days) if days else None


def _open_review() -> ColumnElement[bool]:
    """The item has a review task a reviewer has yet to finish."""
    return exists().where(ReviewTask.item_id == Item.id, ReviewTask.status.in_(OPEN_STATUSES))


def _confirmed() -> ColumnElement[bool]:
    """The item's task's latest standing verdict is distortion or scam."""
    later = aliased(Verdict)
    return (
        exists()
        .where(
            ReviewTask.item_id == Item.id,
            Verdict.task_id == ReviewTask.id,
            Verdict.withdrawn_at.is_(None),
            Verdict.label.in_(CONFIRMED_VERDICTS),
        )
        .where(
            ~exists().where(
                later.task_id == Verdict.task_id,
                later.withdrawn_at.is_(None),
                later.id > Verdict.id,
            )
        )
    )


def _older(cutoff: datetime) -> ColumnElement[bool]:
    """Fetched and dated before ``cutoff`` (an old article fetched yesterday is kept too)."""
    return (Item.fetched_at < cutoff) & (func.coalesce(Item.published_at, Item.fetched_at) < cutoff)


def _text_candidates(report: PurgeReport) -> Select[Any] | None:
    """Ids of the items whose text is due to be blanked, in id order."""
    if report.text_cutoff is None:
        return None
    confirmed_ok = (
        ~_confirmed()
        if report.audit_cutoff is None
        else (~_confirmed() | _older(report.audit_cutoff))
    )
    return (
        select(Item.id)
        .where(Item.purged_at.is_(None), _older(report.text_cutoff), ~_open_review(), confirmed_ok)
        .order_by(Item.id)
    )


def _analysis_candidates(report: PurgeReport) -> Select[Any] | None:
    """Ids of the analyses due to be deleted, in id order."""
    if report.analysis_cutoff is None:
        return None
    newer = aliased(Analysis)
    superseded = exists().where(newer.item_id == Analysis.item_id, newer.id > Analysis.id)
    item_purged = exists().where(Item.id == Analysis.item_id, Item.purged_at.is_not(None))
    under_review = exists().where(
        ReviewTask.item_id == Analysis.item_id, ReviewTask.status.in_(OPEN_STATUSES)
    )
    return (
        select(Analysis.id)
        .where(
            Analysis.created_at < report.analysis_cutoff,
            superseded | item_purged,
            ~under_review,
        )
        .order_by(Analysis.id)
    )


def _audit_candidates(report: PurgeReport) -> Select[Any] | None:
    if report.audit_cutoff is None:
        return None
    return select(AuditEvent.id).where(AuditEvent.at < report.audit_cutoff).order_by(AuditEvent.id)


def _count(session: Session, query: Select[Any] | None) -> int:
    if query is None:
        return 0
    return int(
        session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )


def strip_reason(reason: Any) -> Any:
    """A reason without what it quotes from the item's text: ``KEPT_REASON_KEYS`` and the fact
    card's ``KEPT_FACT_KEYS`` stay, ``evidence`` is empty, offsets go. What is left of an
    analysis' reasons once the text is blanked."""
    if not isinstance(reason, dict):
        return None
    out = {k: reason[k] for k in KEPT_REASON_KEYS if k in reason}
    out["evidence"] = ""  # blank, not missing: readers (the API's Reason) expect the field
    fact = reason.get("fact")
    if isinstance(fact, dict):
        out["fact"] = {k: fact[k] for k in KEPT_FACT_KEYS if k in fact}
    return out


def _blank_batch(session: Session, ids: list[int], now: datetime) -> int:
    """Blank the texts of ``ids`` (one transaction, not committed here); how many were blanked.

    Two statements run once per row (executemany), whatever the batch size: the item's update
    repeats the conditions (a task opened since the batch was chosen — an analyst sent the item
    to review — keeps the item), then the reasons of the items it blanked lose their quotes."""
    from core.genre import frozen_labels

    kinds = dict(
        session.execute(
            select(Item.id, Feed.kind)
            .outerjoin(Feed, Feed.id == Item.feed_id)
            .where(Item.id.in_(ids))
        ).all()
    )
    by_item: dict[int, list[tuple[int, Any]]] = {}
    newest: dict[int, Analysis] = {}
    for analysis in session.scalars(
        select(Analysis).where(Analysis.item_id.in_(ids)).order_by(Analysis.id)
    ):
        by_item.setdefault(analysis.item_id, []).append((analysis.id, analysis.reasons))
        newest[analysis.item_id] = analysis  # ordered by id: the last one is the newest
    items = cast(Table, Item.__table__)
    connection = session.connection()
    connection.execute(
        update(items)
        .where(
            items.c.id == bindparam("item_id"),
            items.c.purged_at.is_(None),
            ~exists().where(  # no IN (…) here: executemany cannot expand it
                ReviewTask.item_id == items.c.id,
                or_(*(ReviewTask.status == status for status in OPEN_STATUSES)),
            ),
        )
        .values(
            title="",
            text="",
            author=None,
            search_text="",
            minhash=None,
            title_history=None,
            purged_at=now,
            retained=bindparam("kept", type_=items.c.retained.type),
        ),
        [{"item_id": i, "kept": frozen_labels(newest.get(i), kinds.get(i))} for i in ids],
    )
    blanked = list(session.scalars(select(Item.id).where(Item.id.in_(ids), Item.purged_at == now)))
    stripped = [
        {"analysis_id": analysis_id, "stripped": [r for r in map(strip_reason, reasons) if r]}
        for item_id in blanked
        for analysis_id, reasons in by_item.get(item_id, [])
        if reasons
    ]
    if stripped:
        analyses = cast(Table, Analysis.__table__)
        connection.execute(
            update(analyses)
            .where(analyses.c.id == bindparam("analysis_id"))
            .values(reasons=bindparam("stripped", type_=analyses.c.reasons.type)),
            stripped,
        )
    return len(blanked)


def _keyset(session: Session, query: Select[Any] | None, batch_size: int) -> Iterator[list[int]]:
    """``query``'s ids (its first column, in order), ``batch_size`` at a time."""
    if query is None:
        return
    last = 0
    while True:
        ids = list(session.scalars(query.where(query.selected_columns[0] > last).limit(batch_size)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def _text_batches(session: Session, report: PurgeReport, batch_size: int) -> Iterator[list[int]]:
    """The ids of the items to blank, batch by batch: the items past the text retention in id
    order, less those under open review or kept as confirmed evidence, looked up by id. (One
    query with both exclusions as anti-joins let PostgreSQL, with statistics stale after a bulk
    import, scan the task table once per item: 0.35 s a batch at 20,000 items.)"""
    if report.text_cutoff is None:
        return
    past = (
        select(Item.id)
        .where(Item.purged_at.is_(None), _older(report.text_cutoff))
        .order_by(Item.id)
    )
    for ids in _keyset(session, past, batch_size):
        kept = set(
            session.scalars(
                select(ReviewTask.item_id).where(
                    ReviewTask.item_id.in_(ids), ReviewTask.status.in_(OPEN_STATUSES)
                )
            )
        )
        confirmed = select(Item.id).where(Item.id.in_(ids), _confirmed())
        if report.audit_cutoff is not None:
            confirmed = confirmed.where(~_older(report.audit_cutoff))
        kept.update(session.scalars(confirmed))
        yield [i for i in ids if i not in kept]


def _run_step(
    session: Session, batches: Iterator[list[int]], apply: Callable[[list[int]], int]
) -> Iterator[int]:
    """Each batch of ids applied and committed; yields each batch's count."""
    for ids in batches:
        done = apply(ids) if ids else 0
        session.commit()
        yield done


def purge(
    session: Session,
    settings: Settings,
    now: datetime,
    *,
    dry_run: bool = False,
    actor: User | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> PurgeReport:
    """Blank the item texts, delete the analyses and the audit events past their retention
    (module docstring), committing every ``settings.retention_batch_size`` rows; the
    ``PurgeReport``. ``now`` is an aware datetime (the worker passes the clock's). ``session``
    should hold no pending work: a run commits it batch by batch (a dry run leaves it as is).

    ``dry_run``: count what would go and change nothing (no audit event either). ``actor``:
    who asked (None for the CLI and the worker). ``progress(step, count)`` is called after each
    committed batch (``step``: ``texts``, ``analyses``, ``audit``).

    Raises ``RetentionConfigError`` for inconsistent settings (before any change),
    ``ValueError`` for a naive ``now``; a database error in a batch rolls that batch back, is
    recorded (``retention.purge_failed``, the counts committed before it) and re-raised.
    """
    if now.tzinfo is None:
        raise ValueError("purge needs an aware datetime for now")
    problem = retention_problem(settings)
    if problem:
        raise RetentionConfigError(problem)
    report = PurgeReport(
        now=now,
        dry_run=dry_run,
        text_cutoff=_cutoff(now, settings.retention_text_days),
        analysis_cutoff=_cutoff(now, settings.retention_analysis_days),
        audit_cutoff=_cutoff(now, settings.retention_audit_days),
    )
    if report.text_cutoff is not None:
        past = select(Item.id).where(Item.purged_at.is_(None), _older(report.text_cutoff))
        report.kept_under_review = _count(session, past.where(_open_review()))
        confirmed = past.where(~_open_review(), _confirmed())
        if report.audit_cutoff is not None:
            confirmed = confirmed.where(~_older(report.audit_cutoff))
        report.kept_confirmed = _count(session, confirmed)
    if dry_run:
        report.texts_blanked = _count(session, _text_candidates(report))
        # the analyses of the items about to be blanked go too (when old enough)
        report.analyses_deleted = _count_analyses_after_blanking(session, report)
        report.audit_events_deleted = _count(session, _audit_candidates(report))
        session.rollback()
        return report
    session.commit()  # the counts above must not keep a transaction open
    try:
        size = settings.retention_batch_size
        steps: list[tuple[str, Iterator[list[int]], Callable[[list[int]], int]]] = [
            (
                "texts",
                _text_batches(session, report, size),
                lambda ids: _blank_batch(session, ids, now),
            ),
            (
                "analyses",
                _keyset(session, _analysis_candidates(report), size),
                lambda ids: _delete(session, Analysis, ids),
            ),
            (
                "audit",
                _keyset(session, _audit_candidates(report), size),
                lambda ids: _delete(session, AuditEvent, ids),
            ),
        ]
        for name, batches, apply in steps:
            for done in _run_step(session, batches, apply):
                report.batches += 1
                if name == "texts":
                    report.texts_blanked += done
                elif name == "analyses":
                    report.analyses_deleted += done
                else:
                    report.audit_events_deleted += done
                if progress is not None:
                    progress(name, done)
            report.steps_done.append(name)
    except BaseException as exc:
        session.rollback()
        try:
            audit.record(
                session,
                actor,
                "retention.purge_failed",
                "retention",
                None,
                after={**report.counts(), "error": type(exc).__name__},
            )
            session.commit()
        except Exception:  # noqa: BLE001 - the original error is the one to report
            session.rollback()
            log.exception("the failed purge could not be recorded in the audit log")
        raise
    audit.record(session, actor, "retention.purge", "retention", None, after=report.counts())
    session.commit()
    log.info("purge: %s", report.counts())
    return report


def _count_analyses_after_blanking(session: Session, report: PurgeReport) -> int:
    """The analyses a real run would delete: those already due, plus those of the items it is
    about to blank that are old enough (a real run blanks first, then deletes)."""
    due = _analysis_candidates(report)
    if due is None:
        return 0
    blanked = _text_candidates(report)
    if blanked is None:
        return _count(session, due)
    item_ids = blanked.order_by(None).scalar_subquery()
    also = select(Analysis.id).where(
        Analysis.created_at < report.analysis_cutoff,
        Analysis.item_id.in_(item_ids),
    )
    union = due.order_by(None).union(also).subquery()
    return int(session.scalar(select(func.count()).select_from(union)) or 0)


def _delete(session: Session, table: type[Analysis] | type[AuditEvent], ids: list[int]) -> int:
    """Delete the rows ``ids`` of ``table`` with one bulk statement (the audit log's ORM guard
    sees no object: retention is the one deletion it allows)."""
    result = session.execute(
        delete(table).where(table.id.in_(ids)).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
