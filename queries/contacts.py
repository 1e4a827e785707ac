"""The person to ask: who can speak for an organisation, whose role still holds, and why them.

``speakers`` are the people with a tie of a ``speaks_for`` kind (schema: works for it, or is its
contact person) that holds on the day, by the tie's own `since`, `until` and `status`
(`graph.model.is_active`). A person's free-text ``role`` is never read here: a role that has
ended is an `until` (and ``status: ended``) on the tie, and `espoo-net review` lists an open tie
whose role text says otherwise (`queries.roletext`).

`ask_whom` picks, for a route starting at an organisation of our side, the one person to call
and says why, in words an advisor can check:

1. a person tied to the shared document the route's first hop goes through (a signatory or
   its contact person: "party to Espoo Climate City Contract"), so a 24-party contract is not
   an errand for the mayor; not one whose every works-for and contact-for tie has ended (they
   took part for an organisation they no longer speak for);
2. a person tied to where the route goes next, or to the target's country ("Enter Espoo Oy's
   contact for Republic of Korea");
3. the newest in the role by a dated tie that holds ("newest in the role, since 2024");
4. else one whose tie is undated ("role undated"). When several remain equal, the reason says
   so and names the others ("in the role since 2018; Jane Doe has been too: first by name"): the
   order is no judgement.
"""
from __future__ import annotations

import networkx as nx

from graph.derived import derived
from graph.model import is_active, is_one_off, last_day_held, node_values
from graph.schema import SCHEMA
from graph.types import first_day

from .strength import view_day

__all__ = ["speakers", "ask_whom", "country_entities"]


def speakers(G: nx.MultiDiGraph, node: str, *, as_of=None) -> list[str]:
    """The people who can speak for `node` on the day: a ``speaks_for`` tie (schema) that holds
    by its own dates and status; our side first, then by name and id."""
    day = view_day(as_of)
    found = {u for u, _, d in G.in_edges(node, data=True)
             if SCHEMA.relation_kinds[d["kind"]].speaks_for and G.nodes[u]["kind"] == "person"
             and is_active(d, day, one_off=is_one_off(G, u, node))}
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


def _ended_by(d: dict, day) -> bool:
    """Whether a tie's own dates and status say it ended before `day` (its last day held is past)."""
    last = last_day_held(d)
    return last is not None and last < day


def _roles_over(G: nx.MultiDiGraph, person: str, day) -> bool:
    """Whether every ``speaks_for`` tie of a person (works for, contact for) has ended by `day`:
    they held the document for an organisation they no longer speak for. A person with no such
    tie on record is not judged."""
    ties = [d for _, _, d in G.out_edges(person, data=True) if SCHEMA.relation_kinds[d["kind"]].speaks_for]
    return bool(ties) and all(_ended_by(d, day) for d in ties)


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
                  and is_active(d, day, one_off=is_one_off(G, u, document)) and not _roles_over(G, u, day)]
    if not found:
        ended = {u for u, _, d in G.in_edges(org, data=True) if SCHEMA.relation_kinds[d["kind"]].speaks_for
                 and G.nodes[u]["kind"] == "person" and _ended_by(d, day)}
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
    others = [G.nodes[p]["name"] for _, p in equal[1:]]
    if best[0] == 2:
        why = (f"in the role since {why}" if len(found) == 1 else f"newest in the role, since {why}" if len(equal) == 1
               else f"in the role since {why}; {_named(others)} {'has' if len(others) == 1 else 'have'} been too: first by name")
    elif best[0] == 3:
        why = (f"the only current person on record for {org_name}, role undated" if len(found) == 1
               else f"role undated, as is {others[0]}'s: first by name" if len(others) == 1
               else f"role undated, as are those of {_named(others)}: first by name")
    elif len(equal) > 1:
        why += f"; so {'is' if len(others) == 1 else 'are'} {_named(others)}: first by name"
    if document and best[0] > 0 and first["band"] == "cold":  # only a big document joins them
        why += f"; nobody on record holds {G.nodes[document]['name']} itself"
    return person, why


def _named(names: list[str], most: int = 3) -> str:
    """People by name in a sentence: 'A', 'A and B', 'A, B and C', 'A, B, C and 2 others'.

    >>> _named(["Jane Doe"]), _named(["A", "B", "C", "D", "E"])
    ('Jane Doe', 'A, B, C and 2 others')
    """
    if len(names) > most:
        rest = len(names) - most
        return ", ".join(names[:most]) + f" and {rest} other{'s' * (rest != 1)}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
