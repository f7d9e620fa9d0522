from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Response

from api.deps import SessionDep, SettingsDep, TokenDep
from api.schemas import LoginRequest, TokenRead
from core.accounts import authenticate, issue_token, revoke_token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenRead)
def login(body: LoginRequest, session: SessionDep, settings: SettingsDep) -> TokenRead:
    """Exchange a username and password for a bearer token."""
    user = authenticate(session, body.username, body.password)
    token, row = issue_token(session, user, timedelta(hours=settings.token_ttl_hours))
    return TokenRead(access_token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204)
def logout(session: SessionDep, token: TokenDep) -> Response:
    """Revoke the caller's token."""
    revoke_token(session, token)
    return Response(status_code=204)
