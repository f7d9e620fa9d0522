"""The reviewer web app: server-rendered pages in Vietnamese over the same domain functions as
the API. Routes stay thin: read the form, call one domain function, redirect (POST → 303 → GET, so
a reload never posts twice) or render."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, inspect, select

from alerts import service as alert_service
from alerts.channels import CHANNELS as ALERT_CHANNELS
from api.deps import MAX_ID, Id, SessionDep, SettingsDep
from api.routes.auth import client_address, login_limits
from api.routes.reports import parse_week, report_response
from api.web import card as findings
from api.web import render
from api.web.i18n import translate
from api.web.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Csrf,
    WebUser,
    new_login_csrf,
    page_require,
    safe_next,
)
from collector import feeds as feed_registry
from collector.guard import Allowlist
from collector.submissions import reports_of_item
from core import accounts, items
from core.accounts import AccountLocked, AuthError
from core.calendar import VIETNAM, Week
from core.db import utcnow
from core.errors import DomainError, NotFound
from core.permissions import Permission, allowed
from core.tables import AlertRule, Analysis, Item, ReviewTask, TaskStatus, User, Verdict
from core.vocabulary import FINAL_VERDICTS, ROLES, SENTIMENTS, VERDICTS, VerdictKind
from nlp import registry
from nlp.pending import count_pending
from nlp.pipeline import CLASSIFIERS
from report.dashboard import dashboard
from review import queue
from review.agreement import agreement

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    t=translate,
    local_time=render.local_time,
    highlight=render.highlight,
    safe_url=render.safe_url,
    allowed=allowed,
    Permission=Permission,
    # the domain's values (core.vocabulary), for the templates' choices
    SENTIMENTS=SENTIMENTS,
    VERDICTS=VERDICTS,
    FINAL_VERDICTS=FINAL_VERDICTS,
    ROLES=ROLES,
)

# Content from feeds is untrusted: no inline script or style may run, whatever slipped through.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
MESSAGES = {
    "saved",
    "saved_next",
    "released",
    "skipped",
    "renewed",
    "lease_expired",
    "not_holder",
    "reason_required",
    "overridden",
    "bad_form",
    "user_added",
    "user_changed",
    "feed_added",
    "feed_changed",
    "logged_out",
    "session_expired",
    # taking a verdict back, and an analyst's work on any item
    "undone",
    "undo_too_late",
    "task_moved_on",
    "verdict_withdrawn",
    "not_yours",
    "verdict_changed",
    "analyst_decided",
    "task_busy",
    "same_verdict",
    "sent_to_review",
    "already_queued",
    "text_purged",
    "not_decided",
    "alerts_saved",
    # collaborators' reports
    "report_saved",
    "ocr_saved",
}
# Messages that say something was refused or lost (shown as a warning).
WARNINGS = {"lease_expired", "not_holder", "bad_form", "reason_required", "session_expired"} | {
    "undo_too_late",
    "task_moved_on",
    "verdict_withdrawn",
    "not_yours",
    "analyst_decided",
    "task_busy",
    "same_verdict",
    "already_queued",
    "text_purged",
    "not_decided",
}
# Refusals of the domain (their ``code``) that a page explains with a message of the same name.
REFUSALS = {
    "undo_too_late",
    "task_moved_on",
    "verdict_withdrawn",
    "analyst_decided",
    "task_busy",
    "same_verdict",
    "already_queued",
    "text_purged",
    "reason_required",
}

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[User, Depends(page_require(Permission.review))]
Analyst = Annotated[User, Depends(page_require(Permission.escalations))]
ModelsReader = Annotated[User, Depends(page_require(Permission.models))]
Admin = Annotated[User, Depends(page_require(Permission.users))]
FeedAdmin = Annotated[User, Depends(page_require(Permission.feeds))]
ReportReader = Annotated[User, Depends(page_require(Permission.reports))]
ItemsReader = Annotated[User, Depends(page_require(Permission.read_items))]
AlertsReader = Annotated[User, Depends(page_require(Permission.alerts))]


def page(
    request: Request,
    name: str,
    user: User | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    msg = request.query_params.get("msg")
    response = templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "csrf": getattr(request.state, "csrf", ""),
            "message": msg if msg in MESSAGES else None,
            "warning": msg in WARNINGS,
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def go(path: str, msg: str | None = None, **params: object) -> RedirectResponse:
    query = urlencode({**({"msg": msg} if msg else {}), **params})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def _refused(session: SessionDep, path: str, action: Callable[[], object]) -> Response | None:
    """Run a domain ``action``: ``None`` when done; a refusal the person can act on (window
    passed, someone else acted, …) rolls back and goes to ``path`` with its message."""
    try:
        action()
    except DomainError as exc:
        if exc.status_code == 403:
            session.rollback()
            return go(path, "not_yours")
        if exc.code not in REFUSALS:
            raise
        session.rollback()
        return go(path, exc.code)
    return None


# --- signing in ------------------------------------------------------------------------------


@router.get("/")
def home(request: Request) -> RedirectResponse:
    return go("/queue" if request.cookies.get(SESSION_COOKIE) else "/login")


@router.get("/login")
def login_form(request: Request, next: str = Query("/queue", max_length=500)) -> HTMLResponse:  # noqa: A002
    token = new_login_csrf()
    response = page(request, "login.html", next=safe_next(next), login_csrf=token)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/login"
    )
    return response


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=500)] = "/queue",  # noqa: A002
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or csrf != expected:
        return go("/login", "bad_form")
    error = None
    try:
        user = accounts.authenticate(
            session,
            username,
            password,
            address=client_address(request),
            limits=login_limits(settings),
        )
    except AccountLocked:
        error = "login_locked"
    except AuthError:
        error = "login_failed"
    except DomainError:
        error = "login_rate"
    if error is not None:
        session.commit()  # keep the lock's audit event
        token = new_login_csrf()
        response = page(
            request,
            "login.html",
            next=safe_next(next),
            login_csrf=token,
            error=error,
            username=username,
            status_code=401 if error == "login_failed" else 429,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/login"
        )
        return response
    token, _ = accounts.issue_token(session, user, timedelta(hours=settings.token_ttl_hours))
    session.commit()  # in the request's thread (see api.deps.get_session)
    signed_in = RedirectResponse(safe_next(next), status_code=303)
    signed_in.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.token_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    signed_in.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return signed_in


@router.post("/logout")
def logout(request: Request, user: WebUser, session: SessionDep, _: None = Csrf) -> Response:
    accounts.revoke_token(session, request.cookies.get(SESSION_COOKIE, ""))
    response = go("/login", "logged_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- the queue -------------------------------------------------------------------------------


# A text longer than this gets a "Xem đoạn bị gắn cờ" link to its first highlighted finding.
LONG_TEXT = 600


def _item_view(item: Item, analysis: Analysis | None) -> dict[str, Any]:
    """An item as a reviewer reads it: what the machine suspects and what speaks against it,
    the findings highlighted where they are, the reasons said once, one fact block per fact."""
    reasons = findings.shown(analysis.reasons or []) if analysis is not None else []
    title, text = item.title or "", item.text or ""
    title_marks, text_marks = findings.marks(title, text, reasons)
    anchor = f"flagged-{item.id}"
    jump = len(text) > LONG_TEXT and any(not m.counter for m in text_marks)
    return {
        "item": item,
        "analysis": analysis,
        "suspicion": findings.suspicion(
            analysis.misinfo if analysis is not None else None, reasons
        ),
        "title_html": render.highlight(title, title_marks),
        "text_html": render.highlight(text, text_marks, anchor=anchor if jump else None),
        "flagged_anchor": anchor if jump else None,
        "reasons": findings.reason_lines(reasons),
        "facts": findings.fact_blocks(title, text, reasons),
        "url": render.safe_url(item.url),
        # what collaborators handed in with it: place, note, link, screenshots and OCR text
        "reports": _reports_of(item),
    }


def _reports_of(item: Item) -> list[Any]:
    """The collaborators' reports an item came from ([] for a collected item, or an item not
    loaded from the database)."""
    state = inspect(item, raiseerr=False)
    session = state.session if state is not None else None
    return reports_of_item(session, item) if session is not None else []


def _card(task: ReviewTask) -> dict[str, Any]:
    cluster = task.cluster
    return {
        **_item_view(task.item, task.analysis),
        "task": task,
        "source_count": task.source_count,
        "first_seen": cluster.first_seen_at if cluster is not None else None,
        "lease_seconds": max(0, int((task.lease_expires_at - utcnow()).total_seconds()))
        if task.lease_expires_at
        else 0,
        # the verdict form's idempotency key: a double tap or a resent form stores one verdict
        "submission": secrets.token_urlsafe(16),
    }


def _undo_offer(
    session: SessionDep, settings: SettingsDep, user: User, verdict_id: str | None
) -> dict[str, Any] | None:
    """The undo banner for the verdict ``user`` just gave (``?undo=<id>``), while its window
    lasts and nobody acted on the task since; ``None`` otherwise."""
    if not verdict_id or not verdict_id.isdigit() or int(verdict_id) > MAX_ID:
        return None
    verdict = session.get(Verdict, int(verdict_id))
    if verdict is None or verdict.reviewer_id != user.id or not verdict.standing:
        return None
    left = queue.undo_left(verdict, settings)
    if (
        left <= 0
        or verdict.kind != VerdictKind.review
        or verdict.task.updated_at > verdict.created_at
    ):
        return None
    item = verdict.task.item
    return {
        "id": verdict.id,
        "verdict": verdict.label,
        "title": (item.title or item.text or "")[:100],
        "seconds": math.ceil(left),
    }


@router.get("/queue")
def queue_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: Reviewer
) -> HTMLResponse:
    task = queue.held_task(session, user)
    depth = session.scalar(select(func.count()).where(ReviewTask.status == TaskStatus.pending))
    mine = queue.claimable_count(session, user)
    return page(
        request,
        "queue.html",
        user,
        card=_card(task) if task is not None else None,
        depth=mine,
        others=max(0, (depth or 0) - mine),
        empty=request.query_params.get("empty") == "1",
        undo=_undo_offer(session, settings, user, request.query_params.get("undo")),
    )


@router.post("/queue/claim")
def claim(session: SessionDep, settings: SettingsDep, user: Reviewer, _: None = Csrf) -> Response:
    task = queue.claim_next(session, user, settings)
    return RedirectResponse("/queue" if task is not None else "/queue?empty=1", status_code=303)


def _lease_problem(exc: DomainError) -> str:
    return "lease_expired" if exc.code == "lease_expired" else "not_holder"


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
    return _refused(session, "/queue", lambda: queue.undo(session, verdict, user, settings)) or go(
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
    return _refused(
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
    decided_by_analyst = set(
        session.scalars(
            select(Verdict.task_id).where(
                Verdict.kind == VerdictKind.override,
                Verdict.task_id.in_(select(Verdict.task_id).where(Verdict.reviewer_id == user.id)),
            )
        )
    )
    entries = [
        {
            "verdict": v,
            "item": item,
            "can_change": v.kind == VerdictKind.review and v.task_id not in decided_by_analyst,
        }
        for v, item in session.execute(
            select(Verdict, Item)
            .join(ReviewTask, ReviewTask.id == Verdict.task_id)
            .join(Item, Item.id == ReviewTask.item_id)
            .where(
                Verdict.reviewer_id == user.id,
                Verdict.withdrawn_at.is_(None),  # undone or replaced: not theirs any more
                Verdict.created_at >= week.start,
                Verdict.created_at < week.end,
            )
            .order_by(Verdict.created_at.desc())
        )
    ]
    return page(
        request,
        "history.html",
        user,
        entries=entries,
        week=week.label,
        choices=VERDICTS,
    )


# --- analysts --------------------------------------------------------------------------------


@router.get("/escalations")
def escalations(request: Request, session: SessionDep, user: Analyst) -> HTMLResponse:
    cards = []
    for task in queue.escalations(session, limit=100):
        card = _card(task)
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


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    session: SessionDep,
    user: Analyst,
    week: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """The analysts' overview, and the weekly report of any ``week`` (default this week): a week
    picker (``<input type="week">``; typed text is read by ``Week.parse_input`` for browsers that
    show a text field), the previous/next weeks and a link to every format. A week that cannot
    be read answers 422 with the Vietnamese error next to the picker and the current week's
    links."""
    now = Week.containing(utcnow())
    chosen, bad_week = now, False
    if week.strip():
        try:
            chosen = Week.parse_input(week)
        except ValueError:
            bad_week = True
    data = dashboard(session)
    days = data["days"]
    t = translate
    charts = [
        render.bar_chart(
            days, [(t("col_item"), "c-items", data["items"])], t("chart_items_per_day")
        ),
        render.bar_chart(
            days,
            [(t(f"sentiment_{s}"), f"c-{s}", data["sentiment"][s]) for s in data["sentiment"]],
            t("chart_sentiment_trend"),
        ),
        render.bar_chart(
            days,
            [
                (
                    f"{t('flags')}: {t('misinfo_distortion')}",
                    "c-flag-d",
                    data["flags"]["distortion"],
                ),
                (f"{t('flags')}: {t('misinfo_scam')}", "c-flag-s", data["flags"]["scam"]),
                (
                    f"{t('verdicts')}: {t('verdict_distortion')} / {t('verdict_scam')}",
                    "c-confirmed",
                    [
                        a + b
                        for a, b in zip(
                            data["verdicts"]["distortion"], data["verdicts"]["scam"], strict=True
                        )
                    ],
                ),
            ],
            t("chart_flags_verdicts"),
        ),
    ]
    titles = ["chart_items_per_day", "chart_sentiment_trend", "chart_flags_verdicts"]
    return page(
        request,
        "dashboard.html",
        user,
        agreement=agreement(session, since=utcnow() - timedelta(weeks=8)),
        charts=list(zip(titles, charts, strict=True)),
        queue=data["queue"],
        week=chosen,
        week_start=f"{chosen.start.astimezone(VIETNAM):%d/%m/%Y}",
        week_end=f"{chosen.end.astimezone(VIETNAM) - timedelta(days=1):%d/%m/%Y}",
        this_week=now,
        typed_week=week.strip() if bad_week else chosen.label,
        bad_week=bad_week,
        status_code=422 if bad_week else 200,
    )


@router.get("/models")
def models_page(request: Request, settings: SettingsDep, user: ModelsReader) -> HTMLResponse:
    described = {c: registry.describe(settings.models_dir, c) for c in CLASSIFIERS}
    loaded = request.app.state.models.get() is not None
    return page(request, "models.html", user, models=described, loaded=loaded)


@router.get("/reports/weekly")
def weekly_report(
    session: SessionDep,
    user: ReportReader,
    week: str = Query("", max_length=8),
    format: str = Query("html", max_length=4),  # noqa: A002
) -> Response:
    return report_response(session, parse_week(week) if week else Week.containing(utcnow()), format)


# --- items: look anything up, flagged or not --------------------------------------------------

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


@router.get("/items/{item_id}")
def item_page(
    item_id: Id, request: Request, session: SessionDep, user: ItemsReader
) -> HTMLResponse:
    found = items.get_item(session, item_id)
    if found is None:
        raise NotFound(f"Không có tin số {item_id}. (no item {item_id})", code="item_not_found")
    item, analysis, task, labels = found
    return page(
        request,
        "item.html",
        user,
        card=_item_view(item, analysis),
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
    found = items.get_item(session, item_id)
    if found is None:
        raise NotFound(f"Không có tin số {item_id}. (no item {item_id})", code="item_not_found")
    task = found[2]
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
    item = session.get(Item, item_id)
    if item is None:
        raise NotFound(f"Không có tin số {item_id}. (no item {item_id})", code="item_not_found")
    here = f"/items/{item_id}"
    return _refused(session, here, lambda: queue.send_to_review(session, item, user, note)) or go(
        here, "sent_to_review"
    )


# --- alerts ----------------------------------------------------------------------------------

ALERTS_PAGE = 50


def _alerts_context(
    session: SessionDep,
    settings: SettingsDep,
    user: User,
    rule: str,
    before: int | None,
) -> dict[str, Any]:
    rule = rule if rule in set(AlertRule) else ""
    shown = alert_service.list_alerts(
        session, rule=rule or None, limit=ALERTS_PAGE, before_id=before
    )
    more = None
    if len(shown) == ALERTS_PAGE:
        more = "/alerts?" + urlencode({**({"rule": rule} if rule else {}), "before": shown[-1].id})
    sub = alert_service.get_subscription(session, user)
    return {
        "alerts": shown,
        "rule": rule,
        "rules": list(AlertRule),
        "channels": ALERT_CHANNELS,
        "more": more,
        "chosen": {
            "rules": sub.rules if sub else [],
            "channels": sub.channels if sub else [],
            "email": sub.email if sub else None,
        },
        "window_hours": f"{settings.alert_window_minutes / 60:g}",
        "queue_minutes": settings.alert_queue_max_wait_minutes,
        "email_ready": bool(settings.alert_smtp_host.strip()),
        "webhook_ready": bool(settings.alert_webhook_url.strip()),
    }


@router.get("/alerts")
def alerts_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: AlertsReader,
    rule: Annotated[str, Query(max_length=20)] = "",
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """Recorded alerts (newest first, 50 a page, one rule or all) and the person's own choice
    of alerts and channels."""
    return page(
        request,
        "alerts.html",
        user,
        **_alerts_context(session, settings, user, rule, before),
    )


@router.post("/alerts/subscription")
def save_alert_subscription(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: AlertsReader,
    _: None = Csrf,
    rules: Annotated[list[str] | None, Form(max_length=4)] = None,
    channels: Annotated[list[str] | None, Form(max_length=2)] = None,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    """Save which alerts the person wants and how (audited); a refusal (no e-mail address for
    e-mail, an unknown choice) is explained above the form, which keeps what was chosen."""
    try:
        alert_service.set_subscription(session, user, rules or [], channels or [], email)
    except DomainError as exc:
        session.rollback()
        context = _alerts_context(session, settings, user, "", None)
        context["chosen"] = {"rules": rules or [], "channels": channels or [], "email": email}
        return page(
            request,
            "alerts.html",
            user,
            status_code=exc.status_code,
            error=exc.message,
            **context,
        )
    return go("/alerts", "alerts_saved")


# --- admins ----------------------------------------------------------------------------------


def _feeds_context(session: SessionDep) -> dict[str, Any]:
    now = utcnow()
    rows = [
        {"feed": h.feed, "items_7d": h.items_7d, "health": render.feed_health(h.feed, now)}
        for h in feed_registry.feed_health(session)
    ]
    waiting, oldest = count_pending(session)
    backlog = (
        render.t("backlog_items", n=waiting, ago=render.ago(oldest, now))
        if waiting and oldest is not None
        else render.t("backlog_none")
    )
    return {"feeds": rows, "kinds": feed_registry.KINDS, "backlog": backlog}


def _users_context(session: SessionDep) -> dict[str, Any]:
    return {"users": accounts.list_users(session)}


def _add_or_explain(
    request: Request,
    session: SessionDep,
    user: User,
    template: str,
    add: Callable[[], object],
    context: Callable[[SessionDep], dict[str, Any]],
    typed: dict[str, str],
    done: str,
) -> Response:
    """Run an admin's "add"; a refusal is explained above the form, which keeps what was typed."""
    try:
        add()
    except DomainError as exc:
        session.rollback()
        return page(
            request,
            template,
            user,
            status_code=exc.status_code,
            error=exc.message,
            typed=typed,
            **context(session),
        )
    return go(request.url.path, done)


@router.get("/feeds")
def feeds_page(request: Request, session: SessionDep, user: FeedAdmin) -> HTMLResponse:
    return page(request, "feeds.html", user, **_feeds_context(session))


@router.post("/feeds")
def add_feed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: FeedAdmin,
    _: None = Csrf,
    url: Annotated[str, Form(max_length=2048)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "news",
) -> Response:
    return _add_or_explain(
        request,
        session,
        user,
        "feeds.html",
        lambda: feed_registry.add_feed(
            session,
            url,
            name,
            kind=kind,
            actor=user,
            allowlist=Allowlist.parse(settings.fetch_allowlist),
        ),
        _feeds_context,
        {"url": url, "name": name, "kind": kind},
        "feed_added",
    )


@router.post("/feeds/{feed_id}/enabled")
def set_feed_enabled(
    feed_id: Id,
    session: SessionDep,
    user: FeedAdmin,
    _: None = Csrf,
    enabled: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    feed = feed_registry.get_feed(session, feed_id)
    feed_registry.update_feed(session, feed, {"enabled": enabled == "1"}, user)
    return go("/feeds", "feed_changed")


@router.get("/users")
def users_page(request: Request, session: SessionDep, user: Admin) -> HTMLResponse:
    return page(request, "users.html", user, **_users_context(session))


@router.post("/users")
def add_user(
    request: Request,
    session: SessionDep,
    user: Admin,
    _: None = Csrf,
    username: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=20)] = "collaborator",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    return _add_or_explain(
        request,
        session,
        user,
        "users.html",
        lambda: accounts.create_user(session, username, role, password, actor=user),
        _users_context,
        {"username": username, "role": role},
        "user_added",
    )


@router.post("/users/{username}/active")
def set_user_active(
    username: str,
    session: SessionDep,
    user: Admin,
    _: None = Csrf,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    accounts.set_active(session, username, active == "1", actor=user)
    return go("/users", "user_changed")


__all__ = ["router", "templates", "page"]
