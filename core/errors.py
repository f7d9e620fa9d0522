"""The base classes of business errors, and the refusals shared by several packages; the API
renders them with their status and code (``api.main``), the CLI as a one-line message
(``cli.app.convert_refusals``).

Each refusal is a named class whose ``code`` (the stable machine code clients read) and
``status_code`` are declared once, beside the code that raises it: raise the class with a plain
message (Vietnamese first, English in parentheses), never ``DomainError(..., code=...)``."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation, with an HTTP status, a stable machine code and a plain message."""

    status_code = 400
    code = "bad_request"
    # The refusal itself was recorded (an audit event) and that record must outlive it: the
    # edge's unit of work (``core.db.session_scope``, the API's request session) commits
    # instead of rolling back when this error propagates. Domain functions never commit.
    keeps_record = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Forbidden(DomainError):
    """The signed-in person's role may not do this."""

    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    """What was asked for does not exist (HTTP 404)."""

    status_code = 404
    code = "not_found"


class ItemNotFound(NotFound):
    """No item has this id (or its text was purged past retention)."""

    code = "item_not_found"


class Conflict(DomainError):
    """The operation clashes with the current state (HTTP 409)."""

    status_code = 409
    code = "conflict"


class Invalid(DomainError):
    """Input that parses but cannot be accepted (HTTP 422)."""

    status_code = 422
    code = "invalid"


class ReasonRequired(Invalid):
    """A decision that must say why (an override, a forced promotion, a changed verdict, a skip) came without a reason."""

    code = "reason_required"
