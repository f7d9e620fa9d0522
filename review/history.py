"""A verdict taken back or changed: undo within its window, a change with a reason, a task sent
back to review."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound, ReasonRequired
from core.tables import (
    Analysis,
    Item,
    ReviewTask,
    TaskStatus,
    User,
    Verdict,
    VerdictKind,
)
from review.leases import held_task, release
from review.triage import priority
from review.verdicts import status_after, verdict_label

# --- taking a verdict back -------------------------------------------------------------------

UNDO_SLACK_S = 3.0  # the undo window's allowance for a slow network, on top of undo_seconds


class AlreadyQueued(Conflict):
    """The item's task is already waiting for a decision."""

    code = "already_queued"


class TextPurged(Conflict):
    """The item's text was purged past retention: there is nothing to review."""

    code = "text_purged"


class TaskBusy(Conflict):
    """Another reviewer holds the task's lease."""

    code = "task_busy"


class AnalystDecided(Conflict):
    """An analyst's override stands on the task: a reviewer's verdict can no longer change."""

    code = "analyst_decided"


class SameVerdict(Invalid):
    """A change of verdict to the label it already has."""

    code = "same_verdict"


class UndoTooLate(Conflict):
    """The undo window (``DULUAN_UNDO_SECONDS``) has passed."""

    code = "undo_too_late"


class TaskMovedOn(Conflict):
    """Someone acted on the task after this verdict: it can no longer be undone or changed."""

    code = "task_moved_on"


class VerdictWithdrawn(Conflict):
    """The verdict was already undone or replaced."""

    code = "verdict_withdrawn"


class VerdictNotFound(NotFound):
    """No verdict has this id."""

    code = "verdict_not_found"


def get_verdict(session: Session, verdict_id: int) -> Verdict:
    """A verdict with its task (``NotFound`` if there is none)."""
    row = session.get(Verdict, verdict_id, options=[joinedload(Verdict.task)])
    if row is None:
        raise VerdictNotFound(
            f"Không có kết luận số {verdict_id}. (no verdict {verdict_id})",
        )
    return row


def undo_left(verdict: Verdict, settings: Settings, now: datetime | None = None) -> float:
    """Seconds left (≥ 0) in which ``verdict``'s reviewer may still undo it, as shown to them
    (``undo_seconds`` after it was given; the server adds ``UNDO_SLACK_S`` when it checks)."""
    now = now or utcnow()
    return max(0.0, settings.undo_seconds - (now - verdict.created_at).total_seconds())


def _own_standing_review(verdict: Verdict, user: User) -> None:
    """Refuse unless ``verdict`` is ``user``'s own review verdict and still stands."""
    if verdict.reviewer_id != user.id or verdict.kind != VerdictKind.review:
        raise Forbidden(
            "Đây không phải kết luận của bạn. (Not your verdict.)",
        )
    if not verdict.standing:
        raise VerdictWithdrawn(
            "Kết luận này đã được hoàn tác hoặc thay bằng kết luận khác. "
            "(This verdict was already undone or replaced.)",
        )


def _touch_if_unchanged(
    session: Session, task: ReviewTask, since: datetime, now: datetime, **values: Any
) -> None:
    """Change ``task`` only if nobody acted on it after ``since`` (its ``updated_at``, which
    every claim, verdict, skip, release, renew and override sets), in one compare-and-set
    UPDATE; ``Conflict`` ``task_moved_on`` otherwise."""
    done = session.execute(
        update(ReviewTask)
        .where(ReviewTask.id == task.id, ReviewTask.updated_at <= since)
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.expire_all()
        raise TaskMovedOn(
            "Đã có người khác xử lý tin này sau kết luận của bạn nên không thể đổi nữa. "
            "(Someone else acted on this task since your verdict.)",
        )
    session.refresh(task)


def undo(
    session: Session, verdict: Verdict, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask:
    """Withdraw ``user``'s own verdict within the undo window and give them the task back.

    The verdict is kept, marked withdrawn (``withdrawn_at``; its idempotency key is cleared,
    so the same submission sent again is a new verdict); the task returns to ``user``
    with a fresh lease of ``lease_minutes`` so its card shows again. A lease ``user`` holds on
    another task (the next one, claimed after the verdict) goes back to the queue first — one
    lease per reviewer. Refused with ``Conflict`` (409): ``undo_too_late`` once
    ``undo_seconds`` + ``UNDO_SLACK_S`` have passed, ``task_moved_on`` when anyone acted on the
    task since (a claim, another verdict, an override…), ``verdict_withdrawn`` when it no longer
    stands; ``DomainError`` 403 for someone else's verdict. Audited as ``task.undo`` with the old
    verdict.
    """
    now = now or utcnow()
    _own_standing_review(verdict, user)
    if (now - verdict.created_at).total_seconds() > settings.undo_seconds + UNDO_SLACK_S:
        raise UndoTooLate(
            "Đã quá thời gian hoàn tác. Bạn vẫn có thể đổi kết luận trong mục «Đã làm». "
            "(The undo window has passed.)",
        )
    task = verdict.task
    if task.updated_at > verdict.created_at or any(v.id > verdict.id for v in task.verdicts):
        raise TaskMovedOn(
            "Đã có người khác xử lý tin này sau kết luận của bạn nên không thể hoàn tác. "
            "(Someone else acted on this task since your verdict.)",
        )
    other = held_task(session, user, now)
    if other is not None and other.id != task.id:
        release(session, other, user, now)
    before = {"status": task.status, "verdict": verdict.label, "verdict_id": verdict.id}
    expires = now + timedelta(minutes=settings.lease_minutes)
    _touch_if_unchanged(
        session,
        task,
        verdict.created_at,
        now,
        status=TaskStatus.claimed,
        lease_holder_id=user.id,
        lease_expires_at=expires,
    )
    verdict.withdrawn_at = now
    # its submission key no longer answers: the same form sent again is a new verdict
    verdict.idempotency_key = None
    record(
        session,
        user,
        "task.undo",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "withdrawn_verdict_id": verdict.id,
            "lease_expires_at": expires.isoformat(),
        },
    )
    session.flush()
    return task


def change_verdict(
    session: Session,
    verdict: Verdict,
    user: User,
    new_verdict: str,
    reason: str,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Verdict:
    """Replace ``user``'s own standing verdict by ``new_verdict``, saying why (from "Đã làm").

    Allowed until an analyst has acted on the task (an override): then ``Conflict``
    ``analyst_decided``. Also refused while someone else holds a live lease on the task
    (``Conflict`` ``task_busy``), for the same verdict again (422 ``same_verdict``), without a
    reason (422 ``reason_required``) and for someone else's verdict (403). The old verdict is
    kept, marked withdrawn with ``replaced_by_id``; the new one (its note is the reason) takes
    its place and the task's status is recomputed as for a new verdict (two-person rule
    included: it may go back to the queue, be decided or go to the analysts). Audited as
    ``task.verdict_change`` with the old and new verdict and the reason. Returns the new verdict.
    """
    now = now or utcnow()
    _own_standing_review(verdict, user)
    reason = reason.strip()
    if not reason:
        raise ReasonRequired(
            "Hãy ghi lý do đổi kết luận. (A reason is required.)",
        )
    kind = verdict_label(new_verdict)
    if kind.value == verdict.label:
        raise SameVerdict(
            "Kết luận mới giống kết luận cũ. (The new verdict is the same as the old one.)",
        )
    task = verdict.task
    if any(v.kind == VerdictKind.override for v in task.verdicts):
        raise AnalystDecided(
            "Chuyên viên đã quyết định về tin này nên không thể đổi kết luận nữa. "
            "(An analyst has already decided this task.)",
        )
    if (
        task.status == TaskStatus.claimed
        and task.lease_holder_id not in (None, user.id)
        and task.lease_expires_at is not None
        and task.lease_expires_at >= now
    ):
        raise TaskBusy(
            "Tin này đang được người khác xem; hãy thử lại sau ít phút. "
            "(Someone else is reviewing this task now.)",
        )
    before = {"status": task.status, "verdict": verdict.label, "verdict_id": verdict.id}
    seen = task.updated_at
    verdict.withdrawn_at = now
    verdict.idempotency_key = None  # an old form sent again must not answer with this one
    session.flush()  # the old verdict no longer counts when the status is recomputed
    status = status_after(session, task, user, kind, settings)
    row = Verdict(
        task_id=task.id,
        reviewer_id=user.id,
        label=kind,
        note=reason,
        sentiment=verdict.sentiment,
        relevant=verdict.relevant,
        created_at=now,
    )
    session.add(row)
    _touch_if_unchanged(
        session,
        task,
        seen,
        now,
        status=status,
        lease_holder_id=None,
        lease_expires_at=None,
    )
    verdict.replaced_by_id = row.id
    record(
        session,
        user,
        "task.verdict_change",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "verdict": kind.value,
            "verdict_id": row.id,
            "reason": reason,
        },
    )
    session.flush()
    return row


def send_to_review(
    session: Session,
    item: Item,
    analyst: User,
    note: str = "",
    now: datetime | None = None,
) -> ReviewTask:
    """An analyst sends ``item`` to review: a new pending task (``reason`` "analyst"), or its
    decided or escalated task reopened (pending, earlier verdicts kept). Its priority is that
    of the highest risk (1.0 × recency × reach), so it comes before the machine's flags.

    ``Conflict`` ``already_queued`` when its task is already waiting or being reviewed;
    ``Conflict`` ``text_purged`` when its text was blanked by retention (``core.retention``):
    nothing is left to review. Audited as ``task.send_to_review`` (with the note, if any).
    """
    now = now or utcnow()
    if item.purged_at is not None:
        raise TextPurged(
            "Nội dung tin này đã xoá theo thời hạn lưu trữ, không còn gì để rà soát. "
            "(This item's text was removed under the retention policy.)",
        )
    task = session.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
    if task is not None and task.status in (TaskStatus.pending, TaskStatus.claimed):
        raise AlreadyQueued(
            "Tin này đang chờ hoặc đang được rà soát. (This item is already in the queue.)",
        )
    source_count = item.cluster.source_count if item.cluster is not None else 1
    weight = priority(1.0, item.published_at or item.fetched_at, now, source_count)
    before: dict[str, Any] | None = None
    if task is None:
        analysis_id = session.scalar(
            select(Analysis.id)
            .where(Analysis.item_id == item.id)
            .order_by(Analysis.id.desc())
            .limit(1)
        )
        task = ReviewTask(
            item_id=item.id,
            analysis_id=analysis_id,
            cluster_id=item.cluster_id,
            reason="analyst",
            status=TaskStatus.pending,
            created_at=now,
            updated_at=now,
            priority=weight,
        )
        session.add(task)
    else:
        before = {"status": task.status, "reason": task.reason}
        task.status, task.reason, task.priority = TaskStatus.pending, "analyst", weight
        task.lease_holder_id, task.lease_expires_at, task.updated_at = None, None, now
    session.flush()
    record(
        session,
        analyst,
        "task.send_to_review",
        "review_task",
        task.id,
        before=before,
        after={"status": task.status, "item_id": item.id, "note": note.strip()},
    )
    session.flush()
    return task
