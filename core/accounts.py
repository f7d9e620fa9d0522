"""User accounts and bearer tokens. Users are the people who use duluan, never content authors."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload
from zxcvbn import zxcvbn

from core.audit import record
from core.db import utcnow
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.security import hash_password, new_token, token_digest, verify_password
from core.tables import AuthToken, LoginThrottle, Role, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8
# zxcvbn's score (0-4): 2 is "somewhat guessable" (about 10^8 guesses), enough behind the login
# throttle; 0 and 1 are the common and breached-list passwords, keyboard walks and repeats.
MIN_PASSWORD_SCORE = 2
# Words every duluan password must not lean on (with the username itself).
_HOUSE_WORDS = ("duluan", "du luan", "matkhau", "mat khau", "congtacvien", "ctv")
# One login attempt in this many also deletes the counts that no longer limit anyone.
PURGE_SHARE = 0.02
# A token's last use is written at most this often (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


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


class AuthError(DomainError):
    status_code = 401
    code = "unauthorized"


class InvalidToken(AuthError):
    """A bearer token that is malformed, expired, revoked or of a deactivated account."""

    code = "invalid_token"


class BadCredentials(AuthError):
    """Unknown user, wrong password or a deactivated account (one answer for all three)."""

    code = "bad_credentials"


class NotAuthenticated(AuthError):
    """No valid session or bearer token came with the request."""

    code = "not_authenticated"


def _role(role: str) -> Role:
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
    role = _role(role)
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


class AccountLocked(DomainError):
    status_code = 429
    code = "account_locked"


class AddressLimited(DomainError):
    status_code = 429
    code = "rate_limited"


@dataclass(frozen=True)
class LoginLimits:
    """How failed logins are limited (``core.config.Settings`` ``login_*``)."""

    max_failures: int = 5  # per username, known or not
    lock_minutes: int = 5
    window_minutes: int = 60
    address_max_failures: int = 50  # per client address


def _scope_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _charge(
    conn: Connection | Session, key: str, now: datetime, window: timedelta
) -> tuple[int, datetime | None]:
    """Count one attempt against ``key`` atomically (one upsert, ``RETURNING``): the attempts in
    this window including this one, and the lock in force. A count whose window ended or whose
    lock ran out starts again at 1."""
    dialect = conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    t = LoginThrottle
    stale = or_(
        t.window_started_at < now - window,
        and_(t.locked_until.is_not(None), t.locked_until <= now),
    )
    upsert = insert(t).values(key=key, failures=1, window_started_at=now, locked_until=None)
    stmt = upsert.on_conflict_do_update(
        index_elements=[t.key],
        set_={
            "failures": case((stale, 1), else_=t.failures + 1),
            "window_started_at": case((stale, now), else_=t.window_started_at),
            "locked_until": case((stale, None), else_=t.locked_until),
        },
    ).returning(t.failures, t.locked_until)
    row = conn.execute(stmt).one()
    return int(row[0]), row[1]


def _purge(conn: Connection | Session, now: datetime, window: timedelta) -> None:
    """Forget counts whose window ended and whose lock (if any) ran out: the table keeps only
    what still limits someone."""
    conn.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at < now - window,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )


def _lock(conn: Connection | Session, key: str, until: datetime) -> bool:
    """Lock ``key`` until ``until`` unless it is locked already: True for the one caller that
    set the lock (a compare-and-set)."""
    done = conn.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key, LoginThrottle.locked_until.is_(None))
        .values(locked_until=until)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def _separately(session: Session):  # type: ignore[no-untyped-def]
    """A transaction of its own for the throttle, committed at once so that every concurrent
    login (any process) sees it; the caller's session when it is bound to one connection."""
    bind = session.get_bind()
    return bind.begin() if not isinstance(bind, Connection) else _Joined(session)


class _Joined:
    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        return None


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str | None = None,
    limits: LoginLimits | None = None,
    now: datetime | None = None,
) -> User:
    """The active user with these credentials, or ``AuthError`` (same message either way).

    Every attempt is counted *before* the password is checked, in a transaction of its own
    (``login_throttle``), so concurrent guesses in any number of processes cannot outrun the
    count: after ``limits.max_failures`` failures for one username — an existing account or
    not, answered alike — it is locked for ``limits.lock_minutes`` (``AccountLocked``, 429, even
    with the right password; at most ``max_failures`` passwords are ever checked per lock
    period); after ``limits.address_max_failures`` failures from ``address`` that address is
    refused likewise (``AddressLimited``, 429). A success clears the username's count and takes
    its own attempt off the address's count. The caller commits its session (the lock's audit
    event) although it then reports the error.
    """
    limits = limits or LoginLimits()
    now = now or utcnow()
    name = username.strip().lower()
    window = timedelta(minutes=limits.window_minutes)
    lock_until = now + timedelta(minutes=limits.lock_minutes)
    user_key = _scope_key("user", name)
    address_key = _scope_key("address", address) if address else None
    with _separately(session) as conn:
        by_address, address_locked = (
            _charge(conn, address_key, now, window) if address_key else (0, None)
        )
        refused_address = bool(
            address_key and (address_locked or by_address > limits.address_max_failures)
        )
        if refused_address:
            assert address_key is not None
            _lock(conn, address_key, lock_until)
            attempts, locked = 0, None  # a refused address adds no row for the name it tried
        else:
            attempts, locked = _charge(conn, user_key, now, window)
        # the account, read in this short transaction too: no connection of the request is
        # held while the password hash is checked (a slow, CPU-bound step that many logins at
        # once queue for) — holding one let 50 simultaneous logins exhaust the pool
        found = conn.execute(
            select(User.id, User.password_hash, User.is_active).where(User.username == name)
        ).first()
        if random.random() < PURGE_SHARE:
            _purge(conn, now, window)
    if refused_address:
        raise AddressLimited(
            "Quá nhiều lần đăng nhập sai từ địa chỉ này, hãy thử lại sau ít phút. "
            "(Too many failed logins from this address.)"
        )
    if locked is not None or attempts > limits.max_failures:
        if locked is None:
            _locked(session, user_key, found.id if found else None, lock_until)
        raise AccountLocked(
            "Tài khoản tạm khóa do đăng nhập sai nhiều lần, hãy thử lại sau ít phút. "
            "(Account locked for a few minutes after repeated failures.)"
        )
    ok = verify_password(found.password_hash if found else None, password)
    if found is None or not ok or not found.is_active:
        if attempts >= limits.max_failures:
            _locked(session, user_key, found.id if found else None, lock_until)
        raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu. (Wrong username or password.)")
    # Forgotten in a short transaction of its own too, before the request's session takes a
    # connection: every login from one address updates that address's row, and a row lock held
    # until the end of the request made the others wait, holding worker threads, for a commit
    # that needed a free thread (50 simultaneous logins never finished).
    with _separately(session) as conn:
        conn.execute(delete(LoginThrottle).where(LoginThrottle.key == user_key))
        if address_key:
            conn.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == address_key, LoginThrottle.failures > 0)
                .values(failures=LoginThrottle.failures - 1)
            )
    user = session.get(User, found.id)
    if user is None or not user.is_active:  # removed or disabled meanwhile
        raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu. (Wrong username or password.)")
    user.locked_until = None
    return user


def _locked(session: Session, key: str, user_id: int | None, until: datetime) -> None:
    """Lock the username's scope; the request that sets the lock shows it on the account (for
    admins) and audits it, once. The compare-and-set runs in a short transaction of its own
    (``authenticate`` calls this before its session has taken a connection): a row lock held
    until the end of the request would make every other attempt on the name wait, holding a
    worker thread. The account's change and the audit event are the caller's to commit, even
    when the login fails."""
    with _separately(session) as conn:
        won = _lock(conn, key, until)
    user = session.get(User, user_id) if won and user_id is not None else None
    if user is not None:
        user.locked_until = until
        record(session, None, "auth.locked", "user", user.id)
        session.flush()


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
    role = _role(role)
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


def user_for_token(
    session: Session,
    token: str,
    now: datetime | None = None,
    idle: timedelta | None = None,
) -> User:
    """The user a live token belongs to, or ``AuthError``.

    With ``idle``, a token not used for that long is refused (the session timed out); its use is
    recorded at most once per ``TOUCH_EVERY``.
    """
    now = now or utcnow()
    row = session.scalar(
        select(AuthToken)
        .options(joinedload(AuthToken.user))
        .where(AuthToken.token_hash == token_digest(token))
    )
    last_used = (row.last_used_at or row.created_at) if row is not None else None
    if (
        row is None
        or row.revoked_at is not None
        or row.expires_at < now
        or not row.user.is_active
        or (idle is not None and last_used is not None and last_used + idle < now)
    ):
        raise InvalidToken(
            "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. (Invalid or expired token.)",
        )
    if last_used is None or now - last_used >= TOUCH_EVERY:
        session.execute(
            update(AuthToken)
            .where(AuthToken.id == row.id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
    return row.user


def revoke_token(session: Session, token: str, now: datetime | None = None) -> None:
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == token_digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or utcnow()
        record(session, row.user, "auth.logout", "user", row.user_id)
        session.flush()
