from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from api.deps import SessionDep, SettingsDep, TokenDep
from api.schemas import LoginRequest, TokenRead
from core.auth import AuthError, LoginLimits, authenticate, issue_token, revoke_token
from core.config import Settings
from core.errors import DomainError

router = APIRouter(prefix="/auth", tags=["auth"])


def login_limits(settings: Settings) -> LoginLimits:
    """The login limits of ``settings`` (``login_*``)."""
    return LoginLimits(
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
        window_minutes=settings.login_window_minutes,
        address_max_failures=settings.login_address_max_failures,
    )


def client_address(request: Request) -> str | None:
    """The client's address: the connecting peer's, or the one a trusted proxy forwarded
    (``DULUAN_TRUSTED_PROXIES``, applied by uvicorn's ``ProxyHeadersMiddleware`` in
    ``api.main``); ``None`` when unknown."""
    return request.client.host if request.client else None


@router.post(
    "/login",
    response_model=TokenRead,
    responses={
        401: {"description": "Wrong credentials"},
        429: {"description": "Too many attempts"},
    },
)
def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenRead:
    """Exchange a username and password for a bearer token."""
    try:
        user = authenticate(
            session,
            body.username,
            body.password,
            address=client_address(request),
            limits=login_limits(settings),
        )
    except (AuthError, DomainError):
        session.commit()  # keep the lock's audit event although the request fails
        raise
    token, row = issue_token(session, user, timedelta(hours=settings.token_ttl_hours))
    # Committed here, in the request's thread: once the response leaves this function FastAPI
    # needs a free worker thread to check it, and on SQLite the write lock held meanwhile
    # made a burst of logins wait on each other until the busy timeout (see api.deps).
    session.commit()
    return TokenRead(access_token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204)
def logout(session: SessionDep, token: TokenDep) -> Response:
    """Revoke the caller's token."""
    revoke_token(session, token)
    return Response(status_code=204)
