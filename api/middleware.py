"""Pure ASGI middlewares (cheaper than ``@app.middleware``, which wraps every request in a task)."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    pass


async def _send_413(send: Send, max_bytes: int) -> None:
    body = json.dumps(
        {"error": {"code": "too_large", "message": f"Request body over {max_bytes} bytes."}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` (declared or streamed) with 413 in the error shape.

    A body without a declared length (chunked) is counted as it is read: the moment it passes the
    limit the 413 is sent, and whatever the app answers after (FastAPI turns a failed body read
    into a 400) is dropped. ``larger`` gives exact paths (uploads) a limit of their own."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app, self.default, self.larger = app, max_bytes, larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope.get("path", ""), self.default)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _send_413(send, limit)
            return
        seen = 0
        started = refused = False

        async def limited() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if not started and not refused:
                        refused = True
                        await _send_413(send, limit)
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started and not refused:
                await _send_413(send, limit)


# Methods that keep their own label; anything else a client invents is counted as OTHER.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"


def route_label(scope: Scope) -> str:
    """The matched route's full template (``/api/v1/items/{item_id}``) or ``UNMATCHED``: label
    values stay bounded by the app's routes whatever paths clients send.

    FastAPI keeps included routers nested, so ``scope["route"]`` holds the route as its router
    declared it (``/items/{item_id}``); the full template is on the route context FastAPI leaves
    in the scope (not a documented interface: tests/api/test_metrics.py checks it, and without
    it the router's own template is used, still bounded)."""
    context = scope.get("fastapi", {}).get("effective_route_context")
    for candidate in (
        getattr(context, "path_format", None),
        getattr(scope.get("route"), "path", None),
    ):
        if isinstance(candidate, str) and candidate and scope.get("route") is not None:
            return candidate
    return UNMATCHED


class Timing:
    """Observe each request's latency under its method and route template (``route_label``)."""

    def __init__(self, app: ASGIApp, observe: Callable[[str, str, float], None]) -> None:
        self.app, self.observe = app, observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            self.observe(method, route_label(scope), time.perf_counter() - started)
