"""Triage: which analysed items become review tasks, and in what order (``priority``) — the
flag, the queue's uncertain share and a small audit sample; one task per cluster."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session, aliased

from core.config import Settings
from core.db import utcnow
from core.tables import (
    Analysis,
    Cluster,
    Item,
    ReviewTask,
    TaskStatus,
)

RECENCY_HALF_LIFE_H = 72.0
# PostgreSQL advisory lock taken by ``enqueue_flagged`` for its transaction ("dulq"): triage runs
# in one process at a time, so two workers never both queue an item (ReviewTask.item_id is
# unique: the second insert would fail and roll its batch back) or two items of one cluster.
ENQUEUE_LOCK_ID = 0x64756C71


def priority(
    risk: float, published_at: datetime | None, now: datetime, source_count: int = 1
) -> float:
    """risk × recency × reach.

    Recency halves every three days and never drops below one half; reach grows with the
    story's ``source_count`` (how many sources carried it: ×1.25 per doubling).
    """
    if published_at is None:
        recency = 1.0
    else:
        age_h = max(0.0, (now - published_at).total_seconds() / 3600)
        recency = math.pow(0.5, age_h / RECENCY_HALF_LIFE_H)
    reach = 1.0 + 0.25 * math.log2(max(1, source_count))
    return round(risk * (0.5 + 0.5 * recency) * reach, 6)


def _flag_probability(analysis: Analysis) -> float:
    scores = analysis.misinfo_scores or {}
    return max(float(scores.get("distortion", 0.0)), float(scores.get("scam", 0.0)))


def _audit_pick(item_id: int, share: float) -> bool:
    """A deterministic pseudo-random sample: the same item is always in or always out."""
    digest = hashlib.sha256(f"audit:{item_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def enqueue_flagged(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Create pending tasks from the latest analyses of items not queued yet.

    Each analysis is considered once (``triaged_at``). Enters: every item whose risk passes the
    threshold; of the others considered in this pass, the most uncertain
    (``review_uncertain_share``, closest to a flag) and a random audit sample
    (``review_audit_share``). One task per near-duplicate cluster: an item whose cluster already
    has a task does not get another one.

    Safe with several workers on PostgreSQL: the pass holds an advisory transaction lock
    (``ENQUEUE_LOCK_ID``) until the caller commits, and reads only after taking it, so the next
    worker's pass sees this one's tasks and ``triaged_at`` marks (SQLite writes one at a time).
    """
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ENQUEUE_LOCK_ID})
    # Only an item's newest analysis counts; an untriaged one is found through the partial index
    # ``ix_analysis_untriaged`` and checked against newer ones through ``ix_analysis_item_latest``,
    # so a pass costs what waits, not every analysis ever stored.
    newer = aliased(Analysis)
    queued_clusters = select(ReviewTask.cluster_id).where(ReviewTask.cluster_id.is_not(None))
    rows = session.execute(
        select(Analysis, Item, Cluster.source_count)
        .join(Item, Item.id == Analysis.item_id)
        .outerjoin(Cluster, Cluster.id == Item.cluster_id)
        .where(Analysis.triaged_at.is_(None))
        .where(
            ~select(newer.id)
            .where(newer.item_id == Analysis.item_id, newer.id > Analysis.id)
            .exists()
        )
        .where(~select(ReviewTask.id).where(ReviewTask.item_id == Item.id).exists())
        .where(or_(Item.cluster_id.is_(None), Item.cluster_id.not_in(queued_clusters)))
        .order_by(Item.id)
    ).all()
    if rows:
        ids = [r[0].id for r in rows]
        for start in range(0, len(ids), 500):
            session.execute(
                update(Analysis)
                .where(Analysis.id.in_(ids[start : start + 500]))
                .values(triaged_at=now)
                .execution_options(synchronize_session=False)
            )
    flagged = [r for r in rows if r[0].risk >= settings.review_risk_threshold]
    others = [r for r in rows if r[0].risk < settings.review_risk_threshold]
    n_uncertain = int(len(others) * settings.review_uncertain_share)
    by_doubt = sorted(others, key=lambda r: abs(_flag_probability(r[0]) - 0.5))
    uncertain = by_doubt[:n_uncertain]
    picked = {r[1].id for r in uncertain}
    audit = [
        r
        for r in others
        if r[1].id not in picked and _audit_pick(r[1].id, settings.review_audit_share)
    ]
    seen_clusters: set[int] = set()
    created = 0
    for reason, chosen in (("risk", flagged), ("uncertain", uncertain), ("audit", audit)):
        for analysis, item, source_count in chosen:
            if item.cluster_id is not None:
                if item.cluster_id in seen_clusters:
                    continue
                seen_clusters.add(item.cluster_id)
            weight = (
                analysis.risk
                if reason == "risk"
                else 0.3 * max(analysis.risk, _flag_probability(analysis))
            )
            session.add(
                ReviewTask(
                    item_id=item.id,
                    analysis_id=analysis.id,
                    cluster_id=item.cluster_id,
                    reason=reason,
                    status=TaskStatus.pending,
                    created_at=now,
                    updated_at=now,
                    priority=priority(
                        weight, item.published_at or item.fetched_at, now, source_count or 1
                    ),
                )
            )
            created += 1
    session.flush()
    return created
