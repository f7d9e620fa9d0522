"""collector.dates: every supported shape, the refusals, and properties over random input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collector.dates import MAX_CHARS, VIETNAM, ParsedDate, parse_date
from tests.conftest import shared_case

NOW = datetime(2026, 11, 28, tzinfo=UTC)
FAR = datetime(2101, 1, 1, tzinfo=UTC)  # "now" for property tests: nothing is in the future
AT = datetime(2026, 11, 27, 1, 15, tzinfo=UTC)  # 27/11/2026 08:15 Vietnam time
AT41 = AT.replace(second=41)
C06_PUBDATES = [
    "2026/11/27 08:15:41",
    "27-11-2026 08:15",
    "08:15 27/11/2026",
    "Fri, 27 Nov 2026 08:15:00 ICT",
    "Thứ sáu, 27/11/2026, 08:15 (GMT+7)",
    "27/11/2026 08:15",
    "2026-11-27T08:15:00+07:00",
    "2026-11-27 08:15:41",
]
ICT = timezone(timedelta(hours=7))
EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
VI_DAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def read(raw: str | None, now: datetime = NOW) -> ParsedDate:
    """parse_date plus the invariant every result must keep."""
    got = parse_date(raw, now)
    assert got.when is None or got.when.utcoffset() == timedelta(0)
    assert got.when is not None or got.note is not None or not (raw or "").strip()
    return got


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026/11/27 08:15:41", AT41),
        ("27-11-2026 08:15", AT),
        ("27/11/2026 08:15", AT),
        ("27.11.2026 08:15", AT),
        ("27/11/2026 08:15:41", AT41),
        ("08:15 27/11/2026", AT),
        ("08:15:00 - 27/11/2026", AT),
        ("Fri, 27 Nov 2026 08:15:00 ICT", AT),
        ("Fri, 27 Nov 2026 08:15:00 +0700", AT),
        ("Fri, 27 Nov 2026 08:15:00 +07:00", AT),
        ("Fri, 27 Nov 2026 08:15:00 GMT+7", AT),
        ("Fri, 27 Nov 2026 08:15:00 GMT+07:00", AT),
        ("Fri, 27 Nov 2026 08:15:00 UTC+7", AT),
        ("Fri, 27 Nov 2026 08:15:00 +0700 (ICT)", AT),
        ("Fri, 27 Nov 2026 01:15:00 GMT", AT),
        ("Fri, 27 Nov 2026 01:15:00 UTC", AT),
        ("Fri, 27 Nov 2026 01:15:00 Z", AT),
        ("Fri, 27 Nov 2026 01:15:00 +0000", AT),
        ("Fri, 27 Nov 2026 08:15:00", AT),  # no zone: Vietnam time, not UTC as feedparser says
        ("Friday, 27 November 2026 08:15", AT),
        ("Nov 27, 2026 08:15", AT),
        ("Thứ sáu, 27/11/2026, 08:15 (GMT+7)", AT),
        ("2026-11-27T08:15:00+07:00", AT),
        ("2026-11-27T08:15:00+0700", AT),
        ("2026-11-27T01:15:00Z", AT),
        ("2026-11-27t01:15:00z", AT),
        ("2026-11-27T01:15:00.250Z", AT.replace(microsecond=250000)),
        ("2026-11-27T08:15:41", AT41),
        ("2026-11-27 08:15:41", AT41),
        ("2026-11-27T06:15:00+05:00", AT),
        ("2026-11-26T20:15:00-05:00", AT),
        ("27 tháng 11 năm 2026 08:15", AT),
        ("27 tháng 11, 2026 08:15", AT),
        ("27 Tháng 11 2026 08:15", AT),
        ("27 thang 11 nam 2026 08:15", AT),
        ("ngày 27/11/2026 lúc 08:15", AT),
        ("Ngày 27 tháng 11 năm 2026, 08:15", AT),
        ("Cập nhật: 27/11/2026 08:15", AT),
        ("27/11/2026 08:15 SA", AT),
        ("27/11/2026 8:15 sáng", AT),
        ("27/11/2026 8:15 AM", AT),
        ("27/11/2026 8:15 a.m.", AT),
        ("27/11/2026 3:15 CH", AT + timedelta(hours=7)),
        ("27/11/2026 3:15 chiều", AT + timedelta(hours=7)),
        ("27/11/2026 3:15 PM", AT + timedelta(hours=7)),
        ("27/11/2026 9:15 tối", AT + timedelta(hours=13)),
        ("27/11/2026 15:15 CH", AT + timedelta(hours=7)),  # 24-hour time with a redundant CH
        ("8h15 27/11/2026", AT),
        ("08h15 27/11/2026", AT),
        ("08H15, 27/11/2026", AT),
        ("08g15 27/11/2026", AT),
        ("27/11/2026 08g15", AT),
        ("8 giờ 15 phút sáng ngày 27/11/2026", AT),
        ("8 giờ 15 ngày 27/11/2026", AT),
        ("27/11/2026 8h", AT.replace(minute=0)),
        ("  27/11/2026\u00a0\t08:15\n", AT),
        ("27/11/2026 | 08:15", AT),
        ("27/11/2026 – 08:15", AT),
    ],
)
def test_every_shape_reads_the_same_instant(raw: str, expected: datetime) -> None:
    assert read(raw) == ParsedDate(expected, None)


def test_shapes_supported_by_the_c06_feed() -> None:
    for raw in C06_PUBDATES:
        got = read(raw)
        assert got.when in (AT, AT41), raw
        assert got.note is None


def test_c06_feed_file_pubdates_are_read_or_refused_never_misread() -> None:
    c06 = shared_case("www/c06-vn-dates.xml")
    pubdates = [el.text or "" for el in ET.parse(c06).getroot().iter("pubDate")]
    assert pubdates == C06_PUBDATES
    for raw in pubdates:
        assert read(raw).when in (AT, AT41, None), raw
    assert all(read(raw).when is not None for raw in pubdates)


@pytest.mark.parametrize(
    "weekday",
    [
        "Thứ sáu",
        "thứ sáu",
        "THỨ SÁU",
        "Thu sau",
        "thu sau",
        "Thứ 6",
        "Thu 6",
        "T6",
        "t6",
        "Fri",
        "Friday",
        "FRI.",
    ],
)
def test_weekday_names_in_any_form(weekday: str) -> None:
    assert read(f"{weekday}, 27/11/2026, 08:15").when == AT


@pytest.mark.parametrize(
    ("weekday", "day"),
    [
        ("Thứ hai", 23),
        ("Thứ ba", 24),
        ("Thứ tư", 25),
        ("Thứ năm", 26),
        ("Thứ sáu", 27),
        ("Thứ bảy", 28),
        ("Chủ nhật", 29),
        ("Chu nhat", 29),
        ("CN", 29),
        ("T2", 23),
        ("T7", 28),
        ("Thứ 2", 23),
        ("Thứ 7", 28),
        ("Mon", 23),
        ("Thu", 26),
        ("Thursday", 26),
        ("Sun", 29),
    ],
)
def test_each_weekday_matches_its_date(weekday: str, day: int) -> None:
    got = read(f"{weekday}, {day}/11/2026 08:15", now=FAR)
    assert got == ParsedDate(AT.replace(day=day), None)


@pytest.mark.parametrize(
    "raw",
    [
        "Thứ năm, 27/11/2026, 08:15 (GMT+7)",
        "Thu, 27 Nov 2026 08:15:00 +0700",
        "CN, 27/11/2026 08:15",
        "T2 27/11/2026",
        "Thứ sáu, Thứ sáu, 27/11/2026 08:15",
    ],
)
def test_a_contradicting_weekday_is_ambiguous(raw: str) -> None:
    got = read(raw)
    assert got.when is None
    assert "weekday" in (got.note or "")


def test_contradiction_note_names_the_real_weekday() -> None:
    note = read("Thứ năm, 27/11/2026, 08:15 (GMT+7)").note
    assert note == (
        "weekday contradicts the date in 'Thứ năm, 27/11/2026, 08:15 (GMT+7)': "
        "27/11/2026 is a Friday"
    )


def test_a_date_without_time_is_midnight_vietnam_time_with_a_note() -> None:
    for raw in ("2026-11-27", "27/11/2026", "27 tháng 11 năm 2026", "Thứ sáu, 27/11/2026"):
        got = read(raw)
        assert got.when == datetime(2026, 11, 26, 17, tzinfo=UTC), raw
        assert got.note is not None
        assert "midnight Vietnam time assumed" in got.note


def test_a_date_without_time_but_with_a_zone_is_midnight_there() -> None:
    got = read("27/11/2026 (GMT)")
    assert got.when == datetime(2026, 11, 27, tzinfo=UTC)
    assert got.note == "no time in '27/11/2026 (GMT)'; midnight assumed"


def test_twelve_hour_clock_edges() -> None:
    assert read("27/11/2026 12:15 SA").when == datetime(2026, 11, 26, 17, 15, tzinfo=UTC)
    assert read("27/11/2026 12:15 AM").when == datetime(2026, 11, 26, 17, 15, tzinfo=UTC)
    assert read("27/11/2026 12:15 CH").when == datetime(2026, 11, 27, 5, 15, tzinfo=UTC)
    assert read("27/11/2026 12:15 PM").when == datetime(2026, 11, 27, 5, 15, tzinfo=UTC)
    for raw in ("27/11/2026 13:15 SA", "27/11/2026 0:15 PM", "27/11/2026 12:15 sáng"):
        got = read(raw)
        assert got.when is None, raw
        assert "impossible time" in (got.note or "")


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        ("2 giờ trước", "relative date"),
        ("5 phút trước", "relative date"),
        ("hôm qua", "relative date"),
        ("Hôm qua, 08:15", "relative date"),
        ("hom nay 08:15", "relative date"),
        ("vừa xong", "relative date"),
        ("3 hours ago", "relative date"),
        ("yesterday 08:15", "relative date"),
        ("27/11 08:15", "date without a year"),
        ("27-11", "date without a year"),
        ("27 tháng 11 08:15", "date without a year"),
        ("27/11/26 08:15", "two-digit year"),
        ("26/11/27", "two-digit year"),
        ("11/27/2026 08:15", "impossible date"),  # M/D/Y is never tried
        ("27/13/2026", "impossible date"),
        ("32/11/2026", "impossible date"),
        ("31/11/2026", "impossible date"),
        ("29/02/2026", "impossible date"),
        ("2026-11-27T24:00:00", "impossible time"),
        ("27/11/2026 08:60", "impossible time"),
        ("27/11/2026 08:15:61", "impossible time"),
        ("27/11/2026 25h15", "impossible time"),
        ("2026-11-27T08:15:00+15:00", "impossible time zone"),
        ("27/11/2026 08:15 GMT+7:75", "impossible time zone"),
        ("27/11/2026 08:15 CST", "unknown time zone 'CST'"),
        ("Fri, 27 Nov 2026 08:15:00 EST", "unknown time zone 'EST'"),
        ("27/11/2026 08:15 +0700 GMT", "conflicting time zones"),
        ("0001-01-01T00:00:00", "year 1 outside 1970..2100"),
        ("9999-12-31T23:59:59Z", "year 9999 outside 1970..2100"),
        ("01/01/1969 08:15", "year 1969 outside"),
        ("27/11/2026 08:15 28/11/2026", "several dates"),
        ("27/11/2026 08:15 09:15", "several times"),
        ("08:15", "time without a date"),
        ("+0700", "zone '+0700' without a time"),
        ("27/11/2026 +0700", "without a time"),
        ("27/11/2026 SA", "not after a time"),
        ("garbage", "unreadable date"),
        ("27/11/2026 08:15 123 lượt xem", "unreadable date"),
        ("20261127T081500Z", "unreadable date"),
        ("1795748100", "unreadable date"),
        ("27 Nov 26 08:15", "unreadable date"),
        ("٢٧/١١/٢٠٢٦", "unreadable date"),
        ("tháng 11/2026", "unreadable date"),
        ("-", "unreadable date"),
        ("2027-01-01T00:00:00Z", "date in the future"),
    ],
)
def test_ambiguous_or_unreadable_dates_are_empty_with_a_note(raw: str, note: str) -> None:
    got = read(raw)
    assert got.when is None, raw
    assert got.note is not None
    assert note in got.note
    assert raw.strip()[:20] in got.note or "too long" in got.note


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t"])
def test_nothing_gives_nothing(raw: str | None) -> None:
    assert parse_date(raw) == ParsedDate(None, None)


def test_a_non_string_is_refused_not_raised() -> None:
    got = parse_date(1795748100, NOW)  # type: ignore[arg-type]
    assert got == ParsedDate(None, "not a date string: int")


def test_too_long_strings_are_refused_not_cut() -> None:
    raw = "27/11/2026 08:15:41" + " " * 50 + "x" * MAX_CHARS
    got = read(raw)
    assert got.when is None
    assert (got.note or "").startswith("too long to be a date")
    assert len(got.note or "") < 120


def test_the_note_quotes_the_raw_string_on_one_printable_line() -> None:
    note = read("xx\n\x00yy").note
    assert note == "unreadable date 'xx ?yy': unexpected 'xx'"


def test_future_dates_respect_now_and_the_slack() -> None:
    raw = "2026-11-28T12:00:00Z"
    assert read(raw, now=NOW).when == datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert parse_date(raw, NOW, future_slack=timedelta(hours=1)) == ParsedDate(
        None, "date in the future '2026-11-28T12:00:00Z'"
    )
    assert parse_date("2026-11-29T00:00:01Z", NOW).when is None
    assert parse_date("2026-11-29T00:00:00Z", NOW).when is not None


def test_naive_now_is_taken_as_utc_and_default_now_is_the_clock() -> None:
    assert parse_date("27/11/2026 08:15", datetime(2026, 11, 26, 2)).when == AT
    assert parse_date("27/11/2026 08:15", datetime(2026, 11, 26, 1)).when is None
    assert parse_date("2100-12-31T00:00:00Z").when is None  # the clock is not in 2100
    assert parse_date("2001-01-01T00:00:00Z").when == datetime(2001, 1, 1, tzinfo=UTC)


def test_extreme_now_and_slack_do_not_raise() -> None:
    big = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert parse_date("27/11/2026 08:15", big, future_slack=timedelta(days=9)).when == AT


def test_zone_less_times_follow_the_vietnam_zone_database() -> None:
    assert VIETNAM.utcoffset(datetime(2026, 1, 1)) == timedelta(hours=7)
    # Saigon kept UTC+8 until 13 June 1975; the zone database says so, and so do we.
    assert read("01/01/1972 08:00").when == datetime(1972, 1, 1, 0, tzinfo=UTC)
    assert read("01/01/1976 08:00").when == datetime(1976, 1, 1, 1, tzinfo=UTC)


# --- properties --------------------------------------------------------------------------------


def _h12(t: datetime, am: str, pm: str) -> str:
    return f"{t.hour % 12 or 12}:{t:%M} {am if t.hour < 12 else pm}"


def _rfc(t: datetime, zone: str) -> str:
    day = f"{EN_DAYS[t.weekday()]}, {t.day:02d} {EN_MONTHS[t.month - 1]} {t.year}"
    return f"{day} {t:%H:%M:%S} {zone}".rstrip()


# (render from Vietnam wall-clock time or from UTC, the renderer, whether seconds survive)
Render = Callable[[datetime], str]
SHAPES: list[tuple[str, Render, bool]] = [
    ("vn", lambda t: f"{t:%Y/%m/%d %H:%M:%S}", True),
    ("vn", lambda t: f"{t:%d-%m-%Y %H:%M}", False),
    ("vn", lambda t: f"{t:%d/%m/%Y %H:%M}", False),
    ("vn", lambda t: f"{t:%d.%m.%Y %H:%M}", False),
    ("vn", lambda t: f"{t:%d/%m/%Y %H:%M:%S}", True),
    ("vn", lambda t: f"{t:%H:%M %d/%m/%Y}", False),
    ("vn", lambda t: f"{t:%H:%M:%S - %d/%m/%Y}", True),
    ("vn", lambda t: _rfc(t, "ICT"), True),
    ("vn", lambda t: _rfc(t, "+0700"), True),
    ("vn", lambda t: _rfc(t, "GMT+7"), True),
    ("vn", lambda t: _rfc(t, "GMT+07:00"), True),
    ("vn", lambda t: _rfc(t, "UTC+7"), True),
    ("vn", lambda t: _rfc(t, ""), True),
    ("utc", lambda t: _rfc(t, "GMT"), True),
    ("utc", lambda t: _rfc(t, "UTC"), True),
    ("utc", lambda t: _rfc(t, "Z"), True),
    ("utc", lambda t: _rfc(t, "+0000"), True),
    ("vn", lambda t: f"{VI_DAYS[t.weekday()]}, {t:%d/%m/%Y, %H:%M} (GMT+7)", False),
    ("vn", lambda t: f"{VI_DAYS[t.weekday()].upper()}, {t:%d/%m/%Y, %H:%M} (GMT+7)", False),
    ("vn", lambda t: t.isoformat(), True),
    ("utc", lambda t: f"{t:%Y-%m-%dT%H:%M:%SZ}", True),
    ("vn", lambda t: f"{t:%Y-%m-%d %H:%M:%S}", True),
    ("vn", lambda t: f"{t.day} tháng {t.month} năm {t.year} {t:%H:%M}", False),
    ("vn", lambda t: f"{t.day} tháng {t.month}, {t.year} {t:%H:%M}", False),
    ("vn", lambda t: f"ngày {t:%d/%m/%Y} lúc {t:%H:%M}", False),
    ("vn", lambda t: f"{t:%d/%m/%Y} {_h12(t, 'SA', 'CH')}", False),
    ("vn", lambda t: f"{t:%d/%m/%Y} {_h12(t, 'AM', 'PM')}", False),
    ("vn", lambda t: f"{t.hour}h{t:%M} {t:%d/%m/%Y}", False),
    ("vn", lambda t: f"{t:%d/%m/%Y} {t:%H}g{t:%M}", False),
]
instants = st.datetimes(
    min_value=datetime(1976, 1, 1), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
).map(lambda t: t.replace(microsecond=0))


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_never_raises(raw: str) -> None:
    read(raw, FAR)
    read(raw)


DATEISH = st.text(alphabet="0123456789 /-.:,+()TZhgtáhngămSACHGMTUIĐđứ", max_size=40)
TOKENS = st.sampled_from(
    ["27/11/2026", "2026-11-27", "08:15", "08:15:41", "8h15", "SA", "CH", "+0700", "GMT+7",
     "ICT", "Z", "Thứ sáu", "T6", "CN", "ngày", "lúc", "tháng", "năm", "11", "2026", ",", "-",
     "(", ")", "Nov", "Fri", "27", "T", "giờ", "phút", "12", "00", "99", "13", "31/02/2026"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(DATEISH, st.lists(TOKENS, max_size=8).map(" ".join)))
def test_date_like_text_never_raises(raw: str) -> None:
    read(raw, FAR)


@settings(max_examples=1000, deadline=None)
@given(instants, st.sampled_from(range(len(SHAPES))))
def test_rendered_instants_read_back_exactly(instant: datetime, shape: int) -> None:
    frame, render, with_seconds = SHAPES[shape]
    expected = instant if with_seconds else instant.replace(second=0)
    raw = render(expected.astimezone(ICT if frame == "vn" else UTC))
    assert read(raw, FAR) == ParsedDate(expected, None), raw


offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
aware = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 30), timezones=offsets
)


@settings(max_examples=500, deadline=None)
@given(aware)
def test_isoformat_with_any_offset_reads_back_exactly(t: datetime) -> None:
    assert read(t.isoformat(), FAR) == ParsedDate(t.astimezone(UTC), None)
    assert read(t.isoformat(sep=" "), FAR) == ParsedDate(t.astimezone(UTC), None)


@settings(max_examples=500, deadline=None)
@given(aware)
def test_rfc822_agrees_with_email_utils(t: datetime) -> None:
    raw = format_datetime(t.replace(microsecond=0))
    assert read(raw, FAR).when == parsedate_to_datetime(raw)
    raw = format_datetime(t.replace(microsecond=0).astimezone(UTC), usegmt=True)
    assert read(raw, FAR).when == parsedate_to_datetime(raw)


@settings(max_examples=300, deadline=None)
@given(instants.filter(lambda t: t.day > 12))
def test_month_first_is_never_read(t: datetime) -> None:
    got = read(f"{t.month:02d}/{t.day:02d}/{t.year} {t:%H:%M}", FAR)
    assert got.when is None
    assert "impossible date" in (got.note or "")


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(1, 6))
def test_a_wrong_weekday_is_never_accepted(t: datetime, shift: int) -> None:
    wrong = (t.weekday() + shift) % 7
    assert read(f"{VI_DAYS[wrong]}, {t:%d/%m/%Y, %H:%M}", FAR).when is None
    assert (
        read(f"{EN_DAYS[wrong]}, {t.day} {EN_MONTHS[t.month - 1]} {t:%Y %H:%M}", FAR).when is None
    )
