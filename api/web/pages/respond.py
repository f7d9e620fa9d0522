"""What every page of the web app shares: the templates (with the domain's values for their
choices), the security headers, the messages a redirect may carry (``?msg=``), who may see which
page, and the three ways a page answers: ``page`` renders, ``go`` redirects (POST → 303 → GET, so a
reload never posts twice), ``refused`` explains a refusal of the domain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import SessionDep
from api.web import render
from api.web.i18n import translate
from api.web.session import page_require
from core.calendar import local_time
from core.errors import DomainError
from core.permissions import Permission, allowed
from core.tables import User
from core.vocabulary import FINAL_VERDICTS, ROLES, SENTIMENTS, VERDICTS

TEMPLATES = Path(__file__).parent.parent / "templates"  # api/web/templates
templates = Jinja2Templates(directory=TEMPLATES)
templates.env.globals.update(
    t=translate,
    local_time=local_time,
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

# Who may see which page (a redirect to the login form, else a 403 page).
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


def refused(session: SessionDep, path: str, action: Callable[[], object]) -> Response | None:
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
