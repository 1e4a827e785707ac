"""Lengths of time as people write them (90d, 2w, 6m, 3y), a window's start given as a date
or as a duration counted back from its end, and a tie's dates as words (`tie_dates`)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .types import DATE_RE, BadValue, clean, date_bounds, first_day

__all__ = ["Duration", "duration", "since_value", "since_day", "tie_dates"]

DURATION_RE = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    """A length of time in days, weeks, months or years: '90d', '6m', '3y'.

    >>> duration("6m").before(dt.date(2026, 8, 31))
    datetime.date(2026, 2, 28)
    """

    count: int
    unit: str  # d, w, m or y

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def _months(self, day: dt.date, sign: int) -> dt.date:
        months = self.count * (12 if self.unit == "y" else 1) * sign
        y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
        last = date_bounds(f"{y:04d}-{m + 1:02d}")[1].day  # 31 Aug minus 6 months is 28 (or 29) Feb
        return dt.date(y, m + 1, min(day.day, last))

    def before(self, day: dt.date) -> dt.date:
        """The day this long before `day`."""
        if self.unit in "dw":
            return day - dt.timedelta(days=self.count * (7 if self.unit == "w" else 1))
        return self._months(day, -1)

    def after(self, day: dt.date) -> dt.date:
        """The day this long after `day`."""
        if self.unit in "dw":
            return day + dt.timedelta(days=self.count * (7 if self.unit == "w" else 1))
        return self._months(day, 1)


def duration(text: str) -> Duration:
    """Parse a duration such as 90d, 6w, 6m or 3y; raises BadValue with a hint otherwise."""
    m = DURATION_RE.match(str(text))
    if not m:
        raise BadValue(f"{text!r} is not a duration", "write a whole number and d, w, m or y, such as 90d, 6m or 3y")
    return Duration(int(m.group(1)), m.group(2).lower())


def since_value(text: str) -> str:
    """A window's start as asked: a date (YYYY[-MM[-DD]], normalised) or a duration (90d, 2w, 6m,
    3y) to count back from the window's end (`since_day`); raises BadValue naming both forms.

    >>> since_value("6M"), since_value("2021-06-01")
    ('6m', '2021-06-01')
    """
    m = DURATION_RE.match(str(text))
    if m:
        return f"{int(m.group(1))}{m.group(2).lower()}"
    try:
        return clean("date", text)
    except BadValue as e:
        # Written as a date but no such day, or a d.m.yyyy date: the date's own message and hint.
        if DATE_RE.match(str(text).strip()) or e.hint.startswith("write it as"):
            raise
        raise BadValue(f"{text!r} is neither a date nor a duration",
                       "write a date such as 2021-06-01, 2021-06 or 2021, or a duration such as 90d, 2w, 6m or 3y") from e


def since_day(text: str, end: dt.date) -> dt.date:
    """The first day of a window ending on `end`: a date's first day, or a duration counted back
    from `end` ('6m' before 2026-12-02 is 2026-06-02).

    >>> since_day("6m", dt.date(2026, 12, 2)), since_day("2021", dt.date(2026, 12, 2))
    (datetime.date(2026, 6, 2), datetime.date(2021, 1, 1))
    """
    return duration(text).before(end) if DURATION_RE.match(str(text)) else first_day(text)


def tie_dates(since: str | None, until: str | None) -> str:
    """A tie's dates as words, the one form every table, page and sentence shows: 'since 2019',
    '1968–2022-03-03', 'until 2022' (only its end is known: never a bare year, which would read as
    its start) or 'undated'.

    >>> tie_dates("1968", "2022-03-03"), tie_dates("2019", None), tie_dates(None, "2022"), tie_dates(None, None)
    ('1968–2022-03-03', 'since 2019', 'until 2022', 'undated')
    """
    if since and until:
        return f"{since}–{until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return "undated"
