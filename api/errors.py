"""One JSON error shape for every failure: ``{"error": {"code", "message"}}``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import DomainError

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def _body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


HtmlErrors = Callable[[Request, int, str, str], Response]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/metrics"


def _bad_path(exc: RequestValidationError) -> bool:
    """Whether a validation error is about the URL's path (a path parameter of the wrong type)."""
    return any(tuple(e.get("loc", ()))[:1] == ("path",) for e in exc.errors())


# The router's own refusals (an unknown address, a method a route does not take) in Vietnamese,
# English in brackets as the API's other messages.
_VI_STATUS = {
    404: "Không có trang này. (Not found.)",
    405: "Địa chỉ này không nhận cách gửi này. (Method not allowed.)",
}


def install(app: FastAPI, html: HtmlErrors | None = None) -> None:
    """JSON errors for the API; pages of the web app get ``html(request, status, code, message)``.

    An exception nothing else handles becomes a 500 in the same shape (``internal_error``; the
    page of the web app), logged with its traceback; its text is never shown to the caller."""

    def _answer(
        request: Request, status: int, code: str, message: str, **extra: object
    ) -> Response:
        if html is not None and not _is_api(request):
            return html(request, status, code, message)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(_body(code, message, **extra), status_code=status, headers=headers)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return _answer(request, exc.status_code, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code in _VI_STATUS and message == HTTPStatus(exc.status_code).phrase:
            message = _VI_STATUS[exc.status_code]  # Starlette's bare "Not Found", in words
        response = _answer(request, exc.status_code, _CODES.get(exc.status_code, "error"), message)
        for key, value in (getattr(exc, "headers", None) or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if html is not None and not _is_api(request) and _bad_path(exc):
            # a page address that cannot exist (``/items/abc``): not found, not a form error
            return html(request, 404, "not_found", "Không có trang này. (Not found.)")
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return _answer(
            request,
            422,
            "invalid",
            "Dữ liệu gửi lên không hợp lệ. (Invalid request.)",
            details=details,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Starlette's outermost middleware calls this, sends the answer, then re-raises for the
        # server to log: log here too, with the request, so the cause is found.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        message = "Lỗi máy chủ, vui lòng thử lại sau. (Internal server error.)"
        if html is not None and not _is_api(request):
            try:
                return html(request, 500, "internal_error", message)
            except Exception:  # noqa: BLE001 - the page itself failed: plain JSON then
                log.exception("the error page failed too")
        return JSONResponse(_body("internal_error", message), status_code=500)
