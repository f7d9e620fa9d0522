"""Cookie sessions for the web app, over the same accounts, tokens and roles as the API.

The session cookie holds an opaque token (stored hashed, like a bearer token), HttpOnly and
SameSite=Lax. Every form carries a CSRF token: for a signed-in user an HMAC of the session token
(a page from another site can neither read the cookie nor compute it); on the login form a random
value that must match a cookie of its own (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from types import SimpleNamespace
from typing import Annotated

from fastapi import Depends, Form, Request

from api.deps import SessionDep, SettingsDep
from core.auth import AuthError, user_for_token
from core.errors import DomainError
from core.permissions import Permission, allowed
from core.tables import User

SESSION_COOKIE = "duluan_session"
LOGIN_CSRF_COOKIE = "duluan_login_csrf"


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the login form."""

    def __init__(self, next_path: str = "/queue", expired: bool = False) -> None:
        self.next_path = next_path
        self.expired = expired


class PageForbidden(Exception):
    """Signed in, but the role does not allow this page."""


class BadForm(DomainError):
    status_code = 400
    code = "bad_form"


def csrf_for(token: str) -> str:
    return hmac.new(token.encode(), b"duluan-csrf", hashlib.sha256).hexdigest()[:32]


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def safe_next(path: str | None) -> str:
    """Only a local path may follow the login (no open redirect to another site)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/queue"
    return path


def web_user(request: Request, session: SessionDep, settings: SettingsDep) -> User:
    """The signed-in user of the session cookie (else ``LoginRequired``)."""
    token = request.cookies.get(SESSION_COOKIE)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not token:
        raise LoginRequired(path)
    try:
        user = user_for_token(session, token, idle=timedelta(minutes=settings.session_idle_minutes))
    except AuthError as exc:
        raise LoginRequired(path, expired=True) from exc
    request.state.csrf = csrf_for(token)
    # A plain copy for error pages, which render after the session is closed.
    request.state.web_user = SimpleNamespace(id=user.id, username=user.username, role=user.role)
    return user


WebUser = Annotated[User, Depends(web_user)]


def page_require(permission: Permission):  # type: ignore[no-untyped-def]
    """A page dependency: signed in (else redirect to login) and allowed (else a 403 page)."""

    def _check(user: WebUser) -> User:
        if not allowed(user.role, permission):
            raise PageForbidden()
        return user

    _check.page_permission = permission  # type: ignore[attr-defined]  # read by the page × role test
    return _check


def check_csrf(request: Request, csrf: Annotated[str, Form(max_length=64)] = "") -> None:
    """Refuse a signed-in form whose CSRF token is not this session's."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token or not hmac.compare_digest(csrf, csrf_for(token)):
        raise BadForm("Biểu mẫu đã cũ hoặc không hợp lệ. (CSRF token missing or wrong)")


Csrf = Depends(check_csrf)
