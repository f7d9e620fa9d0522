"""Leases: a reviewer claims the next task open to them, holds it while reading (renew), and gives
it back (skip, release); a lease that runs out returns the task to the queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, NotFound, ReasonRequired
from core.tables import (
    Item,
    Report,
    ReportSubmitter,
    ReviewTask,
    TaskSkip,
    TaskStatus,
    User,
    Verdict,
)

# What a reviewer's screen needs with a task, loaded in the same query.
TASK_LOADS = (
    joinedload(ReviewTask.item),
    joinedload(ReviewTask.analysis),
    joinedload(ReviewTask.cluster),
)


class TaskNotFound(NotFound):
    """No review task has this id."""

    code = "task_not_found"


class LeaseError(Conflict):
    code = "not_lease_holder"


class LeaseExpired(LeaseError):
    """The reviewer's lease on the task ran out (someone else may hold it now)."""

    code = "lease_expired"


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        ReviewTask.status == TaskStatus.pending,
        and_(ReviewTask.status == TaskStatus.claimed, ReviewTask.lease_expires_at < now),
    )


def _open_to(user_id: Any) -> tuple[Any, Any, Any]:
    """The conditions for a task the user ``user_id`` (an id, or a bound parameter) may be
    offered: neither skipped nor judged by them, nor of a story they reported themselves (the
    task's item, or an item of its cluster, is one of their reports: a report is reviewed by
    another collaborator)."""
    reported = aliased(Item)
    return (
        ~select(ReportSubmitter.report_id)
        .join(Report, Report.id == ReportSubmitter.report_id)
        .join(reported, reported.id == Report.item_id)
        .where(
            ReportSubmitter.user_id == user_id,
            or_(
                reported.id == ReviewTask.item_id,
                and_(
                    ReviewTask.cluster_id.is_not(None),
                    reported.cluster_id == ReviewTask.cluster_id,
                ),
            ),
        )
        .exists(),
        ~select(TaskSkip.id)
        .where(TaskSkip.task_id == ReviewTask.id, TaskSkip.user_id == user_id)
        .exists(),
        ~select(Verdict.id)
        .where(
            Verdict.task_id == ReviewTask.id,
            Verdict.reviewer_id == user_id,
            Verdict.withdrawn_at.is_(None),
        )
        .exists(),
    )


@cache
def _candidate_query(expired: bool, skip_locked: bool) -> Select[float, int]:
    """The query for the best pending task (``expired`` False) or the best task whose lease ran
    out before ``:now`` (True) that the user ``:user_id`` neither skipped nor judged, built once
    per process: a claim binds only the user and the time (building the statement cost a fifth
    of a claim's time)."""
    state = (
        and_(
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_expires_at < bindparam("now"),
        )
        if expired
        else ReviewTask.status == TaskStatus.pending
    )
    query = (
        select(ReviewTask.priority, ReviewTask.id)
        .where(state)
        .where(*_open_to(bindparam("user_id")))
        .order_by(ReviewTask.priority.desc(), ReviewTask.id.desc())
        .limit(1)
    )
    return query.with_for_update(skip_locked=True) if skip_locked else query


def _candidate(
    session: Session, user: User, now: datetime, *, expired: bool
) -> tuple[float, int] | None:
    """(priority, id) of the best task ``user`` neither skipped nor judged: a pending one, or
    (``expired``) one whose lease ran out before ``now``.

    Ties go to the newer task (``id DESC``), so the walk runs backwards along
    ``ix_review_task_claim``; on PostgreSQL the row is taken ``FOR UPDATE SKIP LOCKED``.
    """
    query = _candidate_query(expired, session.get_bind().dialect.name == "postgresql")
    params: dict[str, Any] = {"user_id": user.id}
    if expired:
        params["now"] = now
    row = session.execute(query, params).first()
    return (row[0], row[1]) if row is not None else None


def pending_count(session: Session) -> int:
    """How many tasks wait for anyone: status ``pending`` (a claimed task is not counted, even
    once its lease has run out) — the queue's depth on the queue page. Raises nothing."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewTask)
            .where(ReviewTask.status == TaskStatus.pending)
        )
        or 0
    )


def claimable_count(session: Session, user: User, now: datetime | None = None) -> int:
    """How many tasks ``user`` could claim now: pending or with an expired lease, neither
    skipped nor already judged by them (what "Còn n tin" means to that person)."""
    now = now or utcnow()
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewTask)
            .where(_claimable(now))
            .where(*_open_to(user.id))
        )
        or 0
    )


def get_task(session: Session, task_id: int) -> ReviewTask:
    """A task with its item, analysis and cluster (``NotFound`` if there is none)."""
    task = session.get(ReviewTask, task_id, options=TASK_LOADS)
    if task is None:
        raise TaskNotFound(f"Không có lượt rà soát số {task_id}. (no task {task_id})")
    return task


def held_task(session: Session, user: User, now: datetime | None = None) -> ReviewTask | None:
    """The task whose live lease ``user`` holds, if any."""
    return session.scalar(
        select(ReviewTask)
        .options(*TASK_LOADS)
        .where(
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.lease_expires_at >= (now or utcnow()),
        )
        .limit(1)
    )


def claim_next(
    session: Session, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask | None:
    """Lease the highest-priority claimable task to ``user``; ``None`` when nothing is left.

    A reviewer who already holds a live lease gets that task back. The lease is taken with a
    compare-and-set UPDATE, so two reviewers can never hold one task, on SQLite or PostgreSQL;
    on PostgreSQL the candidate is also picked with ``FOR UPDATE SKIP LOCKED``. One reviewer
    never holds two leases: the database refuses it (``uq_review_task_one_lease``), so of two
    simultaneous claims by one person the second gets the first one's task.
    """
    now = now or utcnow()
    held = held_task(session, user, now)
    if held is not None:
        return held
    # The caller's own expired lease goes back to the queue first (it would count as held).
    session.execute(
        update(ReviewTask)
        .where(
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_expires_at < now,
        )
        .values(status=TaskStatus.pending, lease_holder_id=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    expires = now + timedelta(minutes=settings.lease_minutes)
    for _ in range(20):
        # Two index walks instead of one OR (which makes the database sort the whole queue):
        # the best pending task, and the best task whose lease ran out.
        found = [
            row
            for row in (
                _candidate(session, user, now, expired=False),
                _candidate(session, user, now, expired=True),
            )
            if row is not None
        ]
        if not found:
            return None
        task_id = max(found)[1]
        try:
            with session.begin_nested():
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
        except IntegrityError:
            # A simultaneous claim of the same person won: theirs is the one lease.
            return _held_after_race(session, user, now)
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            task = session.get(ReviewTask, task_id, populate_existing=True, options=TASK_LOADS)
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


def _held_after_race(session: Session, user: User, now: datetime) -> ReviewTask | None:
    """The lease a simultaneous request of ``user`` took (committed by now: the unique index
    waited for it)."""
    session.expire_all()
    return held_task(session, user, now)


def check_lease(task: ReviewTask, user: User, now: datetime) -> None:
    """Raise ``LeaseError`` (409) unless ``user`` holds ``task``'s lease and it has not run out."""
    if task.status != TaskStatus.claimed or task.lease_holder_id != user.id:
        raise LeaseError(
            "Bạn không giữ tin này: hãy nhận tin mới. (You do not hold this task's lease.)"
        )
    if task.lease_expires_at is None or task.lease_expires_at < now:
        raise LeaseExpired(
            "Thời gian giữ tin đã hết, tin đã trở lại hàng đợi. (Your lease expired.)",
        )


def held_update(
    session: Session, task: ReviewTask, user: User, now: datetime, **values: Any
) -> None:
    """Change ``task`` only while ``user`` holds its live lease, in one compare-and-set UPDATE
    (a verdict, skip, release or renew racing another of them: one wins, the others get
    ``LeaseError``); the task object is refreshed from the database."""
    check_lease(task, user, now)
    done = session.execute(
        update(ReviewTask)
        .where(
            ReviewTask.id == task.id,
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.lease_expires_at >= now,
        )
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.expire_all()
        raise LeaseError(
            "Tin này vừa được xử lý hoặc đã hết thời gian giữ. "
            "(The task was decided meanwhile or your lease ended.)"
        )
    session.refresh(task)


def renew(
    session: Session, task: ReviewTask, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask:
    """Extend the caller's live lease by ``lease_minutes`` from now."""
    now = now or utcnow()
    held_update(
        session, task, user, now, lease_expires_at=now + timedelta(minutes=settings.lease_minutes)
    )
    assert task.lease_expires_at is not None
    record(
        session,
        user,
        "task.renew",
        "review_task",
        task.id,
        after={"lease_expires_at": task.lease_expires_at.isoformat()},
    )
    session.flush()
    return task


def skip(
    session: Session, task: ReviewTask, user: User, reason: str, now: datetime | None = None
) -> ReviewTask:
    """Give the task back with a reason; the caller is not offered it again."""
    now = now or utcnow()
    if not reason.strip():
        raise ReasonRequired("Hãy ghi lý do bỏ qua. (A reason is required.)")
    held_update(
        session,
        task,
        user,
        now,
        status=TaskStatus.pending,
        lease_holder_id=None,
        lease_expires_at=None,
    )
    session.add(TaskSkip(task_id=task.id, user_id=user.id, reason=reason.strip(), created_at=now))
    record(
        session,
        user,
        "task.skip",
        "review_task",
        task.id,
        before={"status": TaskStatus.claimed},
        after={"status": TaskStatus.pending, "reason": reason.strip()},
    )
    session.flush()
    return task


def release(
    session: Session, task: ReviewTask, user: User, now: datetime | None = None
) -> ReviewTask:
    """Give a held task back to the queue."""
    now = now or utcnow()
    held_update(
        session,
        task,
        user,
        now,
        status=TaskStatus.pending,
        lease_holder_id=None,
        lease_expires_at=None,
    )
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
