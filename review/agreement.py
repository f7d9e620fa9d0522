"""How far reviewers agree — with the model, and with each other — per ISO week.

Reviewer vs model: the model's misinformation label at the time of the analysis the task was
made from, against the final decision (``review.decisions.review_labels``). Between reviewers: where
two collaborators judged the same task (the two-person rule), Cohen's kappa over their verdicts.
Aggregates only: no reviewer is named or scored.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sklearn.metrics import cohen_kappa_score
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.calendar import Week
from core.tables import Analysis, ReviewTask, Verdict
from core.vocabulary import MISINFO_CLASSES, VerdictKind
from review.decisions import review_labels

LABELS = MISINFO_CLASSES


def _week(when: datetime) -> str:
    return Week.containing(when).label


def agreement(session: Session, since: datetime | None = None) -> list[dict[str, Any]]:
    """One row per week (oldest first): decided items, model agreement, confusion matrix
    (rows = reviewers' decision, columns = the model's label), and inter-reviewer kappa."""
    model_label = dict(
        session.execute(
            select(ReviewTask.id, Analysis.misinfo).join(
                Analysis, Analysis.id == ReviewTask.analysis_id
            )
        ).all()
    )
    weeks: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"decided": 0, "agree": 0, "confusion": [[0] * 3 for _ in LABELS], "pairs": []}
    )
    for lab in review_labels(session, since=since):
        model = model_label.get(lab.task_id)
        if model not in LABELS or lab.misinfo not in LABELS:
            continue
        w = weeks[_week(lab.decided_at)]
        w["decided"] += 1
        w["agree"] += model == lab.misinfo
        w["confusion"][LABELS.index(lab.misinfo)][LABELS.index(model)] += 1

    by_task: dict[int, list[Verdict]] = defaultdict(list)
    query = (
        select(Verdict)
        .where(
            Verdict.kind != VerdictKind.override, Verdict.withdrawn_at.is_(None)
        )  # undone/replaced: no
        .order_by(Verdict.id)
    )
    if since is not None:
        query = query.where(Verdict.created_at >= since)
    for v in session.scalars(query):
        by_task[v.task_id].append(v)
    for verdicts in by_task.values():
        first = verdicts[0]
        second = next((v for v in verdicts[1:] if v.reviewer_id != first.reviewer_id), None)
        if second is not None:
            weeks[_week(second.created_at)]["pairs"].append((first.label, second.label))

    rows = []
    for week in sorted(weeks):
        w = weeks[week]
        pairs = w["pairs"]
        kappa = None
        if len(pairs) >= 2 and len({p for pair in pairs for p in pair}) > 1:
            a, b = zip(*pairs, strict=True)
            kappa = round(float(cohen_kappa_score(a, b)), 4)
        rows.append(
            {
                "week": week,
                "decided": w["decided"],
                "model_agreement": round(w["agree"] / w["decided"], 4) if w["decided"] else None,
                "confusion": {"labels": list(LABELS), "matrix": w["confusion"]},
                "reviewer_pairs": len(pairs),
                "reviewer_agreement": round(sum(x == y for x, y in pairs) / len(pairs), 4)
                if pairs
                else None,
                "kappa": kappa,
            }
        )
    return rows
