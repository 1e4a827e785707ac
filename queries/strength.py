"""Tie strength: how warm one relation is, as a number from 0 (no route) to 1.

Every query that ranks routes scores each relation with `tie_strength`; nothing else decides how
warm a tie is. The score is a product of four factors::

    strength = base × status × recency × confidence

base
    The explicit ``strength`` of the relation when the data gives one, else the default of its
    kind in the schema (an MoU signature 0.8, a shared membership 0.3). A kind whose family does
    not route (place: ``located_in``, ``operates_in``...) never carries an introduction: 0.
status
    The status the tie had on the day of the view. A tie that held that day (see
    `graph.model.is_active`) counts as active, except ``unknown``, which is discounted
    (×0.7) because the sources do not say it still holds. On a past day the dates decide, so the
    Gatchina twinning that ended in 2022 was active in 2021. A tie that did not hold that day
    is not a route (strength 0) unless ``include_inactive``; then it is discounted by what it was
    (suspended ×0.5, ended ×0.4, planned or not yet begun ×0.3).
recency
    ``0.5 + 0.5 × 0.5 ** (age / 10)``, where age is the years from the first day of ``since`` to
    the day of the view (from the last day of ``until`` for a tie that had ended by then). A tie
    begun this year scores about 1, a 1998 one about 0.57 in 2025; old ties never fall below
    half, because a twinning kept for fifty years is still a tie. An undated tie counts as ten
    years old (0.75).
afterglow (one-off ties only)
    A tie to a one-off activity (an event, a visit; ``one_off`` in the schema) is what was met
    there: it holds for ``SCHEMA.one_off_years`` (3) after the event's last day and fades
    linearly over them, ``1 - years since / one_off_years``, in place of recency (a forum 18
    months ago scores 0.5; the day after, about 1; three years on, it is no route).
confidence
    high or not given ×1, medium ×0.85, low ×0.6: a tie the sources barely support is a weaker
    route than one they confirm.
"""
from __future__ import annotations

import datetime as dt

from graph.model import is_active, last_day_held
from graph.schema import SCHEMA
from graph.types import day_of as view_day
from graph.types import first_day

__all__ = [
    "tie_strength",
    "recency",
    "afterglow",
    "view_day",
    "STATUS_FACTOR",
    "CONFIDENCE_FACTOR",
    "RECENCY_FLOOR",
    "RECENCY_HALF_LIFE",
    "UNDATED_AGE",
]

# Discount by the status a tie had on the day of the view (see the module docstring).
STATUS_FACTOR = {"active": 1.0, "unknown": 0.7, "suspended": 0.5, "ended": 0.4, "planned": 0.3}
CONFIDENCE_FACTOR = {"high": 1.0, None: 1.0, "medium": 0.85, "low": 0.6}
RECENCY_FLOOR = 0.5
RECENCY_HALF_LIFE = 10.0  # years
UNDATED_AGE = 10.0  # years: an undated tie is neither new nor old
_DAYS_PER_YEAR = 365.25


def recency(age_years: float | None) -> float:
    """The recency factor of a tie `age_years` old (None: undated).

    >>> recency(0)
    1.0
    >>> round(recency(10), 3)
    0.75
    """
    age = UNDATED_AGE if age_years is None else max(0.0, age_years)
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (age / RECENCY_HALF_LIFE)


def _status_on(attrs: dict, day: dt.date, held: bool) -> str:
    """The status a tie had on `day`: what the status factor is looked up by."""
    status = attrs.get("status") or "active"
    if held:
        return "unknown" if status == "unknown" else "active"
    since = attrs.get("since")
    if since and first_day(since) > day:
        return "planned"
    return status if status in ("suspended", "ended", "planned") else "ended"


def afterglow(attrs: dict, day: dt.date) -> float:
    """How warm a one-off tie still is on `day`: 1 until its last day, then fading to 0 over
    ``SCHEMA.one_off_years``.

    >>> round(afterglow({"since": "2025-04-03", "until": "2025-04-03"}, dt.date(2026, 10, 3)), 2)
    0.5
    """
    last = last_day_held(attrs)
    if last is None or last >= day:
        return 1.0
    years = (day - last).days / _DAYS_PER_YEAR
    return max(0.0, 1.0 - years / SCHEMA.one_off_years)


def _age_years(attrs: dict, day: dt.date, held: bool) -> float | None:
    last = last_day_held(attrs)
    if not held and last is not None and dt.date.min < last < day:
        start = last  # an ended tie cools from the day it ended (or was last known to hold)
    elif attrs.get("since"):
        start = first_day(attrs["since"])
    else:
        return None
    return (day - start).days / _DAYS_PER_YEAR


def tie_strength(attrs: dict, *, today: dt.date | str | None = None, include_inactive: bool = False,
                 one_off: bool = False) -> float:
    """The strength of one relation on a day: 0 when it is no route, else in (0, 1].

    Parameters
    ----------
    attrs : dict
        The relation's edge attributes (``kind``, ``status``, ``since``, ``until``,
        ``strength``, ``confidence``), as `graph.model` stores them.
    today : date or ISO date string, optional
        The day of the view (default: today). Recency is measured up to it, and on a past day
        the dates, not today's status, say whether the tie held.
    include_inactive : bool
        Give ties that did not hold on the day a discounted strength instead of 0.
    one_off : bool
        The tie is to a one-off activity (`graph.model.is_one_off`): afterglow replaces recency.

    Returns
    -------
    float
        ``base × status × recency × confidence`` (see the module docstring); 0 for a kind whose
        ``route`` is false, an explicit strength of 0, or a tie that did not hold that day
        (unless ``include_inactive``).

    Examples
    --------
    >>> mou = {"kind": "party_to", "since": "2024-05-20", "status": "active"}
    >>> round(tie_strength(mou, today="2024-05-20"), 2)
    0.8
    >>> tie_strength({**mou, "status": "ended"})  # ended ties are no route today
    0.0
    >>> tie_strength({"kind": "located_in"})
    0.0
    """
    kind = SCHEMA.relation_kinds[attrs["kind"]]
    if not kind.route:
        return 0.0
    base = attrs.get("strength")
    base = kind.strength if base is None else float(base)
    if base <= 0:
        return 0.0
    day = view_day(today)
    held = is_active(attrs, day, one_off=one_off)
    if not held and not include_inactive:
        return 0.0
    status = STATUS_FACTOR[_status_on(attrs, day, held)]
    confidence = CONFIDENCE_FACTOR.get(attrs.get("confidence"), 1.0)
    time = afterglow(attrs, day) if one_off and held else recency(_age_years(attrs, day, held))
    return min(1.0, base * status * time * confidence)
