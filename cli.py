"""``duluan``: the one command line. The only module that may import every package."""

from __future__ import annotations

import json
import logging
import sys
import threading
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any

import typer

from core.config import ROOT, Settings, get_settings

app = typer.Typer(
    help="duluan — theo dõi dư luận về khoa học, công nghệ và chuyển đổi số.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(
    help="Manage user accounts (collaborators, analysts, admins).", no_args_is_help=True
)
feeds_app = typer.Typer(help="Manage the feeds that are collected.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for the committee.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(feeds_app, name="feeds")
app.add_typer(report_app, name="report")

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


def _fail(message: str) -> typer.Exit:
    typer.secho(f"Lỗi / error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


def _sessionmaker(settings: Settings):  # type: ignore[no-untyped-def]
    from core.db import make_engine, make_sessionmaker

    return make_sessionmaker(make_engine(settings.database_url))


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic upgrade head).

    Example: DULUAN_DATABASE_URL=postgresql+psycopg://localhost/duluan duluan migrate
    """
    from alembic import command
    from alembic.config import Config

    settings = get_settings()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")
    typer.echo(f"Database up to date: {_safe_url(settings.database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="collaborator | analyst | admin")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user account (the password is asked for, or read from stdin).

    Example: echo 's3cret-pass' | duluan users add lan --role collaborator --password-stdin
    """
    from core.accounts import create_user
    from core.db import session_scope
    from core.errors import DomainError

    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        with session_scope(_sessionmaker(get_settings())) as session:
            user = create_user(session, name, role, password)
            typer.echo(f"Added {user.username} ({user.role}).")
    except DomainError as exc:
        raise _fail(exc.message) from exc


@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Annotated[str, typer.Option(help="Publisher or feed name shown to reviewers.")],
    kind: Annotated[str, typer.Option(help="news | official | social")] = "news",
    interval: Annotated[
        int | None, typer.Option(help="Poll interval in seconds (default DULUAN_POLL_INTERVAL_S).")
    ] = None,
) -> None:
    """Register an RSS/Atom feed to collect.

    Example: duluan feeds add https://vnexpress.net/rss/so-hoa.rss --name "VnExpress Số hóa"
    """
    from sqlalchemy import select

    from core.db import session_scope
    from core.tables import Feed, FeedKind

    if kind not in {FeedKind.news, FeedKind.official, FeedKind.social}:
        raise _fail("kind must be news, official or social")
    if not url.startswith(("http://", "https://")):
        raise _fail("only http:// and https:// feeds can be collected")
    with session_scope(_sessionmaker(get_settings())) as session:
        if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
            raise _fail(f"feed already registered: {url}")
        feed = Feed(
            url=url,
            name=name,
            kind=kind,
            poll_interval_s=max(60, interval or get_settings().poll_interval_s),
        )
        session.add(feed)
        session.flush()
        typer.echo(f"Feed {feed.id} added: {name} <{url}>")


@feeds_app.command("list")
def feeds_list() -> None:
    """List feeds with their health.

    Example: duluan feeds list
    """
    from sqlalchemy import select

    from core.tables import Feed

    with _sessionmaker(get_settings())() as session:
        for f in session.scalars(select(Feed).order_by(Feed.id)):
            state = "on " if f.enabled else "off"
            last = f.last_success_at.strftime("%Y-%m-%d %H:%M") if f.last_success_at else "never"
            err = f" — {f.last_error}" if f.last_error else ""
            typer.echo(f"{f.id:>4} {state} {f.kind:<8} {f.name} <{f.url}> last ok: {last}{err}")


def _collect(settings: Settings, feed_ids: list[int] | None = None) -> Any:
    from collector.fetch import make_client
    from collector.run import collect_due

    def show(r: Any) -> None:
        mark = {"ok": "✓", "not_modified": "=", "soft_error": "~", "hard_error": "✗"}[r.outcome]
        typer.echo(
            f"  {mark} {r.url}: {r.outcome} (+{r.new} new, {r.duplicate} known)"
            + (f" — {r.error}" if r.error else "")
        )

    with make_client(settings) as client:
        return collect_due(
            _sessionmaker(settings), client, settings, feed_ids=feed_ids, on_result=show
        )


@app.command()
def collect(
    feed_id: Annotated[
        list[int] | None, typer.Option("--feed-id", help="Only these feeds (even if not due).")
    ] = None,
) -> None:
    """Fetch every due feed once and store new items (one transaction per feed).

    Example: duluan collect
    """
    summary = _collect(get_settings(), feed_id)
    typer.echo(f"{len(summary.results)} feeds, {summary.new} new items.")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSON Lines or CSV file.")
    ],
    source: Annotated[
        str | None, typer.Option(help="Source for rows without a `source` field.")
    ] = None,
) -> None:
    """Import posts (id, url, title, text, published_at, source) from a JSONL or CSV file.

    Example: duluan import posts.jsonl --source "Nhóm Facebook X"
    """
    from collector.importer import import_file
    from core.db import session_scope

    with session_scope(_sessionmaker(get_settings())) as session:
        stats = import_file(session, file, default_source=source)
    for line, error in stats.errors:
        typer.secho(f"  line {line}: {error}", err=True, fg=typer.colors.YELLOW)
    typer.echo(
        f"{stats.rows} rows: {stats.new} new, {stats.duplicate} already stored, {len(stats.errors)} bad."
    )
    if stats.errors and not stats.new and not stats.duplicate:
        raise typer.Exit(code=1)


def _analyzer(settings: Settings) -> Any:
    from nlp.analyze import Analyzer
    from nlp.registry import RegistryError

    try:
        return Analyzer.load(settings.models_dir, settings.data_dir / "facts")
    except (RegistryError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from exc


def _analyze(
    settings: Settings, since: datetime | None = None, rescore: bool = False
) -> tuple[int, int]:
    from core.db import session_scope
    from nlp.analyze import analyze_pending
    from review.queue import enqueue_flagged

    analyzer = _analyzer(settings)
    with session_scope(_sessionmaker(settings)) as session:
        done = analyze_pending(session, analyzer, since=since, rescore=rescore)
        queued = enqueue_flagged(session, settings)
    return done, queued


@app.command()
def analyze(
    since: Annotated[
        datetime | None, typer.Option(help="Re-score items fetched since this date (ISO).")
    ] = None,
) -> None:
    """Score items without an analysis and queue the risky ones for review.

    Example: duluan analyze
    """
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    done, queued = _analyze(get_settings(), since, rescore=since is not None)
    typer.echo(f"Analysed {done} items; {queued} new review tasks.")


@app.command()
def predict(
    input: Annotated[
        Path | None, typer.Option("--input", "-i", help="JSON Lines {id, text}; stdin by default.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSON Lines results; stdout by default.")
    ] = None,
    batch: Annotated[int, typer.Option(help="Texts scored together.")] = 256,
) -> None:
    """Score JSON Lines {"id", "text"} without a database; one result line per input line.

    Example: echo '{"id": 1, "text": "Cung cấp mã OTP để nhận tiền"}' | duluan predict
    """
    analyzer = _analyzer(get_settings())
    src = input.open(encoding="utf-8") if input else sys.stdin
    dst = output.open("w", encoding="utf-8") if output else sys.stdout
    ok = bad = 0
    pending: list[tuple[Any, str]] = []

    def flush() -> None:
        nonlocal ok
        results = analyzer.analyze([t for _, t in pending])
        for (id_, _), res in zip(pending, results, strict=True):
            dst.write(json.dumps({"id": id_, **res}, ensure_ascii=False) + "\n")
        ok += len(pending)
        pending.clear()

    try:
        for n, line in enumerate(src, 1):
            if not line.strip():
                continue
            id_, error = None, None
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("not a JSON object")
                id_ = row.get("id")
                if not isinstance(row.get("text"), str):
                    raise ValueError("field `text` (a string) is required")
            except (json.JSONDecodeError, ValueError) as exc:
                error = f"line {n}: {exc}"
            if error:
                flush()
                dst.write(json.dumps({"id": id_, "error": error}, ensure_ascii=False) + "\n")
                bad += 1
                continue
            pending.append((id_, row["text"]))
            if len(pending) >= batch:
                flush()
        flush()
    finally:
        if input:
            src.close()
        if output:
            dst.close()
    typer.echo(f"predict: {ok} scored, {bad} errors; models {analyzer.versions}", err=True)


@app.command()
def train(
    task: Annotated[str, typer.Option(help="relevance | sentiment | misinfo")],
    data: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="CSV or JSONL with `text` and `label`."),
    ] = ROOT / "data" / "seed" / "seed.jsonl",
    label_column: Annotated[
        str | None, typer.Option(help="Label column (default: `label`, else the task's column).")
    ] = None,
    map_: Annotated[
        str | None,
        typer.Option("--map", help="Map raw labels, e.g. 0=negative,1=neutral,2=positive"),
    ] = None,
    c: Annotated[float | None, typer.Option("--C", help="Inverse regularisation strength.")] = None,
    promote: Annotated[bool, typer.Option(help="Make the new model current.")] = False,
) -> None:
    """Train a classifier, print its held-out scores, save it under DULUAN_MODELS_DIR.

    Example: duluan train --task sentiment --data train.csv --map 0=negative,1=neutral,2=positive --promote
    """
    from nlp import registry
    from nlp.facts import load_facts
    from nlp.train import DataError, parse_mapping, read_labelled
    from nlp.train import train as fit

    settings = get_settings()
    try:
        ds = read_labelled(data, task, label_column=label_column, mapping=parse_mapping(map_))
        for s in ds.skipped[:20]:
            typer.secho(f"  skipped {s}", err=True, fg=typer.colors.YELLOW)
        result = fit(ds, task, load_facts(settings.data_dir / "facts"), C=c)
    except DataError as exc:
        raise _fail(str(exc)) from exc
    version = registry.save(settings.models_dir, task, result.pipeline, result.metadata)
    h = result.metadata["evaluation"]["holdout"]
    typer.echo(
        f"{task} {version}: {len(ds.texts)} rows ({len(ds.skipped)} skipped); held-out macro-F1 "
        f"{h['macro_f1']:.3f}, accuracy {h['accuracy']:.3f}"
    )
    for label, m in h["per_class"].items():
        typer.echo(
            f"  {label:<12} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  n={m['support']}"
        )
    labels = h["confusion"]["labels"]
    typer.echo("  confusion (rows = true, columns = predicted): " + " ".join(labels))
    for label, row in zip(labels, h["confusion"]["matrix"], strict=True):
        typer.echo(f"  {label:<12} " + " ".join(f"{v:>5}" for v in row))
    if promote:
        registry.promote(settings.models_dir, task, version)
        typer.echo(f"Promoted {task} {version} to current.")


@report_app.command("weekly")
def report_weekly(
    week: Annotated[
        str | None, typer.Option(help="ISO week, e.g. 2026-W48 (default: this week).")
    ] = None,
    format: Annotated[str, typer.Option(help="md")] = "md",
    out: Annotated[
        Path | None, typer.Option(help="Output file (default: var/reports/weekly-WEEK.md).")
    ] = None,
) -> None:
    """Write the weekly opinion summary in Vietnamese.

    Example: duluan report weekly --week 2026-W48 --format md
    """
    from report.weekly import Week, load_week, render_markdown, summarize

    if format != "md":
        raise _fail("only --format md exists so far")
    try:
        w = Week.parse(week) if week else Week.containing(datetime.now(UTC))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    with _sessionmaker(get_settings())() as session:
        text = render_markdown(summarize(load_week(session, w)), w)
    out = out or ROOT / "var" / "reports" / f"weekly-{w.label}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Report written: {out}")


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Bind address (default DULUAN_API_HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default DULUAN_API_PORT).")] = None,
) -> None:
    """Serve the API (and its OpenAPI docs at /docs).

    Example: duluan serve --port 8000
    """
    import uvicorn

    from api.main import create_app

    settings = get_settings()
    uvicorn.run(
        create_app(settings), host=host or settings.api_host, port=port or settings.api_port
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def serve_folder(folder: Path) -> ThreadingHTTPServer:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def seed_demo(settings: Settings) -> dict[str, Any]:
    """Register the bundled demo feeds, collect them over local HTTP, analyse, queue, add demo users."""
    from sqlalchemy import select

    from core.accounts import create_user
    from core.db import session_scope
    from core.tables import Feed, User

    server = serve_folder(settings.data_dir / "demo" / "feeds")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    factory = _sessionmaker(settings)
    try:
        with session_scope(factory) as session:
            ids = []
            for filename, name, kind in DEMO_FEEDS:
                feed = session.scalar(select(Feed).where(Feed.name == name))
                if feed is None:
                    feed = Feed(name=name, kind=kind, url=f"{base}/{filename}")
                    session.add(feed)
                # The local server's port changes between runs; conditional-GET state goes with it.
                feed.url, feed.etag, feed.last_modified, feed.body_hash = (
                    f"{base}/{filename}",
                    None,
                    None,
                    None,
                )
                feed.enabled = True
                session.flush()
                ids.append(feed.id)
        summary = _collect(settings, ids)
    finally:
        server.shutdown()
        server.server_close()
    analysed, queued = _analyze(settings)
    with session_scope(factory) as session:
        for username, role, password in DEMO_USERS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session, username, role, password)
    return {"new": summary.new, "analysed": analysed, "queued": queued}


@app.command()
def demo(
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the API afterwards.")
    ] = True,
    port: Annotated[int | None, typer.Option(help="API port (default DULUAN_API_PORT).")] = None,
) -> None:
    """Migrate, collect the bundled demo feeds through a local HTTP server, analyse, add demo users, serve.

    Example: duluan demo
    """
    settings = get_settings()
    migrate()
    stats = seed_demo(settings)
    port = port or settings.api_port
    url = f"http://{settings.api_host}:{port}"
    typer.echo(
        f"\nDemo: {stats['new']} tin mới / new items, {stats['analysed']} đã phân tích / analysed, "
        f"{stats['queued']} tin chờ rà soát / queued for review."
    )
    typer.echo(f"API:                {url}/api/v1/health")
    typer.echo(f"Tài liệu API / docs: {url}/docs")
    typer.echo("Tài khoản demo / demo logins (username / password):")
    for username, role, password in DEMO_USERS:
        typer.echo(f"  {username} / {password}   ({role})")
    if serve_api:
        serve(host=settings.api_host, port=port)


if __name__ == "__main__":
    app()
