"""Reports: ``report weekly``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.app import fail, make_factory, report_app
from core.config import ROOT, get_settings


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
    from report.weekly import Week, load_coverage, load_week, render_markdown, summarize

    if format != "md":
        raise fail("only --format md exists so far")
    try:
        w = Week.parse(week) if week else Week.containing(datetime.now(UTC))
    except ValueError as exc:
        raise fail(str(exc)) from exc
    with make_factory(get_settings())() as session:
        summary = summarize(load_week(session, w), load_week(session, w.previous))
        text = render_markdown(summary, w, load_coverage(session, w))
    out = out or ROOT / "var" / "reports" / f"weekly-{w.label}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Report written: {out}")
