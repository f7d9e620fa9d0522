"""Learning from reviewers: their decided labels, a dataset snapshot, champion vs challenger.

Labels come from decided review tasks (``review.decisions.review_labels``: an analyst's override
wins over collaborators' verdicts; a reviewer's corrected sentiment or relevance is a label for
that task too), handed in through the ``ReviewedText`` protocol: this module never reads
verdicts. Nobody's name is carried: a label is an item's text and what was decided about it.

The evaluation set is the same for champion and challenger and never trained on:
  * a fixed held-out part of the seed data: the rows whose id hashes into the first
    ``SEED_HOLDOUT_PERCENT`` of 100 (the shipped defaults are trained without them too);
  * the project's check set (``data/eval/check.jsonl``), written separately;
  * the most recently decided reviewed items (a time-based split: the newest ``eval_share``).
Seed and check rows carry categories, so the false-positive rates on criticism and scam warnings
are measured on both.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NotRequired, Protocol, TypedDict

from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from core.vocabulary import FLAGS
from nlp.claims import prepare_many
from nlp.evaluate import load_rows, reliability
from nlp.facts import FactBase
from nlp.pipeline import CLASSIFIERS
from nlp.train import Dataset, display_path

# Categories of the check set whose items must not be flagged (the gate's false-positive rates).
PROTECTED = ("criticism", "scam_warning")
SEED_HOLDOUT_PERCENT = 10
Progress = Callable[[str, float], None]


class ReviewedText(Protocol):
    """What retraining needs of one reviewed item (``review.decisions.ReviewLabel`` is one): its
    text, when and why it was decided, by whom (``"review"`` or ``"override"``), and its label for
    a classifier (``label(classifier)``: a class name, or None when the decision says nothing of it)."""

    @property
    def text(self) -> str: ...

    @property
    def decided_at(self) -> datetime: ...

    @property
    def queue_reason(self) -> str: ...

    @property
    def by(self) -> str: ...

    def label(self, classifier: str) -> str | None: ...


class EvalRow(TypedDict):
    """One row a challenger and its champion are compared on (``eval.jsonl`` beside each model).

    ``label``: the classifier's class; ``category``: the check set's or seed's category (None for
    reviewed texts); ``origin``: ``seed_holdout``, ``check`` or ``reviews``."""

    id: NotRequired[str | None]
    text: str
    label: str
    category: str | None
    origin: str


@dataclass
class Snapshot:
    """The training rows and the evaluation rows of one classifier, and what they are made of."""

    classifier: str
    train: Dataset
    eval_rows: list[EvalRow]
    info: dict[str, Any] = field(default_factory=dict)


def _digest(rows: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for text, label in rows:
        h.update(text.encode())
        h.update(b"\x1f")
        h.update(label.encode())
        h.update(b"\x1e")
    return h.hexdigest()


def _label(reviewed: ReviewedText, classifier: str) -> str:
    """The label of a reviewed text that has one for ``classifier`` (the caller chose those)."""
    label = reviewed.label(classifier)
    if label is None:
        raise ValueError(f"a reviewed text has no {classifier} label")
    return label


def _labelled_rows(path: Path, classifier: str, origin: str) -> list[EvalRow]:
    """The project's own JSONL (seed or check set): id, text, category and the classifier's label."""
    rows: list[EvalRow] = []
    for row in load_rows(path):
        label = (
            ("relevant" if row["relevant"] else "off_topic")
            if classifier == "relevance"
            else row["sentiment"]
            if classifier == "sentiment"
            else row["misinfo"]
        )
        rows.append(
            {
                "id": row.get("id"),
                "text": row["text"],
                "label": label,
                "category": row.get("category"),
                "origin": origin,
            }
        )
    return rows


def seed_held_out(row_id: str) -> bool:
    """Whether a seed row belongs to the fixed evaluation part (stable across runs and edits)."""
    digest = hashlib.sha256(row_id.encode("utf-8")).hexdigest()
    return int(digest, 16) % 100 < SEED_HOLDOUT_PERCENT


def split_seed(path: Path, classifier: str) -> tuple[Dataset, list[EvalRow]]:
    """The seed file's training part (a Dataset) and its fixed held-out part (evaluation rows)."""
    rows = _labelled_rows(path, classifier, "seed_holdout")
    fit = [r for r in rows if not seed_held_out(str(r["id"]))]
    held = [r for r in rows if seed_held_out(str(r["id"]))]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Dataset(
        [r["text"] for r in fit], [r["label"] for r in fit], display_path(path), digest
    ), held


def build_snapshot(
    classifier: str,
    *,
    seed: Path | Dataset,
    check: Path,
    reviews: Sequence[ReviewedText] | None = None,
    external: list[Dataset] | None = None,
    eval_share: float = 0.2,
) -> Snapshot:
    """Seed (but its fixed held-out part) + reviewed labels (all but the newest ``eval_share``)
    + external files for training; the seed's held-out part + the check set + the newest reviewed
    labels for evaluation. A ``Dataset`` given as ``seed`` is used whole (no seed hold-out)."""
    if classifier not in CLASSIFIERS:
        raise ValueError(f"unknown classifier {classifier!r}")
    seed_eval: list[EvalRow] = []
    if isinstance(seed, Dataset):
        base = seed
    else:
        base, seed_eval = split_seed(seed, classifier)
    labelled = [r for r in (reviews or []) if r.label(classifier) is not None]
    n_eval = int(round(len(labelled) * eval_share)) if len(labelled) >= 5 else 0
    fit_reviews = labelled[: len(labelled) - n_eval]
    eval_reviews = labelled[len(labelled) - n_eval :]
    texts, labels = list(base.texts), list(base.labels)
    weights = base.weights()
    outside = base.outside()
    texts += [r.text for r in fit_reviews]
    labels += [_label(r, classifier) for r in fit_reviews]
    weights += [1.0] * len(fit_reviews)
    outside += [False] * len(fit_reviews)
    sources = {
        ("seed" if base.source.endswith("seed.jsonl") else f"base:{base.source}"): len(base.texts),
        "reviews": len(fit_reviews),
    }
    for ds in external or []:
        texts += ds.texts
        labels += ds.labels
        weights += ds.weights()
        outside += ds.outside()
        sources[f"external:{ds.source}"] = len(ds.texts)
    eval_rows = (
        seed_eval
        + _labelled_rows(check, classifier, "check")
        + [
            EvalRow(text=r.text, label=_label(r, classifier), category=None, origin="reviews")
            for r in eval_reviews
        ]
    )
    train_digest = _digest(list(zip(texts, labels, strict=True)))
    info = {
        "sha256": train_digest,
        "rows": len(texts),
        "label_counts": dict(sorted(Counter(labels).items())),
        "sources": sources,
        "reviews": {
            "trained_on": len(fit_reviews),
            "held_out": len(eval_reviews),
            "from_uncertain_share": sum(r.queue_reason == "uncertain" for r in fit_reviews),
            "from_audit_sample": sum(r.queue_reason == "audit" for r in fit_reviews),
            "overrides": sum(r.by == "override" for r in fit_reviews),
            "time_range": [
                fit_reviews[0].decided_at.isoformat(),
                fit_reviews[-1].decided_at.isoformat(),
            ]
            if fit_reviews
            else None,
            "held_out_from": eval_reviews[0].decided_at.isoformat() if eval_reviews else None,
        },
        "eval_set": {
            "sha256": _digest([(r["text"], r["label"]) for r in eval_rows]),
            "rows": len(eval_rows),
            "seed_held_out": len(seed_eval),
            "check_set": sum(r["origin"] == "check" for r in eval_rows),
            "recent_reviews": len(eval_reviews),
        },
    }
    dataset = Dataset(
        texts,
        labels,
        source="snapshot",
        sha256=train_digest,
        skipped=base.skipped,
        row_weights=weights if set(weights) != {1.0} else None,
        outside_balance=outside if any(outside) else None,
    )
    return Snapshot(classifier, dataset, eval_rows, info)


def scores(
    pipeline: Pipeline, eval_rows: Sequence[EvalRow], classifier: str, facts: FactBase
) -> dict[str, Any]:
    """Macro-F1 on the evaluation rows, the reliability of the classifier's scores on them
    (``reliability``: ECE and 10 bins, ``nlp.evaluate.reliability``, of P(relevant) for
    relevance, of max(P(distortion), P(scam)) against "flagged" for misinfo, of the top
    probability against "correct" for sentiment) and, for misinfo, the share of criticism and scam
    warnings flagged (false-positive rates)."""
    X = prepare_many([r["text"] for r in eval_rows], facts)
    y = [r["label"] for r in eval_rows]
    proba = pipeline.predict_proba(X)
    classes = [str(c) for c in pipeline.named_steps["clf"].classes_]
    pred = [classes[int(i)] for i in proba.argmax(axis=1)]
    out: dict[str, Any] = {
        "rows": len(y),
        "macro_f1": round(
            float(
                f1_score(
                    y, pred, labels=list(CLASSIFIERS[classifier]), average="macro", zero_division=0
                )
            ),
            4,
        ),
        "reliability": _reliability(classifier, classes, proba, y, pred),
    }
    if classifier == "misinfo":
        fpr = {}
        for cat in PROTECTED:
            chosen = [p for r, p in zip(eval_rows, pred, strict=True) if r["category"] == cat]
            fpr[cat] = round(sum(p != "none" for p in chosen) / len(chosen), 4) if chosen else None
        out["false_positive_rate"] = fpr
    reviewed = [
        (r["label"], p) for r, p in zip(eval_rows, pred, strict=True) if r["origin"] == "reviews"
    ]
    if reviewed:
        out["recent_reviews_accuracy"] = round(sum(a == b for a, b in reviewed) / len(reviewed), 4)
    return out


def _reliability(
    classifier: str, classes: list[str], proba: Any, y: list[str], pred: list[str]
) -> dict[str, Any] | None:
    if classifier == "relevance":
        col = classes.index("relevant")
        return reliability([float(p[col]) for p in proba], [t == "relevant" for t in y])
    if classifier == "misinfo":
        cols = [classes.index(c) for c in FLAGS if c in classes]
        return reliability(
            [max(float(p[c]) for c in cols) for p in proba], [t != "none" for t in y]
        )
    return reliability(
        [float(p.max()) for p in proba], [a == b for a, b in zip(y, pred, strict=True)]
    )


def gate(challenger: dict[str, Any], champion: dict[str, Any] | None) -> list[str]:
    """Why the challenger must not replace the champion (empty when it may): worse macro-F1, or
    more legitimate criticism / scam warnings flagged."""
    if champion is None:
        return []
    problems = []
    if challenger["macro_f1"] < champion["macro_f1"]:
        problems.append(
            f"macro-F1 {challenger['macro_f1']:.4f} < champion's {champion['macro_f1']:.4f}"
        )
    for cat, rate in (challenger.get("false_positive_rate") or {}).items():
        theirs = (champion.get("false_positive_rate") or {}).get(cat)
        if rate is not None and theirs is not None and rate > theirs:
            problems.append(f"false-positive rate on {cat} {rate:.4f} > champion's {theirs:.4f}")
    return problems
