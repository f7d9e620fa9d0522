"""The Typer apps and the helpers every command group shares."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.errors import DomainError

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
facts_app = typer.Typer(help="The reference fact base (data/facts).", no_args_is_help=True)
alerts_app = typer.Typer(
    help="Alerts to analysts and admins (e-mail, webhook): check the rules once.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")
app.add_typer(models_app, name="models")
app.add_typer(labels_app, name="labels")
app.add_typer(feeds_app, name="feeds")
app.add_typer(report_app, name="report")
app.add_typer(facts_app, name="facts")
app.add_typer(alerts_app, name="alerts")


def fail(message: str) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    typer.secho(f"Lỗi / error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


def shown_url(url: str) -> str:
    """A database URL as it may be printed: its password hidden; a marker for a URL SQLAlchemy
    cannot read. Raises nothing."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(URL không đọc được / unreadable URL)"


def database_error(url: str, exc: Exception) -> typer.Exit:
    """The one-line error for a database that cannot be opened (unreachable, refused, an unknown
    driver or a malformed URL), its password hidden and the driver's words on the same line."""
    where = shown_url(url)
    detail = " ".join(str(getattr(exc, "orig", None) or exc).split())
    return fail(f"không mở được cơ sở dữ liệu {where} (cannot open the database {where}): {detail}")


def make_factory(settings: Settings) -> sessionmaker[Session]:
    """Sessions on the configured database, once it is reachable and its schema is current:
    otherwise a one-line error that says what to do, before any work is done."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    from core.db import make_engine, make_sessionmaker

    where = shown_url(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if "alembic_version" in tables
                else None
            )
    except SQLAlchemyError as exc:
        raise database_error(settings.database_url, exc) from exc
    if "item" not in tables:
        raise fail(
            f"cơ sở dữ liệu {where} chưa có bảng của duluan: hãy chạy `duluan migrate` trước "
            f"(the database {where} has no duluan tables yet: run `duluan migrate` first)"
        )
    head = _head_revision() if revision is not None else None
    if revision != head:
        raise fail(
            f"cơ sở dữ liệu {where} đang ở phiên bản lược đồ {revision}, bản duluan này cần "
            f"{head}: hãy chạy `duluan migrate` (the database {where} is at schema revision "
            f"{revision}, this version needs {head}: run `duluan migrate`)"
        )
    return make_sessionmaker(engine)


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    from core.config import ROOT

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _refusals_fail(f: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(f)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except DomainError as exc:
            raise fail(exc.message) from exc

    run._converts_refusals = True  # type: ignore[attr-defined]
    return run


def reflow(doc: str) -> str:
    """``doc`` with each paragraph on one line (its line breaks become spaces; paragraphs, and
    lines that start a list item or are indented, are kept): the help wraps at the terminal's
    width instead of the source's. Raises nothing."""
    paragraphs = []
    for paragraph in inspect.cleandoc(doc).split("\n\n"):
        lines = paragraph.splitlines()
        listed = any(line.startswith(("-", "*", " ")) for line in lines)
        paragraphs.append(paragraph if listed else " ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)


def reflow_help(typer_app: typer.Typer) -> None:
    """Give every command of ``typer_app`` (and of its sub-apps) that takes its help from its
    docstring the docstring reflowed (:func:`reflow`): at 80 columns the command list and each
    command's help wrapped mid-sentence where the source broke its lines."""
    for command in typer_app.registered_commands:
        if command.help is None and command.callback is not None and command.callback.__doc__:
            command.help = reflow(command.callback.__doc__)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)


def convert_refusals(typer_app: typer.Typer) -> None:
    """Make every command of ``typer_app`` (and of its sub-apps) turn a ``DomainError`` — a
    refusal the domain explains: not found, conflict, invalid input — into the one-line ``fail``
    message and exit code 1: the conversion lives here once, no command repeats it. Other
    exceptions propagate. Call once, after every command is registered (``cli/__init__.py``)."""
    for command in typer_app.registered_commands:
        if command.callback is not None and not getattr(
            command.callback, "_converts_refusals", False
        ):
            command.callback = _refusals_fail(command.callback)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            convert_refusals(group.typer_instance)
