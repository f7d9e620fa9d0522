"""Enqueue flagged items, lease them to reviewers, record verdicts — every step audited."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, DomainError
from core.tables import Analysis, Item, ReviewTask, TaskStatus, User, Verdict, VerdictKind

RECENCY_HALF_LIFE_H = 72.0


class LeaseError(Conflict):
    code = "not_lease_holder"


def priority(risk: float, published_at: datetime | None, now: datetime) -> float:
    """risk × recency: the recency factor halves every three days, and never drops below one half."""
    if published_at is None:
        recency = 1.0
    else:
        age_h = max(0.0, (now - published_at).total_seconds() / 3600)
        recency = math.pow(0.5, age_h / RECENCY_HALF_LIFE_H)
    return round(risk * (0.5 + 0.5 * recency), 6)


def enqueue_flagged(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Create a pending task for each item whose latest analysis passes the risk threshold."""
    now = now or utcnow()
    latest = select(func.max(Analysis.id).label("id")).group_by(Analysis.item_id).subquery()
    rows = session.execute(
        select(Analysis, Item)
        .join(latest, latest.c.id == Analysis.id)
        .join(Item, Item.id == Analysis.item_id)
        .where(Analysis.risk >= settings.review_risk_threshold)
        .where(~select(ReviewTask.id).where(ReviewTask.item_id == Item.id).exists())
    ).all()
    for analysis, item in rows:
        session.add(
            ReviewTask(
                item_id=item.id,
                analysis_id=analysis.id,
                status=TaskStatus.pending,
                priority=priority(analysis.risk, item.published_at or item.fetched_at, now),
                created_at=now,
                updated_at=now,
            )
        )
    session.flush()
    return len(rows)


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        ReviewTask.status == TaskStatus.pending,
        and_(ReviewTask.status == TaskStatus.claimed, ReviewTask.lease_expires_at < now),
    )


def claim_next(
    session: Session, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask | None:
    """Lease the highest-priority claimable task to ``user``; ``None`` when nothing is left.

    A reviewer who already holds a live lease gets that task back. The lease is taken with a
    compare-and-set UPDATE, so two reviewers can never hold one task, on SQLite or PostgreSQL;
    on PostgreSQL the candidate is also picked with ``FOR UPDATE SKIP LOCKED``.
    """
    now = now or utcnow()
    held = session.scalar(
        select(ReviewTask)
        .where(
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.lease_expires_at >= now,
        )
        .limit(1)
    )
    if held is not None:
        return held
    expires = now + timedelta(minutes=settings.lease_minutes)
    for _ in range(20):
        query = (
            select(ReviewTask.id)
            .where(_claimable(now))
            .order_by(ReviewTask.priority.desc(), ReviewTask.id)
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        task_id = session.scalar(query)
        if task_id is None:
            return None
        taken = session.execute(
            update(ReviewTask)
            .where(ReviewTask.id == task_id, _claimable(now))
            .values(
                status=TaskStatus.claimed,
                lease_holder_id=user.id,
                lease_expires_at=expires,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            task = session.get(ReviewTask, task_id, populate_existing=True)
            assert task is not None
            record(
                session,
                user,
                "task.claim",
                "review_task",
                task.id,
                after={"status": task.status, "lease_expires_at": expires.isoformat()},
            )
            session.flush()
            return task
    return None


def _check_lease(task: ReviewTask, user: User, now: datetime) -> None:
    if task.status != TaskStatus.claimed or task.lease_holder_id != user.id:
        raise LeaseError(
            "Bạn không giữ tin này: hãy nhận tin mới. (You do not hold this task's lease.)"
        )
    if task.lease_expires_at is None or task.lease_expires_at < now:
        raise LeaseError(
            "Thời gian giữ tin đã hết, tin đã trở lại hàng đợi. (Your lease expired.)",
            code="lease_expired",
        )


def decide(
    session: Session,
    task: ReviewTask,
    user: User,
    verdict: str,
    *,
    note: str = "",
    sentiment: str | None = None,
    relevant: bool | None = None,
    now: datetime | None = None,
) -> Verdict:
    """Record the lease holder's verdict; ``escalate`` sends the task to analysts."""
    now = now or utcnow()
    try:
        kind = VerdictKind(verdict)
    except ValueError as exc:
        raise DomainError(
            f"unknown verdict {verdict!r}", code="bad_verdict", status_code=422
        ) from exc
    _check_lease(task, user, now)
    before = {"status": task.status, "lease_holder_id": task.lease_holder_id}
    row = Verdict(
        task_id=task.id,
        reviewer_id=user.id,
        verdict=kind,
        note=note or "",
        sentiment=sentiment,
        relevant=relevant,
        created_at=now,
    )
    session.add(row)
    task.status = TaskStatus.escalated if kind == VerdictKind.escalate else TaskStatus.decided
    task.lease_holder_id = None
    task.lease_expires_at = None
    task.updated_at = now
    session.flush()
    record(
        session,
        user,
        "task.verdict",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "verdict": kind.value,
            "verdict_id": row.id,
            "sentiment": sentiment,
            "relevant": relevant,
            "note": note or "",
        },
    )
    session.flush()
    return row


def release(
    session: Session, task: ReviewTask, user: User, now: datetime | None = None
) -> ReviewTask:
    """Give a held task back to the queue."""
    now = now or utcnow()
    _check_lease(task, user, now)
    task.status = TaskStatus.pending
    task.lease_holder_id = None
    task.lease_expires_at = None
    task.updated_at = now
    record(
        session,
        user,
        "task.release",
        "review_task",
        task.id,
        before={"status": TaskStatus.claimed},
        after={"status": TaskStatus.pending},
    )
    session.flush()
    return task
