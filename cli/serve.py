"""Serving: ``serve``, and ``demo`` (what ``make run`` calls)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.admin import migrate
from cli.app import app, fail, make_factory
from cli.collect import run_collect
from cli.nlp import analyze_and_queue
from core.config import ROOT, Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEMO_USERS = (
    ("ctv1", "collaborator", "ctv1-demo-2026"),
    ("analyst1", "analyst", "analyst1-demo-2026"),
    ("admin1", "admin", "admin1-demo-2026"),
)
DEMO_FEEDS = (
    ("news.xml", "Báo Ninh Bình Số (demo)", "news"),
    ("portal.xml", "Cổng thông tin xã Thanh Bình (demo)", "official"),
    ("social.xml", "Diễn đàn Cư dân mạng Ninh Bình (demo)", "social"),
    ("atom.xml", "Kênh Chuyển đổi số cộng đồng (demo, Atom)", "social"),
)


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Bind address (default DULUAN_API_HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default DULUAN_API_PORT).")] = None,
    workers: Annotated[
        int, typer.Option(help="API processes (they share nothing but the database).")
    ] = 1,
) -> None:
    """Serve the API (and its OpenAPI docs at /docs).

    Example: duluan serve --port 8000 --workers 2
    """
    import uvicorn

    from api.main import create_app
    from api.serving import HTTP_PROTOCOL

    settings = get_settings()
    make_factory(settings)  # a database that is unreachable or not migrated: say so, do not serve
    bind: dict[str, Any] = {
        "host": host or settings.api_host,
        "port": port or settings.api_port,
        "http": HTTP_PROTOCOL,
        # forwarded headers are believed only from DULUAN_TRUSTED_PROXIES (api.main), never
        # from any loopback client as uvicorn would by default
        "proxy_headers": False,
    }
    if workers > 1:  # each worker builds its own app from the environment's settings
        # The workers add up their request latencies through one folder (see api/metrics.py).
        folder = settings.metrics_dir or ROOT / "var" / "metrics" / f"port-{bind['port']}"
        shutil.rmtree(folder, ignore_errors=True)  # the counters start again with the server
        os.environ["DULUAN_METRICS_DIR"] = str(folder)
        uvicorn.run(
            "api.main:create_app", factory=True, workers=workers, log_level="warning", **bind
        )
    else:
        uvicorn.run(create_app(settings), **bind)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def serve_folder(folder: Path) -> ThreadingHTTPServer:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    # shutdown() waits for the serving loop's next poll: every 50 ms, not the default 0.5 s
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


# The demo's live feed: posts written for duluan (data/demo/live/entries.jsonl) that appear one
# every LIVE_EVERY_S seconds while the demo runs, so a newcomer sees the worker bring new items.
LIVE_FEED = ("live.xml", "Tin mới minh họa (demo, thêm một tin mỗi phút)", "social")
LIVE_EVERY_S = 60.0
LIVE_POLL_S = 30


def live_feed_xml(
    entries: list[dict[str, str]], started: datetime, now: datetime, every: float
) -> str:
    """The RSS of the live feed at ``now``: the first ``1 + (now - started) // every`` of
    ``entries`` (each ``{"id", "title", "text"}``), newest first, each dated when it appeared."""
    from email.utils import format_datetime
    from xml.sax.saxutils import escape

    shown = min(len(entries), 1 + int(max(0.0, (now - started).total_seconds()) // every))
    items = []
    for i in reversed(range(shown)):
        e = entries[i]
        when = format_datetime(started + timedelta(seconds=i * every))
        items.append(
            f"<item><title>{escape(e['title'])}</title>"
            f"<link>https://live.demo.example/{escape(e['id'])}</link>"
            f'<guid isPermaLink="false">{escape(e["id"])}</guid>'
            f"<pubDate>{when}</pubDate><description>{escape(e['text'])}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(LIVE_FEED[1])}</title><link>https://live.demo.example/</link>"
        "<description>Bài đăng minh họa viết cho duluan</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def serve_demo_feeds(folder: Path, every: float = LIVE_EVERY_S) -> ThreadingHTTPServer:
    """Serve the demo feeds in ``folder/feeds`` and the live feed ``/live.xml`` (from
    ``folder/live/entries.jsonl``, one more entry every ``every`` seconds from now) on
    127.0.0.1 (a free port) in a background thread."""
    import json

    entries = [
        json.loads(line)
        for line in (folder / "live" / "entries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    started = datetime.now(UTC)

    class Handler(_QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            if self.path.split("?")[0] != "/" + LIVE_FEED[0]:
                super().do_GET()
                return
            body = live_feed_xml(entries, started, datetime.now(UTC), every).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(Handler, directory=str(folder / "feeds"))
    )
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def seed_demo(settings: Settings) -> dict[str, Any]:
    """Register the bundled demo feeds, collect them over local HTTP, analyse, queue, add demo users."""
    from core.db import session_scope

    server = serve_demo_feeds(settings.data_dir / "demo")
    local = _local(settings)
    factory = make_factory(settings)
    try:
        ids = point_demo_feeds(factory, server)
        summary = run_collect(local, ids)
    finally:
        server.shutdown()
        server.server_close()
    analysed, queued = analyze_and_queue(settings)
    with session_scope(factory) as session:
        added = seed_demo_users(session)
    return {"new": summary.new, "analysed": analysed, "queued": queued, "demo_users": int(added)}


def _local(settings: Settings) -> Settings:
    """The demo feeds come from this machine: let the SSRF guard through to 127.0.0.1 only, and
    poll the live feed every ``LIVE_POLL_S`` (the collector's floor is lowered to it; the other
    demo feeds keep their half-hour interval)."""
    allow = ",".join(filter(None, [settings.fetch_allowlist, "127.0.0.1"]))
    return settings.model_copy(
        update={
            "fetch_allowlist": allow,
            "per_host_gap_s": 0.0,
            "min_interval_s": min(settings.min_interval_s, LIVE_POLL_S),
        }
    )


def point_demo_feeds(
    factory: Any, server: ThreadingHTTPServer, live_poll_s: int = LIVE_POLL_S
) -> list[int]:
    """Register the demo feeds (or find them) at ``server``'s address; their ids. The live feed
    is polled every ``live_poll_s`` seconds. The local server's port changes between runs, so
    conditional-GET state goes with it."""
    from sqlalchemy import select

    from core.db import session_scope
    from core.tables import Feed

    base = f"http://127.0.0.1:{server.server_address[1]}"
    with session_scope(factory) as session:
        ids = []
        for filename, name, kind in (*DEMO_FEEDS, LIVE_FEED):
            feed = session.scalar(select(Feed).where(Feed.name == name))
            if feed is None:
                feed = Feed(name=name, kind=kind, url=f"{base}/{filename}")
                session.add(feed)
            if filename == LIVE_FEED[0]:
                feed.poll_interval_s = live_poll_s
            feed.url, feed.etag, feed.last_modified, feed.body_hash = (
                f"{base}/{filename}",
                None,
                None,
                None,
            )
            feed.enabled = True
            session.flush()
            ids.append(feed.id)
    return ids


def start_demo_worker(
    settings: Settings, every: float = LIVE_EVERY_S, live_poll_s: int = LIVE_POLL_S
) -> Callable[[], None]:
    """Serve the demo feeds again (the live one gains an entry every ``every`` seconds and is
    polled every ``live_poll_s`` seconds) and run the pipeline worker (collect, analyse, queue)
    in a background thread while the demo serves; the function returned stops both (the worker
    finishes the batch in hand) and waits for them."""
    from cli.worker import Worker

    server = serve_demo_feeds(settings.data_dir / "demo", every)
    point_demo_feeds(make_factory(settings), server, live_poll_s)
    stop = threading.Event()
    worker = Worker(_local(settings), stop=stop, say=lambda line: typer.echo(f"worker: {line}"))
    thread = threading.Thread(target=worker.run, name="duluan-worker", daemon=True)
    thread.start()

    def stop_all() -> None:
        stop.set()
        thread.join(60)
        server.shutdown()
        server.server_close()

    return stop_all


def seed_demo_users(session: Session) -> bool:
    """Add the demo accounts (``DEMO_USERS``, fixed published passwords) that are missing —
    unless the database has any other account: then nothing is added and the answer is False."""
    from sqlalchemy import select

    from core.accounts import create_user
    from core.tables import User

    names = [username for username, _, _ in DEMO_USERS]
    if session.scalar(select(User.id).where(User.username.not_in(names)).limit(1)) is not None:
        return False
    for username, role, password in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(session, username, role, password)
    return True


def check_port_free(host: str, port: int) -> None:
    """Raise the CLI's one-line error (exit 1) when ``host:port`` cannot be listened on (another
    server holds it, or the address is not this machine's)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise fail(
                f"cổng {port} trên {host} đang được dùng hoặc không mở được ({exc.strerror}); "
                f"hãy chọn cổng khác: make run PORT=8080 hoặc duluan demo --port 8080 "
                f"(port {port} is in use or cannot be opened)"
            ) from exc


@app.command()
def demo(
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the API afterwards.")
    ] = True,
    port: Annotated[int | None, typer.Option(help="API port (default DULUAN_API_PORT).")] = None,
) -> None:
    """Migrate, collect the bundled demo feeds through a local HTTP server, analyse, add demo users,
    serve — with the pipeline worker running beside the server (it keeps collecting the demo
    feeds and any feed added, analysing and queueing), stopped with it.

    Example: duluan demo
    """
    settings = get_settings()
    port = port or settings.api_port
    if serve_api:
        check_port_free(settings.api_host, port)  # before minutes of setup, not after
    migrate()
    stats = seed_demo(settings)
    url = f"http://{settings.api_host}:{port}"
    typer.echo(
        f"\nDemo: {stats['new']} tin mới / new items, {stats['analysed']} đã phân tích / analysed, "
        f"{stats['queued']} tin chờ rà soát / queued for review."
    )
    typer.echo(f"Trang rà soát / web app: {url}/")
    typer.echo(f"API:                {url}/api/v1/health")
    typer.echo(f"Tài liệu API / docs: {url}/docs")
    if stats["demo_users"]:
        typer.echo("Tài khoản demo / demo logins (username / password):")
        for username, role, password in DEMO_USERS:
            typer.echo(f"  {username} / {password}   ({role})")
    else:
        typer.echo(
            "Cơ sở dữ liệu đã có tài khoản khác: không tạo tài khoản demo với mật khẩu cố định. "
            "(The database has other accounts: the fixed demo accounts were not added.)"
        )
    if serve_api:
        typer.echo(
            "Bộ xử lý / worker: thu thập, phân tích và xếp hàng tin mới liên tục (Ctrl-C dừng)."
        )
        stop_worker = start_demo_worker(settings)
        try:
            serve(host=settings.api_host, port=port)
        finally:
            stop_worker()
