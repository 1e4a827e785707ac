"""Tie strength: base × status × recency × confidence, worked out by hand."""
import datetime as dt

import pytest

from queries.strength import recency, tie_strength, view_day

DAY = "2025-01-01"


def tie(**kw):
    return {"kind": "party_to", "since": None, "until": None, "status": "active", "strength": None,
            "confidence": None, **kw}


def test_recency_formula():
    assert recency(0) == 1.0
    assert recency(10) == pytest.approx(0.75)
    assert recency(20) == pytest.approx(0.625)
    assert recency(None) == pytest.approx(0.75)  # undated: ten years old
    assert recency(-3) == 1.0  # a tie dated after the view day does not get warmer than new


@pytest.mark.parametrize("attrs, expected", [
    # kind default 0.8, dated on the view day: recency 1
    (tie(since=DAY), 0.8),
    # undated: recency 0.75
    (tie(), 0.8 * 0.75),
    # an explicit strength overrides the kind's default
    (tie(since=DAY, strength=0.5), 0.5),
    # status unknown is discounted
    (tie(since=DAY, status="unknown"), 0.8 * 0.7),
    # confidence
    (tie(since=DAY, confidence="medium"), 0.8 * 0.85),
    (tie(since=DAY, confidence="low"), 0.8 * 0.6),
    (tie(since=DAY, confidence="high"), 0.8),
    # a 1995 tie on 2025-01-01: 30 years and 8 leap days
    (tie(since="1995-01-01"), 0.8 * (0.5 + 0.5 * 0.5 ** ((30 * 365 + 8) / 365.25 / 10))),
    # a partial date counts from its first day
    (tie(since="2015"), 0.8 * (0.5 + 0.5 * 0.5 ** ((10 * 365 + 3) / 365.25 / 10))),
])
def test_strength_worked_by_hand(attrs, expected):
    assert tie_strength(attrs, today=DAY) == pytest.approx(expected)


def test_signed_this_year_is_warmer_than_1998():
    assert tie_strength(tie(since="2025-03-01"), today="2025-06-01") > tie_strength(tie(since="1998-03-01"), today="2025-06-01")


@pytest.mark.parametrize("attrs", [
    tie(kind="located_in"),  # never a route
    tie(strength=0.0),  # the data says there is no strength
    tie(status="planned"),
    tie(since="2030-01-01"),  # not begun on the day
])
def test_no_route(attrs):
    assert tie_strength(attrs, today=DAY) == 0.0


@pytest.mark.parametrize("status", ["ended", "suspended"])
def test_inactive_ties_are_no_route_today(status):
    assert tie_strength(tie(status=status, since="2020")) == 0.0


def test_past_day_uses_dates_not_todays_status():
    gatchina = tie(kind="twin_town", since="1968", until="2022-03-03", status="ended")
    age = (dt.date(2021, 6, 1) - dt.date(1968, 1, 1)).days / 365.25
    assert tie_strength(gatchina, today="2021-06-01") == pytest.approx(0.7 * (0.5 + 0.5 * 0.5 ** (age / 10)))
    assert tie_strength(gatchina, today="2023-01-01") == 0.0


def test_include_inactive_discounts_by_what_the_tie_was():
    ended = tie(kind="twin_town", since="1968", until="2022-03-03", status="ended")
    age = (dt.date(2025, 1, 1) - dt.date(2022, 3, 3)).days / 365.25  # cools from the day it ended
    assert tie_strength(ended, today=DAY, include_inactive=True) == pytest.approx(0.7 * 0.4 * (0.5 + 0.5 * 0.5 ** (age / 10)))
    # today the status decides (on a past day an undated suspended tie held, by its dates)
    assert tie_strength(tie(status="suspended"), include_inactive=True) == pytest.approx(0.8 * 0.5 * 0.75)
    assert tie_strength(tie(status="planned"), today=DAY, include_inactive=True) == pytest.approx(0.8 * 0.3 * 0.75)
    assert tie_strength(tie(kind="located_in"), today=DAY, include_inactive=True) == 0.0


def test_view_day():
    assert view_day("2021") == dt.date(2021, 1, 1)
    assert view_day("2021-06") == dt.date(2021, 6, 1)
    assert view_day(dt.date(2020, 2, 2)) == dt.date(2020, 2, 2)
    assert view_day(None) == dt.date.today()
