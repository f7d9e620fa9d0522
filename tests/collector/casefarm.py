"""Serve the shared feed cases over local HTTP, as their README says: a ``NAME.hdr`` file beside
a feed holds its response status and headers (one ``Header: value`` a line; an optional first
line ``HTTP/1.1 301`` or ``Status: 301``). Extra routes can be added for redirects."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class CaseServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # path -> (status, headers, body): routes that are not files (redirects, edited feeds)
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                status, headers, body = server.respond(self.path.split("?", 1)[0])
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def respond(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if path in self.routes:
            return self.routes[path]
        file = (self.folder / path.lstrip("/")).resolve()
        if self.folder.resolve() not in file.parents or not file.is_file():
            return 404, {"Content-Type": "text/plain"}, b"not found"
        status, headers = 200, {"Content-Type": "application/xml"}
        hdr = file.with_name(file.name + ".hdr")
        if hdr.is_file():
            for line in hdr.read_text(encoding="utf-8").splitlines():
                if line.startswith(("HTTP/", "Status:")):
                    status = int(line.split()[1])
                elif ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip()] = value.strip()
        return status, headers, file.read_bytes()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
