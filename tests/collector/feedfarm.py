"""A local server of many generated feeds that counts every request (for concurrency tests)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def feed_xml(n: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Nguồn {n} — tin {i}: chuyển đổi số ở thôn {n * 100 + i}</title>"
        f"<link>https://farm.example/{n}/{i}</link><guid>farm-{n}-{i}</guid>"
        f"<pubDate>Mon, 23 Nov 2026 08:{i % 60:02d}:00 +0700</pubDate>"
        f"<description>Nội dung riêng của nguồn {n}, tin {i}, mã {n * 7919 + i * 104729}.</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Nguồn {n}</title>'
        f"{entries}</channel></rss>"
    ).encode()


class FeedFarm:
    def __init__(
        self, feeds: int, items: int, latency_s: float = 0.0, host: str = "127.0.0.1"
    ) -> None:
        self.bodies = {f"/f/{n}.xml": feed_xml(n, items) for n in range(feeds)}
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        # Cleared, it holds every request until set again (at most 60 s): a test clears it to
        # let several collectors start and lease before any of them can fetch.
        self.gate = threading.Event()
        self.gate.set()
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                with farm.lock:
                    farm.hits[self.path] += 1
                farm.gate.wait(timeout=60)
                if latency_s:
                    time.sleep(latency_s)
                data = farm.bodies.get(self.path)
                self.send_response(200 if data else 404)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 512
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.base = f"http://{host}:{self.server.server_address[1]}"

    def urls(self) -> list[str]:
        return [self.base + path for path in self.bodies]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
