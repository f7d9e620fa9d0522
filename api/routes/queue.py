from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from api.deps import MAX_ID, Id, Reviewer, SessionDep, SettingsDep, TaskDep, require
from api.schemas import (
    ChangeVerdictRequest,
    OverrideRequest,
    SkipRequest,
    TaskRead,
    VerdictCreate,
    VerdictRead,
)
from core.errors import Forbidden
from core.permissions import Permission, allowed
from core.tables import ReviewTask, User, Verdict
from review import queue

router = APIRouter(tags=["queue"])
Analyst = Annotated[User, Depends(require(Permission.escalations))]


@router.post(
    "/queue/claim",
    response_model=TaskRead,
    responses={204: {"description": "Nothing left to review"}},
)
def claim(session: SessionDep, settings: SettingsDep, user: Reviewer) -> ReviewTask | Response:
    """Lease the highest-priority flagged item to the caller (204 when the queue is empty)."""
    task = queue.claim_next(session, user, settings)
    session.commit()  # before the response is checked in another thread (api.deps.get_session)
    return task if task is not None else Response(status_code=204)


@router.get("/tasks/{task_id}", response_model=TaskRead)
def get_task(task: TaskDep, user: Reviewer) -> ReviewTask:
    """A task with its item, analysis and reasons (the lease holder, or an analyst)."""
    if task.lease_holder_id != user.id and not allowed(user.role, Permission.escalations):
        raise Forbidden("Tin này đang do người khác xử lý. (Not your task.)")
    return task


def _verdict_read(row: Verdict, task: ReviewTask) -> VerdictRead:
    return VerdictRead(
        id=row.id,
        task_id=task.id,
        verdict=row.label,
        note=row.note,
        sentiment=row.sentiment,
        relevant=row.relevant,
        created_at=row.created_at,
        task_status=task.status,
        withdrawn_at=row.withdrawn_at,
    )


@router.post("/tasks/{task_id}/verdict", response_model=VerdictRead)
def verdict(
    task: TaskDep,
    body: VerdictCreate,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=64,
            pattern=r"^[\x21-\x7e]+$",  # printable ASCII, no spaces or control characters
            description="A key of the client's choosing for this one submission: a repeated "
            "request with the same key returns the verdict already stored (no second verdict).",
        ),
    ] = None,
) -> VerdictRead:
    """Record the lease holder's decision (409 for anyone else, after the lease expired, or
    when a simultaneous request already decided it)."""
    row = queue.decide(
        session,
        task,
        user,
        body.verdict,
        note=body.note,
        sentiment=body.sentiment,
        relevant=body.relevant,
        settings=settings,
        idempotency_key=idempotency_key,
    )
    session.commit()  # before the response is checked in another thread (api.deps.get_session)
    return _verdict_read(row, task)


@router.post("/tasks/{task_id}/release", response_model=TaskRead)
def release(task: TaskDep, session: SessionDep, user: Reviewer) -> ReviewTask:
    """Give a held task back to the queue."""
    return queue.release(session, task, user)


@router.post("/tasks/{task_id}/renew", response_model=TaskRead)
def renew(task: TaskDep, session: SessionDep, settings: SettingsDep, user: Reviewer) -> ReviewTask:
    """Extend the caller's lease (409 if it is not theirs or has expired)."""
    return queue.renew(session, task, user, settings)


@router.post("/tasks/{task_id}/skip", response_model=TaskRead)
def skip(task: TaskDep, body: SkipRequest, session: SessionDep, user: Reviewer) -> ReviewTask:
    """Pass on a held task, saying why; it goes back to the queue for others."""
    return queue.skip(session, task, user, body.reason)


@router.get("/escalations", response_model=list[TaskRead])
def list_escalations(
    session: SessionDep,
    _: Analyst,
    limit: int = Query(50, ge=1, le=200),
    after_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="Keyset cursor: the last id of the previous page"
    ),
) -> list[ReviewTask]:
    """Tasks escalated by collaborators (or by a two-person disagreement), oldest first."""
    return queue.escalations(session, limit, after_id)


# The analyst check comes first, so a collaborator learns nothing about which tasks exist.
@router.post("/tasks/{task_id}/override", response_model=VerdictRead)
def override(
    analyst: Analyst, task: TaskDep, body: OverrideRequest, session: SessionDep
) -> VerdictRead:
    """An analyst's final decision with a mandatory reason (audited; earlier verdicts are kept)."""
    row = queue.override(
        session,
        task,
        analyst,
        body.verdict,
        body.reason,
        sentiment=body.sentiment,
        relevant=body.relevant,
    )
    return _verdict_read(row, task)


@router.post("/verdicts/{verdict_id}/undo", response_model=TaskRead)
def undo(verdict_id: Id, session: SessionDep, settings: SettingsDep, user: Reviewer) -> ReviewTask:
    """Undo one's own verdict within ``undo_seconds`` (default 10 s): it is kept, marked
    withdrawn, and the task comes back to the caller with a fresh lease. 409 ``undo_too_late``
    after the window, ``task_moved_on`` when someone acted on the task since."""
    return queue.undo(session, queue.get_verdict(session, verdict_id), user, settings)


@router.post("/verdicts/{verdict_id}/change", response_model=VerdictRead)
def change(
    verdict_id: Id,
    body: ChangeVerdictRequest,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
) -> VerdictRead:
    """Replace one's own verdict with a reason, until an analyst has acted on the task (409
    ``analyst_decided``); the old verdict is kept, marked replaced, and the task's status is
    recomputed (two-person rule included)."""
    old = queue.get_verdict(session, verdict_id)
    row = queue.change_verdict(session, old, user, body.verdict, body.reason, settings=settings)
    return _verdict_read(row, old.task)
