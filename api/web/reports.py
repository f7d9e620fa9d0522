"""The web app's report pages: "Phản ánh tin" (the form), "Phản ánh của tôi", screenshots and
their OCR correction. Thin, like ``pages``: read the form, call ``review.reports``, redirect."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api import submissions
from api.deps import Id, SessionDep, SettingsDep
from api.routes.submissions import image_response, read_uploads
from api.web.pages.respond import go, page
from api.web.session import Csrf, page_require, safe_next
from collector import submissions as intake
from core.permissions import Permission
from core.tables import User
from review import reports

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[User, Depends(page_require(Permission.review))]
FIELDS = {
    "text": intake.MAX_TEXT,
    "link": 2048,
    "place": intake.MAX_PLACE,
    "note": intake.MAX_NOTE,
}


def _form_page(
    request: Request,
    user: User,
    settings: Any,
    values: dict[str, str],
    error: str | None,
    status: int,
) -> HTMLResponse:
    return page(
        request,
        "report_new.html",
        user,
        status_code=status,
        values=values,
        error=error,
        max_images=settings.report_max_images,
    )


@router.get("/reports/new")
def new_report(request: Request, settings: SettingsDep, user: Reviewer) -> HTMLResponse:
    return _form_page(request, user, settings, dict.fromkeys(FIELDS, ""), None, 200)


@router.post("/reports/new")
async def submit_report(
    request: Request, session: SessionDep, settings: SettingsDep, user: Reviewer, _: None = Csrf
) -> Response:
    form = await request.form(max_files=settings.report_max_images + 1)
    values = {}
    for name, limit in FIELDS.items():
        value = form.get(name) or ""
        values[name] = value[:limit] if isinstance(value, str) else ""
    try:
        images = await read_uploads(form.getlist("images"), settings)
        await run_in_threadpool(
            lambda: submissions.submit(
                session,
                settings,
                request.app.state.models.get(),
                user,
                intake.Submission.from_fields(values, images),
            )
        )
    except intake.ReportRefused as exc:
        session.rollback()
        return _form_page(request, user, settings, values, exc.message, 422)
    return go("/reports/mine", "report_saved")


@router.get("/reports/mine")
def my_reports(request: Request, session: SessionDep, user: Reviewer) -> HTMLResponse:
    return page(request, "report_mine.html", user, entries=reports.my_reports(session, user))


@router.get("/report-images/{image_id}")
def report_image(image_id: Id, session: SessionDep, settings: SettingsDep, _: Reviewer) -> Response:
    return image_response(session, settings, image_id)


@router.post("/report-images/{image_id}/text")
def correct_text(
    image_id: Id,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
    text: Annotated[str, Form(max_length=intake.MAX_TEXT)] = "",
    next: Annotated[str, Form(max_length=500)] = "/queue",  # noqa: A002
    _: None = Csrf,
) -> Response:
    submissions.correct_ocr(session, settings, request.app.state.models.get(), user, image_id, text)
    return go(safe_next(next), "ocr_saved")
