"""The reviewers' pages: the queue and its card (claim, verdict, undo, skip, release, renew),
"Đã làm" (this week's verdicts, change one with a reason) and the analysts' escalations (override
with a reason). Each route reads the form, calls ``review.queue`` and redirects or renders."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api.deps import MAX_ID, Id, SessionDep, SettingsDep
from api.web.pages.cards import task_card
from api.web.pages.respond import Analyst, Reviewer, go, page, refused
from api.web.session import Csrf
from core.calendar import Week
from core.db import utcnow
from core.errors import DomainError
from core.tables import User, Verdict
from core.vocabulary import VERDICTS
from review import queue

router = APIRouter(include_in_schema=False)


def _undo_offer(
    session: SessionDep, settings: SettingsDep, user: User, verdict_id: str | None
) -> dict[str, Any] | None:
    """The undo banner for the verdict ``user`` just gave (``?undo=<id>``), while its window
    lasts and nobody acted on the task since; ``None`` otherwise."""
    if not verdict_id or not verdict_id.isdigit() or int(verdict_id) > MAX_ID:
        return None
    offer = queue.undo_offer(session, user, int(verdict_id), settings)
    if offer is None:
        return None
    item = offer.verdict.task.item
    return {
        "id": offer.verdict.id,
        "verdict": offer.verdict.label,
        "title": (item.title or item.text or "")[:100],
        "seconds": math.ceil(offer.seconds_left),
    }


@router.get("/queue")
def queue_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: Reviewer
) -> HTMLResponse:
    task = queue.held_task(session, user)
    depth = queue.pending_count(session)
    mine = queue.claimable_count(session, user)
    return page(
        request,
        "queue.html",
        user,
        card=task_card(task) if task is not None else None,
        depth=mine,
        others=max(0, depth - mine),
        empty=request.query_params.get("empty") == "1",
        undo=_undo_offer(session, settings, user, request.query_params.get("undo")),
    )


@router.post("/queue/claim")
def claim(session: SessionDep, settings: SettingsDep, user: Reviewer, _: None = Csrf) -> Response:
    task = queue.claim_next(session, user, settings)
    return RedirectResponse("/queue" if task is not None else "/queue?empty=1", status_code=303)


def _lease_problem(exc: DomainError) -> str:
    return "lease_expired" if isinstance(exc, queue.LeaseExpired) else "not_holder"


def _on_held_task(action: Callable[[], object]) -> Response | None:
    """Run an action on the caller's task: ``None`` when done, else a page that explains the
    lost or expired lease (not a bare 409)."""
    try:
        action()
    except DomainError as exc:
        if exc.status_code == 409:
            return go("/queue", _lease_problem(exc))
        raise
    return None


@router.post("/tasks/{task_id}/verdict")
def verdict(
    task_id: Id,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
    _: None = Csrf,
    verdict: Annotated[str, Form(max_length=30)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    sentiment: Annotated[str, Form(max_length=10)] = "",
    submission: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    task = queue.get_task(session, task_id)
    given: list[Verdict] = []
    problem = _on_held_task(
        lambda: given.append(
            queue.decide(
                session,
                task,
                user,
                verdict,
                note=note.strip(),
                sentiment=sentiment if sentiment in {"negative", "neutral", "positive"} else None,
                settings=settings,
                # one key per rendered card: a double tap or a resent form stores one verdict
                idempotency_key=submission or None,
            )
        )
    )
    if problem is not None:
        return problem
    session.commit()  # the verdict stands even if claiming the next task fails
    following = queue.claim_next(session, user, settings)
    # the next page offers to undo it ("Hoàn tác") for settings.undo_seconds
    return go("/queue", "saved_next" if following is not None else "saved", undo=given[0].id)


@router.post("/verdicts/{verdict_id}/undo")
def undo(
    verdict_id: Id, session: SessionDep, settings: SettingsDep, user: Reviewer, _: None = Csrf
) -> Response:
    """Undo the verdict just given: its task comes back to the caller's screen."""
    verdict = queue.get_verdict(session, verdict_id)
    return refused(session, "/queue", lambda: queue.undo(session, verdict, user, settings)) or go(
        "/queue", "undone"
    )


@router.post("/verdicts/{verdict_id}/change")
def change_verdict(
    verdict_id: Id,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
    _: None = Csrf,
    verdict: Annotated[str, Form(max_length=30)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Replace one's own verdict from "Đã làm", with a reason."""
    old = queue.get_verdict(session, verdict_id)
    return refused(
        session,
        "/history",
        lambda: queue.change_verdict(session, old, user, verdict, reason, settings=settings),
    ) or go("/history", "verdict_changed")


@router.post("/tasks/{task_id}/skip")
def skip(
    task_id: Id,
    session: SessionDep,
    user: Reviewer,
    _: None = Csrf,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    if not reason.strip():
        return go("/queue", "reason_required")
    task = queue.get_task(session, task_id)
    return _on_held_task(lambda: queue.skip(session, task, user, reason.strip())) or go(
        "/queue", "skipped"
    )


@router.post("/tasks/{task_id}/release")
def release(task_id: Id, session: SessionDep, user: Reviewer, _: None = Csrf) -> Response:
    task = queue.get_task(session, task_id)
    return _on_held_task(lambda: queue.release(session, task, user)) or go("/queue", "released")


@router.post("/tasks/{task_id}/renew")
def renew(
    request: Request,
    task_id: Id,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
    _: None = Csrf,
) -> Response:
    """Extend the caller's lease. The page's script renews in the background while the person is
    active on the card (``X-Lease-Renew: auto``): it gets JSON (``lease_seconds``, or 409 with
    ``problem``) instead of a redirect, so the card and a typed note stay as they are."""
    task = queue.get_task(session, task_id)
    if request.headers.get("x-lease-renew") == "auto":
        try:
            queue.renew(session, task, user, settings)
        except DomainError as exc:
            if exc.status_code != 409:
                raise
            return JSONResponse({"problem": _lease_problem(exc)}, status_code=409)
        left = (task.lease_expires_at - utcnow()).total_seconds() if task.lease_expires_at else 0
        return JSONResponse({"lease_seconds": max(0, int(left))})
    return _on_held_task(lambda: queue.renew(session, task, user, settings)) or go(
        "/queue", "renewed"
    )


@router.get("/history")
def history(request: Request, session: SessionDep, user: Reviewer) -> HTMLResponse:
    week = Week.containing(utcnow())
    entries = queue.verdicts_given(session, user, week)
    return page(
        request,
        "history.html",
        user,
        entries=entries,
        week=week.label,
        choices=VERDICTS,
    )


@router.get("/escalations")
def escalations(request: Request, session: SessionDep, user: Analyst) -> HTMLResponse:
    cards = []
    for task in queue.escalations(session, limit=100):
        card = task_card(task)
        card["previous"] = sorted(task.verdicts, key=lambda v: v.created_at)
        cards.append(card)
    return page(request, "escalations.html", user, cards=cards)


@router.post("/escalations/{task_id}/override")
def override(
    task_id: Id,
    session: SessionDep,
    user: Analyst,
    _: None = Csrf,
    verdict: Annotated[str, Form(max_length=30)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    if not reason.strip():
        return go("/escalations", "reason_required")
    queue.override(session, queue.get_task(session, task_id), user, verdict, reason.strip())
    return go("/escalations", "overridden")
