"""When to look at a feed again (miniflux's ScheduleNextCheck, rss-fetcher's backoff)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from enum import StrEnum

from core.config import Settings


class Outcome(StrEnum):
    ok = "ok"
    not_modified = "not_modified"
    soft_error = "soft_error"
    hard_error = "hard_error"


def next_check(
    now: datetime,
    outcome: Outcome,
    settings: Settings,
    *,
    poll_interval_s: int,
    errors_in_a_row: int = 0,
    ttl_s: float | None = None,
    max_age_s: float | None = None,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """On success: max(poll interval, feed TTL, Cache-Control max-age), within [min, max] interval.
    On error: the interval doubled per error in a row, with ±10 % jitter, at least Retry-After,
    capped at ``max_interval_s`` (a day by default)."""
    low, high = settings.min_interval_s, settings.max_interval_s
    base = float(max(poll_interval_s, low))
    if outcome in (Outcome.ok, Outcome.not_modified):
        wait = max(base, ttl_s or 0.0, max_age_s or 0.0)
        return now + timedelta(seconds=min(wait, high))
    wait = base * 2 ** min(max(errors_in_a_row - 1, 0), 16)
    wait *= (rng or random).uniform(0.9, 1.1)
    wait = max(wait, retry_after_s or 0.0)
    return now + timedelta(seconds=min(wait, high))
