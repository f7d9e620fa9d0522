"""The reviewer web app (Vietnamese, server-rendered, every asset served here)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api import errors
from api.web import reports as report_pages
from api.web.i18n import VI, translate
from api.web.pages import router
from api.web.pages.respond import page
from api.web.session import LoginRequired, PageForbidden

HERE = Path(__file__).parent
_ERROR_KEYS = {403: "forbidden", 404: "not_found"}
FAVICON = HERE / "static" / "favicon.svg"


def _error_page(request: Request, status: int, code: str, message: str) -> Response:
    user = getattr(request.state, "web_user", None)
    if code == "bad_form":
        return RedirectResponse("/queue?msg=bad_form", status_code=303)
    return page(
        request,
        "error.html",
        user,
        status_code=status,
        status=status,
        title=translate(f"error_{status}" if f"error_{status}" in VI else "error_other"),
        key=_ERROR_KEYS.get(status),
        detail=message,
    )


def install(app: FastAPI) -> None:
    errors.install(app, html=_error_page)

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, exc: LoginRequired) -> Response:
        msg = "&msg=session_expired" if exc.expired else ""
        response = RedirectResponse(f"/login?next={quote(exc.next_path)}{msg}", status_code=303)
        if exc.expired:
            response.delete_cookie("duluan_session", path="/")
        return response

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, _: PageForbidden) -> Response:
        return _error_page(request, 403, "forbidden", "")

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> FileResponse:
        """The app's icon (SVG) where browsers look for it without a link."""
        return FileResponse(
            FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)
    app.include_router(report_pages.router)
