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
    format: Annotated[
        str | None,
        typer.Option(
            help="html (printable, with charts), md, csv or docx (default: from --out's "
            "extension, else html)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Output file (default: var/reports/weekly-WEEK.FORMAT)."),
    ] = None,
) -> None:
    """Write the weekly opinion summary in Vietnamese.

    Example: duluan report weekly --week 2026-W48 --format docx --out tuan48.docx
    """
    from core.calendar import Week
    from report.formats import FORMATS, build

    if format is None:
        suffix = out.suffix.lstrip(".").lower() if out is not None else ""
        format = suffix if suffix in FORMATS else "html"
    if format not in FORMATS:
        raise fail(
            f"Định dạng phải là một trong {', '.join(FORMATS)}. "
            f"(--format must be one of {', '.join(FORMATS)})"
        )
    try:
        w = Week.parse(week) if week else Week.containing(datetime.now(UTC))
    except ValueError as exc:
        raise fail(f"Tuần {week!r} không hợp lệ, hãy viết như 2026-W48. ({exc})") from exc
    with make_factory(get_settings())() as session:
        body = build(session, w, format)
    out = out or ROOT / "var" / "reports" / f"weekly-{w.label}.{format}"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")  # a half-written report never takes the name
    tmp.write_bytes(body)
    tmp.replace(out)
    typer.echo(f"Report written: {out}")


@report_app.command("purge-images")
def report_purge_images() -> None:
    """Delete collaborators' screenshots older than DULUAN_REPORT_IMAGE_DAYS (their OCR text
    stays with the item; audited). Run it daily from cron."""
    from collector.submissions import purge_images

    settings = get_settings()
    with make_factory(settings)() as session:
        n = purge_images(session, settings)
        session.commit()
    typer.echo(f"Screenshots deleted: {n} (older than {settings.report_image_days} days)")
