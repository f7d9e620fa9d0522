"""The product's own quality figures on a labelled check set (``data/eval/check.jsonl``).

Rows carry ``text``, ``category`` (distortion, scam, scam_warning, factcheck, criticism,
positive, neutral, off_topic, legit_notice), ``relevant``, ``sentiment`` and ``misinfo``. The
figures are the ones the NLP targets name: recall of distortions and scams, the false-positive
rate (flagged as distortion or scam) on legitimate criticism, scam warnings, fact-checks and
legitimate notices (promotions, bank and carrier messages, genuine OTPs, official notices that
share a scam's vocabulary of money, codes and deadlines), relevance accuracy and sentiment
macro-F1.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from sklearn.metrics import f1_score

from nlp.analyze import Analyzer

PROTECTED = ("criticism", "scam_warning", "factcheck", "legit_notice")


class CheckRow(TypedDict):
    """One labelled row of the check set or the seed (``data/eval/check.jsonl``,
    ``data/seed/seed.jsonl``; their README describes the categories)."""

    id: NotRequired[str]
    text: str
    category: str
    relevant: bool
    sentiment: str
    misinfo: str


def load_rows(path: Path) -> list[CheckRow]:
    """The rows of a JSONL file of ``CheckRow``s (blank lines skipped); ``json.JSONDecodeError``
    on a malformed line, ``OSError`` when unreadable."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def reliability(
    scores: Sequence[float], truth: Sequence[bool], bins: int = 10
) -> dict[str, Any] | None:
    """How far scores are from being probabilities: ``bins`` equal-width bins of the score in
    [0, 1], each with its count, mean score and observed rate of ``truth``, and the expected
    calibration error ECE = Σ_b (n_b / N) · |mean score_b − observed rate_b| (0 for perfectly
    calibrated scores; Guo et al. 2017). None when there are no scores. Scores outside [0, 1]
    are clipped into the end bins."""
    if not scores:
        return None
    count = [0] * bins
    score_sum = [0.0] * bins
    positive = [0] * bins
    for s, y in zip(scores, truth, strict=True):
        b = min(max(int(s * bins), 0), bins - 1)
        count[b] += 1
        score_sum[b] += s
        positive[b] += bool(y)
    table = [
        {
            "from": round(b / bins, 4),
            "to": round((b + 1) / bins, 4),
            "n": count[b],
            "mean_score": round(score_sum[b] / count[b], 4),
            "observed": round(positive[b] / count[b], 4),
        }
        for b in range(bins)
        if count[b]
    ]
    ece = sum(abs(score_sum[b] - positive[b]) for b in range(bins) if count[b]) / len(scores)
    return {"ece": round(ece, 4), "bins": table}


# The review threshold is chosen so that at least this share of what it queues is misinformation
# on the project's labelled check set (the lowest threshold of THRESHOLD_GRID that reaches it).
PRECISION_TARGET = 0.9
THRESHOLD_GRID = tuple(round(0.05 * i, 2) for i in range(2, 20))


def threshold_table(scores: Sequence[float], truth: Sequence[bool]) -> dict[str, Any]:
    """Precision and recall of "queued" (score >= t) against ``truth`` for each t of
    :data:`THRESHOLD_GRID`, and the lowest t whose precision reaches :data:`PRECISION_TARGET`
    (None when none does). Precision depends on the share of misinformation in the rows: on real
    traffic, where it is rare, the same threshold queues a larger share of false alarms."""
    positives = sum(map(bool, truth))
    table: list[dict[str, Any]] = []
    reaching: list[float] = []
    for t in THRESHOLD_GRID:
        queued = [y for s, y in zip(scores, truth, strict=True) if s >= t]
        hits = sum(map(bool, queued))
        table.append(
            {
                "threshold": t,
                "queued": len(queued),
                "precision": round(hits / len(queued), 4) if queued else None,
                "recall": round(hits / positives, 4) if positives else None,
            }
        )
        if queued and hits / len(queued) >= PRECISION_TARGET:
            reaching.append(t)
    return {
        "precision_target": PRECISION_TARGET,
        "lowest_threshold_reaching_target": min(reaching) if reaching else None,
        "by_threshold": table,
    }


RELEVANCE_GRID = tuple(round(0.01 * i, 2) for i in range(20, 81))


def balanced_threshold(
    scores: Sequence[float], truth: Sequence[bool], grid: Sequence[float] = RELEVANCE_GRID
) -> tuple[float, float, float] | None:
    """The threshold t of ``grid`` (default 0.20 to 0.80 by 0.01) that maximises
    min(precision, recall) of "score >= t" against ``truth`` (ties go to the t closest to 0.5),
    with that precision and recall: ``(t, precision, recall)``. None when ``truth`` has no
    positive or no t calls anything. The rule that sets ``nlp.analyze.RELEVANCE_THRESHOLD`` on
    real news (both targets are floors: precision and recall >= 0.85)."""
    positives = sum(map(bool, truth))
    best: tuple[float, float, float, float] | None = None  # (min, -|t - 0.5|, p, r) for t
    chosen = None
    for t in grid:
        called = [y for s, y in zip(scores, truth, strict=True) if s >= t]
        if not called or not positives:
            continue
        hits = sum(map(bool, called))
        p, r = hits / len(called), hits / positives
        key = (min(p, r), -abs(t - 0.5), p, r)
        if best is None or key[:2] > best[:2]:
            best, chosen = key, (t, round(p, 4), round(r, 4))
    return chosen


def figures(rows: Sequence[CheckRow], results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Targets' figures from labelled rows and their analyses (same order): ``AnalysisResult``s,
    or hand-made results that give the labels alone (no reliability then)."""

    def share(cat: str, pred: Any) -> float | None:
        chosen = [res for row, res in zip(rows, results, strict=True) if row["category"] == cat]
        return round(sum(map(pred, chosen)) / len(chosen), 4) if chosen else None

    flagged = lambda r: r["misinfo"] != "none"  # noqa: E731 - one-line predicate
    out: dict[str, Any] = {
        "rows": len(rows),
        "recall": {
            "distortion": share("distortion", lambda r: r["misinfo"] == "distortion"),
            "scam": share("scam", lambda r: r["misinfo"] == "scam"),
        },
        "false_positive_rate": {cat: share(cat, flagged) for cat in PROTECTED},
        "relevance_accuracy": round(
            sum(
                bool(row["relevant"]) == res["relevant"]
                for row, res in zip(rows, results, strict=True)
            )
            / len(rows),
            4,
        )
        if rows
        else None,
        "sentiment_macro_f1": round(
            float(
                f1_score(
                    [row["sentiment"] for row in rows],
                    [res["sentiment"] for res in results],
                    labels=["negative", "neutral", "positive"],
                    average="macro",
                    zero_division=0,
                )
            ),
            4,
        )
        if rows
        else None,
    }
    # Are the scores probabilities? relevance vs the relevant label, risk vs "is misinformation".
    # (Only for results that carry the scores: hand-made ones may give labels alone.)
    out["reliability"] = {
        "relevance": reliability(
            [res["relevance"] for res in results], [bool(row["relevant"]) for row in rows]
        )
        if all("relevance" in res for res in results)
        else None,
        "risk": reliability(
            [res["risk"] for res in results], [row["misinfo"] != "none" for row in rows]
        )
        if all("risk" in res for res in results)
        else None,
    }
    if all("risk" in res for res in results):
        out["thresholds"] = threshold_table(
            [res["risk"] for res in results], [row["misinfo"] != "none" for row in rows]
        )
    out["mistakes"] = [
        {
            "id": row.get("id"),
            "category": row["category"],
            "text": row["text"][:140],
            "predicted": {k: res[k] for k in ("misinfo", "relevant", "sentiment")},
        }
        for row, res in zip(rows, results, strict=True)
        if (row["misinfo"] != res["misinfo"]) or (bool(row["relevant"]) != res["relevant"])
    ]
    return out


def evaluate_file(analyzer: Analyzer, path: Path) -> dict[str, Any]:
    rows = load_rows(path)
    return figures(rows, analyzer.analyze([r["text"] for r in rows]))
