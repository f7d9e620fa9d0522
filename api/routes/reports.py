from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.deps import SessionDep, require
from core.errors import DomainError
from core.permissions import Permission
from core.tables import User
from report.weekly import Week, load_coverage, load_week, render_csv, render_markdown, summarize

router = APIRouter(prefix="/reports", tags=["reports"])
Reader = Annotated[User, Depends(require(Permission.reports))]


@router.get(
    "/weekly",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}, "text/csv": {}}}},
)
def weekly(
    session: SessionDep,
    _: Reader,
    week: str = Query(..., description="ISO week, e.g. 2026-W48 (Vietnam time)", max_length=8),
    format: Literal["md", "csv"] = "md",
) -> Response:
    """The weekly opinion summary in Vietnamese (Markdown), or its underlying table (CSV)."""
    try:
        w = Week.parse(week)
    except ValueError as exc:
        raise DomainError(str(exc), code="bad_week", status_code=422) from exc
    frame = load_week(session, w)
    if format == "csv":
        return Response(
            render_csv(frame),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="weekly-{w.label}.csv"'},
        )
    text = render_markdown(
        summarize(frame, load_week(session, w.previous)), w, load_coverage(session, w)
    )
    return Response(text, media_type="text/markdown; charset=utf-8")
