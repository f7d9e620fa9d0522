from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from api.deps import SessionDep, SettingsDep, TokenDep
from api.schemas import LoginRequest, TokenRead
from core.accounts import AuthError, authenticate, issue_token, revoke_token
from core.errors import DomainError

router = APIRouter(prefix="/auth", tags=["auth"])


class _Attempts:
    """Login attempts per client address in the last minute (this process only)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str, limit: int) -> bool:
        now = time.monotonic()
        with self.lock:
            q = self.seen[key]
            while q and q[0] < now - 60:
                q.popleft()
            if len(q) >= limit:
                return False
            q.append(now)
            return True


def check_attempts(request: Request, per_minute: int) -> None:
    """Refuse (429) a client address that tried to log in too often in the last minute; the
    API and the web app share the count."""
    attempts = request.app.state.__dict__.setdefault("login_attempts", _Attempts())
    client = request.client.host if request.client else "?"
    if not attempts.allow(client, per_minute):
        raise DomainError(
            "Quá nhiều lần đăng nhập, hãy thử lại sau một phút. (Too many login attempts.)",
            code="rate_limited",
            status_code=429,
        )


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
    check_attempts(request, settings.login_attempts_per_minute)
    try:
        user = authenticate(
            session,
            body.username,
            body.password,
            max_failures=settings.login_max_failures,
            lock_minutes=settings.login_lock_minutes,
        )
    except AuthError:
        session.commit()  # keep the failure count although the request fails
        raise
    token, row = issue_token(session, user, timedelta(hours=settings.token_ttl_hours))
    return TokenRead(access_token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204)
def logout(session: SessionDep, token: TokenDep) -> Response:
    """Revoke the caller's token."""
    revoke_token(session, token)
    return Response(status_code=204)
