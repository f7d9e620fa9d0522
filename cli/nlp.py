"""Models: ``analyze``, ``predict``, ``train``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.app import app, fail, make_factory
from core.config import ROOT, Settings, get_settings


def _analyzer(settings: Settings) -> Any:
    from nlp.analyze import Analyzer
    from nlp.registry import RegistryError

    try:
        return Analyzer.load(settings.models_dir, settings.data_dir / "facts")
    except (RegistryError, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc


def analyze_and_queue(
    settings: Settings, since: datetime | None = None, rescore: bool = False
) -> tuple[int, int]:
    from core.db import session_scope
    from nlp.analyze import analyze_pending
    from review.queue import enqueue_flagged

    analyzer = _analyzer(settings)
    with session_scope(make_factory(settings)) as session:
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
    done, queued = analyze_and_queue(get_settings(), since, rescore=since is not None)
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


def _print_scores(title: str, h: dict[str, Any]) -> None:
    typer.echo(
        f"{title}: macro-F1 {h['macro_f1']:.3f}, accuracy {h['accuracy']:.3f}, {h['rows']} rows"
    )
    for label, m in h["per_class"].items():
        typer.echo(
            f"  {label:<12} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  n={m['support']}"
        )
    labels = h["confusion"]["labels"]
    typer.echo("  confusion (rows = true, columns = predicted): " + " ".join(labels))
    for label, row in zip(labels, h["confusion"]["matrix"], strict=True):
        typer.echo(f"  {label:<12} " + " ".join(f"{v:>5}" for v in row))


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
    c: Annotated[
        float | None,
        typer.Option(
            "--C", help="Inverse regularisation strength (default: chosen on an inner split)."
        ),
    ] = None,
    eval_data: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Also score the saved model on this file (e.g. a dev split).",
        ),
    ] = None,
    promote: Annotated[bool, typer.Option(help="Make the new model current.")] = False,
) -> None:
    """Train a classifier, print its held-out scores, save it under DULUAN_MODELS_DIR.

    Example: duluan train --task sentiment --data train.csv --map 0=negative,1=neutral,2=positive --promote
    """
    from nlp import registry
    from nlp.analyze import prepare_many
    from nlp.facts import load_facts
    from nlp.pipeline import TASKS
    from nlp.train import DataError, evaluate, parse_mapping, read_labelled
    from nlp.train import train as fit

    settings = get_settings()
    try:
        ds = read_labelled(data, task, label_column=label_column, mapping=parse_mapping(map_))
        for s in ds.skipped[:20]:
            typer.secho(f"  skipped {s}", err=True, fg=typer.colors.YELLOW)
        facts = load_facts(settings.data_dir / "facts")
        result = fit(ds, task, facts, C=c)
        if eval_data is not None:
            extra = read_labelled(
                eval_data, task, label_column=label_column, mapping=parse_mapping(map_)
            )
            result.metadata["evaluation"]["external"] = {
                "source": extra.source,
                "sha256": extra.sha256,
                **evaluate(
                    result.pipeline, prepare_many(extra.texts, facts), extra.labels, TASKS[task]
                ),
            }
    except DataError as exc:
        raise fail(str(exc)) from exc
    version = registry.save(settings.models_dir, task, result.pipeline, result.metadata)
    typer.echo(
        f"{task} {version}: {len(ds.texts)} rows ({len(ds.skipped)} skipped), "
        f"C={result.metadata['params']['C']:g}"
    )
    _print_scores("held-out split", result.metadata["evaluation"]["holdout"])
    if eval_data is not None:
        _print_scores(str(eval_data), result.metadata["evaluation"]["external"])
    if promote:
        registry.promote(settings.models_dir, task, version)
        typer.echo(f"Promoted {task} {version} to current.")


@app.command("evaluate")
def evaluate_cmd(
    data: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="Labelled JSONL (see data/eval/README.md)."),
    ] = ROOT / "data" / "eval" / "check.jsonl",
    show_mistakes: Annotated[
        bool, typer.Option(help="List the items the models got wrong.")
    ] = False,
) -> None:
    """Score the current models on a labelled check set: recall, false positives, accuracy, F1.

    Example: duluan evaluate --data data/eval/check.jsonl --show-mistakes
    """
    from nlp.evaluate import evaluate_file

    analyzer = _analyzer(get_settings())
    f = evaluate_file(analyzer, data)
    typer.echo(f"{data}: {f['rows']} items; models {analyzer.versions}")
    typer.echo(
        f"  recall        distortion {f['recall']['distortion']}   scam {f['recall']['scam']}"
    )
    fpr = f["false_positive_rate"]
    typer.echo(
        f"  flagged (FPR) criticism {fpr['criticism']}   scam warnings {fpr['scam_warning']}   "
        f"fact-checks {fpr['factcheck']}"
    )
    typer.echo(
        f"  relevance accuracy {f['relevance_accuracy']}   sentiment macro-F1 {f['sentiment_macro_f1']}"
    )
    if show_mistakes:
        for m in f["mistakes"]:
            typer.echo(f"  ✗ {m['category']:<12} → {m['predicted']}  {m['text']}")
