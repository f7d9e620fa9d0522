"""The calendar the committee reads in: ISO weeks in Vietnam's time (UTC+7, no daylight saving).

A weekly report, an agreement figure or a dashboard covers one :class:`Week`, Monday 00:00 to
Monday 00:00 in Vietnam, stored and compared in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_LOOSE_WEEK = re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*w\s*(?P<week>\d{1,2})$")
_LOOSE_WEEK_FIRST = re.compile(r"^w?\s*(?P<week>\d{1,2})\s*[-/ ]\s*(?P<year>\d{4})$")
_LOOSE_DAY = re.compile(
    r"^(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))$"
)


# The years an item can be dated (the collector's MIN_YEAR..MAX_YEAR, collector/dates.py).
FIRST_YEAR, LAST_YEAR = 1970, 2100


@dataclass(frozen=True)
class Week:
    """An ISO week (``year``, ``week`` 1–53) in Vietnam's time; ``start``/``end`` in UTC."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """``2026-W48`` as a ``Week``; ``ValueError`` for a malformed week, a week the year does
        not have, or a year outside ``FIRST_YEAR..LAST_YEAR`` (the calendar's edges, ``0001-W01``
        or ``9999-W52``, would overflow once in UTC)."""
        m = _WEEK_RE.match(text.strip())
        if not m:
            raise ValueError(f"week must look like 2026-W48, not {text!r}")
        year, week = int(m.group(1)), int(m.group(2))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"the week's year must be between {FIRST_YEAR} and {LAST_YEAR}")
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            weeks = date(year, 12, 28).isocalendar().week  # 28 December is always in the last
            raise ValueError(
                f"{text.strip()!r}: {year} has weeks W01 to W{weeks}, there is no week {week}"
            ) from None
        return cls(year, week)

    @classmethod
    def containing(cls, when: datetime) -> Week:
        iso = when.astimezone(VIETNAM).isocalendar()
        return cls(iso.year, iso.week)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def start(self) -> datetime:
        monday = date.fromisocalendar(self.year, self.week, 1)
        return datetime(monday.year, monday.month, monday.day, tzinfo=VIETNAM).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)

    @property
    def previous(self) -> Week:
        return Week.containing(self.start - timedelta(days=3))

    @property
    def next(self) -> Week:
        return Week.containing(self.end + timedelta(days=3))

    @classmethod
    def parse_input(cls, text: str) -> Week:
        """The week a person typed in a form: what ``<input type="week">`` sends (``2026-W48``)
        and, for browsers that show it as a plain text field, ``2026-w48``, ``2026 W48``,
        ``W48/2026``, ``48/2026``, ``tuần 48/2026`` or a day of the week (``25/11/2026``,
        ``2026-11-25``). ``ValueError`` for anything else, a week the year does not have or a
        year outside ``FIRST_YEAR..LAST_YEAR``."""
        cleaned = " ".join(text.strip().lower().replace("tuần", " ").split())
        if m := _LOOSE_WEEK.match(cleaned):
            return cls.parse(f"{m['year']}-W{int(m['week']):02d}")
        if m := _LOOSE_WEEK_FIRST.match(cleaned):
            return cls.parse(f"{m['year']}-W{int(m['week']):02d}")
        if m := _LOOSE_DAY.match(cleaned):
            year, month, day = (
                int(m["y"] or m["y2"]),
                int(m["m"] or m["m2"]),
                int(m["d"] or m["d2"]),
            )
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(f"the week's year must be between {FIRST_YEAR} and {LAST_YEAR}")
            iso = date(year, month, day).isocalendar()
            return cls.parse(f"{iso.year}-W{iso.week:02d}")
        raise ValueError(f"week must look like 2026-W48, not {text!r}")


def local_time(when: datetime | str | None) -> str:
    """``when`` (a datetime, or ISO 8601 text as model cards store it; UTC when it carries no
    offset) as Vietnam time, "HH:MM dd/mm/yyyy": the one way the pages and the CLI show a time;
    "—" for nothing or text that is not a time. Raises nothing."""
    if not when:
        return "—"
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return "—"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")
