"""Dependencies: one session per request (commit after the route, roll back on error), the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from core.auth import NotAuthenticated, user_for_token
from core.config import Settings
from core.db import end_after_error
from core.errors import Forbidden
from core.permissions import Permission, allowed
from core.tables import ReviewTask, User
from review import queue

_bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/auth/login")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """The request's session, committed when the endpoint has returned (rolled back if it
    raised, unless the error is a refusal that keeps its record: ``core.db.end_after_error``).

    That commit comes after FastAPI has checked the response in a worker thread. A route that
    many people hit at once and that writes (a login, on SQLite every write) commits itself
    before it returns: otherwise the locks it holds wait for a free thread while the threads
    wait for its locks, until the database's busy timeout or the pool's timeout."""
    session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        end_after_error(session, exc)  # a refusal that keeps its record commits it
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]

MAX_ID = 2_147_483_647  # ids are 32-bit integers on PostgreSQL: larger ones are refused with 422
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="Object id")]
# scope="function": commit (or roll back) before the response leaves, so a client never acts on
# an answer whose transaction is not yet committed (or failed to commit).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("Cần đăng nhập. (Authentication required.)")
    return credentials.credentials


def get_current_user(
    session: SessionDep, settings: SettingsDep, token: Annotated[str, Depends(get_token)]
) -> User:
    return user_for_token(session, token, idle=timedelta(minutes=settings.session_idle_minutes))


CurrentUser = Annotated[User, Depends(get_current_user)]
TokenDep = Annotated[str, Depends(get_token)]


def require(permission: Permission) -> Callable[[User], User]:
    """A dependency that lets the caller through only with ``permission`` (403 otherwise)."""

    def _check(user: CurrentUser) -> User:
        if not allowed(user.role, permission):
            raise Forbidden("Bạn không có quyền làm việc này. (Forbidden.)")
        return user

    _check.permission = permission  # type: ignore[attr-defined]  # read by the route × role test
    return _check


Reviewer = Annotated[User, Depends(require(Permission.review))]


def get_task(task_id: Id, session: SessionDep, _: Reviewer) -> ReviewTask:
    """The task (404 if missing), looked up only for an authorised caller."""
    return queue.get_task(session, task_id)


TaskDep = Annotated[ReviewTask, Depends(get_task)]
