"""The analysts' item pages: look any item up (flagged or not; the same ``core.items`` query as
the API's ``/api/v1/items``), read one with its reasons and verdicts, override a decided item's
verdict with a reason, send any item to review."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import MAX_ID, Id, SessionDep
from api.web.pages.cards import item_view
from api.web.pages.respond import Analyst, ItemsReader, go, page, refused
from api.web.session import Csrf
from core import items
from core.errors import ItemNotFound
from core.tables import TaskStatus
from nlp.pipeline import CLASSIFIERS
from review import queue

router = APIRouter(include_in_schema=False)

ITEM_FILTERS = {
    "misinfo": CLASSIFIERS["misinfo"],
    "sentiment": CLASSIFIERS["sentiment"],
    "status": (*TaskStatus, "none"),  # none = never queued
}


@router.get("/items")
def items_page(
    request: Request,
    session: SessionDep,
    user: ItemsReader,
    q: Annotated[str, Query(max_length=200)] = "",
    misinfo: Annotated[str, Query(max_length=20)] = "",
    sentiment: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    chosen = {
        "misinfo": misinfo if misinfo in ITEM_FILTERS["misinfo"] else "",
        "sentiment": sentiment if sentiment in ITEM_FILTERS["sentiment"] else "",
        "status": status if status in ITEM_FILTERS["status"] else "",
    }
    found, next_before = items.list_items(
        session,
        items.ItemFilter(
            q=q.strip() or None,
            misinfo=chosen["misinfo"] or None,
            sentiment=chosen["sentiment"] or None,
            status=chosen["status"] or None,
        ),
        limit=30,
        before_id=before,
    )
    more = None
    if next_before is not None:
        more = "/items?" + urlencode({"q": q, **chosen, "before": next_before})
    return page(
        request,
        "items.html",
        user,
        rows=found,
        q=q,
        chosen=chosen,
        filters=ITEM_FILTERS,
        more=more,
    )


def _found(session: SessionDep, item_id: int) -> items.Row:
    """The item's row as the API's ``/api/v1/items/{id}`` reads it (``core.items.get_item``):
    ``(item, newest analysis, review task, labels as shown)``; ``NotFound`` (404) if none."""
    found = items.get_item(session, item_id)
    if found is None:
        raise ItemNotFound(f"Không có tin số {item_id}. (no item {item_id})")
    return found


@router.get("/items/{item_id}")
def item_page(
    item_id: Id, request: Request, session: SessionDep, user: ItemsReader
) -> HTMLResponse:
    item, analysis, task, labels = _found(session, item_id)
    return page(
        request,
        "item.html",
        user,
        card=item_view(item, analysis),
        labels=labels,
        task=task,
        verdicts=sorted(task.verdicts, key=lambda v: v.created_at) if task is not None else [],
        decided=task is not None and task.status in DECIDED,
        can_queue=item.purged_at is None and (task is None or task.status in DECIDED),
    )


DECIDED = (TaskStatus.decided, TaskStatus.escalated)


@router.post("/items/{item_id}/override")
def override_item(
    item_id: Id,
    session: SessionDep,
    user: Analyst,
    _: None = Csrf,
    verdict: Annotated[str, Form(max_length=30)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """An analyst's final decision on any decided (or escalated) item, with a reason."""
    task = _found(session, item_id)[2]
    here = f"/items/{item_id}"
    if task is None or task.status not in DECIDED:
        return go(here, "not_decided")
    if not reason.strip():
        return go(here, "reason_required")
    queue.override(session, task, user, verdict, reason.strip())
    return go(here, "overridden")


@router.post("/items/{item_id}/review")
def send_item_to_review(
    item_id: Id,
    session: SessionDep,
    user: Analyst,
    _: None = Csrf,
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """An analyst sends any item to the collaborators' queue (new or reopened task)."""
    item = _found(session, item_id)[0]
    here = f"/items/{item_id}"
    return refused(session, here, lambda: queue.send_to_review(session, item, user, note)) or go(
        here, "sent_to_review"
    )
