from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import Reviewer, SessionDep, SettingsDep, TaskDep
from api.schemas import TaskRead, VerdictCreate, VerdictRead
from core.errors import DomainError
from core.permissions import Permission, allowed
from core.tables import ReviewTask
from review import queue

router = APIRouter(tags=["queue"])


@router.post(
    "/queue/claim",
    response_model=TaskRead,
    responses={204: {"description": "Nothing left to review"}},
)
def claim(session: SessionDep, settings: SettingsDep, user: Reviewer) -> ReviewTask | Response:
    """Lease the highest-priority flagged item to the caller (204 when the queue is empty)."""
    task = queue.claim_next(session, user, settings)
    return task if task is not None else Response(status_code=204)


@router.get("/tasks/{task_id}", response_model=TaskRead)
def get_task(task: TaskDep, user: Reviewer) -> ReviewTask:
    """A task with its item, analysis and reasons (the lease holder, or an analyst)."""
    if task.lease_holder_id != user.id and not allowed(user.role, Permission.escalations):
        raise DomainError(
            "Tin này đang do người khác xử lý. (Not your task.)", code="forbidden", status_code=403
        )
    return task


@router.post("/tasks/{task_id}/verdict", response_model=VerdictRead)
def verdict(task: TaskDep, body: VerdictCreate, session: SessionDep, user: Reviewer) -> VerdictRead:
    """Record the lease holder's decision (409 for anyone else or after the lease expired)."""
    row = queue.decide(
        session,
        task,
        user,
        body.verdict,
        note=body.note,
        sentiment=body.sentiment,
        relevant=body.relevant,
    )
    return VerdictRead(
        id=row.id,
        task_id=task.id,
        verdict=row.verdict,
        note=row.note,
        sentiment=row.sentiment,
        relevant=row.relevant,
        created_at=row.created_at,
        task_status=task.status,
    )


@router.post("/tasks/{task_id}/release", response_model=TaskRead)
def release(task: TaskDep, session: SessionDep, user: Reviewer) -> ReviewTask:
    """Give a held task back to the queue."""
    return queue.release(session, task, user)
