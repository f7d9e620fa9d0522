"""Collaborators' reports (``POST /api/v1/reports``), what became of them, their screenshots."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from api import submissions
from api.deps import Id, Reviewer, SessionDep, SettingsDep
from api.inputs import refuse_control_characters
from collector import submissions as intake
from collector.submissions import ImageTooLarge, ReportTooLong, TooManyImages
from core.config import Settings
from core.errors import DomainError, NotFound
from core.tables import Report
from review import reports

router = APIRouter(tags=["reports"])


class ImageGone(NotFound):
    """A report's image whose file is no longer stored."""

    code = "image_gone"


class BadField(DomainError):
    """A form field of a report that is not text."""

    code = "validation_error"


class ReportCreate(BaseModel):
    """A report as JSON (screenshots need ``multipart/form-data`` with ``images`` files)."""

    text: str = Field(default="", max_length=intake.MAX_TEXT, description="What was said")
    link: str = Field(default="", max_length=2048, description="An http(s) address where it is")
    place: str = Field(
        default="",
        max_length=intake.MAX_PLACE,
        description='Where it was seen, e.g. "nhóm Zalo thôn" — never a person\'s name or account',
    )
    note: str = Field(default="", max_length=intake.MAX_NOTE)


class ReportImageRead(BaseModel):
    id: int
    width: int
    height: int
    ocr_text: str | None
    ocr_error: str | None
    corrected_text: str | None


class ReportRead(BaseModel):
    id: int
    item_id: int | None
    place: str
    note: str
    link_url: str | None
    link_error: str | None = Field(description="Why the link could not be read (Vietnamese)")
    created_at: datetime
    images: list[ReportImageRead]
    status: str = Field(
        description="Its review: pending, claimed, escalated, decided, or none (a task decided "
        "before the report)"
    )
    verdict: str | None = Field(description="The standing verdict, once decided")


class OcrCorrection(BaseModel):
    text: str = Field(max_length=intake.MAX_TEXT)


def _read(mine: reports.MyReport) -> ReportRead:
    r: Report = mine.report
    return ReportRead(
        id=r.id,
        item_id=r.item_id,
        place=r.place,
        note=r.note,
        link_url=r.link_url,
        link_error=r.link_error,
        created_at=r.created_at,
        images=[
            ReportImageRead(
                id=i.id,
                width=i.width,
                height=i.height,
                ocr_text=i.ocr_text,
                ocr_error=i.ocr_error,
                corrected_text=i.corrected_text,
            )
            for i in r.images
        ],
        status=mine.status,
        verdict=mine.verdict,
    )


async def read_uploads(files: list[Any], settings: Settings) -> list[bytes]:
    """The bytes of each uploaded file, refusing (422) more than ``report_max_images`` files or
    one over ``report_image_max_bytes`` without reading it all; empty file fields (a form sent
    without choosing a file) are ignored."""
    out: list[bytes] = []
    for upload in files:
        if not isinstance(upload, StarletteUpload):
            continue
        data = await upload.read(settings.report_image_max_bytes + 1)
        if not data and not upload.filename:
            continue
        if len(data) > settings.report_image_max_bytes:
            raise ImageTooLarge(
                f"Ảnh {len(out) + 1}: ảnh quá lớn, tối đa "
                f"{settings.report_image_max_bytes // 1_000_000} MB mỗi ảnh. (Image too large.)",
            )
        out.append(data)
    if len(out) > settings.report_max_images:
        raise TooManyImages(
            f"Tối đa {settings.report_max_images} ảnh mỗi lần phản ánh. (Too many images.)",
        )
    return out


def _field(form: Any, name: str, limit: int) -> str:
    value = form.get(name) or ""
    if not isinstance(value, str):
        raise BadField(f"Trường {name} phải là chữ. (Field {name} must be text.)")
    if len(value) > limit:
        raise ReportTooLong(
            f"Trường {name} quá dài (tối đa {limit} ký tự). (Field {name} too long.)",
        )
    return value


async def checked_body(request: Request) -> None:
    """The app-wide control-character rule for a body the route reads itself, before the
    caller is even authenticated (as for every other route): 422 ``invalid``."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        settings: Settings = request.app.state.settings
        form = await request.form(max_files=settings.report_max_images + 1)  # cached
        refuse_control_characters(
            {
                key: (value.filename or "") if isinstance(value, StarletteUpload) else value
                for key, value in form.multi_items()
            }
        )
        return
    try:
        raw = json.loads(await request.body() or b"{}")  # cached for the route
    except ValueError:
        return  # not JSON: the route answers
    refuse_control_characters(raw)


@router.post(
    "/reports",
    response_model=ReportRead,
    status_code=201,
    dependencies=[Depends(checked_body)],
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": ReportCreate.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "text": {"type": "string"},
                            "link": {"type": "string"},
                            "place": {"type": "string"},
                            "note": {"type": "string"},
                            "images": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "maxItems": 4,
                            },
                        },
                    }
                },
            }
        }
    },
)
async def submit(
    request: Request, session: SessionDep, settings: SettingsDep, user: Reviewer
) -> ReportRead:
    """Hand in what you saw: text, a link and/or up to 4 screenshots (PNG/JPEG/WebP, ≤ 5 MB
    each), the place it was seen and a note. It becomes an item of the source "Phản ánh của
    cộng tác viên", is analysed and queued for another collaborator (never its submitter)."""
    content_type = request.headers.get("content-type", "")
    images: list[bytes] = []
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=settings.report_max_images + 1)
        fields = {
            "text": _field(form, "text", intake.MAX_TEXT),
            "link": _field(form, "link", 2048),
            "place": _field(form, "place", intake.MAX_PLACE),
            "note": _field(form, "note", intake.MAX_NOTE),
        }
        images = await read_uploads(form.getlist("images"), settings)
    else:
        try:
            raw = json.loads(await request.body() or b"{}")
        except ValueError as exc:
            raise RequestValidationError(
                [{"type": "json_invalid", "loc": ("body",), "msg": "JSON decode error"}]
            ) from exc
        try:
            body = ReportCreate.model_validate(raw)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from exc
        fields = body.model_dump()

    report = await run_in_threadpool(
        lambda: submissions.submit(
            session,
            settings,
            request.app.state.models.get(),
            user,
            intake.Submission.from_fields(fields, images),
        )
    )
    mine = next(m for m in reports.my_reports(session, user, limit=5) if m.report.id == report.id)
    return _read(mine)


@router.get("/reports/mine", response_model=list[ReportRead])
def mine(session: SessionDep, user: Reviewer) -> list[ReportRead]:
    """The caller's reports (newest 50): each one's review status and, once decided, the
    verdict."""
    return [_read(m) for m in reports.my_reports(session, user)]


def image_response(session: Any, settings: Settings, image_id: int) -> Response:
    """A stored screenshot as a download-safe response: ``Content-Disposition: inline`` with a
    fixed name, ``X-Content-Type-Options: nosniff``, a CSP that runs nothing, no caching by
    shared caches. 404 once retention deleted the file."""
    image = intake.get_image(session, image_id)
    path = intake.image_path(settings, image)
    if path is None:
        raise ImageGone(
            "Ảnh đã bị xoá theo thời hạn lưu trữ. (Image deleted by retention.)",
        )
    return Response(
        path.read_bytes(),
        media_type="image/png",
        headers={
            "Content-Disposition": f'inline; filename="phan-anh-{image.id}.png"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/report-images/{image_id}", response_class=Response)
def image(image_id: Id, session: SessionDep, settings: SettingsDep, _: Reviewer) -> Response:
    """A report's screenshot (collaborator+: reviewers read it beside its OCR text)."""
    return image_response(session, settings, image_id)


@router.put("/report-images/{image_id}/text", response_model=ReportImageRead)
def correct_text(
    image_id: Id,
    body: OcrCorrection,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: Reviewer,
) -> ReportImageRead:
    """Correct a screenshot's OCR text (audited; the report's item is analysed again)."""
    row = submissions.correct_ocr(
        session, settings, request.app.state.models.get(), user, image_id, body.text
    )
    return ReportImageRead(
        id=row.id,
        width=row.width,
        height=row.height,
        ocr_text=row.ocr_text,
        ocr_error=row.ocr_error,
        corrected_text=row.corrected_text,
    )
