"""The analysts' dashboard figures: items per day, sentiment of relevant items per day (a
reviewer's corrected sentiment or relevance wins over the machine's), machine flags and reviewers'
verdicts per day, and the queue right now. Aggregates only — no person."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.calendar import VIETNAM
from core.db import utcnow
from core.items import join_latest_analysis
from core.labels import human_labels
from core.tables import Analysis, Item, ReviewTask, Verdict
from core.vocabulary import OPEN_STATUSES, SENTIMENTS, VERDICTS, TaskStatus

# The dashboard lists the open states first, then what is decided.
QUEUE_ORDER = (*OPEN_STATUSES, TaskStatus.decided.value)


def _day(value: datetime) -> date:
    return value.astimezone(VIETNAM).date()


def dashboard(session: Session, days: int = 14, now: datetime | None = None) -> dict[str, Any]:
    """Per-day series over the last ``days`` days (Vietnam time) and the queue by status."""
    now = now or utcnow()
    last = _day(now)
    first = last - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=VIETNAM)
    labels = [first + timedelta(days=i) for i in range(days)]
    index = {d: i for i, d in enumerate(labels)}

    items = [0] * days
    sentiment = {s: [0] * days for s in SENTIMENTS}
    flags = {"distortion": [0] * days, "scam": [0] * days}
    when = func.coalesce(Item.published_at, Item.fetched_at)
    human = human_labels()  # a reviewer's corrected sentiment/relevance wins
    columns = select(
        when,
        func.coalesce(human.c.relevant, Analysis.relevant),
        func.coalesce(human.c.sentiment, Analysis.sentiment),
        Analysis.misinfo,
    )
    rows = session.execute(
        join_latest_analysis(columns.select_from(Item))
        .outerjoin(human, human.c.item_id == Item.id)
        .where(when >= since)
    ).all()
    for at, relevant, label, misinfo in rows:
        i = index.get(_day(at))
        if i is None:  # published "in the future" by a wrong feed clock: not on this chart
            continue
        items[i] += 1
        if relevant and label in sentiment:
            sentiment[label][i] += 1
        if misinfo in flags:
            flags[misinfo][i] += 1

    verdicts = {k: [0] * days for k in VERDICTS}
    for at, kind in session.execute(
        select(Verdict.created_at, Verdict.label).where(
            Verdict.created_at >= since, Verdict.withdrawn_at.is_(None)
        )
    ):
        i = index.get(_day(at))
        if i is not None and kind in verdicts:
            verdicts[kind][i] += 1

    queue = dict(
        session.execute(select(ReviewTask.status, func.count()).group_by(ReviewTask.status)).all()
    )
    return {
        "days": [d.isoformat() for d in labels],
        "items": items,
        "sentiment": sentiment,
        "flags": flags,
        "verdicts": verdicts,
        "queue": {s: int(queue.get(s, 0)) for s in QUEUE_ORDER},
    }
