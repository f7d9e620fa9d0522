"""The one base class for business errors; the API renders them with their status and code."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation, with an HTTP status, a stable machine code and a plain message."""

    status_code = 400
    code = "bad_request"
    # The refusal itself was recorded (an audit event) and that record must outlive it: the
    # edge's unit of work (``core.db.session_scope``, the API's request session) commits
    # instead of rolling back when this error propagates. Domain functions never commit.
    keeps_record = False

    def __init__(
        self, message: str, *, code: str | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
