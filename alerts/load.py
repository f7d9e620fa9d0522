"""What the rules read, loaded with bounded queries (recent items through ``ix_item_fetched_at``,
aggregates in the database): the rules themselves (``alerts.rules``) stay pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.rules import ConfirmedCluster, FeedState, NewCluster, baseline_hours
from core.tables import (
    Alert,
    AlertRule,
    Cluster,
    Feed,
    FeedKind,
    Item,
    ReviewTask,
    TaskStatus,
    Verdict,
    VerdictLabel,
)

CHUNK = 500
# when an item appeared: its publication time, else its fetch time (as everywhere)
when_ = func.coalesce(Item.published_at, Item.fetched_at)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def last_alerts(session: Session, rule: str, kind: str, ids: list[int]) -> dict[int, datetime]:
    """``{subject_id: time of the latest alert}`` of ``rule`` about those subjects."""
    found: dict[int, datetime] = {}
    for part in _chunks(sorted(set(ids))):
        rows = session.execute(
            select(Alert.subject_id, func.max(Alert.created_at))
            .where(Alert.rule == rule, Alert.subject_kind == kind, Alert.subject_id.in_(part))
            .group_by(Alert.subject_id)
        )
        for subject_id, at in rows:
            found[subject_id] = at
    return found


def confirmed_clusters(
    session: Session, now: datetime, lookback: timedelta
) -> list[ConfirmedCluster]:
    """Clusters with an item fetched within ``lookback`` whose review task is decided and whose
    latest standing verdict (``Verdict.withdrawn_at IS NULL``; an analyst's override included)
    is ``distortion`` or ``scam``; with each source's first fetch in the cluster and the time
    the rule counts from (the verdict, or the last ``spreading`` alert when later)."""
    active = (
        select(Item.cluster_id)
        .where(Item.fetched_at >= now - lookback, Item.cluster_id.is_not(None))
        .distinct()
        .scalar_subquery()
    )
    last = (
        select(Verdict.task_id, func.max(Verdict.id).label("id"))
        .where(Verdict.withdrawn_at.is_(None))
        .group_by(Verdict.task_id)
        .subquery()
    )
    cluster_of = func.coalesce(ReviewTask.cluster_id, Item.cluster_id)
    rows = session.execute(
        select(cluster_of, Verdict.label, Verdict.created_at)
        .select_from(ReviewTask)
        .join(Item, Item.id == ReviewTask.item_id)
        .join(last, last.c.task_id == ReviewTask.id)
        .join(Verdict, Verdict.id == last.c.id)
        .where(
            ReviewTask.status == TaskStatus.decided,
            Verdict.label.in_([VerdictLabel.distortion, VerdictLabel.scam]),
            cluster_of.in_(active),
        )
    ).all()
    decided: dict[int, tuple[str, datetime]] = {}
    for cluster_id, verdict, at in rows:
        if cluster_id is not None and (cluster_id not in decided or at > decided[cluster_id][1]):
            decided[cluster_id] = (verdict, at)
    if not decided:
        return []
    ids = sorted(decided)
    first_seen: dict[int, dict[str, datetime]] = {cid: {} for cid in ids}
    for part in _chunks(ids):
        for cid, source, first in session.execute(
            select(Item.cluster_id, Item.source, func.min(Item.fetched_at))
            .where(Item.cluster_id.in_(part))
            .group_by(Item.cluster_id, Item.source)
        ):
            if cid is not None:
                first_seen[cid][source] = first
    alerted = last_alerts(session, AlertRule.spreading, "cluster", ids)
    return [
        ConfirmedCluster(
            cluster_id=cid,
            verdict=decided[cid][0],
            decided_at=decided[cid][1],
            since=max(decided[cid][1], alerted.get(cid, decided[cid][1])),
            first_seen=first_seen[cid],
        )
        for cid in ids
    ]


def _hour_counts(session: Session, start: datetime, end: datetime) -> Any:
    """Per cluster: items and distinct sources that appeared (publication time, else fetch
    time) in [start, end); the fetch-time bound lets the index do the work."""
    return (
        select(
            Item.cluster_id.label("cluster_id"),
            func.count(Item.id).label("n_items"),
            func.count(func.distinct(Item.source)).label("n_sources"),
        )
        .where(
            Item.fetched_at >= start,
            when_ >= start,
            when_ < end,
            Item.cluster_id.is_not(None),
        )
        .group_by(Item.cluster_id)
    )


def new_clusters(session: Session, now: datetime, new_within: timedelta) -> list[NewCluster]:
    """Clusters first seen within ``new_within`` before ``now`` with their items and distinct
    sources of the last hour (only those that gained any)."""
    counts = _hour_counts(session, now - timedelta(hours=1), now).subquery()
    rows = session.execute(
        select(Cluster.id, Cluster.first_seen_at, counts.c.n_items, counts.c.n_sources)
        .join(counts, counts.c.cluster_id == Cluster.id)
        .where(Cluster.first_seen_at >= now - new_within)
    ).all()
    return [NewCluster(cid, first, items, sources) for cid, first, items, sources in rows]


def growth_baseline(session: Session, now: datetime, days: int) -> tuple[list[int], list[int]]:
    """(items, sources): for each hour of ``rules.baseline_hours(now, days)``, the most items
    and the most distinct sources one cluster gained in it (0 for an hour without any)."""
    items, sources = [], []
    for start, end in baseline_hours(now, days):
        counts = _hour_counts(session, start, end).subquery()
        top_items, top_sources = session.execute(
            select(func.max(counts.c.n_items), func.max(counts.c.n_sources))
        ).one()
        items.append(int(top_items or 0))
        sources.append(int(top_sources or 0))
    return items, sources


def queue_state(session: Session) -> tuple[datetime | None, int]:
    """(creation time of the oldest pending task, number of pending tasks)."""
    oldest, pending = session.execute(
        select(func.min(ReviewTask.created_at), func.count(ReviewTask.id)).where(
            ReviewTask.status == TaskStatus.pending
        )
    ).one()
    return oldest, int(pending or 0)


def feed_states(session: Session, now: datetime, recent: timedelta) -> list[FeedState]:
    """Every polled feed (imports are not polled) with the fetch time of its newest item: read
    from the last ``recent`` through the fetch-time index, older feeds looked up one by one."""
    feeds = session.scalars(select(Feed).where(Feed.kind != FeedKind.imported)).all()
    last: dict[int, datetime] = {}
    for feed_id, at in session.execute(
        select(Item.feed_id, func.max(Item.fetched_at))
        .where(Item.fetched_at >= now - recent, Item.feed_id.is_not(None))
        .group_by(Item.feed_id)
    ):
        if feed_id is not None:
            last[feed_id] = at
    older = [f.id for f in feeds if f.id not in last]
    for part in _chunks(older):
        for feed_id, at in session.execute(
            select(Item.feed_id, func.max(Item.fetched_at))
            .where(Item.feed_id.in_(part))
            .group_by(Item.feed_id)
        ):
            if feed_id is not None:
                last[feed_id] = at
    return [
        FeedState(
            feed_id=f.id,
            name=f.name,
            enabled=f.enabled,
            auto_disabled=not f.enabled and (f.last_error or "").startswith("disabled after"),
            poll_interval_s=f.poll_interval_s,
            error_count=f.error_count,
            last_error=f.last_error,
            last_item_at=last.get(f.id),
            created_at=f.created_at,
        )
        for f in feeds
    ]


def cluster_view(session: Session, cluster_id: int) -> dict[str, Any]:
    """What an alert says about a cluster's content: its first item (id, title, a 200-character
    excerpt), how many items and sources, and up to 10 source names (most items first)."""
    cluster = session.get(Cluster, cluster_id)
    item_id = cluster.first_item_id if cluster is not None else None
    item = session.get(Item, item_id) if item_id is not None else None
    if item is None:
        item = session.scalars(
            select(Item).where(Item.cluster_id == cluster_id).order_by(Item.id).limit(1)
        ).first()
    sources = session.execute(
        select(Item.source, func.count(Item.id).label("n"))
        .where(Item.cluster_id == cluster_id)
        .group_by(Item.source)
        .order_by(func.count(Item.id).desc(), Item.source)
    ).all()
    items = session.scalar(select(func.count(Item.id)).where(Item.cluster_id == cluster_id)) or 0
    text = " ".join((item.text or "").split()) if item is not None else ""
    return {
        "item_id": item.id if item is not None else None,
        "title": (item.title or "").strip() if item is not None else "",
        "excerpt": text[:200] + ("…" if len(text) > 200 else ""),
        "items": int(items),
        "sources": len(sources),
        "source_names": [s for s, _ in sources[:10]],
    }


__all__ = [
    "cluster_view",
    "confirmed_clusters",
    "feed_states",
    "growth_baseline",
    "last_alerts",
    "new_clusters",
    "queue_state",
]
