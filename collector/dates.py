"""One parser for the date strings Vietnamese sources send: feed dates and import columns.

The rule: **a time without a zone from a Vietnamese source is Vietnam time (Asia/Ho_Chi_Minh,
UTC+7); a date that cannot be read unambiguously is left empty (None) with a note — never a
wrong date.**

Consequences of the rule, decided once here:

* Dates are always day first (D/M/Y) unless the year comes first (Y-M-D, ISO 8601) or the month
  is a name ("27 Nov 2026", "Nov 27, 2026"). M/D/Y is never tried: "11/27/2026" is refused, and
  "05/11/2026" is 5 November.
* Anything that needs a reference point we do not have is refused: relative dates ("2 giờ trước",
  "hôm qua", "vừa xong"), dates without a year ("27/11 08:15"), two-digit years ("27/11/26": the
  order and the century cannot be told).
* A weekday that contradicts the date makes the whole string ambiguous: refused.
* A date without a time ("2026-11-27") is read as midnight Vietnam time (or midnight in the zone
  it carries) and the note says that midnight was assumed: the day is right, the hour is not known.
* Years outside 1970..2100, impossible days, months, hours or zones, unknown zone names ("CST"
  is China or US Central), and any word the parser does not know are refused.
* A date later than ``now + future_slack`` is refused ("date in the future").
* Strings longer than ``MAX_CHARS`` are refused rather than cut, as a cut could change the time.

The parser is a tokenizer over one master regular expression (no ``dateparser``, which is slow
and guesses): the text is lower-cased and stripped of Vietnamese diacritics, split into tokens
(date, time, AM/PM, zone, weekday, filler word, punctuation), and every token must be understood.
Before 1975-06-13 Asia/Ho_Chi_Minh was UTC+8 (Saigon time); zone-less times of that period follow
the zone database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["MAX_CHARS", "VIETNAM", "ParsedDate", "parse_date"]

try:
    VIETNAM: tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # pragma: no cover - no zone database installed
    VIETNAM = timezone(timedelta(hours=7), "ICT")

MAX_CHARS = 200
MIN_YEAR, MAX_YEAR = 1970, 2100
_MAX_OFFSET = timedelta(hours=14)


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: ``when`` is timezone-aware UTC or None; ``note`` says why it is None or
    what was assumed, in plain English, and is None when the string was read cleanly."""

    when: datetime | None
    note: str | None = None


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
# Weekday names after lower-casing and removing diacritics; Monday is 0 as in date.weekday().
_WEEKDAYS = {
    "thu hai": 0, "thu 2": 0, "t2": 0, "mon": 0,
    "thu ba": 1, "thu 3": 1, "t3": 1, "tue": 1,
    "thu tu": 2, "thu 4": 2, "t4": 2, "wed": 2,
    "thu nam": 3, "thu 5": 3, "t5": 3, "thu": 3,
    "thu sau": 4, "thu 6": 4, "t6": 4, "fri": 4,
    "thu bay": 5, "thu 7": 5, "t7": 5, "sat": 5,
    "chu nhat": 6, "cn": 6, "sun": 6,
}  # fmt: skip
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AM = frozenset({"am", "a.m.", "sa", "sang"})
_PM = frozenset({"pm", "p.m.", "ch", "chieu", "toi"})

# Kinds of token; the group names of the master pattern.
_DATES = ("ymd", "dmy", "vi", "en", "en2")
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
    |(?P<ymd>(?<![0-9])(?P<ymd_y>[0-9]{{4}})(?P<ymd_s>[/.-])(?P<ymd_m>[0-9]{{1,2}})
        (?P=ymd_s)(?P<ymd_d>[0-9]{{1,2}})(?![0-9]))
    |(?P<dmy>(?<![0-9])(?P<dmy_d>[0-9]{{1,2}})(?P<dmy_s>[/.-])(?P<dmy_m>[0-9]{{1,2}})
        (?P=dmy_s)(?P<dmy_y>[0-9]{{4}})(?![0-9]))
    |(?P<yy>(?<![0-9])[0-9]{{1,2}}(?P<yy_s>[/.-])[0-9]{{1,2}}(?P=yy_s)[0-9]{{2}}(?![0-9]))
    |(?P<vi>(?<![0-9])(?P<vi_d>[0-9]{{1,2}})\ ?thang\ ?(?P<vi_m>[0-9]{{1,2}})(?![0-9])
        (?:(?:\ ?,\ ?|\ nam\ |\ )(?P<vi_y>[0-9]{{4}})(?![0-9]))?)
    |(?P<en>(?<![0-9])(?P<en_d>[0-9]{{1,2}})(?:st|nd|rd|th)?[\ -](?P<en_m>{_MONTH_RE})\.?,?
        [\ -](?P<en_y>[0-9]{{4}})(?![0-9]))
    |(?P<en2>(?<![a-z])(?P<en2_m>{_MONTH_RE})\.?\ (?P<en2_d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?
        \ (?P<en2_y>[0-9]{{4}})(?![0-9]))
    |(?P<dm>(?<![0-9])[0-9]{{1,2}}(?:[/.-][0-9]{{1,2}}|\ ?thang\ ?[0-9]{{1,2}})(?![0-9]))
    |(?P<hms>(?<![0-9])(?P<hms_h>[0-9]{{1,2}}):(?P<hms_m>[0-9]{{2}})
        (?::(?P<hms_s>[0-9]{{2}})(?:\.(?P<hms_f>[0-9]{{1,9}}))?)?(?![0-9]))
    |(?P<hm>(?<![0-9])(?P<hm_h>[0-9]{{1,2}})
        (?:[hg](?P<hm_m>[0-9]{{2}})?|\ ?gio(?:\ (?P<hm_m2>[0-9]{{1,2}})(?![0-9/.:-])(?:\ phut)?)?)
        (?![a-z0-9]))
    |(?P<ampm>(?<![a-z])(?:a\.m\.|p\.m\.|am|pm|sang|sa|chieu|ch|toi)(?![a-z]))
    |(?P<gmt>(?<![a-z])(?:gmt|utc|ut)
        (?:\ ?(?P<gmt_sign>[+-])\ ?(?P<gmt_h>[0-9]{{1,2}})(?::?(?P<gmt_m>[0-9]{{2}}))?)?
        (?![a-z0-9]))
    |(?P<off>(?P<off_sign>[+-])(?P<off_h>[0-9]{{2}})(?::?(?P<off_m>[0-9]{{2}}))?(?![0-9/.:-]))
    |(?P<z>(?<![a-z])z(?![a-z0-9]))
    |(?P<ict>(?<![a-z])ict(?![a-z]))
    |(?P<wd>(?<![a-z0-9])
        (?:thu\ (?:hai|ba|tu|nam|sau|bay|[2-7])|chu\ nhat|t[2-7]|cn
          |mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?
          |sat(?:urday)?|sun(?:day)?)
        \.?(?![a-z0-9]))
    |(?P<iso_t>(?<=[0-9])t(?=[0-9]))
    |(?P<fill>(?<![a-z])(?:ngay|luc|vao|hoi|cap\ nhat|dang|at|on)(?![a-z]))
    |(?P<punct>[,;|()\[\]/.:\-–—])
    |(?P<other>[a-z]+|[0-9]+|\S)
    """,
    re.VERBOSE | re.ASCII,
)
_RELATIVE = re.compile(
    r"(?<![a-z])(?:truoc|hom qua|hom kia|hom nay|vua xong|vua moi|moi day|moi dang|ago"
    r"|yesterday|today|just now)(?![a-z])",
    re.ASCII,
)
_MARKS = re.compile("[\u0300-\u036f]")
_LETTERS = str.maketrans({"đ": "d", "ð": "d"})


class _Refused(Exception):
    """The string cannot be read unambiguously; the message is the note."""


def _shown(text: str) -> str:
    """The raw string as quoted in a note: one line, printable, at most 60 characters."""
    text = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return f"'{text}'" if len(text) <= 60 else f"'{text[:59]}…'"


def _normal(text: str) -> str:
    """Lower case, Vietnamese diacritics removed (đ → d), runs of whitespace as one space."""
    text = unicodedata.normalize("NFD", text.lower().translate(_LETTERS))
    return " ".join(_MARKS.sub("", text).split())


def _offset(sign: str, hours: str, minutes: str | None, shown: str) -> timedelta:
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > _MAX_OFFSET or int(minutes or 0) >= 60:
        raise _Refused(f"impossible time zone offset in {shown}")
    return -delta if sign == "-" else delta


def _parse(text: str, shown: str, now: datetime, future_slack: timedelta) -> ParsedDate:
    """Tokenize ``text`` (already normalized) and build the UTC instant; raises ``_Refused``."""
    ymd: tuple[int, int, int] | None = None
    hms: tuple[int, int, int, int] | None = None
    meridiem: str | None = None
    zones: set[timedelta] = set()
    weekday: int | None = None
    last = ""  # kind of the previous token other than whitespace
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        g = m.group
        if kind in _DATES:
            if ymd is not None:
                raise _Refused(f"several dates in {shown}")
            y, mo, d = (g(f"{kind}_y"), g(f"{kind}_m"), g(f"{kind}_d"))
            if kind == "vi" and y is None:
                raise _Refused(f"date without a year {shown}")
            month = _MONTHS[mo[:3]] if kind in ("en", "en2") else int(mo)
            ymd = (int(y), month, int(d))
        elif kind == "yy":
            raise _Refused(f"two-digit year in {shown}: the order and century cannot be told")
        elif kind == "dm":
            raise _Refused(f"date without a year {shown}")
        elif kind in ("hms", "hm"):
            if hms is not None:
                raise _Refused(f"several times in {shown}")
            if kind == "hms":
                frac = (g("hms_f") or "0")[:6].ljust(6, "0")
                hms = (int(g("hms_h")), int(g("hms_m")), int(g("hms_s") or 0), int(frac))
            else:
                hms = (int(g("hm_h")), int(g("hm_m") or g("hm_m2") or 0), 0, 0)
        elif kind == "ampm":
            if last not in ("hms", "hm") or meridiem is not None:
                raise _Refused(f"unreadable date {shown}: '{m.group()}' not after a time")
            meridiem = m.group()
        elif kind == "gmt":
            sign = g("gmt_sign")
            zones.add(_offset(sign, g("gmt_h"), g("gmt_m"), shown) if sign else timedelta(0))
        elif kind in ("off", "z"):
            if hms is None:
                raise _Refused(f"unreadable date {shown}: zone '{m.group()}' without a time")
            zones.add(
                _offset(g("off_sign"), g("off_h"), g("off_m"), shown)
                if kind == "off"
                else timedelta(0)
            )
        elif kind == "ict":
            zones.add(timedelta(hours=7))
        elif kind == "wd":
            name = m.group().rstrip(".")
            name = name if name.startswith(("thu ", "chu ")) or len(name) <= 3 else name[:3]
            if weekday is not None:
                raise _Refused(f"several weekdays in {shown}")
            weekday = _WEEKDAYS[name]
        elif kind == "iso_t":
            if last not in _DATES:
                raise _Refused(f"unreadable date {shown}")
        elif kind == "other":
            word = m.group()
            if last in ("hms", "hm", "ampm") and word.isalpha() and 2 <= len(word) <= 5:
                raise _Refused(f"unknown time zone '{word.upper()}' in {shown}")
            raise _Refused(f"unreadable date {shown}: unexpected '{word}'")
        last = kind  # fill and punct need no checks

    if ymd is None:
        raise _Refused(f"time without a date {shown}" if hms else f"unreadable date {shown}")
    year, month, day = ymd
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Refused(f"year {year} outside {MIN_YEAR}..{MAX_YEAR} in {shown}")
    if not 1 <= month <= 12:
        raise _Refused(f"impossible date {shown}: month {month} (dates are read day/month/year)")
    try:
        local_day = date(year, month, day)
    except ValueError:
        raise _Refused(f"impossible date {shown}: {month}/{year} has no day {day}") from None
    if weekday is not None and weekday != local_day.weekday():
        raise _Refused(
            f"weekday contradicts the date in {shown}: "
            f"{day:02d}/{month:02d}/{year} is a {_DAY_NAMES[local_day.weekday()]}"
        )
    if len(zones) > 1:
        raise _Refused(f"conflicting time zones in {shown}")
    zone = timezone(next(iter(zones))) if zones else VIETNAM
    hour, minute, second, micro = hms or (0, 0, 0, 0)
    if meridiem in _AM:
        if hour > 12 or (hour == 12 and meridiem == "sang"):
            raise _Refused(f"impossible time {shown}: hour {hour} with '{meridiem}'")
        hour %= 12
    elif meridiem in _PM:
        if hour == 0 or (hour == 12 and meridiem == "toi"):
            raise _Refused(f"impossible time {shown}: hour {hour} with '{meridiem}'")
        hour = hour + 12 if hour < 12 else hour
    if hour > 23 or minute > 59 or second > 59:
        raise _Refused(f"impossible time {shown}")
    local = datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
    when = local.astimezone(UTC)
    try:
        too_late = when > now + future_slack
    except OverflowError:
        too_late = False
    if too_late:
        raise _Refused(f"date in the future {shown}")
    if hms is None:
        where = "" if zones else " Vietnam time"
        return ParsedDate(when, f"no time in {shown}; midnight{where} assumed")
    return ParsedDate(when)


def parse_date(
    raw: str | None, now: datetime | None = None, *, future_slack: timedelta = timedelta(days=1)
) -> ParsedDate:
    """Read a date string from a Vietnamese feed or import as a UTC instant.

    Shapes read (examples are 27 Nov 2026 08:15 Vietnam time = 01:15 UTC; seconds and a
    fraction of a second are kept when given, a missing time is midnight with a note):

    * ISO 8601 / RFC 3339: ``2026-11-27T08:15:00+07:00``, ``2026-11-27T01:15:00Z``,
      ``2026-11-27 08:15:41``, ``2026/11/27 08:15:41``, ``2026-11-27``.
    * Day first, separators ``/ - .``: ``27/11/2026 08:15``, ``27-11-2026 08:15``,
      ``27.11.2026 08:15``; the time may come first: ``08:15 27/11/2026``,
      ``08:15:00 - 27/11/2026``.
    * RFC 822: ``Fri, 27 Nov 2026 08:15:00 ICT``; zones ``+0700``, ``+07:00``, ``GMT+7``,
      ``GMT+07:00``, ``UTC+7``, ``ICT`` (UTC+7), ``GMT``, ``UTC``, ``UT``, ``Z``; none → Vietnam.
    * Vietnamese: ``Thứ sáu, 27/11/2026, 08:15 (GMT+7)``, ``27 tháng 11 năm 2026 08:15``,
      ``27 tháng 11, 2026 08:15``, ``ngày 27/11/2026 lúc 08:15``, ``8h15 27/11/2026``,
      ``08g15``, ``8 giờ 15``; 12-hour clock with ``SA``/``sáng``/``AM`` and
      ``CH``/``chiều``/``tối``/``PM``; weekdays ``Thứ hai``..``Thứ bảy``, ``Thứ 2``..``Thứ 7``,
      ``T2``..``T7``, ``Chủ nhật``, ``CN`` or English names, any case, with or without
      diacritics. Month names in English: ``27 Nov 2026``, ``Nov 27, 2026``.

    Args:
        raw: the string as sent; None or blank gives ``ParsedDate(None, None)``.
        now: the current instant (timezone-aware; naive is taken as UTC), default the clock.
        future_slack: how far past ``now`` a date may lie before it is refused as future.

    Returns:
        ``ParsedDate(when, note)``: ``when`` timezone-aware UTC, or None when the string is
        ambiguous, unreadable, impossible, out of 1970..2100 or in the future; ``note`` explains
        a None or an assumption (missing time) in plain English, else is None.

    Never raises for any string.
    """
    if raw is None:
        return ParsedDate(None)
    if not isinstance(raw, str):
        return ParsedDate(None, f"not a date string: {type(raw).__name__}")
    raw = raw.strip()
    if not raw:
        return ParsedDate(None)
    if len(raw) > MAX_CHARS:
        return ParsedDate(None, f"too long to be a date ({len(raw)} characters) {_shown(raw)}")
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    shown = _shown(raw)
    text = _normal(raw)
    if _RELATIVE.search(text):
        return ParsedDate(None, f"relative date {shown}: the time it is relative to is unknown")
    try:
        return _parse(text, shown, now, future_slack)
    except _Refused as refused:
        return ParsedDate(None, str(refused))
