"""Read labelled files, train a classifier's pipeline, evaluate it on a seeded stratified hold-out."""

from __future__ import annotations

import csv
import hashlib
import json
import platform
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skops
import underthesea
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from core.config import ROOT
from nlp.claims import prepare_many
from nlp.facts import FactBase
from nlp.pipeline import C_GRID, CLASSIFIERS, PREPROCESS, build_pipeline
from nlp.registry import CardCalibration, ModelCard

# Columns that hold a classifier's label in the project's seed file when there is no `label` column.
CLASSIFIER_COLUMNS = {"relevance": "relevant", "sentiment": "sentiment", "misinfo": "misinfo"}
_TRUE = {"1", "true", "yes", "relevant", "co", "có"}
_FALSE = {"0", "false", "no", "off_topic", "irrelevant", "khong", "không"}


class DataError(ValueError):
    """A training file cannot be used (missing columns, unknown labels, too few rows)."""


@dataclass
class Dataset:
    """Labelled texts. ``weight`` is each row's weight in training against a seed row (a real
    corpus from outside the domain counts less); ``row_weights``, when set, is one per row and
    wins over ``weight``."""

    texts: list[str]
    labels: list[str]
    source: str
    sha256: str
    skipped: list[str] = field(default_factory=list)
    weight: float = 1.0
    row_weights: list[float] | None = None
    # Whether the rows count in the class balance. A corpus that only adds rows of one class
    # (real news as misinfo ``none``) is kept out: its rows add their weight to their class
    # without changing the balance (nlp.train.balanced_weights). ``outside_balance``, when set,
    # is one flag per row (True = kept out) and wins.
    in_balance: bool = True
    outside_balance: list[bool] | None = None

    def weights(self) -> list[float]:
        """One training weight per row."""
        return self.row_weights if self.row_weights is not None else [self.weight] * len(self.texts)

    def outside(self) -> list[bool]:
        """One flag per row: True when the row is kept out of the class balance."""
        if self.outside_balance is not None:
            return self.outside_balance
        return [not self.in_balance] * len(self.texts)


@dataclass
class TrainResult:
    pipeline: Pipeline
    metadata: ModelCard


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``"0=negative,1=neutral,2=positive"`` → ``{"0": "negative", ...}``."""
    if not spec:
        return {}
    mapping = {}
    for part in spec.split(","):
        raw, sep, label = part.partition("=")
        if not sep or not raw.strip() or not label.strip():
            raise DataError(f"bad label mapping {part!r}: use RAW=LABEL, comma-separated")
        mapping[raw.strip()] = label.strip()
    return mapping


def _canonical_label(classifier: str, value: Any, mapping: dict[str, str]) -> str:
    raw = str(value).strip()
    label = mapping.get(raw, raw)
    if classifier == "relevance":
        low = label.lower()
        if low in _TRUE:
            return "relevant"
        if low in _FALSE:
            return "off_topic"
    if label not in CLASSIFIERS[classifier]:
        raise DataError(
            f"label {raw!r} is not one of {', '.join(CLASSIFIERS[classifier])} (use --map)"
        )
    return label


def _rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append({"_line": n, **json.loads(line)})
                except json.JSONDecodeError as exc:
                    rows.append({"_line": n, "_error": f"invalid JSON: {exc.msg}"})
        return rows
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{"_line": n, **row} for n, row in enumerate(csv.DictReader(fh), 2)]


def read_labelled(
    path: Path,
    classifier: str,
    *,
    label_column: str | None = None,
    text_column: str = "text",
    mapping: dict[str, str] | None = None,
) -> Dataset:
    """Texts and canonical labels from a CSV or JSONL file; bad rows are skipped and listed."""
    if classifier not in CLASSIFIERS:
        raise DataError(f"unknown classifier {classifier!r}: one of {', '.join(CLASSIFIERS)}")
    rows = _rows(path)
    if not rows:
        raise DataError(f"{path}: no rows")
    first = next((r for r in rows if "_error" not in r), rows[0])
    column = label_column or ("label" if "label" in first else CLASSIFIER_COLUMNS[classifier])
    if column not in first or text_column not in first:
        raise DataError(f"{path}: needs columns {text_column!r} and {column!r}")
    texts, labels, skipped = [], [], []
    for row in rows:
        if "_error" in row:
            skipped.append(f"line {row['_line']}: {row['_error']}")
            continue
        text = str(row.get(text_column) or "").strip()
        if not text:
            skipped.append(f"line {row['_line']}: empty text")
            continue
        try:
            labels.append(_canonical_label(classifier, row.get(column), mapping or {}))
        except DataError as exc:
            skipped.append(f"line {row['_line']}: {exc}")
            continue
        texts.append(text)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Dataset(texts, labels, display_path(path), digest, skipped)


def display_path(path: Path) -> str:
    """Paths inside the repository are recorded relative to it, so model cards are portable."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def evaluate(
    pipeline: Pipeline, X: list[str], y: list[str], classes: tuple[str, ...]
) -> dict[str, Any]:
    """Macro-F1, per-class precision/recall/F1/support and the confusion matrix."""
    pred = pipeline.predict(X)
    labels = [c for c in classes if c in set(y) | set(pred)]
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    return {
        "macro_f1": round(
            float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)), 4
        ),
        "accuracy": round(float(np.mean(np.asarray(pred) == np.asarray(y))), 4),
        "per_class": {
            c: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, c in enumerate(labels)
        },
        "confusion": {
            "labels": labels,
            "matrix": confusion_matrix(y, pred, labels=labels).tolist(),
        },
        "rows": len(y),
    }


def balanced_weights(
    labels: list[str], weights: list[float], outside: list[bool] | None = None
) -> list[float]:
    """Each row's weight times its class's balancing factor ``n / (k * n_class)``, counted over
    the rows in the balance (``outside`` False: the seed, reviews, labelled files, a corpus with
    labels of every class; k classes, n rows); rows kept outside (a corpus of one class's rows)
    add their weight to their class without changing the balance.

    Balanced over every row (scikit-learn's ``class_weight="balanced"``), 30,000 news rows would
    take most of the misinfo ``none`` class's weight from the seed's criticism, warnings and
    fact-checks — the hard negatives — and fact-checks were flagged again. With no row outside
    this is exactly ``class_weight="balanced"`` (weighted by ``weights``: that is
    scikit-learn's ``class_weight="balanced"`` with sample weights — each class the same total)."""
    outside = outside or [False] * len(labels)
    mass: dict[str, float] = {}
    for label, w, out in zip(labels, weights, outside, strict=True):
        if not out:
            mass[label] = mass.get(label, 0.0) + w
    weighted = {label for label, w in zip(labels, weights, strict=True) if w > 0}
    if not weighted <= set(mass):
        raise DataError(f"every class needs rows in the balance: {sorted(weighted - set(mass))}")
    total, k = sum(mass.values()), len(mass)
    return [
        w * total / (k * mass[label]) if w > 0 else 0.0
        for label, w in zip(labels, weights, strict=True)
    ]


def _log_loss(logits: np.ndarray, y: np.ndarray, weights: np.ndarray, temperature: float) -> float:
    log_p = log_softmax(logits / temperature, axis=1)
    return float(-(weights * log_p[np.arange(len(y)), y]).sum() / weights.sum())


def _logits(pipeline: Pipeline, X: list[str]) -> np.ndarray:
    """Each row's class logits, (n, k): a binary model's decision d becomes (0, d)."""
    d = np.asarray(pipeline.decision_function(X), dtype=float)
    return np.column_stack([np.zeros_like(d), d]) if d.ndim == 1 else d


def fit_temperature(
    pipeline: Pipeline, X: list[str], y: list[str], weights: list[float]
) -> CardCalibration:
    """Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): the
    T in [0.25, 4] that minimises the weighted log-loss of softmax(logits / T) on held-out rows
    ``X``/``y`` (rows of weight 0 do not count). One parameter, so the ranking and every argmax
    stay as they are; only how sure the probabilities are changes.

    Returns ``{"temperature", "log_loss_before", "log_loss_after"}`` (log-loss in nats).
    Raises ``DataError`` when no row has a positive weight."""
    w = np.asarray(weights, dtype=float)
    if not (w > 0).any():
        raise DataError("temperature scaling needs held-out rows with a positive weight")
    classes = [str(c) for c in pipeline.classes_]
    target = np.asarray([classes.index(label) for label in y])
    logits = _logits(pipeline, X)
    found = minimize_scalar(
        lambda log_t: _log_loss(logits, target, w, float(np.exp(log_t))),
        bounds=(np.log(0.25), np.log(4.0)),
        method="bounded",
    )
    t = float(np.exp(found.x))
    return {
        "temperature": round(t, 4),
        "log_loss_before": round(_log_loss(logits, target, w, 1.0), 4),
        "log_loss_after": round(_log_loss(logits, target, w, t), 4),
    }


def apply_temperature(pipeline: Pipeline, temperature: float) -> Pipeline:
    """Divide the logistic regression's coefficients and intercepts by ``temperature`` in place:
    its ``predict_proba`` is then softmax(logits / T) (sigmoid(d / T) for two classes) wherever
    the model is used, with no new type in the stored pipeline; ``predict`` is unchanged."""
    clf = pipeline.named_steps["clf"]
    clf.coef_ = clf.coef_ / temperature
    clf.intercept_ = clf.intercept_ / temperature
    return pipeline


def select_C(
    X: list[str], y: list[str], classes: tuple[str, ...], seed: int
) -> tuple[float, dict[str, float]]:
    """The C of ``C_GRID`` with the best macro-F1 on a stratified inner 20 % split of ``X``
    (ties go to the smaller C); the scores of every candidate are returned too."""
    X_fit, X_val, y_fit, y_val = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=seed + 1
    )
    scores = {
        str(c): evaluate(build_pipeline(C=c).fit(X_fit, y_fit), X_val, y_val, classes)["macro_f1"]
        for c in C_GRID
    }
    best = max(C_GRID, key=lambda c: (scores[str(c)], -c))
    return best, scores


def train(
    data: Dataset,
    classifier: str,
    facts: FactBase,
    *,
    C: float | None = None,
    test_size: float = 0.2,
    seed: int = 42,
) -> TrainResult:
    """Fit on a stratified split, evaluate on the hold-out and fit a temperature on it
    (:func:`fit_temperature`), then refit on every row and apply that temperature."""
    counts = Counter(data.labels)
    if len(counts) < 2:
        raise DataError(f"need at least two labels, got {dict(counts)}")
    if min(counts.values()) < 2:
        raise DataError(f"every label needs at least two rows: {dict(counts)}")
    started = time.perf_counter()
    X = prepare_many(data.texts, facts)
    y = data.labels
    w = data.weights()
    outside = data.outside()
    n_test = max(int(round(len(y) * test_size)), len(counts))
    X_tr, X_te, y_tr, y_te, w_tr, w_te, out_tr, out_te = train_test_split(
        X, y, w, outside, test_size=n_test, stratify=y, random_state=seed
    )
    selection = None
    if C is None:
        C, selection = select_C(X_tr, y_tr, CLASSIFIERS[classifier], seed)
    params: dict[str, Any] = {"C": C}
    fit_params = {**params, "class_weight": None}
    held = clone(build_pipeline(**fit_params)).fit(
        X_tr, y_tr, clf__sample_weight=balanced_weights(y_tr, w_tr, out_tr)
    )
    # Rows of weight 0 only shape the features (an unlabelled corpus): never scored.
    scored = [i for i, w in enumerate(w_te) if w > 0]
    X_sc, y_sc = [X_te[i] for i in scored], [y_te[i] for i in scored]
    holdout = evaluate(held, X_sc, y_sc, CLASSIFIERS[classifier])
    # Calibrated on the hold-out with the weights training gave its rows (the model's own
    # objective: the classes balanced, a one-class corpus outside the balance).
    test_weights = balanced_weights(y_te, w_te, out_te)
    calibration = fit_temperature(held, X_sc, y_sc, [test_weights[i] for i in scored])
    final = build_pipeline(**fit_params).fit(
        X, y, clf__sample_weight=balanced_weights(y, w, outside)
    )
    apply_temperature(final, calibration["temperature"])
    metadata: ModelCard = {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "preprocess": PREPROCESS,
        "classes": list(final.classes_),
        "params": params,
        "class_balance": "each class the same total weight over the rows in the balance "
        f"({len(y) - sum(outside)} of {len(y)}; nlp.train.balanced_weights)",
        "data": {
            "source": data.source,
            "sha256": data.sha256,
            "rows": len(y),
            "label_counts": dict(sorted(counts.items())),
            "skipped_rows": len(data.skipped),
            "weighted": sorted(set(w)) != [1.0],
        },
        "calibration": {
            "method": "temperature scaling (Guo et al. 2017) fitted on the hold-out by weighted "
            "log-loss (the training weights); the saved model's coefficients and intercepts are "
            "divided by T (nlp.train.fit_temperature, apply_temperature)",
            **calibration,
        },
        "evaluation": {
            "method": f"stratified hold-out {test_size:.0%}, random_state={seed}; "
            "the saved model is refit on all rows afterwards",
            "holdout": holdout,
            "C_selection": selection,
        },
        "facts_version": facts.version,
        "train_seconds": round(time.perf_counter() - started, 2),
        "versions": {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "skops": skops.__version__,
            "underthesea": underthesea.__version__,
        },
    }
    return TrainResult(final, metadata)
