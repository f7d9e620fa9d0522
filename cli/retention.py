"""Retention: ``purge``."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.app import app, fail, make_factory


@app.command()
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would go; change nothing.")
    ] = False,
) -> None:
    """Blank item texts and delete analyses and audit events past their retention
    (DULUAN_RETENTION_TEXT_DAYS / _ANALYSIS_DAYS / _AUDIT_DAYS; 0 = keep forever). Items under
    review are kept; weekly reports keep their figures. Audited (counts only).

    Example: duluan purge --dry-run
    """
    from pydantic import ValidationError

    from core.config import get_settings
    from core.db import utcnow
    from core.retention import RetentionConfigError
    from core.retention import purge as run_purge

    try:
        settings = get_settings()
    except ValidationError as exc:
        raise fail("; ".join(str(e["msg"]) for e in exc.errors())) from exc
    factory = make_factory(settings)

    def progress(step: str, count: int) -> None:
        typer.echo(f"  {step}: {count} in this batch", err=True)

    with factory() as session:
        try:
            report = run_purge(session, settings, utcnow(), dry_run=dry_run, progress=progress)
        except RetentionConfigError as exc:
            raise fail(str(exc)) from exc

    def cutoff(value: object) -> str:
        return "kept forever" if value is None else f"before {value:%Y-%m-%d %H:%M} UTC"

    verb = "would be" if dry_run else "were"
    typer.echo(
        ("Dry run: nothing changed.\n" if dry_run else "")
        + "\n".join(
            [
                f"Item texts ({cutoff(report.text_cutoff)}): {report.texts_blanked} {verb} blanked; "
                f"kept: {report.kept_under_review} under review, {report.kept_confirmed} confirmed "
                "(evidence of a verdict, kept as long as the audit log).",
                f"Analyses ({cutoff(report.analysis_cutoff)}): {report.analyses_deleted} {verb} deleted.",
                f"Audit events ({cutoff(report.audit_cutoff)}): {report.audit_events_deleted} {verb} "
                "deleted.",
            ]
        )
    )
