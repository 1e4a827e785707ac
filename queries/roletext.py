"""What a person's free-text `role` says about when the role ended: a check for data keepers.

The data says when a tie held by its own `since`, `until` and `status`; the person to ask
(`queries.contacts`) reads only those. A role text such as "CEO, Home Oy (2015 - June 2020)" or
"(former)" still tells a reader the role is over, so `espoo-net review` lists a work tie that is
open while its person's role text says it has ended (`role_ended`): the tie wants an `until`.
"""
from __future__ import annotations

import re

from graph.types import day_of, last_day

__all__ = ["role_ended"]

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:\d{{1,2}}\s+)?(?:({_MONTH})\s+)?(\d{{4}})"  # groups: month, year
_UNTIL = re.compile(rf"\buntil\s+{_DATE}", re.I)
_RANGE = re.compile(rf"\d{{4}}\s*[-–]\s*{_DATE}", re.I)
_FORMER = re.compile(r"^\s*(former|ex-)|\((former|retired)\)|\blater (moved|left)\b|\bretired\b", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _end_of(match: re.Match) -> str:
    """The end a role-text match names, as a partial ISO date: '2025' or '2025-06'."""
    month, year = match.group(1), match.group(2)
    return f"{year}-{_MONTHS.index(month[:3].lower()) + 1:02d}" if month else year


def role_ended(role: str | None, day) -> str | None:
    """Why a person's role text says the role is over on `day` (a date or ISO text; today when
    None), or None. A role of several parts ("city councillor; former President of ...") is over
    only when every part is; a range is over after the last day of its end.

    >>> role_ended("President and CEO, Fortum (2015 - June 2020)", "2024-01-01")
    'role ended 2020-06'
    >>> role_ended("CEO, VTT (until June 2025)", "2025-03-01") is None
    True
    >>> role_ended("CEO (until June 2025)", "2025-07-01")
    'role ended 2025-06'
    >>> role_ended("CEO (2023-2025)", "2025-07-01") is None
    True
    >>> role_ended("Chair of the City Board (2021)", "2025-07-01") is None
    True
    >>> role_ended("President, Aalto University (former)", "2024-01-01")
    'former'
    >>> role_ended("Espoo city councillor; former President of the Committee", "2024-01-01") is None
    True
    >>> role_ended("Mayor of Espoo (from February 2025)", "2026-01-01") is None
    True
    """
    if not role:
        return None
    day = day_of(day)
    whys = [_part_ended(part, day) for part in role.split(";") if part.strip()]
    return whys[0] if whys and all(whys) else None


def _part_ended(part: str, day) -> str | None:
    if _FORMER.search(part):
        return "former"
    for pattern in (_UNTIL, _RANGE):
        for m in pattern.finditer(part):
            end = _end_of(m)
            if last_day(end) < day:
                return f"role ended {end}"
    return None
