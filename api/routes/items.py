from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from api.deps import MAX_ID, Id, SessionDep, require
from api.inputs import VnDateTime
from api.schemas import (
    AnalysisRead,
    ClusterRead,
    ItemDetail,
    ItemPage,
    ItemRead,
    ItemSummary,
    LabelsRead,
    Reason,
    SendToReviewRequest,
    TaskRead,
)
from core.errors import ItemNotFound
from core.items import ItemFilter, get_item, list_items
from core.labels import Labels
from core.permissions import Permission
from core.tables import Analysis, Item, ReviewTask, User
from core.vocabulary import Misinfo, Sentiment
from review import queue

router = APIRouter(prefix="/items", tags=["items"])
Reader = Annotated[User, Depends(require(Permission.read_items))]
Analyst = Annotated[User, Depends(require(Permission.escalations))]


def _summary(
    item: Item, analysis: Analysis | None, task: ReviewTask | None, labels: Labels
) -> ItemSummary:
    return ItemSummary(
        item=ItemRead.model_validate(item),
        analysis=AnalysisRead.model_validate(analysis) if analysis else None,
        labels=LabelsRead.model_validate(labels),
        task_status=task.status if task else None,
        task_id=task.id if task else None,
    )


@router.get("", response_model=ItemPage)
def items(
    session: SessionDep,
    _: Reader,
    since: VnDateTime | None = Query(
        None,
        description="Published (or fetched) at or after; ISO 8601, without an offset it is "
        "Vietnam time (UTC+7); years 1970-2100",
    ),
    until: VnDateTime | None = Query(
        None,
        description="Published (or fetched) before; ISO 8601, without an offset it is "
        "Vietnam time (UTC+7); years 1970-2100",
    ),
    feed_id: int | None = Query(None, ge=1, le=MAX_ID),
    relevant: bool | None = None,
    sentiment: Sentiment | None = None,
    misinfo: Misinfo | None = None,
    status: Literal["none", "pending", "claimed", "decided", "escalated"] | None = Query(
        None, description="Review status; none = never queued"
    ),
    q: str | None = Query(
        None, max_length=200, description="Words to find; accents and case are ignored"
    ),
    limit: int = Query(50, ge=1, le=200),
    before_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="Keyset cursor from the previous page"
    ),
) -> ItemPage:
    """Collected items, newest first, with their latest analysis and review status."""
    f = ItemFilter(since, until, feed_id, relevant, sentiment, misinfo, status, q)
    rows, cursor = list_items(session, f, limit=limit, before_id=before_id)
    return ItemPage(items=[_summary(*r) for r in rows], next_before_id=cursor)


@router.get("/{item_id}", response_model=ItemDetail)
def item(item_id: Id, session: SessionDep, _: Reader) -> ItemDetail:
    """One item: its analysis and reasons, the facts it contradicts, its near-duplicate cluster."""
    row = get_item(session, item_id)
    if row is None:
        raise ItemNotFound(f"Không có tin số {item_id}. (no item {item_id})")
    it, analysis, task, labels = row
    facts = [
        Reason.model_validate(r) for r in (analysis.reasons if analysis else []) if r.get("fact")
    ]
    return ItemDetail(
        **_summary(it, analysis, task, labels).model_dump(),
        cluster=ClusterRead.model_validate(it.cluster) if it.cluster else None,
        fact_differences=facts,
    )


@router.post("/{item_id}/review", response_model=TaskRead)
def send_to_review(
    analyst: Analyst, item_id: Id, session: SessionDep, body: SendToReviewRequest | None = None
) -> ReviewTask:
    """An analyst sends any item to review: a new task, or its decided/escalated task reopened
    (earlier verdicts kept; audited). 409 ``already_queued`` when it is already waiting."""
    it = session.get(Item, item_id)
    if it is None:
        raise ItemNotFound(f"Không có tin số {item_id}. (no item {item_id})")
    task = queue.send_to_review(session, it, analyst, body.note if body is not None else "")
    return queue.get_task(session, task.id)
