"""Verdicts: a reviewer decides the task they hold (the two-person rule for a flag), an analyst
decides an escalated one (override); every decision audited and idempotent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, Invalid, ReasonRequired
from core.tables import (
    ReviewTask,
    TaskStatus,
    User,
    Verdict,
    VerdictKind,
    VerdictLabel,
)
from review.leases import TASK_LOADS, check_lease, held_update


class IdempotencyKeyReused(Invalid):
    """An Idempotency-Key already used for a different verdict."""

    code = "idempotency_key_reused"


class AlreadyDecided(Conflict):
    """The task was decided meanwhile."""

    code = "already_decided"


class BadVerdict(Invalid):
    """A verdict label that is not one of ``VerdictLabel`` (or not allowed here)."""

    code = "bad_verdict"


def verdict_label(verdict: str) -> VerdictLabel:
    """``verdict`` as a ``VerdictLabel``; raises ``DomainError`` (422) for any other word."""
    try:
        return VerdictLabel(verdict)
    except ValueError as exc:
        raise BadVerdict(
            f"Kết luận không hợp lệ: {verdict!r}. (unknown verdict {verdict!r})",
        ) from exc


def decide(
    session: Session,
    task: ReviewTask,
    user: User,
    verdict: str,
    *,
    note: str = "",
    sentiment: str | None = None,
    relevant: bool | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
) -> Verdict:
    """Record the lease holder's verdict; ``escalate`` sends the task to analysts.

    The verdict ends the lease with one compare-and-set UPDATE on (status, lease holder, lease
    expiry): of simultaneous submissions exactly one is stored, the others — and a verdict that
    loses the race with the lease's expiry — get ``LeaseError`` (409). A repeated request with
    the same ``idempotency_key`` (at most 64 characters) returns the verdict already stored.

    With the two-person rule on, a ``distortion`` or ``scam`` verdict counts once a second,
    different collaborator agrees: until then the task goes back to the queue (not to the same
    person); a disagreement sends it to the analysts.
    """
    now = now or utcnow()
    kind = verdict_label(verdict)
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()[:64] or None
    done = _replayed(session, user, idempotency_key, task, kind)
    if done is not None:
        return done
    try:
        _, before = _end_lease(session, task, user, kind, settings, now)
    except Conflict:
        # a simultaneous request with the same key may have stored it meanwhile
        done = _replayed(session, user, idempotency_key, task, kind)
        if done is not None:
            return done
        raise
    row = Verdict(
        task_id=task.id,
        reviewer_id=user.id,
        label=kind,
        note=note or "",
        sentiment=sentiment,
        relevant=relevant,
        created_at=now,
        idempotency_key=idempotency_key,
    )
    session.add(row)
    session.flush()
    session.refresh(task)
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


def _end_lease(
    session: Session,
    task: ReviewTask,
    user: User,
    kind: VerdictLabel,
    settings: Settings | None,
    now: datetime,
) -> tuple[str, dict[str, Any]]:
    """End ``user``'s lease on ``task`` for a verdict ``kind`` with one compare-and-set UPDATE:
    (the task's new status, its state before), or ``LeaseError``/``Conflict`` when the lease is
    not (or no longer) the caller's or the caller already judged the task."""
    check_lease(task, user, now)
    if session.scalar(
        select(Verdict.id).where(
            Verdict.task_id == task.id,
            Verdict.reviewer_id == user.id,
            Verdict.kind == VerdictKind.review,
            Verdict.withdrawn_at.is_(None),
        )
    ):
        raise AlreadyDecided(
            "Bạn đã cho ý kiến về tin này. (You already gave a verdict on this task.)",
        )
    before = {"status": task.status, "lease_holder_id": task.lease_holder_id}
    status = status_after(session, task, user, kind, settings)
    held_update(
        session, task, user, now, status=status, lease_holder_id=None, lease_expires_at=None
    )
    return status, before


def _replayed(
    session: Session, user: User, key: str | None, task: ReviewTask, kind: VerdictLabel
) -> Verdict | None:
    """The verdict ``user`` already stored under ``key`` for this same submission (this task,
    this verdict), if any; ``DomainError`` 422 ``idempotency_key_reused`` when the key was used
    for another task or another verdict (never answer with another submission's verdict)."""
    if key is None:
        return None
    done = session.scalar(
        select(Verdict).where(Verdict.reviewer_id == user.id, Verdict.idempotency_key == key)
    )
    if done is not None and (done.task_id != task.id or done.label != kind.value):
        raise IdempotencyKeyReused(
            "Khóa gửi (Idempotency-Key) này đã được dùng cho một kết luận khác. "
            "(This Idempotency-Key was already used for another verdict.)",
        )
    return done


def status_after(
    session: Session, task: ReviewTask, user: User, kind: VerdictLabel, settings: Settings | None
) -> str:
    """The task's status once ``user``'s verdict ``kind`` is stored. Under the two-person rule
    the latest standing (not withdrawn) review verdict of the *other* reviewers counts as the
    earlier opinion."""
    if kind == VerdictLabel.escalate:
        return TaskStatus.escalated
    if settings is None or not settings.two_person_rule:
        return TaskStatus.decided
    earlier = session.scalars(
        select(Verdict)
        .where(
            Verdict.task_id == task.id,
            Verdict.kind == VerdictKind.review,
            Verdict.reviewer_id != user.id,
            Verdict.withdrawn_at.is_(None),
        )
        .order_by(Verdict.id)
    ).all()
    if not earlier:
        return (
            TaskStatus.pending
            if kind in (VerdictLabel.distortion, VerdictLabel.scam)
            else TaskStatus.decided
        )
    return TaskStatus.decided if earlier[-1].label == kind.value else TaskStatus.escalated


def escalations(session: Session, limit: int = 50, after_id: int | None = None) -> list[ReviewTask]:
    """Escalated tasks, oldest first (keyset pagination by id)."""
    query = (
        select(ReviewTask)
        .options(*TASK_LOADS, selectinload(ReviewTask.verdicts))
        .where(ReviewTask.status == TaskStatus.escalated)
        .order_by(ReviewTask.id)
        .limit(limit)
    )
    if after_id is not None:
        query = query.where(ReviewTask.id > after_id)
    return list(session.scalars(query))


def override(
    session: Session,
    task: ReviewTask,
    analyst: User,
    verdict: str,
    reason: str,
    *,
    sentiment: str | None = None,
    relevant: bool | None = None,
    now: datetime | None = None,
) -> Verdict:
    """An analyst's final decision on any task, with a mandatory reason; nothing is deleted."""
    now = now or utcnow()
    if not reason.strip():
        raise ReasonRequired(
            "Hãy ghi lý do. (A reason is required to override.)",
        )
    kind = verdict_label(verdict)
    if kind == VerdictLabel.escalate:
        raise BadVerdict(
            "Quyết định cuối cùng phải là sai lệch, lừa đảo hoặc không có vấn đề. "
            "(an override decides: distortion, scam or not_misinformation)",
        )
    standing = [v for v in task.verdicts if v.standing]
    before = {
        "status": task.status,
        "lease_holder_id": task.lease_holder_id,
        "last_verdict": standing[-1].label if standing else None,
    }
    row = Verdict(
        task=task,
        reviewer_id=analyst.id,
        label=kind,
        kind=VerdictKind.override,
        note=reason.strip(),
        sentiment=sentiment,
        relevant=relevant,
        created_at=now,
    )
    session.add(row)
    task.status, task.lease_holder_id, task.lease_expires_at, task.updated_at = (
        TaskStatus.decided,
        None,
        None,
        now,
    )
    session.flush()
    record(
        session,
        analyst,
        "task.override",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "verdict": kind.value,
            "verdict_id": row.id,
            "reason": reason.strip(),
        },
    )
    session.flush()
    return row
