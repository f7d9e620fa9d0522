"""The served protocol turns Nagle off even on a listening socket made the way uvicorn makes it
for ``--workers`` (``proto=0``, where asyncio leaves Nagle on)."""

from __future__ import annotations

import asyncio
import socket

import httpx
import uvicorn

from api.serving import NoDelayH11Protocol


async def _app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _nodelay_of_served_connections(protocol: type[asyncio.Protocol] | str) -> list[int]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto=0, as uvicorn's workers
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(_app, http=protocol, log_level="warning", lifespan="off")
    )
    seen: list[int] = []

    async def main() -> None:
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        while not server.started:
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient() as client:
            r = await client.get(f"http://127.0.0.1:{port}/")
            assert r.text == "ok"
            for conn in server.server_state.connections:
                sock = conn.transport.get_extra_info("socket")  # type: ignore[attr-defined]
                seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        server.should_exit = True
        await serving

    asyncio.run(main())
    listener.close()
    return seen


def test_workers_sockets_get_tcp_nodelay() -> None:
    assert _nodelay_of_served_connections(NoDelayH11Protocol) == [1]
