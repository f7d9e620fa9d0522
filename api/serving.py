"""The HTTP protocol ``duluan serve`` runs: uvicorn's h11 protocol with TCP_NODELAY on every
connection.

asyncio turns Nagle's algorithm off only for sockets created with ``proto=IPPROTO_TCP``; the
listening socket uvicorn shares between ``--workers`` processes is created with ``proto=0``, so
their connections kept Nagle on and every response written in two parts (headers, then body)
waited for the client's delayed ACK: ~40 ms on each request (measured with ``bench/api.py``:
health 48 ms with two workers, 4.6 ms with one).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


HTTP_PROTOCOL = "api.serving:NoDelayH11Protocol"
