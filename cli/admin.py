"""Database and accounts: ``migrate``, ``users``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.app import app, database_error, make_factory, shown_url, users_app
from core.config import ROOT, get_settings


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic upgrade head).

    Example: DULUAN_DATABASE_URL=postgresql+psycopg://localhost/duluan duluan migrate
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy.exc import SQLAlchemyError

    settings = get_settings()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    try:
        command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise database_error(settings.database_url, exc) from exc
    typer.echo(f"Database up to date: {shown_url(settings.database_url)}")


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
    from core.accounts import create_user, parse_role
    from core.db import session_scope

    parse_role(role)  # a wrong role is refused before the password is asked for
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    with session_scope(make_factory(get_settings())) as session:
        user = create_user(session, name, role, password)
        typer.echo(f"Added {user.username} ({user.role}).")


@users_app.command("list")
def users_list() -> None:
    """List accounts: name, role, active or disabled.

    Example: duluan users list
    """
    from core.accounts import list_users

    with make_factory(get_settings())() as session:
        for user in list_users(session):
            state = "active" if user.is_active else "disabled"
            typer.echo(f"{user.username:<24} {user.role:<13} {state}")


def _set_active(name: str, active: bool) -> None:
    from core.accounts import set_active
    from core.db import session_scope

    with session_scope(make_factory(get_settings())) as session:
        user = set_active(session, name, active)
    typer.echo(f"{user.username} {'enabled' if active else 'disabled'}.")


@users_app.command("disable")
def users_disable(name: str) -> None:
    """Disable an account and revoke its sessions (nothing is deleted).

    Example: duluan users disable lan
    """
    _set_active(name, False)


@users_app.command("enable")
def users_enable(name: str) -> None:
    """Enable a disabled account again.

    Example: duluan users enable lan
    """
    _set_active(name, True)
