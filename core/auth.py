"""Signing in: a password checked under the login throttle (``authenticate``: per user name
and per client address, counted in the database so every API process shares the count) and the
bearer tokens a sign-in issues (``issue_token``, ``user_for_token``, ``revoke_token``; only
their digests are stored). The accounts themselves are ``core.accounts``'."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from core.audit import record
from core.db import utcnow
from core.errors import DomainError
from core.security import new_token, token_digest, verify_password
from core.tables import AuthToken, LoginThrottle, User

# One login attempt in this many also deletes the counts that no longer limit anyone.
PURGE_SHARE = 0.02
# A token's last use is written at most this often (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


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
