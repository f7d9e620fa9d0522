"""Input rules shared by every route: datetimes without an offset, control characters.

* A datetime without a UTC offset (``2026-11-27T08:00``, or a bare date) is Vietnam time
  (Asia/Ho_Chi_Minh), the rule the collector applies to Vietnamese sources
  (``collector.dates``). Datetimes are handed on in UTC; a year outside
  ``MIN_YEAR..MAX_YEAR`` (Vietnam time) is refused with 422: no item can be dated there, and the
  calendar's edges (``0001-01-01``, ``9999-12-31T23:59:59``) would overflow on conversion.
* No request string may carry a C0 control character other than tab, line feed and carriage
  return (a textarea sends CR LF): PostgreSQL cannot store NUL, and the others are never typed.
  ``reject_control_characters`` is an app-wide dependency that looks at the path and query
  parameters, form fields and every string (and key) of a JSON body before any route runs, and
  refuses with 422 (``RequestValidationError``: the JSON error shape for the API, the error page
  for the web app).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Request, params
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator
from starlette.datastructures import UploadFile

from collector.dates import MAX_YEAR, MIN_YEAR, VIETNAM

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_MESSAGE = "control characters (such as NUL) are not allowed"


def vietnam_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; naive means Vietnam time (Asia/Ho_Chi_Minh).

    Raises ``ValueError`` (422 through pydantic) when the year, in Vietnam time, is outside
    ``MIN_YEAR..MAX_YEAR`` (1970..2100)."""
    local = value.replace(tzinfo=VIETNAM) if value.tzinfo is None else value
    try:
        year = local.astimezone(VIETNAM).year
    except OverflowError:
        year = value.year  # past 9999 or before year 1 once converted: outside anyway
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR} (giờ Việt Nam). "
            f"(the year must be between {MIN_YEAR} and {MAX_YEAR}, Vietnam time)"
        )
    return local.astimezone(UTC)


VnDateTime = Annotated[datetime, AfterValidator(vietnam_utc)]
"""A datetime query/body field: ISO 8601; without an offset it is Vietnam time; passed on in UTC."""


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string of a decoded JSON value (keys included) with where it sits."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield loc, str(key)
            yield from _strings(inner, (*loc, str(key)))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _strings(inner, (*loc, i))


def _safe(part: str | int) -> str | int:
    return CONTROL_RE.sub("?", part) if isinstance(part, str) else part


async def reject_control_characters(request: Request) -> None:
    """Raise ``RequestValidationError`` (422) if a path or query parameter, a form field or a
    string of the JSON body holds a C0 control character other than tab, LF or CR."""
    found: list[tuple[str | int, ...]] = []
    for key, value in request.path_params.items():
        if isinstance(value, str) and CONTROL_RE.search(value):
            found.append(("path", key))
    for key, value in request.query_params.multi_items():
        if CONTROL_RE.search(key) or CONTROL_RE.search(value):
            found.append(("query", key))
    body_field = getattr(request.scope.get("route"), "body_field", None)  # None: reads no body
    if body_field is not None and isinstance(body_field.field_info, params.Form):
        form = await request.form()  # already parsed by FastAPI for this route: cached
        for key, field in form.multi_items():
            text = (field.filename or "") if isinstance(field, UploadFile) else field
            if CONTROL_RE.search(key) or CONTROL_RE.search(text):
                found.append(("body", key))
    elif body_field is not None:
        try:
            body = await request.json()  # already decoded by FastAPI for a JSON body: cached
        except ValueError:
            body = None  # not JSON: the route's own validation answers
        found.extend(loc for loc, text in _strings(body, ("body",)) if CONTROL_RE.search(text))
    _refuse(found)


def _refuse(found: list[tuple[str | int, ...]]) -> None:
    if found:
        raise RequestValidationError(
            [
                {"type": "control_character", "loc": tuple(map(_safe, loc)), "msg": CONTROL_MESSAGE}
                for loc in dict.fromkeys(found)
            ]
        )


def refuse_control_characters(value: Any, loc: tuple[str | int, ...] = ("body",)) -> None:
    """The same rule for a body a route reads itself (``POST /api/v1/reports``: JSON or
    multipart): ``RequestValidationError`` (422) if any string of ``value`` (keys included)
    holds a control character other than tab, LF or CR."""
    _refuse([where for where, text in _strings(value, loc) if CONTROL_RE.search(text)])
