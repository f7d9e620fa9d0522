"""Times on the pages and in the CLI are Vietnam time, whether they come as datetimes or as the
ISO text the model cards store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from core.calendar import local_time


def test_utc_and_offset_free_times_show_in_vietnam_time() -> None:
    assert local_time(datetime(2026, 11, 30, 2, 5, tzinfo=UTC)) == "09:05 30/11/2026"
    assert local_time(datetime(2026, 11, 30, 17, 0)) == "00:00 01/12/2026"  # no offset: UTC
    assert local_time("2026-11-30T09:57:02+00:00") == "16:57 30/11/2026"  # a model card's text
    assert local_time("2026-11-30T09:57:02") == "16:57 30/11/2026"


def test_nothing_or_text_that_is_not_a_time_shows_a_dash() -> None:
    assert local_time(None) == "—"
    assert local_time("") == "—"
    assert local_time("hôm qua") == "—"


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 2),
        max_value=datetime(2999, 12, 30),
        timezones=st.builds(
            timezone, st.timedeltas(min_value=timedelta(hours=-14), max_value=timedelta(hours=14))
        ),
    )
)
def test_a_time_and_its_iso_text_show_the_same(when: datetime) -> None:
    shown = local_time(when.isoformat())
    assert shown == local_time(when)
    assert datetime.strptime(shown, "%H:%M %d/%m/%Y")  # always the page's one format
