"""User accounts and bearer tokens. Users are the people who use duluan, never content authors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from core.audit import record
from core.db import utcnow
from core.errors import Conflict, DomainError, NotFound
from core.security import hash_password, new_token, token_digest, verify_password
from core.tables import AuthToken, Role, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8


class AuthError(DomainError):
    status_code = 401
    code = "unauthorized"


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError as exc:
        raise DomainError(
            f"role must be one of {', '.join(r.value for r in Role)}", code="bad_role"
        ) from exc


def create_user(
    session: Session, username: str, role: str, password: str, actor: User | None = None
) -> User:
    """Add an account; names are lower-case, passwords at least eight characters."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise DomainError("username: 2–64 characters, a-z 0-9 . _ -", code="bad_username")
    role = _role(role)
    if len(password) < MIN_PASSWORD:
        raise DomainError(
            f"password must have at least {MIN_PASSWORD} characters", code="weak_password"
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists", code="user_exists")
    user = User(username=username, role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    record(
        session,
        actor,
        "user.create",
        "user",
        user.id,
        after={"username": username, "role": role.value},
    )
    return user


class AccountLocked(DomainError):
    status_code = 429
    code = "account_locked"


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    max_failures: int = 5,
    lock_minutes: int = 5,
    now: datetime | None = None,
) -> User:
    """The active user with these credentials, or ``AuthError`` (same message either way).

    After ``max_failures`` wrong passwords in a row the account is locked for ``lock_minutes``
    (``AccountLocked``, even with the right password). Failures are flushed: the caller must
    commit them although it then reports the error.
    """
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(
            "Tài khoản tạm khóa do đăng nhập sai nhiều lần, hãy thử lại sau ít phút. "
            "(Account locked for a few minutes after repeated failures.)"
        )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        if user is not None and not ok:
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lock_minutes)
                user.failed_logins = 0
                record(session, None, "auth.locked", "user", user.id)
            session.flush()
        raise AuthError(
            "Sai tên đăng nhập hoặc mật khẩu. (Wrong username or password.)", code="bad_credentials"
        )
    user.failed_logins = 0
    user.locked_until = None
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"no user {username!r}", code="user_not_found")
    return user


def set_role(session: Session, username: str, role: str, actor: User | None = None) -> User:
    """Change an account's role; its tokens stay valid and carry the new role at once."""
    user = get_user(session, username)
    role = _role(role)
    if actor is not None and actor.id == user.id and role != user.role:
        raise Conflict("you cannot change your own role", code="own_role")
    before = {"role": user.role}
    user.role = role.value
    session.flush()
    record(session, actor, "user.role", "user", user.id, before=before, after={"role": role.value})
    return user


def set_active(session: Session, username: str, active: bool, actor: User | None = None) -> User:
    """Disable (or enable) an account; disabling revokes its tokens."""
    user = get_user(session, username)
    if not active and actor is not None and actor.id == user.id:
        raise Conflict("you cannot disable your own account", code="own_account")
    before = {"is_active": user.is_active}
    user.is_active = active
    if not active:
        for token in session.scalars(
            select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
        ):
            token.revoked_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "user.enable" if active else "user.disable",
        "user",
        user.id,
        before=before,
        after={"is_active": active},
    )
    return user


def issue_token(
    session: Session, user: User, ttl: timedelta, now: datetime | None = None
) -> tuple[str, AuthToken]:
    """A new opaque token; only its digest is stored."""
    now = now or utcnow()
    token = new_token()
    row = AuthToken(
        token_hash=token_digest(token), user_id=user.id, created_at=now, expires_at=now + ttl
    )
    session.add(row)
    session.flush()
    record(session, user, "auth.login", "user", user.id)
    return token, row


def user_for_token(session: Session, token: str, now: datetime | None = None) -> User:
    """The user a live token belongs to, or ``AuthError``."""
    now = now or utcnow()
    row = session.scalar(
        select(AuthToken)
        .options(joinedload(AuthToken.user))
        .where(AuthToken.token_hash == token_digest(token))
    )
    if row is None or row.revoked_at is not None or row.expires_at < now or not row.user.is_active:
        raise AuthError(
            "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. (Invalid or expired token.)",
            code="invalid_token",
        )
    return row.user


def revoke_token(session: Session, token: str, now: datetime | None = None) -> None:
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == token_digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or utcnow()
        record(session, row.user, "auth.logout", "user", row.user_id)
        session.flush()
