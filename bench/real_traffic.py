"""How the shipped models behave on real Vietnamese text: news, SMS, social comments, RSS.

Runs ``duluan predict``'s code path (``Analyzer.load(models, facts).analyze(texts)``) over the
real corpora in ``shared/data/`` (the sibling ``shared/`` of the repo root, or ``--shared PATH``,
or ``$DULUAN_SHARED``), read in place: nothing is copied into the repo, and nothing beyond short
excerpts and figures is printed or written.

Per corpus (one table, then a short detail section each):

* n texts, **flagged** share (``misinfo != "none"``), **queued** share (``risk >=`` the review
  threshold, ``Settings().review_risk_threshold`` unless ``--threshold``), and of the flagged the
  share whose only positive-weight reason is the classifier's (``kind == "model"``): flags with no
  cue or fact behind them;
* news with topics, relevance precision / recall / F1 (``relevant`` = relevance >= ``nlp.analyze.RELEVANCE_THRESHOLD``) against:
  VNTC ``vntc/dev.csv``: ``Khoa hoc`` (science) and ``Vi tinh`` (computing) relevant, the eight
  other topics not; Báo Mới ``baomoi-tc201805/dev.csv``: ``khoa hoc`` (science) and the three
  technology sections ``mang may tinh va vien thong`` (IT & telecom), ``may vi tinh va do dien
  tu`` (hardware & devices), ``may vi tinh va do dien tu - mang may tinh va vien thong`` (Công
  nghệ) relevant, the 19 others not (``khoa hoc - sinh thai va moi truong`` is Báo Mới's
  environment & climate section under Xã hội: off topic here, though SOURCE.md's coarse merge of
  ``khoa hoc*`` would count it). Also the off-topic texts' relevance rate
  by length (<20, 20-100, 100-400, >400 characters);
* SMS (``sms-smishing-ie403/sms.csv``): recall (queued) on label 1 "smishing", false-alarm rate
  (queued) on label 0, overall and per origin (the corpus' label follows its origin closely:
  ``inbox`` is the realistic part);
* ECE, expected calibration error over 10 equal-width bins of the score: ``sum_b n_b/N *
  |mean score_b - positive rate_b|``; relevance vs the topic mapping (VNTC, Báo Mới), risk vs the
  smishing label (SMS). The models' probabilities are class-balanced, not calibrated
  (models/README.md): this measures how far off they are;
* long-text robustness (``long``): every SMS and check-set (``data/eval/check.jsonl``) text that is
  flagged and queued is put in the middle of ~2,000 words of unrelated real news (random VNTC dev
  articles from the eight off-topic topics, seeded) and scored again: how many keep their flag
  (same misinfo label) and how many stay queued; the first 200 paddings are also scored without
  the text, as a control;
* sentiment macro-F1 on UIT-VSFC dev (0 negative, 1 neutral, 2 positive); ViHSD (clean / offensive
  / hate) and ViHOS (toxic spans) have no sentiment labels: flagged and queued shares by label;
* the VnExpress RSS snapshots (``rss-vnexpress-2017/*.xml``, parsed with ``collector.parse``,
  scored as ``title. text`` like ``duluan analyze``): flagged, queued and relevant shares;
* wall time per corpus.

Licences: UIT-VSFC, ViHSD (research-only), the IE403 SMS, Báo Mới and VnExpress RSS (no licence
stated, internal only) and the VNTC texts (© the newspapers) are benchmarks only: never train on
them, never copy or ship their texts. ViHOS is MIT. See each folder's SOURCE.md.

All dev rows are scored by default: the largest set has 2,672 rows, so no corpus is capped; only
the long-text control is (200 paddings). A full run takes about 3 minutes on 2 cores, most of it
the ~1,300 long texts. ``--limit N`` takes a seeded random sample of N rows per corpus (for
``long``: of the SMS and check-set texts it starts from, the same SMS sample as ``sms``).

    .venv/bin/python bench/real_traffic.py [--shared PATH] [--corpora vntc,sms,long] [--limit N]
        [--seed 0] [--threshold 0.5] [--models DIR] [--show 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collector.parse import ParseError, parse  # noqa: E402
from core.config import Settings  # noqa: E402
from nlp.analyze import RELEVANCE_THRESHOLD, Analyzer  # noqa: E402
from nlp.claims import MAX_TEXT_CHARS  # noqa: E402
from nlp.evaluate import balanced_threshold, reliability  # noqa: E402

Result = dict[str, Any]
Figures = dict[str, Any]

VNTC_RELEVANT = frozenset({"Khoa hoc", "Vi tinh"})
BAOMOI_RELEVANT = frozenset(
    {
        "khoa hoc",
        "mang may tinh va vien thong",
        "may vi tinh va do dien tu",
        "may vi tinh va do dien tu - mang may tinh va vien thong",
    }
)
VSFC_SENTIMENT = {"0": "negative", "1": "neutral", "2": "positive"}
VIHSD_LABELS = {"0": "clean", "1": "offensive", "2": "hate"}
SENTIMENTS = ["negative", "neutral", "positive"]
BUCKETS: tuple[tuple[str, int, float], ...] = (
    ("<20", 0, 20),
    ("20-100", 20, 100),
    ("100-400", 100, 400),
    (">400", 400, float("inf")),
)
PADDING_WORDS = 2_000
CONTROLS = 200  # paddings scored alone, as a control (the first ones drawn)
BATCH = 256
EXCERPT = 80
CHECK_SET = ROOT / "data" / "eval" / "check.jsonl"


class Missing(Exception):
    """A corpus file is not there."""


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    label: str = ""
    group: str = ""


class Scorer:
    """``Analyzer.analyze`` in batches, each distinct text scored once per run."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.cache: dict[str, Result] = {}

    def __call__(self, texts: Sequence[str]) -> list[Result]:
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        for i in range(0, len(todo), BATCH):
            chunk = todo[i : i + BATCH]
            self.cache.update(zip(chunk, self.analyzer.analyze(chunk), strict=True))
        return [self.cache[t] for t in texts]


@dataclass
class Ctx:
    data: Path
    scorer: Scorer
    threshold: float
    limit: int | None
    seed: int
    show: int


# --- reading the corpora ---------------------------------------------------------------------


def _need(path: Path) -> Path:
    if not path.is_file():
        raise Missing(str(path))
    return path


def _csv(path: Path) -> list[dict[str, str]]:
    with _need(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _lines(path: Path) -> list[str]:
    lines = _need(path).read_text(encoding="utf-8").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def read_vntc(data: Path) -> list[Row]:
    # ``text`` starts with the title already.
    return [Row(r["id"], r["text"], r["label"]) for r in _csv(data / "vntc" / "dev.csv")]


def read_baomoi(data: Path) -> list[Row]:
    return [
        Row(r["id"], f"{r['title']}. {r['sapo']}" if r["title"] else r["sapo"], r["label"])
        for r in _csv(data / "baomoi-tc201805" / "dev.csv")
    ]


def read_sms(data: Path) -> list[Row]:
    rows = _csv(data / "sms-smishing-ie403" / "sms.csv")
    return [Row(r["id"], r["text"], r["label"], r["origin"]) for r in rows]


def read_vsfc(data: Path) -> list[Row]:
    sents = _lines(data / "uit-vsfc" / "dev" / "sents.txt")
    labels = _lines(data / "uit-vsfc" / "dev" / "sentiments.txt")
    if len(sents) != len(labels):
        raise ValueError(f"uit-vsfc dev: {len(sents)} sentences but {len(labels)} labels")
    return [
        Row(f"vsfc-dev-{i}", s, VSFC_SENTIMENT[label.strip()])
        for i, (s, label) in enumerate(zip(sents, labels, strict=True))
    ]


def read_vihsd(data: Path) -> list[Row]:
    rows = _csv(data / "vihsd" / "dev.csv")
    return [
        Row(f"vihsd-dev-{i}", r["free_text"], VIHSD_LABELS[r["label_id"]])
        for i, r in enumerate(rows)
    ]


def read_vihos(data: Path) -> list[Row]:
    rows = _csv(data / "vihos" / "span" / "dev.csv")
    return [
        Row(
            f"vihos-dev-{i}",
            r["content"],
            "clean" if r["index_spans"].strip() in ("", "[]") else "toxic",
        )
        for i, r in enumerate(rows)
    ]


def read_rss(data: Path) -> tuple[list[Row], list[str]]:
    folder = data / "rss-vnexpress-2017"
    files = sorted(folder.glob("*.xml"))
    if not files:
        raise Missing(str(folder / "*.xml"))
    rows, notes = [], []
    for path in files:
        try:
            feed = parse(path.read_bytes())
        except ParseError as exc:
            notes.append(f"{path.name}: not parsed ({exc})")
            continue
        for i, e in enumerate(feed.entries):
            text = f"{e.title}. {e.text}" if e.title else e.text
            rows.append(Row(e.guid or f"{path.name}#{i}", text, group=path.name))
    return rows, notes


def read_check() -> list[Row]:
    rows = [json.loads(line) for line in _lines(_need(CHECK_SET)) if line.strip()]
    return [Row(str(r.get("id")), r["text"], r["misinfo"], r["category"]) for r in rows]


def _sample(rows: list[Row], ctx: Ctx, name: str) -> list[Row]:
    """A seeded random sample of ``--limit`` rows, in corpus order; all rows without a limit."""
    if ctx.limit is None or len(rows) <= ctx.limit:
        return rows
    keep = sorted(random.Random(f"{name}-{ctx.seed}").sample(range(len(rows)), ctx.limit))
    return [rows[i] for i in keep]


# --- figures -----------------------------------------------------------------------------------


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 6) if n else None


def _flagged(res: Result) -> bool:
    return bool(res["misinfo"] != "none")


def _model_only(res: Result) -> bool:
    return all(r["kind"] == "model" for r in res["reasons"] if r["weight"] > 0)


def common(results: Sequence[Result], threshold: float) -> Figures:
    """Shares every corpus gets: flagged, queued, flagged on the model's word alone, relevant."""
    n = len(results)
    flagged = [r for r in results if _flagged(r)]
    return {
        "n": n,
        "flagged": _share(len(flagged), n),
        "flagged_n": len(flagged),
        "flagged_by_label": dict(Counter(r["misinfo"] for r in flagged)),
        "queued": _share(sum(r["risk"] >= threshold for r in results), n),
        "queued_n": sum(r["risk"] >= threshold for r in results),
        "model_only": _share(sum(map(_model_only, flagged)), len(flagged)),
        "relevant_rate": _share(sum(r["relevant"] for r in results), n),
    }


def ece(scores: Sequence[float], truth: Sequence[bool], bins: int = 10) -> float | None:
    """Expected calibration error over ``bins`` equal-width bins (``nlp.evaluate.reliability``)."""
    rel = reliability(scores, truth, bins)
    return rel["ece"] if rel else None


def _bucket(text: str) -> str:
    return next(name for name, lo, hi in BUCKETS if lo <= len(text) < hi)


def by_length(rows: Sequence[Row], results: Sequence[Result]) -> dict[str, Figures]:
    """Relevance rate per text-length bucket."""
    out: dict[str, Figures] = {}
    for name, _, _ in BUCKETS:
        chosen = [res for row, res in zip(rows, results, strict=True) if _bucket(row.text) == name]
        out[name] = {
            "n": len(chosen),
            "relevant_rate": _share(sum(r["relevant"] for r in chosen), len(chosen)),
        }
    return out


def by_group(
    rows: Sequence[Row], results: Sequence[Result], key: Callable[[Row], str], threshold: float
) -> dict[str, Figures]:
    groups: dict[str, list[Result]] = {}
    for row, res in zip(rows, results, strict=True):
        groups.setdefault(key(row), []).append(res)
    out = {}
    for name, chosen in sorted(groups.items()):
        figures = common(chosen, threshold)
        figures["negative_rate"] = _share(
            sum(r["sentiment"] == "negative" for r in chosen), len(chosen)
        )
        out[name] = figures
    return out


def relevance_figures(
    rows: Sequence[Row], results: Sequence[Result], relevant: frozenset[str]
) -> Figures:
    truth = [row.label in relevant for row in rows]
    pred = [bool(res["relevant"]) for res in results]
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    fp = sum(p and not t for t, p in zip(truth, pred, strict=True))
    fn = sum(t and not p for t, p in zip(truth, pred, strict=True))
    precision = _share(tp, tp + fp)
    recall = _share(tp, tp + fn)
    f1 = _share(2 * tp, 2 * tp + fp + fn)
    off = [(row, res) for row, res, t in zip(rows, results, truth, strict=True) if not t]
    return {
        "relevant_labels": sorted(relevant),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "ece": ece([res["relevance"] for res in results], truth),
        "ece_of": "relevance vs topic mapping",
        "balanced_threshold": balanced_threshold([res["relevance"] for res in results], truth),
        "off_topic_relevant_by_length": by_length([r for r, _ in off], [r for _, r in off]),
    }


# --- printing helpers --------------------------------------------------------------------------


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def num(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return repr(text[:EXCERPT] + ("…" if len(text) > EXCERPT else ""))


def _common_lines(f: Figures) -> list[str]:
    labels = ", ".join(f"{k} {v}" for k, v in sorted(f["flagged_by_label"].items())) or "none"
    return [
        f"  flagged {pct(f['flagged'])} ({f['flagged_n']}/{f['n']}: {labels}); queued"
        f" {pct(f['queued'])} ({f['queued_n']}); model-only among flagged {pct(f['model_only'])};"
        f" relevant {pct(f['relevant_rate'])}"
    ]


def _length_line(title: str, buckets: dict[str, Figures]) -> str:
    parts = [f"{k} {pct(v['relevant_rate'])} (n={v['n']})" for k, v in buckets.items()]
    return f"  {title}: " + ", ".join(parts)


def _group_lines(title: str, groups: dict[str, Figures], negative: bool = False) -> list[str]:
    lines = [f"  {title}:"]
    width = max(map(len, groups), default=0)
    for name, g in groups.items():
        extra = f", negative sentiment {pct(g['negative_rate'])}" if negative else ""
        lines.append(
            f"    {name:<{width}} n {g['n']:>5}  flagged {pct(g['flagged']):>6}"
            f"  queued {pct(g['queued']):>6}  relevant {pct(g['relevant_rate']):>6}{extra}"
        )
    return lines


def _examples(
    title: str, pairs: Iterable[tuple[Row, Result]], show: int, key: str = "risk"
) -> list[str]:
    chosen = sorted(pairs, key=lambda p: -p[1][key])
    if not show or not chosen:
        return []
    lines = [f"  {title}, {min(show, len(chosen))} of {len(chosen)} (highest {key} first):"]
    for row, res in chosen[:show]:
        label = f" [{row.label[:24]}]" if row.label else ""
        lines.append(
            f"    {row.id[:28]:<28}{label} {res['misinfo']:<10} risk {res['risk']:.2f}"
            f" rel {res['relevance']:.2f}  {excerpt(row.text)}"
        )
    return lines


# --- the corpora -------------------------------------------------------------------------------


def news(rows: list[Row], relevant: frozenset[str], ctx: Ctx) -> tuple[Figures, list[str]]:
    results = ctx.scorer([r.text for r in rows])
    f = common(results, ctx.threshold) | relevance_figures(rows, results, relevant)
    per_label = by_group(rows, results, lambda r: r.label, ctx.threshold)
    f["by_label"] = per_label
    f["note"] = f"tp {f['tp']} fp {f['fp']} fn {f['fn']}"
    lines = [
        f"  relevant topics: {', '.join(sorted(relevant))}; the {len(per_label) - len(relevant)}"
        " others off topic"
    ]
    lines += _common_lines(f)
    lines.append(
        f"  relevance P {num(f['precision'])} R {num(f['recall'])} F1 {num(f['f1'])}"
        f" (tp {f['tp']}, fp {f['fp']}, fn {f['fn']}); ECE {num(f['ece'])}"
    )
    if f["balanced_threshold"]:
        t, p, r = f["balanced_threshold"]
        lines.append(
            f"  relevance threshold {RELEVANCE_THRESHOLD} in service; the one that maximises"
            f" min(P, R) here: {t} (P {num(p)} R {num(r)})"
        )
    lines.append(
        _length_line(
            "off-topic texts called relevant, by length", f["off_topic_relevant_by_length"]
        )
    )
    lines += _group_lines(
        "by topic (* = relevant)",
        {("* " if k in relevant else "  ") + k: v for k, v in per_label.items()},
    )
    pairs = list(zip(rows, results, strict=True))
    lines += _examples("flagged", [p for p in pairs if _flagged(p[1])], ctx.show)
    lines += _examples(
        "off-topic called relevant",
        [p for p in pairs if p[1]["relevant"] and p[0].label not in relevant],
        ctx.show,
        key="relevance",
    )
    return f, lines


def bench_vntc(ctx: Ctx) -> tuple[Figures, list[str]]:
    return news(_sample(read_vntc(ctx.data), ctx, "vntc"), VNTC_RELEVANT, ctx)


def bench_baomoi(ctx: Ctx) -> tuple[Figures, list[str]]:
    return news(_sample(read_baomoi(ctx.data), ctx, "baomoi"), BAOMOI_RELEVANT, ctx)


def bench_sms(ctx: Ctx) -> tuple[Figures, list[str]]:
    rows = _sample(read_sms(ctx.data), ctx, "sms")
    results = ctx.scorer([r.text for r in rows])
    f = common(results, ctx.threshold)
    split: dict[str, Figures] = {}
    for origin in ("inbox", "public_report", "all"):
        chosen = [
            (row, res)
            for row, res in zip(rows, results, strict=True)
            if origin in ("all", row.group)
        ]
        pos = [res for row, res in chosen if row.label == "1"]
        neg = [res for row, res in chosen if row.label == "0"]
        split[origin] = {
            "positives": len(pos),
            "negatives": len(neg),
            "recall_queued": _share(sum(r["risk"] >= ctx.threshold for r in pos), len(pos)),
            "recall_scam_label": _share(sum(r["misinfo"] == "scam" for r in pos), len(pos)),
            "false_alarm_queued": _share(sum(r["risk"] >= ctx.threshold for r in neg), len(neg)),
            "false_alarm_flagged": _share(sum(map(_flagged, neg)), len(neg)),
        }
    f["by_origin"] = split
    f["ece"] = ece([r["risk"] for r in results], [row.label == "1" for row in rows])
    f["ece_of"] = "risk vs smishing label"
    a = split["all"]
    f["note"] = (
        f"recall {pct(a['recall_queued'])}, false alarms {pct(a['false_alarm_queued'])}"
        f" (inbox: {pct(split['inbox']['recall_queued'])} / {pct(split['inbox']['false_alarm_queued'])})"
    )
    lines = _common_lines(f)
    lines.append(f"  ECE (risk vs label 1): {num(f['ece'])}")
    lines.append(
        f"  {'origin':<14} {'pos':>5} {'recall queued':>14} {'labelled scam':>14}"
        f" {'neg':>5} {'FAR queued':>11} {'FAR flagged':>12}"
    )
    for origin, s in split.items():
        lines.append(
            f"  {origin:<14} {s['positives']:>5} {pct(s['recall_queued']):>14}"
            f" {pct(s['recall_scam_label']):>14} {s['negatives']:>5}"
            f" {pct(s['false_alarm_queued']):>11} {pct(s['false_alarm_flagged']):>12}"
        )
    pairs = list(zip(rows, results, strict=True))
    lines += _examples(
        "false alarms (label 0, queued)",
        [p for p in pairs if p[0].label == "0" and p[1]["risk"] >= ctx.threshold],
        ctx.show,
    )
    return f, lines


def bench_vsfc(ctx: Ctx) -> tuple[Figures, list[str]]:
    rows = _sample(read_vsfc(ctx.data), ctx, "uit-vsfc")
    results = ctx.scorer([r.text for r in rows])
    f = common(results, ctx.threshold)
    truth = [r.label for r in rows]
    pred = [r["sentiment"] for r in results]
    per_class = f1_score(truth, pred, labels=SENTIMENTS, average=None, zero_division=0)
    f["sentiment_macro_f1"] = round(float(per_class.mean()), 4)
    f["sentiment_f1"] = {k: round(float(v), 4) for k, v in zip(SENTIMENTS, per_class, strict=True)}
    f["sentiment_accuracy"] = _share(
        sum(t == p for t, p in zip(truth, pred, strict=True)), len(rows)
    )
    f["relevant_by_length"] = by_length(rows, results)
    f["note"] = "F1 " + " / ".join(f"{k[:3]} {v:.3f}" for k, v in f["sentiment_f1"].items())
    counts = Counter(truth)
    lines = _common_lines(f)
    lines.append(
        f"  sentiment macro-F1 {num(f['sentiment_macro_f1'])}, accuracy"
        f" {pct(f['sentiment_accuracy'])}; per class "
        + ", ".join(f"{k} {v:.3f} (n={counts[k]})" for k, v in f["sentiment_f1"].items())
    )
    lines.append("  predicted: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(pred).items())))
    lines.append(_length_line("called relevant, by length (unlabelled)", f["relevant_by_length"]))
    pairs = list(zip(rows, results, strict=True))
    lines += _examples("flagged", [p for p in pairs if _flagged(p[1])], ctx.show)
    return f, lines


def social(rows: list[Row], ctx: Ctx, labels: str) -> tuple[Figures, list[str]]:
    results = ctx.scorer([r.text for r in rows])
    f = common(results, ctx.threshold)
    f["by_label"] = by_group(rows, results, lambda r: r.label, ctx.threshold)
    f["relevant_by_length"] = by_length(rows, results)
    f["note"] = "no sentiment labels (" + labels + ")"
    lines = _common_lines(f)
    lines += _group_lines(f"by label ({labels})", f["by_label"], negative=True)
    lines.append(_length_line("called relevant, by length (unlabelled)", f["relevant_by_length"]))
    pairs = list(zip(rows, results, strict=True))
    lines += _examples("flagged", [p for p in pairs if _flagged(p[1])], ctx.show)
    return f, lines


def bench_vihsd(ctx: Ctx) -> tuple[Figures, list[str]]:
    return social(_sample(read_vihsd(ctx.data), ctx, "vihsd"), ctx, "clean/offensive/hate")


def bench_vihos(ctx: Ctx) -> tuple[Figures, list[str]]:
    return social(_sample(read_vihos(ctx.data), ctx, "vihos"), ctx, "toxic spans or clean")


def bench_rss(ctx: Ctx) -> tuple[Figures, list[str]]:
    rows, notes = read_rss(ctx.data)
    rows = _sample(rows, ctx, "rss")
    results = ctx.scorer([r.text for r in rows])
    f = common(results, ctx.threshold)
    f["by_file"] = by_group(rows, results, lambda r: r.group, ctx.threshold)
    f["note"] = "unlabelled news"
    lines = [f"  {n}" for n in notes] + _common_lines(f)
    lines += _group_lines("by file", f["by_file"])
    pairs = list(zip(rows, results, strict=True))
    lines += _examples("flagged", [p for p in pairs if _flagged(p[1])], ctx.show)
    lines += _examples(
        "called relevant", [p for p in pairs if p[1]["relevant"]], ctx.show, key="relevance"
    )
    return f, lines


def _padding(rng: random.Random, pool: Sequence[str], words: int) -> tuple[str, str]:
    """Whole articles drawn from ``pool`` until ``words`` words, split in two halves."""
    chosen: list[str] = []
    count = 0
    order: list[int] = []
    while count < words:
        if not order:
            order = rng.sample(range(len(pool)), len(pool))
        text = pool[order.pop()]
        chosen.append(text)
        count += len(text.split())
    running, cut = 0, len(chosen)
    for i, text in enumerate(chosen):
        running += len(text.split())
        if running >= count / 2:
            cut = i + 1
            break
    return "\n\n".join(chosen[:cut]), "\n\n".join(chosen[cut:])


def bench_long(ctx: Ctx) -> tuple[Figures, list[str]]:
    pool = [r.text for r in read_vntc(ctx.data) if r.label not in VNTC_RELEVANT]
    if not pool:
        raise Missing("vntc/dev.csv has no off-topic articles to pad with")
    lines: list[str] = []
    sources: list[tuple[str, Row]] = []
    for source, reader in (("sms", lambda: read_sms(ctx.data)), ("check", read_check)):
        try:
            sources += [(source, r) for r in _sample(reader(), ctx, source)]
        except Missing as exc:
            lines.append(f"  {source}: not found ({exc}), left out")
    if not sources:
        raise Missing("neither the SMS corpus nor data/eval/check.jsonl")
    before = ctx.scorer([r.text for _, r in sources])
    picked = [
        (src, row, res)
        for (src, row), res in zip(sources, before, strict=True)
        if _flagged(res) and res["risk"] >= ctx.threshold
    ]
    rng = random.Random(ctx.seed)
    pads = [_padding(rng, pool, PADDING_WORDS) for _ in picked]
    embedded = [
        f"{a}\n\n{row.text}\n\n{b}" for (_, row, _), (a, b) in zip(picked, pads, strict=True)
    ]
    controls = [f"{a}\n\n{b}" for a, b in pads[:CONTROLS]]
    after = ctx.scorer(embedded)
    control = ctx.scorer(controls)

    f = common(after, ctx.threshold)
    per_source: dict[str, Figures] = {}
    for source in sorted({s for s, _ in sources}):
        idx = [i for i, (s, _, _) in enumerate(picked) if s == source]
        truly = [i for i in idx if picked[i][1].label in ("1", "distortion", "scam")]
        per_source[source] = {
            "texts": sum(s == source for s, _ in sources),
            "flagged_and_queued": len(idx),
            "kept_flag": sum(after[i]["misinfo"] == picked[i][2]["misinfo"] for i in idx),
            "still_queued": sum(after[i]["risk"] >= ctx.threshold for i in idx),
            "truly_positive": len(truly),
            "truly_positive_kept_flag": sum(
                after[i]["misinfo"] == picked[i][2]["misinfo"] for i in truly
            ),
            "truly_positive_still_queued": sum(after[i]["risk"] >= ctx.threshold for i in truly),
        }
    kept = sum(a["misinfo"] == p[2]["misinfo"] for a, p in zip(after, picked, strict=True))
    queued = sum(a["risk"] >= ctx.threshold for a in after)
    words = [len(a.split()) + len(b.split()) for a, b in pads]
    f |= {
        "kept_flag": kept,
        "kept_flag_share": _share(kept, len(picked)),
        "still_queued": queued,
        "still_queued_share": _share(queued, len(picked)),
        "by_source": per_source,
        "control_n": len(control),
        "control_flagged": sum(map(_flagged, control)),
        "control_queued": sum(c["risk"] >= ctx.threshold for c in control),
        "padding_words_mean": round(sum(words) / len(words)) if words else None,
        "longest_chars": max(map(len, embedded), default=0),
    }
    f["note"] = (
        f"kept flag {kept}/{len(picked)}, still queued {queued}/{len(picked)};"
        f" padding alone flagged {f['control_flagged']}/{len(control)}"
    )
    lines.append(
        f"  {len(picked)} flagged and queued texts embedded in ~{f['padding_words_mean']} words"
        f" of VNTC off-topic news (longest {f['longest_chars']} chars; the analyser keeps"
        f" {MAX_TEXT_CHARS})"
    )
    for source, s in per_source.items():
        lines.append(
            f"  {source:<6} {s['flagged_and_queued']}/{s['texts']} picked: kept flag"
            f" {s['kept_flag']}, still queued {s['still_queued']}; of them truly positive"
            f" {s['truly_positive']}: kept {s['truly_positive_kept_flag']}, queued"
            f" {s['truly_positive_still_queued']}"
        )
    lines.append(
        f"  kept flag {kept}/{len(picked)} ({pct(f['kept_flag_share'])}), still queued"
        f" {queued}/{len(picked)} ({pct(f['still_queued_share'])}); after embedding: "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(a["misinfo"] for a in after).items()))
    )
    lines.append(
        f"  control (padding alone): flagged {f['control_flagged']}/{len(controls)},"
        f" queued {f['control_queued']}/{len(controls)}"
    )
    lost = [
        (row, res)
        for (_, row, _), res in zip(picked, after, strict=True)
        if res["risk"] < ctx.threshold
    ]
    lines += _examples(
        "no longer queued (label and risk after embedding; the embedded text)", lost, ctx.show
    )
    return f, lines


BENCHES: dict[str, Callable[[Ctx], tuple[Figures, list[str]]]] = {
    "vntc": bench_vntc,
    "baomoi": bench_baomoi,
    "sms": bench_sms,
    "uit-vsfc": bench_vsfc,
    "vihsd": bench_vihsd,
    "vihos": bench_vihos,
    "rss": bench_rss,
    "long": bench_long,
}

COLUMNS = (
    ("corpus", 9),
    ("n", 5),
    ("flagged", 7),
    ("queued", 7),
    ("model-only", 10),
    ("relevant", 8),
    ("rel P", 6),
    ("rel R", 6),
    ("rel F1", 6),
    ("ECE", 6),
    ("sent F1", 7),
    ("time s", 6),
)


def table(report: dict[str, Figures]) -> list[str]:
    header = " ".join(
        f"{name:<{w}}" if i == 0 else f"{name:>{w}}" for i, (name, w) in enumerate(COLUMNS)
    )
    lines = [header + "  note", "-" * (len(header) + 30)]
    for name, f in report.items():
        if "missing" in f:
            lines.append(f"{name:<9} missing: {f['missing']}")
            continue
        cells = [
            f"{f['n']:>5}",
            f"{pct(f['flagged']):>7}",
            f"{pct(f['queued']):>7}",
            f"{pct(f['model_only']):>10}",
            f"{pct(f['relevant_rate']):>8}",
            f"{num(f.get('precision')):>6}",
            f"{num(f.get('recall')):>6}",
            f"{num(f.get('f1')):>6}",
            f"{num(f.get('ece')):>6}",
            f"{num(f.get('sentiment_macro_f1')):>7}",
            f"{f['seconds']:>6.1f}",
        ]
        lines.append(f"{name:<9} " + " ".join(cells) + f"  {f.get('note', '')}")
    return lines


def _data_dir(shared: Path) -> Path:
    """``shared/data`` (or ``shared`` itself when it already holds the corpus folders)."""
    return shared / "data" if (shared / "data").is_dir() else shared


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    default_shared = os.environ.get("DULUAN_SHARED") or str(ROOT.parent / "shared")
    parser.add_argument(
        "--shared", type=Path, default=Path(default_shared), help="the shared/ folder"
    )
    parser.add_argument(
        "--corpora",
        default=",".join(BENCHES),
        help=f"comma-separated, from: {', '.join(BENCHES)}",
    )
    parser.add_argument("--limit", type=int, help="seeded random sample of N rows per corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--threshold", type=float, help="review risk threshold (default: the setting)"
    )
    parser.add_argument("--models", type=Path, default=ROOT / "models", help="models folder")
    parser.add_argument("--show", type=int, default=3, help="examples printed per list")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown corpora {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    threshold = Settings().review_risk_threshold if args.threshold is None else args.threshold
    data = _data_dir(args.shared)
    if not data.is_dir():
        sys.exit(f"{data} not found: this benchmark reads the corpora in shared/data")

    started = time.perf_counter()
    analyzer = Analyzer.load(args.models, ROOT / "data" / "facts")
    ctx = Ctx(data, Scorer(analyzer), threshold, args.limit, args.seed, args.show)
    report: dict[str, Figures] = {}
    details: list[str] = []
    for name in names:
        t0 = time.perf_counter()
        try:
            figures, lines = BENCHES[name](ctx)
        except Missing as exc:
            report[name] = {"missing": str(exc)}
            details += ["", f"{name}: not found: {exc} (skipped)"]
            print(f"{name}: not found ({exc})", file=sys.stderr)
            continue
        figures["seconds"] = round(time.perf_counter() - t0, 2)
        report[name] = figures
        details += ["", f"{name} — {figures['n']} texts, {figures['seconds']:.1f} s", *lines]
        print(f"{name}: {figures['n']} texts, {figures['seconds']:.1f} s", file=sys.stderr)
    total = time.perf_counter() - started
    if all("missing" in f for f in report.values()):
        sys.exit(f"no corpus found under {data}: the selected corpora are all missing")

    meta = {
        "models": dict(analyzer.versions),
        "threshold": threshold,
        "seed": args.seed,
        "limit": args.limit,
        "shared": str(data),
        "corpora": names,
        "seconds": round(total, 1),
    }
    print(f"models: {', '.join(f'{k} {v}' for k, v in analyzer.versions.items())}")
    print(
        f"review threshold {threshold}; seed {args.seed}; limit"
        f" {args.limit or 'none (all dev rows)'}; data {data}"
    )
    print()
    print("\n".join(table(report)))
    print("\n".join(details))
    print(f"\ntotal {total:.1f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"meta": meta, "corpora": report}, ensure_ascii=False, indent=2, sort_keys=True
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
