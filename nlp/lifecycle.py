"""Train a challenger, compare it with the champion, promote or roll back — every step audited.

The model files (``models/<classifier>/<version>/`` and ``current``) are what the analysers load; the
``model_version`` table mirrors them for the API's processes and the audit log records who changed
what, when and why. A promotion is refused when the challenger is worse than the champion on the
same evaluation set (``nlp.retrain.gate``) unless forced with a reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, NotFound, ReasonRequired
from core.tables import ModelVersion, User
from nlp import registry
from nlp.corpora import corpus_card
from nlp.facts import FactBase, load_facts
from nlp.pipeline import CLASSIFIERS
from nlp.retrain import EvalRow, Progress, ReviewedText, build_snapshot, gate, scores
from nlp.train import Dataset
from nlp.train import train as fit

EVAL_FILE = "eval.jsonl"


class NothingToRollBack(Conflict):
    """No earlier version in the classifier's history (or it is no longer on disk)."""

    code = "nothing_to_roll_back"


class ModelNotFound(NotFound):
    """No stored version of this classifier has this name."""

    code = "model_not_found"


class NoEvalSet(Conflict):
    """A version without its evaluation set: it cannot be compared with the champion."""

    code = "no_eval_set"


class ClassifierNotFound(NotFound):
    """Not one of the classifiers (relevance, sentiment, misinfo)."""

    code = "classifier_not_found"


class GateRefused(Conflict):
    """The gate refused a promotion; its ``model.promote_refused`` audit event is kept (the
    edge commits it, ``keeps_record``) although the request fails."""

    code = "gate_refused"
    keeps_record = True


def check_classifier(classifier: str) -> str:
    """``classifier`` if it is one of the classifiers, else ``NotFound``."""
    if classifier not in CLASSIFIERS:
        raise ClassifierNotFound(
            f"Không có bộ phân loại {classifier!r}: chọn một trong {', '.join(CLASSIFIERS)}. "
            f"(no classifier {classifier!r}: one of {', '.join(CLASSIFIERS)})",
        )
    return classifier


def seed_file(settings: Settings) -> Path:
    """The seed a challenger trains on by default: ``<data_dir>/seed/seed.jsonl``
    (``DULUAN_DATA_DIR``; the repository's ``data/`` unless set)."""
    return settings.data_dir / "seed" / "seed.jsonl"


def check_file(settings: Settings) -> Path:
    """The check set every challenger is evaluated on: ``<data_dir>/eval/check.jsonl``."""
    return settings.data_dir / "eval" / "check.jsonl"


def _eval_rows(settings: Settings, classifier: str, version: str) -> list[EvalRow]:
    path = registry.version_file(settings.models_dir, classifier, version, EVAL_FILE)
    if not path.is_file():
        raise NoEvalSet(
            f"Mô hình {classifier}/{version} không có tập đánh giá, hãy huấn luyện bằng `duluan train` để so sánh. "
            f"({classifier}/{version} has no evaluation set: train it with `duluan train` to compare)",
        )
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def compare(
    settings: Settings, classifier: str, version: str, facts: FactBase | None = None
) -> dict[str, Any]:
    """The challenger ``version`` and the current champion on the challenger's evaluation set."""
    facts = facts or load_facts(settings.data_dir / "facts")
    rows = _eval_rows(settings, classifier, version)
    challenger, _ = registry.load(settings.models_dir, classifier, version)
    out: dict[str, Any] = {
        "challenger": {"version": version, **scores(challenger, rows, classifier, facts)}
    }
    current = registry.current_version(settings.models_dir, classifier)
    if current is not None and current != version:
        champion, _ = registry.load(settings.models_dir, classifier, current)
        out["champion"] = {"version": current, **scores(champion, rows, classifier, facts)}
    else:
        out["champion"] = None
    out["refusals"] = gate(out["challenger"], out["champion"])
    return out


def train_challenger(
    settings: Settings,
    classifier: str,
    *,
    reviews: Sequence[ReviewedText] | None = None,
    base: Dataset | None = None,
    external: list[Dataset] | None = None,
    C: float | None = None,
    eval_share: float = 0.2,
    progress: Progress | None = None,
) -> tuple[str, registry.ModelCard]:
    """Snapshot the data (``base``, by default ``seed_file(settings)``, + ``reviews`` +
    ``external``; the check set is ``check_file(settings)``), train, save the challenger with
    its evaluation set and its comparison with the champion (not made current); returns (version, metadata). Holds no database transaction while it trains: read
    the labels before (``review_labels``), record the result after (``record_challenger``)."""
    step = progress or (lambda _msg, _frac: None)
    check_classifier(classifier)
    step("Chuẩn bị dữ liệu / building the snapshot", 0.05)
    snapshot = build_snapshot(
        classifier,
        seed=base if base is not None else seed_file(settings),
        check=check_file(settings),
        reviews=reviews,
        external=external,
        eval_share=eval_share,
    )
    facts = load_facts(settings.data_dir / "facts")
    step("Huấn luyện / training", 0.15)
    result = fit(snapshot.train, classifier, facts, C=C)
    result.metadata["data"]["source"] = " + ".join(
        name for name, n in snapshot.info["sources"].items() if n
    )
    result.metadata["dataset"] = snapshot.info
    cards = [corpus_card(ds) for ds in external or []]
    if any(cards):
        result.metadata["data"]["corpora"] = [c for c in cards if c]
    eval_body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in snapshot.eval_rows)
    version = registry.save(
        settings.models_dir,
        classifier,
        result.pipeline,
        result.metadata,
        files={EVAL_FILE: eval_body.encode("utf-8")},
    )
    step("So sánh với mô hình đang dùng / comparing with the champion", 0.85)
    comparison = compare(settings, classifier, version, facts)
    meta = registry.metadata(settings.models_dir, classifier, version)
    meta["comparison"] = comparison
    registry.version_file(
        settings.models_dir, classifier, version, registry.METADATA_FILE
    ).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    step("Xong / done", 1.0)
    return version, meta


def record_challenger(
    session: Session,
    classifier: str,
    version: str,
    meta: registry.ModelCard,
    actor: User | None = None,
) -> None:
    """The trained challenger in the model_version table and the audit log."""
    comparison = meta.get("comparison") or {}
    session.add(
        ModelVersion(
            classifier=classifier,
            version=version,
            metrics={"challenger": comparison.get("challenger"), "dataset": meta.get("dataset")},
            is_current=False,
        )
    )
    record(
        session,
        actor,
        "model.trained",
        "model",
        None,
        after={
            "classifier": classifier,
            "version": version,
            "refusals": comparison.get("refusals"),
        },
    )
    session.flush()


def _mirror(session: Session, classifier: str, current: str, now: datetime) -> None:
    """The model_version table follows the files: one current row per classifier."""
    session.execute(
        update(ModelVersion).where(ModelVersion.classifier == classifier).values(is_current=False)
    )
    row = session.scalar(
        select(ModelVersion).where(
            ModelVersion.classifier == classifier, ModelVersion.version == current
        )
    )
    if row is None:
        row = ModelVersion(classifier=classifier, version=current, metrics={})
        session.add(row)
    row.is_current = True
    row.promoted_at = now
    session.flush()


def promote(
    session: Session,
    settings: Settings,
    classifier: str,
    version: str,
    actor: User | None,
    *,
    force: bool = False,
    reason: str = "",
    via: str = "api",
) -> dict[str, Any]:
    """Make ``version`` current if it is no worse than the champion (or ``force`` with a reason)."""
    check_classifier(classifier)
    if version not in registry.versions(settings.models_dir, classifier):
        raise ModelNotFound(
            f"Không có mô hình {classifier}/{version}. (no model {classifier}/{version})",
        )
    if force and not reason.strip():
        raise ReasonRequired(
            "Dùng --force thì phải ghi lý do. (--force needs a reason)",
        )
    comparison = compare(settings, classifier, version)
    if comparison["refusals"] and not force:
        record(
            session,
            actor,
            "model.promote_refused",
            "model",
            None,
            after={
                "classifier": classifier,
                "version": version,
                "refusals": comparison["refusals"],
                "via": via,
            },
        )
        refusals = "; ".join(comparison["refusals"])
        raise GateRefused(
            f"Chưa đưa {classifier}/{version} vào dùng: mô hình mới kém hơn mô hình đang dùng; nếu "
            f"thật cần, dùng --force kèm lý do. ({classifier}/{version} not promoted: {refusals} "
            "(force it with a reason if you must))"
        )
    previous = registry.promote(settings.models_dir, classifier, version)
    now = utcnow()
    _mirror(session, classifier, version, now)
    record(
        session,
        actor,
        "model.promote",
        "model",
        None,
        before={"classifier": classifier, "version": previous},
        after={
            "classifier": classifier,
            "version": version,
            "forced": bool(force and comparison["refusals"]),
            "reason": reason.strip() or None,
            "refusals_overridden": comparison["refusals"] if force else [],
            "via": via,
        },
    )
    return {
        "classifier": classifier,
        "current": version,
        "previous": previous,
        "comparison": comparison,
    }


def rollback(
    session: Session, settings: Settings, classifier: str, actor: User | None, *, via: str = "api"
) -> dict[str, Any]:
    """Restore the version that was current before the present one."""
    check_classifier(classifier)
    try:
        replaced, restored = registry.rollback(settings.models_dir, classifier)
    except registry.RegistryError as exc:
        raise NothingToRollBack(f"Không quay lại được phiên bản trước. ({exc})") from exc
    _mirror(session, classifier, restored, utcnow())
    record(
        session,
        actor,
        "model.rollback",
        "model",
        None,
        before={"classifier": classifier, "version": replaced},
        after={"classifier": classifier, "version": restored, "via": via},
    )
    return {"classifier": classifier, "current": restored, "previous": replaced}
