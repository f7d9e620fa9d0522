from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from collector.schedule import Outcome, next_check
from core.config import Settings

NOW = datetime(2026, 11, 27, tzinfo=UTC)
S = Settings(_env_file=None)


def wait(outcome: Outcome, **kw: object) -> float:
    kw.setdefault("poll_interval_s", 1800)
    return (next_check(NOW, outcome, S, rng=random.Random(1), **kw) - NOW) / timedelta(seconds=1)  # type: ignore[arg-type]


def test_success_honours_ttl_and_cache_control_within_bounds() -> None:
    assert wait(Outcome.ok) == 1800
    assert wait(Outcome.ok, ttl_s=3600) == 3600
    assert wait(Outcome.not_modified, max_age_s=7200) == 7200
    assert wait(Outcome.ok, max_age_s=10 * 86_400) == S.max_interval_s
    assert wait(Outcome.ok, poll_interval_s=10) == S.min_interval_s


def test_errors_back_off_exponentially_with_jitter_capped_at_a_day() -> None:
    waits = [wait(Outcome.soft_error, errors_in_a_row=n) for n in range(1, 8)]
    assert 1800 * 0.9 <= waits[0] <= 1800 * 1.1
    assert all(b > a for a, b in zip(waits, waits[1:5], strict=False))
    assert waits[-1] == S.max_interval_s
    assert wait(Outcome.soft_error, errors_in_a_row=1, retry_after_s=7200) == 7200
    assert wait(Outcome.hard_error, errors_in_a_row=1, retry_after_s=10**9) == S.max_interval_s
