"""User accounts: create them, their passwords, roles and whether they are active. Users are the
people who use duluan, never content authors. Signing in and tokens are ``core.auth``'."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from core.audit import record
from core.db import utcnow
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.security import hash_password
from core.tables import AuthToken, Role, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8
# zxcvbn's score (0-4): 2 is "somewhat guessable" (about 10^8 guesses), enough behind the login
# throttle; 0 and 1 are the common and breached-list passwords, keyboard walks and repeats.
MIN_PASSWORD_SCORE = 2
# Words every duluan password must not lean on (with the username itself).
_HOUSE_WORDS = ("duluan", "du luan", "matkhau", "mat khau", "congtacvien", "ctv")


class OwnAccount(Conflict):
    """An administrator may not deactivate their own account."""

    code = "own_account"


class OwnRole(Conflict):
    """An administrator may not change their own role."""

    code = "own_role"


class UserNotFound(NotFound):
    """No account has this user name."""

    code = "user_not_found"


class WeakPassword(Invalid):
    """A password zxcvbn scores too weak, or too long to hash."""

    code = "weak_password"


class UserExists(Conflict):
    """An account with this user name already exists."""

    code = "user_exists"


class BadUsername(DomainError):
    """A user name outside the allowed length or characters."""

    code = "bad_username"


class BadRole(DomainError):
    """A role that is not one of ``core.vocabulary.Role``."""

    code = "bad_role"


def parse_role(role: str) -> Role:
    """``role`` as a ``Role``; ``BadRole`` (Vietnamese first) when it is not one."""
    try:
        return Role(role)
    except ValueError as exc:
        raise BadRole(
            f"Vai trò không hợp lệ: chọn một trong {', '.join(r.value for r in Role)}. "
            f"(role must be one of {', '.join(r.value for r in Role)})",
        ) from exc


def create_user(
    session: Session, username: str, role: str, password: str, actor: User | None = None
) -> User:
    """Add an account; names are lower-case, passwords at least eight characters."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise BadUsername(
            "Tên đăng nhập cần 2–64 ký tự, chỉ gồm a-z 0-9 . _ - và bắt đầu bằng chữ hoặc số. "
            "(username: 2–64 characters, a-z 0-9 . _ -)",
        )
    role = parse_role(role)
    check_password(username, password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserExists(
            f"Tài khoản {username!r} đã tồn tại. (user {username!r} already exists)",
        )
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


def check_password(username: str, password: str) -> None:
    """Refuse a weak password (``DomainError`` code ``weak_password``, 422 through the API).

    Weak: under ``MIN_PASSWORD`` characters, only spaces, the username itself, or a zxcvbn
    score under ``MIN_PASSWORD_SCORE`` (its dictionaries hold the common and breached-list
    passwords; the username and the house words count as known words).
    """
    reason = None
    if len(password) < MIN_PASSWORD:
        reason = f"cần ít nhất {MIN_PASSWORD} ký tự (at least {MIN_PASSWORD} characters)"
    elif not password.strip():
        reason = "không được chỉ có dấu cách (not only spaces)"
    elif username and "".join(password.split()).lower() == username.lower():
        reason = "không được trùng tên đăng nhập (must not be the username)"
    else:
        # zxcvbn refuses more than 72 characters; the first 72 are what it can judge
        result = zxcvbn(password[:72], user_inputs=[username, *_HOUSE_WORDS])
        if result["score"] < MIN_PASSWORD_SCORE:
            hint = result["feedback"].get("warning") or "too easy to guess"
            reason = f"quá dễ đoán ({hint})"
    if reason is not None:
        raise WeakPassword(f"Mật khẩu yếu: {reason}.")


def set_password(session: Session, username: str, password: str, actor: User | None = None) -> User:
    """Give an account a new password (checked by ``check_password``); its tokens are revoked."""
    user = get_user(session, username)
    check_password(user.username, password)
    user.password_hash = hash_password(password)
    for token in session.scalars(
        select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
    ):
        token.revoked_at = utcnow()
    session.flush()
    record(session, actor, "user.password", "user", user.id)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise UserNotFound(f"Không có tài khoản {username!r}. (no user {username!r})")
    return user


def set_role(session: Session, username: str, role: str, actor: User | None = None) -> User:
    """Change an account's role; its tokens stay valid and carry the new role at once."""
    user = get_user(session, username)
    role = parse_role(role)
    if actor is not None and actor.id == user.id and role != user.role:
        raise OwnRole(
            "Bạn không thể tự đổi vai trò của mình. (you cannot change your own role)",
        )
    before = {"role": user.role}
    user.role = role.value
    session.flush()
    record(session, actor, "user.role", "user", user.id, before=before, after={"role": role.value})
    return user


def set_active(session: Session, username: str, active: bool, actor: User | None = None) -> User:
    """Disable (or enable) an account; disabling revokes its tokens."""
    user = get_user(session, username)
    if not active and actor is not None and actor.id == user.id:
        raise OwnAccount(
            "Bạn không thể tự khóa tài khoản của mình. (you cannot disable your own account)",
        )
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
