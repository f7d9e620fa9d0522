"""What a decided task means: the final labels reviewers gave, for retraining and agreement.

When a task counts as decided (the two-person rule, undo, change, override) is ``review.verdicts``' and ``review.history``';
what it then says of its item is here, next to it: an analyst's override wins; otherwise the
last collaborator verdict that is not an escalation; verdicts undone or replaced by their
reviewer do not count. ``nlp.retrain`` trains on these through its ``ReviewedText`` protocol and
never reads verdicts itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.tables import Item, ReviewTask, TaskStatus, Verdict, VerdictKind, VerdictLabel

# A verdict's label → the misinfo classifier's class.
MISINFO_OF_VERDICT = {"distortion": "distortion", "scam": "scam", "not_misinformation": "none"}


@dataclass(frozen=True)
class ReviewLabel:
    """What was decided about one item (the final verdict of its task): a ``nlp.retrain.ReviewedText``."""

    item_id: int
    task_id: int
    text: str
    decided_at: datetime
    queue_reason: str  # risk | uncertain | audit: "uncertain" ones are active learning
    misinfo: str | None
    sentiment: str | None
    relevant: bool | None
    by: VerdictKind  # a review, or an override (an analyst's final decision)

    def label(self, task: str) -> str | None:
        if task == "misinfo":
            return self.misinfo
        if task == "sentiment":
            return self.sentiment
        if self.relevant is None:
            return None
        return "relevant" if self.relevant else "off_topic"

    def row(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "text": self.text,
            "misinfo": self.misinfo,
            "sentiment": self.sentiment,
            "relevant": self.relevant,
            "decided_at": self.decided_at.isoformat(),
            "queue_reason": self.queue_reason,
            "decided_by": self.by,
        }


def review_labels(session: Session, since: datetime | None = None) -> list[ReviewLabel]:
    """Final labels of decided tasks, oldest decision first. An override wins; otherwise the last
    collaborator verdict that is not an escalation (with the two-person rule a task is decided
    only once two agreed); verdicts undone or replaced by their reviewer do not count. Corrections of sentiment/relevance: the latest one given."""
    query = (
        select(ReviewTask, Item)
        .options(selectinload(ReviewTask.verdicts))
        .join(Item, Item.id == ReviewTask.item_id)
        .where(ReviewTask.status == TaskStatus.decided)
        # a text blanked by retention (core.retention) has nothing left to learn from
        .where(Item.purged_at.is_(None))
        .order_by(ReviewTask.id)
    )
    labels = []
    for task, item in session.execute(query):
        verdicts: list[Verdict] = [v for v in task.verdicts if v.standing]  # not undone/replaced
        overrides = [v for v in verdicts if v.kind == VerdictKind.override]
        reviews = [
            v
            for v in verdicts
            if v.kind != VerdictKind.override and v.label != VerdictLabel.escalate
        ]
        final = overrides[-1] if overrides else (reviews[-1] if reviews else None)
        if final is None or final.label not in MISINFO_OF_VERDICT:
            continue
        if since is not None and final.created_at < since:
            continue
        sentiment = next((v.sentiment for v in reversed(verdicts) if v.sentiment), None)
        relevant = next((v.relevant for v in reversed(verdicts) if v.relevant is not None), None)
        labels.append(
            ReviewLabel(
                item_id=item.id,
                task_id=task.id,
                text=f"{item.title}. {item.text}" if item.title else item.text,
                decided_at=final.created_at,
                queue_reason=task.reason,
                misinfo=MISINFO_OF_VERDICT[final.label],
                sentiment=sentiment,
                relevant=relevant,
                by=VerdictKind(final.kind),
            )
        )
    return sorted(labels, key=lambda lab: (lab.decided_at, lab.item_id))
