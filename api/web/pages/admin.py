"""The pages that set the service up: the alerts (the recorded ones, and which a person wants by
e-mail or webhook), the feeds (their health in plain words, add one, turn one off or on) and the
accounts (add, disable, enable)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from alerts import service as alert_service
from alerts.channels import CHANNELS as ALERT_CHANNELS
from api.deps import MAX_ID, Id, SessionDep, SettingsDep
from api.web import render
from api.web.pages.respond import Admin, AlertsReader, FeedAdmin, go, page
from api.web.session import Csrf
from collector import feeds as feed_registry
from collector.guard import Allowlist
from core import accounts
from core.db import utcnow
from core.errors import DomainError
from core.tables import AlertRule, User
from nlp.pending import count_pending

router = APIRouter(include_in_schema=False)


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


# --- feeds and accounts ----------------------------------------------------------------------


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
