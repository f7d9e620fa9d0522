from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.deps import SessionDep, require
from api.schemas import UserCreate, UserRead, UserUpdate
from core import accounts
from core.permissions import Permission
from core.tables import User

router = APIRouter(prefix="/users", tags=["users"])
Admin = Annotated[User, Depends(require(Permission.users))]
Username = Annotated[str, Path(min_length=1, max_length=64, description="Account name")]


@router.get("", response_model=list[UserRead])
def list_users(session: SessionDep, _: Admin) -> list[User]:
    """Every account with its role and state (no passwords, no tokens)."""
    return accounts.list_users(session)


@router.post("", response_model=UserRead, status_code=201)
def create_user(body: UserCreate, session: SessionDep, admin: Admin) -> User:
    """Add an account (409 if the name is taken)."""
    return accounts.create_user(session, body.username, body.role, body.password, actor=admin)


@router.patch("/{username}", response_model=UserRead)
def update_user(username: Username, body: UserUpdate, session: SessionDep, admin: Admin) -> User:
    """Change an account's role, or disable / enable it (disabling revokes its tokens)."""
    user = accounts.get_user(session, username)
    if body.role is not None:
        user = accounts.set_role(session, username, body.role, actor=admin)
    if body.is_active is not None:
        user = accounts.set_active(session, username, body.is_active, actor=admin)
    return user
