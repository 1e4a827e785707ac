"""The person to ask: who can speak for an organisation, whose role still holds, and why them.

``speakers`` are the people with a tie of a ``speaks_for`` kind (schema: works for it, or is its
contact person) that holds on the day. A person whose own ``role`` text says the role is over
("(former)", "until June 2025", "2015 - June 2020" with the end before the day, "later moved to") is not asked,
even when their works-for tie has no end in the data (`role_ended`).

`ask_whom` picks, for a route starting at an organisation of our side, the one person to call
and says why, in words an advisor can check:

1. a person tied to the shared document the route's first hop goes through (a signatory or
   its contact person: "party to Espoo Climate City Contract"), so a 24-party contract is not
   an errand for the mayor;
2. a person tied to where the route goes next, or to the target's country ("Enter Espoo Oy's
   contact for Republic of Korea");
3. the newest in the role by a dated tie that holds ("newest in the role, since 2024");
4. else one whose tie is undated ("role undated"). When several remain equal, the reason says
   so ("one of 3 people for IQM, none dated: first by name"): the order is no judgement.
"""
from __future__ import annotations

import re

import networkx as nx

from graph.derived import derived
from graph.model import is_active, is_one_off, node_values
from graph.schema import SCHEMA
from graph.types import first_day, last_day

from .strength import view_day

__all__ = ["speakers", "role_ended", "ask_whom", "country_entities"]

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
    """Why a person's role text says the role is over on `day`, or None. A role of several parts
    ("city councillor; former President of ...") is over only when every part is.

    >>> role_ended("President and CEO, Fortum (2015 - June 2020)", "2024-01-01")
    'role ended 2020-06'
    >>> role_ended("CEO, VTT (until June 2025)", "2025-03-01") is None
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
    day = view_day(day)
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


def speakers(G: nx.MultiDiGraph, node: str, *, as_of=None) -> list[str]:
    """The people who can speak for `node` on the day: a ``speaks_for`` tie (schema) that holds,
    and a role text that does not say the role is over; our side first, then by name and id."""
    day = view_day(as_of)
    found = {u for u, _, d in G.in_edges(node, data=True)
             if SCHEMA.relation_kinds[d["kind"]].speaks_for and G.nodes[u]["kind"] == "person"
             and is_active(d, day, one_off=is_one_off(G, u, node)) and not role_ended(G.nodes[u].get("role"), day)}
    return sorted(found, key=lambda p: (not G.nodes[p].get("home"), G.nodes[p]["name"], p))


def country_entities(G: nx.MultiDiGraph) -> dict[str, tuple[str, ...]]:
    """Country code -> the country entities of that code, built once per graph (graph.derived)."""
    def build() -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        kinds = node_values(G, "kind")
        for n, code in node_values(G, "country").items():
            if kinds[n] == "country" and code:
                out.setdefault(code, []).append(n)
        return {c: tuple(sorted(ns)) for c, ns in out.items()}

    return derived(G).get("country entities", build)


def _live_ties(G, person, day):
    return [(v, d) for _, v, d in G.out_edges(person, data=True)
            if is_active(d, day, one_off=is_one_off(G, person, v))]


def _tie_reason(G, org: str, person: str, v: str, d: dict) -> str:
    kind = SCHEMA.relation_kinds[d["kind"]]
    said = f"{kind.label} {G.nodes[v]['name']}"
    return f"{G.nodes[org]['name']}'s {said}" if kind.speaks_for and v != org else said


def ask_whom(G: nx.MultiDiGraph, nodes: list[str], hops: list[dict], introducer: str, *, as_of=None
             ) -> tuple[str | None, str | None]:
    """(the person to ask, why them) for a route; (None, why not) when nobody is on record."""
    if G.nodes[introducer]["kind"] == "person":
        return introducer, "the route's first person"
    org = introducer
    day = view_day(as_of)
    at = nodes.index(org)
    first = hops[at] if at < len(hops) else None
    document = first.get("via") if first else None
    found = speakers(G, org, as_of=as_of)
    if document:  # people of our side who hold the document's own tie
        found += [u for u, _, d in G.in_edges(document, data=True)
                  if G.nodes[u]["kind"] == "person" and G.nodes[u].get("home") and u not in found
                  and is_active(d, day, one_off=is_one_off(G, u, document)) and not role_ended(G.nodes[u].get("role"), day)]
    if not found:
        ended = [u for u, _, d in G.in_edges(org, data=True) if SCHEMA.relation_kinds[d["kind"]].speaks_for
                 and G.nodes[u]["kind"] == "person" and role_ended(G.nodes[u].get("role"), day)]
        return None, (f"nobody current on record for {G.nodes[org]['name']} ({len(ended)} whose role has ended)"
                      if ended else None)
    code = G.nodes[nodes[-1]].get("country")
    ahead = [n for n in nodes[at + 1:]] + list(country_entities(G).get(code, ()))

    def rank(person: str):
        ties = _live_ties(G, person, day)
        on_doc = next(((v, d) for v, d in ties if document and v == document), None)
        if on_doc:
            return (0, 0), _tie_reason(G, org, person, *on_doc)
        near = [(ahead.index(v), v, d) for v, d in ties if v in ahead]
        if near:
            i, v, d = min(near, key=lambda x: x[0])
            return (1, i), _tie_reason(G, org, person, v, d)
        starts = [d["since"] for v, d in ties if v == org and d.get("since")]
        if starts:
            since = max(starts, key=lambda s: first_day(s))
            return (2, -first_day(since).toordinal()), since
        return (3, 0), None

    ranked = [(rank(p), p) for p in found]  # `found` is by name: the last resort, said as such
    best = min(r for r, _ in ranked)[0]
    equal = [(why, p) for (r, why), p in ranked if r == best]
    why, person = equal[0]
    org_name = G.nodes[org]["name"]
    if best[0] == 2:
        why = (f"in the role since {why}" if len(found) == 1 else f"newest in the role, since {why}" if len(equal) == 1
               else f"in the role since {why}, like {len(equal) - 1} other{'s' if len(equal) > 2 else ''} for {org_name}: first by name")
    elif best[0] == 3:
        why = (f"the only current person on record for {org_name}, role undated" if len(found) == 1
               else f"role undated, like all {len(equal)} people for {org_name}: first by name")
    elif len(equal) > 1:
        why += f", like {len(equal) - 1} other{'s' if len(equal) > 2 else ''}: first by name"
    if document and best[0] > 0 and first["band"] == "cold":  # only a big document joins them
        why += f"; nobody on record holds {G.nodes[document]['name']} itself"
    return person, why
