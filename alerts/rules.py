"""The alert rules: pure functions over data loaded by ``alerts.load``, each stating its rule.

A rule returns ``Finding``s (what fired, about which subject, with its figures); it never reads
the database, sends anything or names a person. Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.tables import AlertRule


@dataclass(frozen=True)
class Finding:
    """A rule that fired: ``rule`` (an ``AlertRule`` value), the subject (``cluster``, ``feed``
    or ``queue`` and its id, 0 for the queue) and the figures behind it (JSON-ready)."""

    rule: str
    subject_kind: str
    subject_id: int
    details: dict[str, Any] = field(default_factory=dict)


# --- (a) a confirmed distortion or scam keeps spreading ----------------------------------------


@dataclass(frozen=True)
class ConfirmedCluster:
    """A cluster whose task's standing decision is ``distortion`` or ``scam``.

    ``since`` is when the rule starts counting: the verdict's time, or the last ``spreading``
    alert about this cluster when later. ``first_seen`` maps each source that carried the story
    (``Item.source``) to when duluan first fetched one of its items of the cluster."""

    cluster_id: int
    verdict: str
    decided_at: datetime
    since: datetime
    first_seen: dict[str, datetime]


def spreading(clusters: Iterable[ConfirmedCluster], min_new_sources: int = 1) -> list[Finding]:
    """Rule: a story people confirmed as a distortion or a scam (the task's latest standing
    verdict, undone or replaced ones excluded) is still being picked up — at least
    ``min_new_sources`` sources that had not carried it first appear in its near-duplicate
    cluster after ``since`` (the verdict, or the previous alert about it, so that each alert
    reports new spread). Sources, not items: one site reposting is not spread.

    Details: ``verdict``, ``decided_at`` (ISO), ``new_sources`` (sorted names),
    ``sources_before`` (how many carried it before ``since``), ``sources_total``."""
    found = []
    for c in clusters:
        new = sorted(s for s, first in c.first_seen.items() if first > c.since)
        if len(new) < max(1, min_new_sources):
            continue
        found.append(
            Finding(
                AlertRule.spreading,
                "cluster",
                c.cluster_id,
                {
                    "verdict": c.verdict,
                    "decided_at": c.decided_at.isoformat(),
                    "new_sources": new,
                    "sources_before": len(c.first_seen) - len(new),
                    "sources_total": len(c.first_seen),
                },
            )
        )
    return found


# --- (b) a new cluster grows unusually fast ----------------------------------------------------


def z_score(value: float, baseline: Sequence[float]) -> float:
    """How unusual ``value`` is against ``baseline``: (value − mean) / spread, where spread is
    the sample standard deviation but never less than √max(mean, 1) — the Poisson noise of a
    count of that size — so a flat or near-empty baseline does not turn one extra item into an
    "infinite" outlier. An empty baseline counts as all zeros (spread 1)."""
    mean = statistics.fmean(baseline) if baseline else 0.0
    sd = statistics.stdev(baseline) if len(baseline) > 1 else 0.0
    return (value - mean) / max(sd, math.sqrt(max(mean, 1.0)))


@dataclass(frozen=True)
class Growth:
    """A count in the last hour against its baseline (one count per baseline hour)."""

    last_hour: int
    baseline: Sequence[int]


def unusual(growth: Growth, *, minimum: int, z_threshold: float) -> float | None:
    """The z-score when ``growth`` is unusual — at least ``minimum`` in the last hour and
    ``z_score`` ≥ ``z_threshold`` — else ``None``. The minimum keeps small numbers quiet: three
    items where there are usually none is a large z but not yet news."""
    if growth.last_hour < minimum:
        return None
    z = z_score(growth.last_hour, growth.baseline)
    return z if z >= z_threshold else None


@dataclass(frozen=True)
class NewCluster:
    """A cluster first seen lately: its items and distinct sources in the last hour."""

    cluster_id: int
    first_seen_at: datetime
    items: int
    sources: int


def fast_growth(
    clusters: Iterable[NewCluster],
    items_baseline: Sequence[int],
    sources_baseline: Sequence[int],
    *,
    z_threshold: float = 3.0,
    min_items: int = 5,
    min_sources: int = 3,
) -> list[Finding]:
    """Rule: a new cluster grows unusually fast when its last hour's items or distinct sources
    are unusual (``unusual``: at least the minimum, and a z-score ≥ ``z_threshold``) against
    the baseline — for each of the previous days, the largest number of items (resp. sources)
    any one cluster gained in the same hour of day and the hours either side (so 3 values a
    day: a story's usual top pace at that time of day, which absorbs the daily rhythm of
    publishing). A z of 3 is the usual "three standard deviations" outlier threshold.

    Details: ``items``, ``sources`` (last hour), ``z_items``, ``z_sources`` (rounded, ``None``
    when that measure is not unusual), ``baseline_items_mean``, ``baseline_sources_mean``."""
    found = []
    for c in clusters:
        z_items = unusual(
            Growth(c.items, items_baseline), minimum=min_items, z_threshold=z_threshold
        )
        z_sources = unusual(
            Growth(c.sources, sources_baseline), minimum=min_sources, z_threshold=z_threshold
        )
        if z_items is None and z_sources is None:
            continue
        found.append(
            Finding(
                AlertRule.fast_growth,
                "cluster",
                c.cluster_id,
                {
                    "items": c.items,
                    "sources": c.sources,
                    "z_items": None if z_items is None else round(z_items, 2),
                    "z_sources": None if z_sources is None else round(z_sources, 2),
                    "baseline_items_mean": round(statistics.fmean(items_baseline), 2)
                    if items_baseline
                    else 0.0,
                    "baseline_sources_mean": round(statistics.fmean(sources_baseline), 2)
                    if sources_baseline
                    else 0.0,
                    "first_seen_at": c.first_seen_at.isoformat(),
                },
            )
        )
    return found


def baseline_hours(now: datetime, days: int) -> list[tuple[datetime, datetime]]:
    """The baseline's hours for ``now``: on each of the previous ``days`` days, the hour that
    ends at the same time of day as ``now`` and the hours before and after it, as
    (start, end) pairs, oldest first (3 × ``days`` hours)."""
    hours = []
    for day in range(days, 0, -1):
        end = now - timedelta(days=day)
        for shift in (-1, 0, 1):
            stop = end + timedelta(hours=shift)
            hours.append((stop - timedelta(hours=1), stop))
    return hours


# --- (c) the queue waits too long; a feed goes silent or keeps failing ---------------------------


def queue_wait(
    oldest_pending_at: datetime | None, pending: int, now: datetime, max_wait: timedelta
) -> list[Finding]:
    """Rule: the review queue waits too long when its oldest pending task was created more than
    ``max_wait`` ago (``DULUAN_ALERT_QUEUE_MAX_WAIT_MINUTES``): flagged content nobody has
    looked at yet. Details: ``pending``, ``oldest_minutes``."""
    if oldest_pending_at is None or now - oldest_pending_at <= max_wait:
        return []
    minutes = int((now - oldest_pending_at).total_seconds() // 60)
    return [
        Finding(AlertRule.queue_wait, "queue", 0, {"pending": pending, "oldest_minutes": minutes})
    ]


@dataclass(frozen=True)
class FeedState:
    """A polled feed as the rule sees it. ``last_item_at``: when its newest item was fetched
    (``None``: never any); ``auto_disabled``: the collector turned it off after errors."""

    feed_id: int
    name: str
    enabled: bool
    auto_disabled: bool
    poll_interval_s: int
    error_count: int
    last_error: str | None
    last_item_at: datetime | None
    created_at: datetime


def feed_silent(
    feeds: Iterable[FeedState], now: datetime, *, silent_intervals: int, failing_errors: int
) -> list[Finding]:
    """Rule: a feed needs an admin when it is failing — ``failing_errors`` errors in a row, or
    disabled by the collector after errors — or silent: enabled, yet no new item for longer
    than ``silent_intervals`` × its poll interval (since its newest item, or since it was
    added when it never brought one). A feed an admin turned off is neither. Relative to the
    poll interval because a feed polled every 5 minutes and one polled daily fall silent on
    different scales. Details: ``feed`` (its name), ``why`` (``failing`` | ``silent``),
    ``errors``, ``last_error``, ``silent_hours``."""
    found = []
    for f in feeds:
        since = f.last_item_at or f.created_at
        silent_for = now - since
        if f.auto_disabled or (f.enabled and f.error_count >= failing_errors):
            why = "failing"
        elif f.enabled and silent_for > timedelta(seconds=silent_intervals * f.poll_interval_s):
            why = "silent"
        else:
            continue
        found.append(
            Finding(
                AlertRule.feed_silent,
                "feed",
                f.feed_id,
                {
                    "feed": f.name,
                    "why": why,
                    "errors": f.error_count,
                    "last_error": f.last_error,
                    "silent_hours": round(silent_for.total_seconds() / 3600, 1),
                },
            )
        )
    return found
