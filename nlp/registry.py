"""Trained model artifacts under ``models/<classifier>/<version>/`` with a ``current`` pointer per classifier.

Each version folder holds ``model.skops`` (skops, never pickle), ``metadata.json`` and
``vocabulary.json`` (the vectorizers' terms, in index order). Loading refuses any type not on an
explicit allow-list. The vocabularies live beside the model because skops audits and rebuilds
every dictionary entry as an object of its own: tens of thousands of terms per model made loading
take over half a second per classifier; as one JSON list per vectorizer they load in milliseconds.
Older versions that keep their vocabularies inside ``model.skops`` still load.
"""

from __future__ import annotations

import json
import os
import re
import warnings
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, cast

import sklearn
import skops.io as sio
from sklearn.pipeline import Pipeline
from skops.io.exceptions import UntrustedTypesFoundException

from nlp.pipeline import PREPROCESS

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
VOCABULARY_FILE = "vocabulary.json"
CURRENT_FILE = "current"
HISTORY_FILE = "history"
# Types that skops does not trust by default but that our pipelines legitimately contain.
TRUSTED_TYPES = frozenset({"numpy.float32", "numpy.dtype", "builtins.float32"})
_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


class CardData(TypedDict, total=False):
    """What a classifier was trained on: ``source`` (files joined by " + "), ``sha256`` of
    the rows, ``rows``, ``label_counts`` (class → rows), ``skipped_rows`` (malformed input
    lines), ``weighted`` (rows of unequal weight), and ``corpora`` (each external corpus's name,
    file, hash, licence and attribution: ``nlp.corpora.corpus_card``)."""

    source: str
    sha256: str
    rows: int
    label_counts: dict[str, int]
    skipped_rows: int
    weighted: bool
    corpora: list[dict[str, Any]]


class CardCalibration(TypedDict, total=False):
    """Temperature scaling fitted on the hold-out (``nlp.train.fit_temperature``): ``method``,
    ``temperature`` T, and the hold-out's log-loss before and after dividing the logits by T."""

    method: str
    temperature: float
    log_loss_before: float
    log_loss_after: float


class CardEvaluation(TypedDict, total=False):
    """The hold-out: ``method`` (split, seed), ``holdout`` (``nlp.train.evaluate``: macro-F1,
    per class, confusion matrix) and ``C_selection`` (macro-F1 by C on an inner split, or None
    when C was given)."""

    method: str
    holdout: dict[str, Any]
    C_selection: dict[str, Any] | None


class ModelCard(TypedDict, total=False):
    """A stored version's ``metadata.json``, written by ``nlp.train.train`` and completed by
    ``nlp.lifecycle`` and ``save``.

    ``created_at``: UTC, ISO 8601; ``preprocess``: the input scheme (``nlp.pipeline.PREPROCESS``);
    ``classes``; ``params`` (``C``); ``class_balance`` (how rows were weighted, in words);
    ``data``, ``calibration``, ``evaluation`` (above); ``facts_version``; ``train_seconds``;
    ``versions``: library → version; ``dataset``: the snapshot (``nlp.retrain.Snapshot.info``);
    ``comparison``: challenger and champion on the evaluation set, and the gate's refusals;
    ``classifier`` and ``version``: which classifier and version the card describes."""

    created_at: str
    preprocess: str
    classes: list[str]
    params: dict[str, Any]
    class_balance: str
    data: CardData
    calibration: CardCalibration
    evaluation: CardEvaluation
    facts_version: str
    train_seconds: float
    versions: dict[str, str]
    dataset: dict[str, Any]
    comparison: dict[str, Any]
    classifier: str
    version: str


class RegistryError(RuntimeError):
    """A model is missing, unreadable or untrusted."""


def _classifier_dir(models_dir: Path, classifier: str) -> Path:
    return Path(models_dir) / classifier


def new_version(models_dir: Path, classifier: str, now: datetime | None = None) -> str:
    """A fresh, sortable version name: the UTC time, with a suffix if taken."""
    base = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    version, n = base, 1
    while (_classifier_dir(models_dir, classifier) / version).exists():
        n += 1
        version = f"{base}-{n}"
    return version


def _vectorizers(pipeline: Pipeline) -> dict[str, Any]:
    """The pipeline's fitted text vectorizers by step path ("features.char")."""
    out = {}
    for name, step in pipeline.named_steps.items():
        parts = getattr(step, "transformer_list", None) or [(None, step)]
        for sub, part in parts:
            if isinstance(getattr(part, "vocabulary_", None), dict):
                out[f"{name}.{sub}" if sub else name] = part
    return out


def _terms(vocabulary: dict[str, int]) -> list[str]:
    """A vocabulary as its terms in index order (indices must be exactly 0..n-1)."""
    terms = [""] * len(vocabulary)
    for term, index in vocabulary.items():
        if not 0 <= int(index) < len(terms) or terms[int(index)]:
            raise RegistryError("a vectorizer vocabulary does not index its terms 0..n-1")
        terms[int(index)] = str(term)
    return terms


def _dump(pipeline: Pipeline, folder: Path) -> None:
    """Write the model without its vocabularies, then the vocabularies as JSON."""
    vectorizers = _vectorizers(pipeline)
    kept = {path: v.vocabulary_ for path, v in vectorizers.items()}
    terms = {path: _terms(vocab) for path, vocab in kept.items()}
    try:
        for v in vectorizers.values():
            v.vocabulary_ = {}
        sio.dump(pipeline, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    finally:
        for path, v in vectorizers.items():
            v.vocabulary_ = kept[path]
    (folder / VOCABULARY_FILE).write_text(
        json.dumps(terms, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _restore_vocabularies(pipeline: Pipeline, folder: Path, name: str) -> None:
    path = folder / VOCABULARY_FILE
    vectorizers = _vectorizers(pipeline)
    if not path.is_file():
        if any(not v.vocabulary_ for v in vectorizers.values()):
            raise RegistryError(f"model {name}: {VOCABULARY_FILE} is missing")
        return  # an older version: its vocabularies are inside model.skops
    terms = json.loads(path.read_text(encoding="utf-8"))
    if set(terms) != set(vectorizers):
        raise RegistryError(f"model {name}: {VOCABULARY_FILE} does not match its vectorizers")
    for step, vectorizer in vectorizers.items():
        idf = getattr(vectorizer, "idf_", None)
        if idf is not None and len(idf) != len(terms[step]):
            raise RegistryError(f"model {name}: {step} has {len(idf)} weights but terms differ")
        vectorizer.vocabulary_ = {term: i for i, term in enumerate(terms[step])}


def save(
    models_dir: Path,
    classifier: str,
    pipeline: Pipeline,
    metadata: ModelCard,
    version: str | None = None,
    files: dict[str, bytes] | None = None,
) -> str:
    """Write a model, its metadata and any extra ``files`` (e.g. its evaluation set); returns
    the version. Does not make it current."""
    version = version or new_version(models_dir, classifier)
    if not _VERSION_RE.match(version):
        raise RegistryError(f"bad version name {version!r}")
    folder = _classifier_dir(models_dir, classifier) / version
    folder.mkdir(parents=True, exist_ok=False)
    _dump(pipeline, folder)
    meta: ModelCard = {**metadata, "classifier": classifier, "version": version}
    (folder / METADATA_FILE).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name, body in (files or {}).items():
        if "/" in name or name in {MODEL_FILE, METADATA_FILE, VOCABULARY_FILE}:
            raise RegistryError(f"bad file name {name!r}")
        (folder / name).write_bytes(body)
    return version


def metadata(models_dir: Path, classifier: str, version: str) -> ModelCard:
    """A stored version's model card (``metadata.json``); ``RegistryError`` for a version that
    is not stored or a card that is not a JSON object."""
    if not _VERSION_RE.match(version) or version not in versions(models_dir, classifier):
        raise RegistryError(f"no model {classifier}/{version} in {models_dir}")
    return _read_card(_classifier_dir(models_dir, classifier) / version, f"{classifier}/{version}")


def _read_card(folder: Path, name: str) -> ModelCard:
    """The model card in ``folder``; ``RegistryError`` if it is not a JSON object. A card written
    before the ML "task" was called a classifier (2026-11-30) names it under ``task``: read as
    ``classifier``."""
    card = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    if not isinstance(card, dict):
        raise RegistryError(f"the model card of {name} is not a JSON object")
    if "task" in card and "classifier" not in card:
        card["classifier"] = card.pop("task")
    return cast(ModelCard, card)


def version_file(models_dir: Path, classifier: str, version: str, name: str) -> Path:
    return _classifier_dir(models_dir, classifier) / version / name


def load(models_dir: Path, classifier: str, version: str) -> tuple[Pipeline, ModelCard]:
    """Load one version, refusing untrusted types and warning on a scikit-learn version change."""
    if not _VERSION_RE.match(version):
        raise RegistryError(f"bad version name {version!r}")
    folder = _classifier_dir(models_dir, classifier) / version
    path = folder / MODEL_FILE
    if not path.is_file():
        raise RegistryError(f"no model {classifier}/{version} in {models_dir}")
    meta = _read_card(folder, f"{classifier}/{version}")
    trained_with = meta.get("versions", {}).get("sklearn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(
            f"model {classifier}/{version} was trained with scikit-learn {trained_with}, "
            f"running {sklearn.__version__}",
            stacklevel=2,
        )
    if meta.get("preprocess", PREPROCESS) != PREPROCESS:
        warnings.warn(
            f"model {classifier}/{version} was trained on {meta['preprocess']} inputs, this code makes "
            f"{PREPROCESS}: retrain it for full accuracy",
            stacklevel=2,
        )
    try:
        # One pass: skops refuses any type outside its defaults and our explicit list.
        pipeline = sio.load(path, trusted=sorted(TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        raise RegistryError(
            f"model {classifier}/{version} contains untrusted types: {exc}"
        ) from exc
    _restore_vocabularies(pipeline, folder, f"{classifier}/{version}")
    return pipeline, meta


def current_version(models_dir: Path, classifier: str) -> str | None:
    pointer = _classifier_dir(models_dir, classifier) / CURRENT_FILE
    if not pointer.is_file():
        return None
    return pointer.read_text(encoding="utf-8").strip() or None


def versions(models_dir: Path, classifier: str) -> list[str]:
    folder = _classifier_dir(models_dir, classifier)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / MODEL_FILE).is_file())


def promote(models_dir: Path, classifier: str, version: str) -> str | None:
    """Make ``version`` current (atomic rename); returns the version it replaced."""
    if version not in versions(models_dir, classifier):
        raise RegistryError(f"no model {classifier}/{version} in {models_dir}")
    folder = _classifier_dir(models_dir, classifier)
    previous = current_version(models_dir, classifier)
    tmp = folder / f".{CURRENT_FILE}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, folder / CURRENT_FILE)
    if previous and previous != version:
        with (folder / HISTORY_FILE).open("a", encoding="utf-8") as fh:
            fh.write(previous + "\n")
    return previous


def history(models_dir: Path, classifier: str) -> list[str]:
    """Versions that were current before the present one, oldest first."""
    path = _classifier_dir(models_dir, classifier) / HISTORY_FILE
    if not path.is_file():
        return []
    return [v for v in path.read_text(encoding="utf-8").split() if v]


def rollback(models_dir: Path, classifier: str) -> tuple[str | None, str]:
    """Make the previously current version current again; returns (replaced, restored)."""
    past = history(models_dir, classifier)
    if not past:
        raise RegistryError(f"no earlier {classifier} version to roll back to")
    restored = past[-1]
    if restored not in versions(models_dir, classifier):
        raise RegistryError(f"the earlier version {classifier}/{restored} is no longer on disk")
    folder = _classifier_dir(models_dir, classifier)
    replaced = current_version(models_dir, classifier)
    for name, body in (
        (CURRENT_FILE, restored + "\n"),
        (HISTORY_FILE, "".join(v + "\n" for v in past[:-1])),
    ):
        tmp = folder / f".{name}.tmp"
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, folder / name)
    return replaced, restored


def describe(models_dir: Path, classifier: str) -> dict[str, Any]:
    """A classifier's versions (newest first) with their held-out scores, and which one is current."""
    current = current_version(models_dir, classifier)
    out = []
    for version in reversed(versions(models_dir, classifier)):
        try:
            meta = json.loads(
                (_classifier_dir(models_dir, classifier) / version / METADATA_FILE).read_text(
                    encoding="utf-8"
                )
            )
        except (OSError, ValueError):
            meta = {}
        holdout = meta.get("evaluation", {}).get("holdout", {})
        out.append(
            {
                "version": version,
                "current": version == current,
                "created_at": meta.get("created_at"),
                "rows": meta.get("data", {}).get("rows"),
                "data_source": meta.get("data", {}).get("source"),
                "macro_f1": holdout.get("macro_f1"),
                "per_class": holdout.get("per_class", {}),
                "params": meta.get("params", {}),
                "comparison": meta.get("comparison"),
                "dataset": meta.get("dataset"),
            }
        )
    return {
        "classifier": classifier,
        "current": current,
        "history": history(models_dir, classifier),
        "versions": out,
    }
