from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.deps import SessionDep, require
from core.calendar import Week
from core.errors import Invalid
from core.permissions import Permission
from core.tables import User
from report.formats import FORMATS, MEDIA_TYPES, build

router = APIRouter(prefix="/reports", tags=["reports"])
Reader = Annotated[User, Depends(require(Permission.reports))]

# A standalone document: no script at all, only its own inline style and embedded images; no
# form, no <base>, and no other site may show it in a frame (clickjacking).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
REPORT_HEADERS = {
    "Content-Security-Policy": REPORT_CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # flagged items of the week: not left in shared caches
}


class BadFormat(Invalid):
    """A report format the API does not write."""

    code = "bad_format"


class BadWeek(Invalid):
    """A week that is not ISO 8601 (2026-W48) or out of range."""

    code = "bad_week"


def parse_week(week: str) -> Week:
    """``2026-W48`` as a ``Week``; ``DomainError`` 422 ``bad_week`` for a malformed or missing
    week or a year outside 1970..2100 (the years an item can be dated; the calendar's edges,
    ``0001-W01`` or ``9999-W52``, would overflow once in UTC)."""
    try:
        return Week.parse(week)
    except ValueError as exc:
        raise BadWeek(
            f"Tuần không hợp lệ: cần dạng 2026-W48, năm từ 1970 đến 2100. ({exc})",
        ) from exc


def report_response(session: SessionDep, week: Week, fmt: str) -> Response:
    """The report as an HTTP response (HTML shown in the browser, the others downloaded), with
    ``REPORT_HEADERS`` (a CSP that allows no script and no framing). Raises ``DomainError``
    (422, ``bad_format``) for a format not in ``FORMATS``."""
    if fmt not in FORMATS:
        raise BadFormat(
            f"Định dạng không hợp lệ: chọn một trong {', '.join(FORMATS)}. "
            f"(format must be one of {', '.join(FORMATS)})",
        )
    headers = dict(REPORT_HEADERS)
    if fmt != "html":
        headers["Content-Disposition"] = f'attachment; filename="weekly-{week.label}.{fmt}"'
    return Response(build(session, week, fmt), media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get(
    "/weekly",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}}},
)
def weekly(
    session: SessionDep,
    _: Reader,
    week: str = Query(..., description="ISO week, e.g. 2026-W48 (Vietnam time)", max_length=8),
    format: Literal["html", "md", "csv", "docx"] = "md",
) -> Response:
    """The weekly opinion summary in Vietnamese: HTML (printable, with charts), Markdown, an
    editable DOCX, or the underlying table as CSV."""
    return report_response(session, parse_week(week), format)
