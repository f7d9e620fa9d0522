"""The alert rules as pure functions, on synthetic data (no database)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from alerts import rules
from alerts.rules import ConfirmedCluster, FeedState, Growth, NewCluster

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


# --- z-score on synthetic hourly series ----------------------------------------------------------


def _series(days: int, per_hour) -> dict[datetime, int]:  # type: ignore[no-untyped-def]
    """{hour end: count} for every hour of ``days`` days before NOW, from ``per_hour(end)``."""
    out = {}
    for h in range(days * 24 + 2, 0, -1):
        end = NOW - timedelta(hours=h) + timedelta(hours=1)
        out[end] = per_hour(end)
    return out


def _baseline(series: dict[datetime, int], days: int = 7) -> list[int]:
    return [series.get(end, 0) for _, end in rules.baseline_hours(NOW, days)]


def test_baseline_hours_are_the_same_hour_of_day_and_either_side_on_previous_days() -> None:
    hours = rules.baseline_hours(NOW, 7)
    assert len(hours) == 21
    assert all(end - start == timedelta(hours=1) for start, end in hours)
    assert hours[0][1] == NOW - timedelta(days=7, hours=1)
    assert hours[-1][1] == NOW - timedelta(days=1) + timedelta(hours=1)
    assert {(end - NOW).total_seconds() % 86400 for _, end in hours} == {
        0.0,
        3600.0,
        86400 - 3600.0,
    }


def test_steady_series_needs_a_clear_excess() -> None:
    baseline = _baseline(_series(8, lambda _: 4))
    # a flat series has no spread: the floor √mean keeps one extra item from being an outlier
    assert rules.z_score(5, baseline) == pytest.approx(0.5)
    assert rules.unusual(Growth(5, baseline), minimum=5, z_threshold=3.0) is None
    assert rules.unusual(Growth(9, baseline), minimum=5, z_threshold=3.0) is None  # z = 2.5
    assert rules.unusual(Growth(12, baseline), minimum=5, z_threshold=3.0) == pytest.approx(4.0)


def _seasonal(end: datetime) -> int:
    """Quiet nights (1 an hour), a morning peak of 20 around 9:00 Vietnam time (02:00 UTC)."""
    hour = (end.hour + 7) % 24
    return round(1 + 19 * math.exp(-((hour - 9) ** 2) / 4))


def test_seasonal_series_a_usual_morning_peak_is_not_an_alert_a_night_spike_is() -> None:
    series = _series(8, _seasonal)
    morning = NOW.replace(hour=2)  # 09:30 in Vietnam
    peak = [series.get(end, 0) for _, end in rules.baseline_hours(morning, 7)]
    # against every hour of the previous days the usual peak would look like an outlier …
    everything = list(series.values())
    assert rules.z_score(21, everything) > 3
    # … against the same hours of day it is ordinary
    assert rules.unusual(Growth(21, peak), minimum=5, z_threshold=3.0) is None
    night = NOW.replace(hour=20)  # 03:30 in Vietnam
    quiet = [series.get(end, 0) for _, end in rules.baseline_hours(night, 7)]
    assert max(quiet) <= 2
    assert rules.unusual(Growth(15, quiet), minimum=5, z_threshold=3.0) is not None


def test_a_spike_over_a_noisy_series_fires_and_noise_does_not() -> None:
    rng = random.Random(15)
    series = _series(8, lambda _: rng.randint(3, 9))
    baseline = _baseline(series)
    assert rules.unusual(Growth(max(baseline), baseline), minimum=5, z_threshold=3.0) is None
    z = rules.unusual(Growth(40, baseline), minimum=5, z_threshold=3.0)
    assert z is not None
    assert z > 10


def test_small_numbers_stay_quiet_below_the_minimum() -> None:
    empty = _baseline(_series(8, lambda _: 0))
    assert rules.z_score(3, empty) == pytest.approx(3.0)  # an outlier by z alone …
    assert rules.unusual(Growth(3, empty), minimum=5, z_threshold=3.0) is None  # … but too few
    assert rules.unusual(Growth(5, empty), minimum=5, z_threshold=3.0) == pytest.approx(5.0)
    assert rules.z_score(2, []) == pytest.approx(2.0)  # no baseline at all: zeros


def test_fast_growth_fires_on_items_or_sources_and_says_which() -> None:
    items_base, sources_base = [2] * 21, [1] * 21
    found = rules.fast_growth(
        [
            NewCluster(1, NOW - timedelta(hours=2), items=30, sources=2),  # items only
            NewCluster(2, NOW - timedelta(hours=2), items=6, sources=6),  # sources only
            NewCluster(3, NOW - timedelta(hours=2), items=4, sources=2),  # ordinary
        ],
        items_base,
        sources_base,
    )
    by_id = {f.subject_id: f.details for f in found}
    assert set(by_id) == {1, 2}
    assert by_id[1]["z_items"] is not None
    assert by_id[1]["z_sources"] is None
    assert by_id[2]["z_items"] is None
    assert by_id[2]["z_sources"] == pytest.approx(5.0)
    assert by_id[1]["baseline_items_mean"] == 2.0


# --- spreading, queue, feeds ---------------------------------------------------------------------


def test_spreading_counts_sources_first_seen_after_the_verdict_or_the_last_alert() -> None:
    decided = NOW - timedelta(hours=5)
    seen = {
        "Báo A": decided - timedelta(hours=3),
        "Trang B": decided - timedelta(hours=1),
        "Trang C": decided + timedelta(hours=1),
        "Nhóm D": decided + timedelta(hours=4),
    }
    cluster = ConfirmedCluster(7, "scam", decided, decided, seen)
    (found,) = rules.spreading([cluster])
    assert found.subject_kind == "cluster"
    assert found.subject_id == 7
    assert found.details["new_sources"] == ["Nhóm D", "Trang C"]
    assert found.details["sources_before"] == 2
    assert found.details["sources_total"] == 4
    assert rules.spreading([cluster], min_new_sources=3) == []
    # counted from the last alert: only Nhóm D is new since then
    later = ConfirmedCluster(7, "scam", decided, decided + timedelta(hours=2), seen)
    assert rules.spreading([later])[0].details["new_sources"] == ["Nhóm D"]
    quiet = ConfirmedCluster(7, "scam", decided, decided + timedelta(hours=5), seen)
    assert rules.spreading([quiet]) == []


def test_queue_wait_fires_only_past_the_limit() -> None:
    limit = timedelta(minutes=60)
    assert rules.queue_wait(None, 0, NOW, limit) == []
    assert rules.queue_wait(NOW - timedelta(minutes=59), 4, NOW, limit) == []
    (found,) = rules.queue_wait(NOW - timedelta(minutes=95), 4, NOW, limit)
    assert found.subject_kind == "queue"
    assert found.details == {"pending": 4, "oldest_minutes": 95}


def _feed(**kw) -> FeedState:  # type: ignore[no-untyped-def]
    base = {
        "feed_id": 1,
        "name": "Báo X",
        "enabled": True,
        "auto_disabled": False,
        "poll_interval_s": 1800,
        "error_count": 0,
        "last_error": None,
        "last_item_at": NOW - timedelta(hours=1),
        "created_at": NOW - timedelta(days=30),
    }
    return FeedState(**{**base, **kw})


def test_feed_silent_is_relative_to_the_poll_interval_and_failing_counts_errors() -> None:
    def fire(feed: FeedState) -> str | None:
        found = rules.feed_silent([feed], NOW, silent_intervals=48, failing_errors=3)
        return found[0].details["why"] if found else None

    assert fire(_feed()) is None
    assert fire(_feed(last_item_at=NOW - timedelta(hours=23))) is None  # 48 × 30 min = 24 h
    assert fire(_feed(last_item_at=NOW - timedelta(hours=25))) == "silent"
    # polled every 5 minutes: 48 intervals are 4 hours
    assert fire(_feed(poll_interval_s=300, last_item_at=NOW - timedelta(hours=5))) == "silent"
    assert fire(_feed(last_item_at=None, created_at=NOW - timedelta(hours=2))) is None
    assert fire(_feed(last_item_at=None)) == "silent"  # added a month ago, never an item
    assert fire(_feed(error_count=2)) is None
    assert fire(_feed(error_count=3, last_error="HTTP 503")) == "failing"
    assert fire(_feed(enabled=False, last_item_at=NOW - timedelta(days=9))) is None  # by an admin
    assert fire(_feed(enabled=False, auto_disabled=True, last_error="disabled after 5 errors"))
