"""The Typer apps and the helpers every command group shares."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings

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
models_app = typer.Typer(
    help="Model versions: list, show, promote (through the gate), roll back.", no_args_is_help=True
)
labels_app = typer.Typer(help="Reviewers' decided labels.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(models_app, name="models")
app.add_typer(labels_app, name="labels")
app.add_typer(feeds_app, name="feeds")
app.add_typer(report_app, name="report")


def fail(message: str) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    typer.secho(f"Lỗi / error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


def make_factory(settings: Settings) -> sessionmaker[Session]:
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
