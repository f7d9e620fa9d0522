"""Models: ``models list|show|promote|rollback``, ``labels export``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.app import fail, labels_app, make_factory, models_app
from core.config import get_settings

CLASSIFIER_HELP = "relevance | sentiment | misinfo"


def _classifier(classifier: str) -> str:
    """``classifier`` if it is one; else ``ClassifierNotFound`` (printed Vietnamese first)."""
    from nlp.lifecycle import check_classifier

    return check_classifier(classifier)


@models_app.command("list")
def models_list() -> None:
    """Every classifier's versions, newest first; * marks the one in service.

    Example: duluan models list
    """
    from nlp import registry
    from nlp.pipeline import CLASSIFIERS

    settings = get_settings()
    for classifier in CLASSIFIERS:
        info = registry.describe(settings.models_dir, classifier)
        typer.echo(f"{classifier}:")
        for v in info["versions"]:
            cmp = (v.get("comparison") or {}).get("challenger") or {}
            # the evaluation set's score where the version was compared on it (what the gate
            # and `duluan models show` read), else its held-out split's (the API's macro_f1)
            f1, where = (
                (cmp["macro_f1"], "evaluation set")
                if "macro_f1" in cmp
                else (v.get("macro_f1"), "held-out split")
            )
            typer.echo(
                f"  {'*' if v['current'] else ' '} {v['version']}  rows {v['rows']}  "
                f"macro-F1 {f1 if f1 is not None else '—'} ({where})  ({v['data_source']})"
            )


@models_app.command("show")
def models_show(
    classifier: Annotated[str, typer.Argument(help=CLASSIFIER_HELP)],
    version: Annotated[str | None, typer.Argument(help="Default: the current one.")] = None,
) -> None:
    """A version's model card: data snapshot, scores, comparison with the champion.

    Example: duluan models show misinfo
    """
    from nlp import registry

    settings = get_settings()
    _classifier(classifier)
    version = version or registry.current_version(settings.models_dir, classifier)
    try:
        meta = registry.metadata(settings.models_dir, classifier, version or "")
    except registry.RegistryError as exc:
        raise fail(str(exc)) from exc
    typer.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@models_app.command("promote")
def models_promote(
    classifier: Annotated[str, typer.Argument(help=CLASSIFIER_HELP)],
    version: Annotated[str, typer.Argument(help="The challenger to put in service.")],
    force: Annotated[bool, typer.Option(help="Past the gate (needs --reason; audited).")] = False,
    reason: Annotated[str, typer.Option(help="Why (required with --force).")] = "",
) -> None:
    """Put a version in service if it is no worse than the champion on the same evaluation set.

    Example: duluan models promote misinfo 20261127T174834Z
    """
    from core.db import session_scope
    from nlp import lifecycle

    settings = get_settings()
    with session_scope(make_factory(settings)) as session:
        done = lifecycle.promote(
            session,
            settings,
            _classifier(classifier),
            version,
            None,
            force=force,
            reason=reason,
            via="cli",
        )
    typer.echo(f"{classifier}: {done['current']} in service (was {done['previous']}).")
    typer.echo("Re-score recent items with: duluan analyze --since YYYY-MM-DD")


@models_app.command("rollback")
def models_rollback(classifier: Annotated[str, typer.Argument(help=CLASSIFIER_HELP)]) -> None:
    """Put the previously current version back in service.

    Example: duluan models rollback misinfo
    """
    from core.db import session_scope
    from nlp import lifecycle

    settings = get_settings()
    with session_scope(make_factory(settings)) as session:
        done = lifecycle.rollback(session, settings, _classifier(classifier), None, via="cli")
    typer.echo(f"{classifier}: {done['current']} back in service (was {done['previous']}).")


@labels_app.command("export")
def labels_export(
    format: Annotated[str, typer.Option(help="jsonl or csv")] = "jsonl",
    out: Annotated[Path | None, typer.Option(help="Output file (default: stdout).")] = None,
) -> None:
    """Decided labels with their item text (no reviewer names): misinfo, sentiment, relevant.

    Example: duluan labels export --format csv --out labels.csv
    """
    from review.decisions import review_labels

    if format not in {"jsonl", "csv"}:
        raise fail("--format must be jsonl or csv")
    with make_factory(get_settings())() as session:
        rows: list[dict[str, Any]] = [lab.row() for lab in review_labels(session)]
    if format == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer,
            fieldnames=[
                "item_id",
                "text",
                "misinfo",
                "sentiment",
                "relevant",
                "decided_at",
                "queue_reason",
                "decided_by",
            ],
        )
        writer.writeheader()
        writer.writerows(rows)
        body = buffer.getvalue()
    if out is None:
        typer.echo(body, nl=False)
    else:
        out.write_text(body, encoding="utf-8")
        typer.echo(f"{len(rows)} labels written to {out}", err=True)
