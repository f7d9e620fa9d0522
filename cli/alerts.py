"""Alerts: ``alerts check`` (the worker runs the same once per cycle)."""

from __future__ import annotations

import typer
from sqlalchemy import select

from cli.app import alerts_app, make_factory
from core.config import get_settings


@alerts_app.command("check")
def alerts_check() -> None:
    """Evaluate the alert rules once, record what is new and send it (e-mail, webhook); earlier
    failed deliveries that are due are retried. Prints each new alert and what failed.

    Example: duluan alerts check   (e.g. from cron every 5 minutes, when no worker runs)
    """
    from alerts import check_and_send
    from core.tables import AlertDelivery

    settings = get_settings()
    with make_factory(settings)() as session:
        created = check_and_send(session, settings)
        for alert in created:
            typer.echo(f"[{alert.rule}] {alert.title}")
        failing = session.scalars(
            select(AlertDelivery).where(AlertDelivery.status == "failed").order_by(AlertDelivery.id)
        ).all()
        typer.echo(f"{len(created)} new alert(s); {len(failing)} delivery(ies) failing")
        for d in failing:
            typer.echo(
                f"  alert {d.alert_id} {d.channel}: attempt {d.attempts}, {d.last_error}",
                err=True,
            )
