"""Whether a person's role is confirmed recently enough to act on: the one rule that `review`
(reason ``role``) and the person to ask (`queries.contacts`, `intro`) share.

A person's role evidence is the newest of: the `published` dates of the person's own sources,
and the evidence date of each works_for tie of theirs that holds on the day
(`queries.timeline.evidence_date`: the newest `published` date of its sources, else its own
`until`, else its `since`; never the day a page was `seen`). It is stale when its last day is
before the day minus `STALE_AFTER` (`review --older-than`'s default), or when nothing dates it.
Only a person with a role text and sources is judged (what `review` lists).

`review` computes the same rule over arrays for a whole network (`queries.review`);
`tests/test_freshness.py` checks that both give the same people.
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.durations import Duration, duration
from graph.model import is_active
from graph.types import day_of, last_day

from .timeline import evidence_date

__all__ = ["STALE_AFTER", "UNDATED", "stale_before", "role_evidence", "role_check"]

STALE_AFTER = "2y"  # evidence older than this is stale: `review --older-than`'s default
UNDATED = "role not dated in the data"


def stale_before(day: dt.date | str | None, older_than: Duration | str = STALE_AFTER) -> dt.date:
    """The first day evidence must reach to be fresh on `day` (today when None).

    >>> stale_before("2026-12-02").isoformat()
    '2024-12-02'
    """
    older_than = older_than if isinstance(older_than, Duration) else duration(older_than)
    return older_than.before(day_of(day))


def role_evidence(G: nx.MultiDiGraph, person: str, day: dt.date) -> str | None:
    """The newest evidence for a person's role on `day` (see the module), or None."""
    dates = [evidence_date({"sources": G.nodes[person].get("sources")})]
    dates += [evidence_date(t) for _, _, t in G.out_edges(person, data=True)
              if t["kind"] == "works_for" and is_active(t, day)]
    dates = [x for x in dates if x]
    return max(dates, key=last_day) if dates else None


def role_check(G: nx.MultiDiGraph, person: str, day: dt.date | str | None = None,
               older_than: Duration | str = STALE_AFTER) -> str | None:
    """What an advisor must know before asking `person` on `day`: None when the role's evidence
    is fresh (or the person is not judged: no role text or no sources), else
    'last confirmed 2017: check before asking' or, with nothing dated,
    'role not dated in the data: check before asking'.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", kind="person", role="Mayor", sources=[{"url": "u", "seen": "2026-01-01"}])
    >>> G.add_node("c", kind="city"); G.add_edge("p", "c", kind="works_for", since="2017-01", status="unknown")
    0
    >>> role_check(G, "p", "2026-12-02")
    'last confirmed 2017: check before asking'
    >>> role_check(G, "p", "2018-06-01") is None
    True
    """
    d = G.nodes[person]
    if d.get("kind") != "person" or not d.get("role") or not d.get("sources"):
        return None
    today = day_of(day)
    evidence = role_evidence(G, person, today)
    if evidence is not None and last_day(evidence) >= stale_before(today, older_than):
        return None
    if evidence is None:
        return f"{UNDATED}: check before asking"
    return f"last confirmed {evidence[:4]}: check before asking"
