"""Signing in and out of the web app: the login form (its own double-submit CSRF cookie), the
session cookie over the API's accounts and tokens, and ``/`` that sends a person where they
belong."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep, SettingsDep
from api.routes.auth import client_address, login_limits
from api.web.pages.respond import go, page
from api.web.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Csrf,
    WebUser,
    new_login_csrf,
    safe_next,
)
from core import auth
from core.auth import AccountLocked, AuthError
from core.errors import DomainError

router = APIRouter(include_in_schema=False)


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
        user = auth.authenticate(
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
    token, _ = auth.issue_token(session, user, timedelta(hours=settings.token_ttl_hours))
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
    auth.revoke_token(session, request.cookies.get(SESSION_COOKIE, ""))
    response = go("/login", "logged_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
