"""Trained model artifacts under ``models/<task>/<version>/`` with a ``current`` pointer per task.

Each version folder holds ``model.skops`` (skops, never pickle) and ``metadata.json``.
Loading refuses any type not on an explicit allow-list.
"""

from __future__ import annotations

import json
import os
import re
import warnings
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sklearn
import skops.io as sio
from sklearn.pipeline import Pipeline
from skops.io.exceptions import UntrustedTypesFoundException

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
CURRENT_FILE = "current"
HISTORY_FILE = "history"
# Types that skops does not trust by default but that our pipelines legitimately contain.
TRUSTED_TYPES = frozenset({"numpy.float32", "numpy.dtype", "builtins.float32"})
_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


class RegistryError(RuntimeError):
    """A model is missing, unreadable or untrusted."""


def _task_dir(models_dir: Path, task: str) -> Path:
    return Path(models_dir) / task


def new_version(models_dir: Path, task: str, now: datetime | None = None) -> str:
    """A fresh, sortable version name: the UTC time, with a suffix if taken."""
    base = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    version, n = base, 1
    while (_task_dir(models_dir, task) / version).exists():
        n += 1
        version = f"{base}-{n}"
    return version


def _compact(pipeline: Pipeline) -> None:
    """Plain ints in vectorizer vocabularies: skops writes a numpy int as a file of its own,
    which made a 10,000-term model 10 MB and slow to load."""
    for step in pipeline.named_steps.values():
        parts = [t for _, t in getattr(step, "transformer_list", [])] or [step]
        for part in parts:
            vocab = getattr(part, "vocabulary_", None)
            if isinstance(vocab, dict):
                part.vocabulary_ = {str(k): int(v) for k, v in vocab.items()}


def save(
    models_dir: Path,
    task: str,
    pipeline: Pipeline,
    metadata: dict[str, Any],
    version: str | None = None,
    files: dict[str, bytes] | None = None,
) -> str:
    """Write a model, its metadata and any extra ``files`` (e.g. its evaluation set); returns
    the version. Does not make it current."""
    version = version or new_version(models_dir, task)
    if not _VERSION_RE.match(version):
        raise RegistryError(f"bad version name {version!r}")
    folder = _task_dir(models_dir, task) / version
    folder.mkdir(parents=True, exist_ok=False)
    _compact(pipeline)
    sio.dump(pipeline, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    meta = {**metadata, "task": task, "version": version}
    (folder / METADATA_FILE).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name, body in (files or {}).items():
        if "/" in name or name in {MODEL_FILE, METADATA_FILE}:
            raise RegistryError(f"bad file name {name!r}")
        (folder / name).write_bytes(body)
    return version


def metadata(models_dir: Path, task: str, version: str) -> dict[str, Any]:
    if not _VERSION_RE.match(version) or version not in versions(models_dir, task):
        raise RegistryError(f"no model {task}/{version} in {models_dir}")
    return json.loads(
        (_task_dir(models_dir, task) / version / METADATA_FILE).read_text(encoding="utf-8")
    )


def version_file(models_dir: Path, task: str, version: str, name: str) -> Path:
    return _task_dir(models_dir, task) / version / name


def load(models_dir: Path, task: str, version: str) -> tuple[Pipeline, dict[str, Any]]:
    """Load one version, refusing untrusted types and warning on a scikit-learn version change."""
    if not _VERSION_RE.match(version):
        raise RegistryError(f"bad version name {version!r}")
    folder = _task_dir(models_dir, task) / version
    path = folder / MODEL_FILE
    if not path.is_file():
        raise RegistryError(f"no model {task}/{version} in {models_dir}")
    meta = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    trained_with = meta.get("versions", {}).get("sklearn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(
            f"model {task}/{version} was trained with scikit-learn {trained_with}, "
            f"running {sklearn.__version__}",
            stacklevel=2,
        )
    try:
        # One pass: skops refuses any type outside its defaults and our explicit list.
        pipeline = sio.load(path, trusted=sorted(TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        raise RegistryError(f"model {task}/{version} contains untrusted types: {exc}") from exc
    return pipeline, meta


def current_version(models_dir: Path, task: str) -> str | None:
    pointer = _task_dir(models_dir, task) / CURRENT_FILE
    if not pointer.is_file():
        return None
    return pointer.read_text(encoding="utf-8").strip() or None


def versions(models_dir: Path, task: str) -> list[str]:
    folder = _task_dir(models_dir, task)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / MODEL_FILE).is_file())


def promote(models_dir: Path, task: str, version: str) -> str | None:
    """Make ``version`` current (atomic rename); returns the version it replaced."""
    if version not in versions(models_dir, task):
        raise RegistryError(f"no model {task}/{version} in {models_dir}")
    folder = _task_dir(models_dir, task)
    previous = current_version(models_dir, task)
    tmp = folder / f".{CURRENT_FILE}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, folder / CURRENT_FILE)
    if previous and previous != version:
        with (folder / HISTORY_FILE).open("a", encoding="utf-8") as fh:
            fh.write(previous + "\n")
    return previous


def history(models_dir: Path, task: str) -> list[str]:
    """Versions that were current before the present one, oldest first."""
    path = _task_dir(models_dir, task) / HISTORY_FILE
    if not path.is_file():
        return []
    return [v for v in path.read_text(encoding="utf-8").split() if v]


def rollback(models_dir: Path, task: str) -> tuple[str | None, str]:
    """Make the previously current version current again; returns (replaced, restored)."""
    past = history(models_dir, task)
    if not past:
        raise RegistryError(f"no earlier {task} version to roll back to")
    restored = past[-1]
    if restored not in versions(models_dir, task):
        raise RegistryError(f"the earlier version {task}/{restored} is no longer on disk")
    folder = _task_dir(models_dir, task)
    replaced = current_version(models_dir, task)
    for name, body in (
        (CURRENT_FILE, restored + "\n"),
        (HISTORY_FILE, "".join(v + "\n" for v in past[:-1])),
    ):
        tmp = folder / f".{name}.tmp"
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, folder / name)
    return replaced, restored


def describe(models_dir: Path, task: str) -> dict[str, Any]:
    """A task's versions (newest first) with their held-out scores, and which one is current."""
    current = current_version(models_dir, task)
    out = []
    for version in reversed(versions(models_dir, task)):
        try:
            meta = json.loads(
                (_task_dir(models_dir, task) / version / METADATA_FILE).read_text(encoding="utf-8")
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
    return {"task": task, "current": current, "history": history(models_dir, task), "versions": out}
