"""Feeds and collection: ``feeds …``, ``collect``, ``import``."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.app import app, fail, feeds_app, make_factory
from core.calendar import local_time
from core.config import Settings, get_settings


@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Annotated[str, typer.Option(help="Publisher or feed name shown to reviewers.")],
    kind: Annotated[str, typer.Option(help="news | official | social")] = "news",
    interval: Annotated[
        int | None, typer.Option(help="Poll interval in seconds (default DULUAN_POLL_INTERVAL_S).")
    ] = None,
    extract: Annotated[
        bool,
        typer.Option(
            "--extract/--no-extract", help="Fetch full text when entries carry only summaries."
        ),
    ] = False,
) -> None:
    """Register an RSS/Atom feed to collect.

    Example: duluan feeds add https://vnexpress.net/rss/so-hoa.rss --name "VnExpress Số hóa"
    """
    from collector.feeds import add_feed
    from collector.guard import Allowlist
    from core.db import session_scope

    settings = get_settings()
    with session_scope(make_factory(settings)) as session:
        feed = add_feed(
            session,
            url,
            name,
            kind=kind,
            interval_s=interval or settings.poll_interval_s,
            extract_full_text=extract,
            allowlist=Allowlist.parse(settings.fetch_allowlist),
        )
        typer.echo(f"Feed {feed.id} added: {feed.name} <{feed.url}>")


@feeds_app.command("list")
def feeds_list() -> None:
    """List feeds with their health: last success, last error, errors in a row, items in 7 days.

    Example: duluan feeds list
    """
    from collector.feeds import feed_health

    with make_factory(get_settings())() as session:
        health = feed_health(session)
        if not health:
            typer.echo(
                "Chưa có nguồn tin nào: thêm bằng `duluan feeds add <url>` hoặc "
                "`duluan feeds import-opml <file>`. (No feeds yet: add one with `duluan feeds add`.)"
            )
        for h in health:
            f = h.feed
            state = "on " if f.enabled else "off"
            last = local_time(f.last_success_at) if f.last_success_at else "never"
            err = f" — {f.error_count} errors in a row: {f.last_error}" if f.last_error else ""
            if f.last_warning and not f.last_error:
                err = f" — warning: {f.last_warning}"
            typer.echo(
                f"{f.id:>4} {state} {f.kind:<8} {f.name} <{f.url}> last ok: {last}, "
                f"{h.items_7d} item{'' if h.items_7d == 1 else 's'} in 7 days{err}"
            )


def _set_feed(feed_id: int, changes: dict[str, Any], done: str) -> None:
    from collector.feeds import get_feed, remove_feed, update_feed
    from core.db import session_scope

    with session_scope(make_factory(get_settings())) as session:
        feed = get_feed(session, feed_id)
        if changes.get("remove"):
            remove_feed(session, feed)
        else:
            update_feed(session, feed, changes)
    typer.echo(f"Feed {feed_id} {done}.")


@feeds_app.command("remove")
def feeds_remove(feed_id: int) -> None:
    """Remove a feed from the registry (its items stay).

    Example: duluan feeds remove 12
    """
    _set_feed(feed_id, {"remove": True}, "removed")


@feeds_app.command("enable")
def feeds_enable(feed_id: int) -> None:
    """Enable a feed again (clears its error count; it is collected at the next pass).

    Example: duluan feeds enable 12
    """
    _set_feed(feed_id, {"enabled": True}, "enabled")


@feeds_app.command("disable")
def feeds_disable(feed_id: int) -> None:
    """Stop collecting a feed without removing it.

    Example: duluan feeds disable 12
    """
    _set_feed(feed_id, {"enabled": False}, "disabled")


@feeds_app.command("import-opml")
def feeds_import_opml(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="An OPML file.")],
) -> None:
    """Register every feed of an OPML file (outline category news/official/social sets the kind).

    Example: duluan feeds import-opml feeds.opml
    """
    from collector.guard import Allowlist
    from collector.opml import import_opml
    from core.db import session_scope

    settings = get_settings()
    try:
        with session_scope(make_factory(settings)) as session:
            added, known = import_opml(
                session,
                file.read_bytes(),
                settings.poll_interval_s,
                Allowlist.parse(settings.fetch_allowlist),
            )
    except ValueError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"{added} feeds added, {known} already registered.")


@feeds_app.command("export-opml")
def feeds_export_opml(
    out: Annotated[
        Path | None, typer.Option(help="Output file (default: standard output).")
    ] = None,
) -> None:
    """Write the feed registry as OPML 2.0.

    Example: duluan feeds export-opml --out feeds.opml
    """
    from collector.opml import export_opml

    with make_factory(get_settings())() as session:
        data = export_opml(session)
    if out:
        out.write_bytes(data)
        typer.echo(f"Written: {out}")
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")


_MARKS = {"ok": "✓", "not_modified": "=", "soft_error": "~", "hard_error": "✗"}


def run_collect(
    settings: Settings,
    feed_ids: list[int] | None = None,
    stop: threading.Event | None = None,
    quiet: bool = False,
    parse_pool: Any = None,
) -> Any:
    """One collection pass with a progress display on a terminal and one line per feed otherwise;
    ``parse_pool``: the caller's ``collector.parse_pool.ParsePool`` to parse in (``--loop`` keeps
    one for all its passes), else the pass opens and joins its own."""
    from collector.fetch import make_client
    from collector.run import collect_due

    factory = make_factory(settings)
    if feed_ids:
        from collector.feeds import get_feed

        with factory() as session:
            for feed_id in feed_ids:
                get_feed(session, feed_id)
    if quiet or not sys.stdout.isatty():

        def show(r: Any) -> None:
            if not quiet:
                typer.echo(
                    f"  {_MARKS[r.outcome]} {r.url}: {r.outcome} (+{r.new} new, {r.duplicate} known)"
                    + (f" — {r.error}" if r.error else "")
                )

        with make_client(settings) as client:
            return collect_due(
                factory,
                client,
                settings,
                feed_ids=feed_ids,
                on_result=show,
                stop=stop,
                parse_pool=parse_pool,
            )

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[new]} tin mới"),
            TimeElapsedColumn(),
        ) as progress,
        make_client(settings) as client,
    ):
        task = progress.add_task("Thu thập / collecting", total=None, new=0)
        totals = {"new": 0}

        def advance(r: Any) -> None:
            totals["new"] += r.new
            progress.update(task, advance=1, new=totals["new"])
            if r.error:
                progress.console.print(f"{_MARKS[r.outcome]} {r.url}: {r.error}")

        return collect_due(
            factory,
            client,
            settings,
            feed_ids=feed_ids,
            on_result=advance,
            stop=stop,
            parse_pool=parse_pool,
        )


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: Any) -> None:
        typer.echo(f"Signal {signum}: finishing the feeds in hand, then exiting.", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


@app.command()
def collect(
    feed_id: Annotated[
        list[int] | None, typer.Option("--feed-id", help="Only these feeds (even if not due).")
    ] = None,
    loop: Annotated[
        bool, typer.Option("--loop/--once", help="Keep collecting until stopped (SIGTERM).")
    ] = False,
) -> None:
    """Fetch due feeds and store new items: one pass (--once, the default) or until stopped (--loop).

    SIGTERM or Ctrl-C finishes the feeds in hand, releases the rest and exits cleanly.
    Example: duluan collect --loop
    """
    from collector.run import Outcome

    settings = get_settings()
    from collector.parse_pool import ParsePool

    stop = _stop_on_signals()
    # One pool for every pass of --loop, joined when the loop ends (not one started per pass).
    with ParsePool(settings.parse_processes) as parse_pool:
        while True:
            summary = run_collect(settings, feed_id, stop, parse_pool=parse_pool)
            typer.echo(
                f"{len(summary.results)} feeds ({summary.count(Outcome.ok)} ok, "
                f"{summary.count(Outcome.not_modified)} unchanged, "
                f"{summary.count(Outcome.soft_error) + summary.count(Outcome.hard_error)} "
                f"failed), {summary.new} new items."
            )
            if not loop or stop.is_set():
                break
            stop.wait(_seconds_to_next_due(settings))


def _seconds_to_next_due(settings: Settings) -> float:
    from sqlalchemy import func, select

    from core.db import utcnow
    from core.tables import Feed

    with make_factory(settings)() as session:
        nxt = session.scalar(select(func.min(Feed.next_check_at)).where(Feed.enabled.is_(True)))
    if nxt is None:
        return 60.0
    return min(max((nxt - utcnow()) / timedelta(seconds=1), 1.0), 60.0)


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
    from collector.cluster import cluster_pending
    from collector.decode import charset_label
    from collector.importer import ImportFormatError, import_file
    from core.db import session_scope

    settings = get_settings()
    try:
        with session_scope(make_factory(settings)) as session:
            stats = import_file(session, file, default_source=source)
            if stats.new:
                cluster_pending(
                    session,
                    threshold=settings.cluster_threshold,
                    window_days=settings.cluster_window_days,
                )
    except ImportFormatError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=1) from None
    if stats.encoding != "utf-8" or stats.separator not in (None, ","):
        names = {None: "", ",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
        sep = (
            f", {names.get(stats.separator, stats.separator)}-separated" if stats.separator else ""
        )
        typer.echo(f"Read as {charset_label(stats.encoding)}{sep}.")
    for line, error in stats.errors:
        typer.secho(f"  line {line}: {error}", err=True, fg=typer.colors.YELLOW)
    for line, warning in stats.warnings:
        typer.secho(f"  line {line}: {warning}", err=True)
    typer.echo(
        f"{stats.rows} rows: {stats.new} new, {stats.duplicate} already stored, {len(stats.errors)} bad."
    )
    if stats.errors and not stats.new and not stats.duplicate:
        raise typer.Exit(code=1)
