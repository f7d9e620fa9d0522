"""Human-corrected labels: a reviewer's corrected sentiment or relevance wins over the machine's.

A verdict may carry a corrected ``sentiment`` and ``relevant``; wherever an item's labels are
shown or counted (item list, item page, dashboard, weekly report) the latest verdict that set a
value wins over the newest analysis, and the machine's value stays visible beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, func, or_, select
from sqlalchemy.orm import Session, aliased

from core.tables import Analysis, ReviewTask, Verdict


def human_labels() -> Subquery:
    """``(item_id, sentiment, relevant)`` for each item whose review task has a standing verdict
    (not undone or replaced) that corrected its sentiment or its relevance: each column is the
    value of the latest such verdict (by id) that set it, ``None`` when no verdict set that one. One row per item (an item has at most
    one review task); join it with an outer join."""
    last_sentiment = (
        select(Verdict.task_id, func.max(Verdict.id).label("id"))
        .where(Verdict.sentiment.is_not(None), Verdict.withdrawn_at.is_(None))
        .group_by(Verdict.task_id)
        .subquery("last_sentiment")
    )
    last_relevant = (
        select(Verdict.task_id, func.max(Verdict.id).label("id"))
        .where(Verdict.relevant.is_not(None), Verdict.withdrawn_at.is_(None))
        .group_by(Verdict.task_id)
        .subquery("last_relevant")
    )
    by_sentiment, by_relevant = aliased(Verdict), aliased(Verdict)
    return (
        select(
            ReviewTask.item_id.label("item_id"),
            by_sentiment.sentiment.label("sentiment"),
            by_relevant.relevant.label("relevant"),
        )
        .select_from(ReviewTask)
        .outerjoin(last_sentiment, last_sentiment.c.task_id == ReviewTask.id)
        .outerjoin(by_sentiment, by_sentiment.id == last_sentiment.c.id)
        .outerjoin(last_relevant, last_relevant.c.task_id == ReviewTask.id)
        .outerjoin(by_relevant, by_relevant.id == last_relevant.c.id)
        .where(or_(last_sentiment.c.id.is_not(None), last_relevant.c.id.is_not(None)))
        .subquery("human_labels")
    )


@dataclass(frozen=True)
class Labels:
    """An item's labels as shown: the human value where a reviewer corrected it, else the
    machine's; ``None`` for an item not analysed (and not corrected)."""

    sentiment: str | None
    relevant: bool | None
    machine_sentiment: str | None
    machine_relevant: bool | None
    sentiment_by_human: bool
    relevant_by_human: bool

    @property
    def sentiment_differs(self) -> bool:
        """A reviewer set a sentiment other than the machine's."""
        return self.sentiment_by_human and self.sentiment != self.machine_sentiment

    @property
    def relevant_differs(self) -> bool:
        """A reviewer set a relevance other than the machine's."""
        return self.relevant_by_human and self.relevant != self.machine_relevant


def labels(
    analysis: Analysis | None, sentiment: str | None = None, relevant: bool | None = None
) -> Labels:
    """``Labels`` from the newest ``analysis`` (or ``None``) and a reviewer's corrected
    ``sentiment``/``relevant`` (``None``: not corrected)."""
    machine_sentiment = analysis.sentiment if analysis is not None else None
    machine_relevant = bool(analysis.relevant) if analysis is not None else None
    return Labels(
        sentiment=sentiment if sentiment is not None else machine_sentiment,
        relevant=relevant if relevant is not None else machine_relevant,
        machine_sentiment=machine_sentiment,
        machine_relevant=machine_relevant,
        sentiment_by_human=sentiment is not None,
        relevant_by_human=relevant is not None,
    )


def human_labels_for(session: Session, item_ids: Iterable[int]) -> dict[int, tuple[Any, Any]]:
    """``{item_id: (sentiment, relevant)}`` corrected by reviewers for those of ``item_ids``
    that have a correction (see :func:`human_labels`); read in chunks of 500 ids."""
    ids = sorted(set(item_ids))
    found: dict[int, tuple[Any, Any]] = {}
    subquery = human_labels()
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(subquery.c.item_id, subquery.c.sentiment, subquery.c.relevant).where(
                subquery.c.item_id.in_(ids[i : i + 500])
            )
        )
        found.update({item_id: (s, r) for item_id, s, r in rows})
    return found
