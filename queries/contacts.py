"""The person to ask: who can speak for an organisation, whose role still holds, and why them.

``speakers`` are the people with a tie of a ``speaks_for`` kind (schema: works for it, or is its
contact person) that holds on the day, by the tie's own `since`, `until` and `status`
(`graph.model.is_active`): a tie with an `until` before the day, or ``status: ended``, is no
current contact. A person's free-text ``role`` is never read to decide that: a role that has
ended is an `until` (and ``status: ended``) on the tie, and `espoo-net review` lists an open tie
whose role text says otherwise (`queries.roletext`). The role text is quoted, so an advisor knows
what the person does.

Fresh first: a person whose role `review` would list as stale (`queries.freshness.role_check`:
no evidence newer than two years, or none dated) is named with "last confirmed 2017: check
before asking" and ranks below every person whose role is confirmed recently.

`ask_whom` picks, for a route starting at an organisation of our side, the one person to call
and says why, in words an advisor can check:

1. a person tied to the shared document the route's first hop goes through (a signatory or
   its contact person: "party to Espoo Climate City Contract"), so a 24-party contract is not
   an errand for the mayor; not one whose every works-for and contact-for tie has ended (they
   took part for an organisation they no longer speak for);
2. a person tied to where the route goes next, or to the target's country ("Enter Espoo Oy's
   contact for Republic of Korea");
3. the newest in the role by a dated tie that holds ("newest in the role, since 2024");
4. else one whose tie is undated ("role not dated"). When several remain equal, the reason says
   so and names the others ("in the role since 2018; Jane Doe also since 2018: either will do"):
   the data does not tell them apart, and the one named first is first by name only.
"""
from __future__ import annotations

import networkx as nx

from graph.derived import derived
from graph.model import is_active, is_one_off, last_day_held, node_values
from graph.schema import SCHEMA
from graph.types import first_day

from .freshness import UNDATED, role_check
from .strength import view_day

__all__ = ["speakers", "ask_whom", "country_entities", "role_text", "contact_checks"]


def speakers(G: nx.MultiDiGraph, node: str, *, as_of=None) -> list[str]:
    """The people who can speak for `node` on the day: a ``speaks_for`` tie (schema) that holds
    by its own dates and status; our side first, then those whose role is confirmed recently
    (`queries.freshness.role_check`), then by name and id."""
    day = view_day(as_of)
    found = {u for u, _, d in G.in_edges(node, data=True)
             if SCHEMA.relation_kinds[d["kind"]].speaks_for and G.nodes[u]["kind"] == "person"
             and is_active(d, day, one_off=is_one_off(G, u, node))}
    return sorted(found, key=lambda p: (not G.nodes[p].get("home"), role_check(G, p, day) is not None,
                                        G.nodes[p]["name"], p))


def role_text(G: nx.MultiDiGraph, person: str, org: str | None = None, *, as_of=None) -> str | None:
    """What an advisor should know of a person before asking them, in one phrase: their role text
    and, when `review` would list the role as stale, the check ("Mayor of Shanghai (from January
    2017); status unknown; last confirmed 2017: check before asking"). "status unknown" when their
    speaks-for tie to `org` is of unknown status. None when there is nothing to say."""
    return "; ".join(x for x in (G.nodes[person].get("role"), *contact_checks(G, person, org, as_of)) if x) or None


def contact_checks(G: nx.MultiDiGraph, person: str, org: str | None = None, as_of=None) -> list[str]:
    """What to check before asking a person: an unknown status of their tie to `org`, a stale role."""
    out = []
    if org is not None and any(d.get("status") == "unknown" and SCHEMA.relation_kinds[d["kind"]].speaks_for
                               for _, v, d in G.out_edges(person, data=True) if v == org):
        out.append("status unknown")
    check = role_check(G, person, view_day(as_of))
    return out + [check] if check else out


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


# What a person of the introducer does with a shared activity when they hold it themselves, by
# the activity's kind: said when nobody does ("nobody at Aalto University is on record as
# attending the Chungbuk delegation").
_HOLDING = {"agreement": "signing or handling", "event": "attending", "project": "working on",
            "network": "taking part in"}


def ask_whom(G: nx.MultiDiGraph, nodes: list[str], hops: list[dict], introducer: str, *, as_of=None
             ) -> tuple[str | None, str | None]:
    """(the person to ask, why them) for a route; (None, why not) when nobody is on record. The
    reason starts with the person's role text and ends with the check `review` would ask for
    (`role_text`)."""
    if G.nodes[introducer]["kind"] == "person":
        return introducer, _with_role(G, introducer, None, "the route's first person", as_of)
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
        stale = role_check(G, person, day) is not None  # fresh first, whatever else
        ties = _live_ties(G, person, day)
        on_doc = next(((v, d) for v, d in ties if document and v == document), None)
        if on_doc:
            return (stale, 0, 0), _tie_reason(G, org, person, *on_doc)
        near = [(ahead.index(v), v, d) for v, d in ties if v in ahead]
        if near:
            i, v, d = min(near, key=lambda x: x[0])
            return (stale, 1, i), _tie_reason(G, org, person, v, d)
        starts = [d["since"] for v, d in ties if v == org and d.get("since")]
        if starts:
            since = max(starts, key=lambda s: first_day(s))
            return (stale, 2, -first_day(since).toordinal()), since
        return (stale, 3, 0), None

    ranked = [(rank(p), p) for p in found]  # `found` is by name: the last resort, said as such
    best = min(r for r, _ in ranked)[0]
    tier = best[1]
    equal = [(why, p) for (r, why), p in ranked if r == best]
    why, person = equal[0]
    org_name = G.nodes[org]["name"]
    others = [G.nodes[p]["name"] for _, p in equal[1:]]
    either = "either will do" if len(others) == 1 else "any of them will do"
    if tier == 2:
        why = (f"in the role since {why}" if len(found) == 1 else f"newest in the role, since {why}" if len(equal) == 1
               else f"in the role since {why}; {_named(others)} also since {why}: {either}")
    elif tier == 3:
        why = (f"the only current person on record for {org_name}; role not dated" if len(found) == 1
               else "role not dated" if not others
               else f"role not dated, nor is {others[0]}'s: {either}" if len(others) == 1
               else f"role not dated, nor are those of {_named(others)}: {either}")
    elif others:
        why += f"; so {'is' if len(others) == 1 else 'are'} {_named(others)}: {either}"
    if document and tier > 0 and first["band"] == "cold":  # only a big document joins them
        doing = _HOLDING.get(G.nodes[document]["kind"], "taking part in")
        why += f"; nobody at {org_name} is on record as {doing} {G.nodes[document]['name']}"
    return person, _with_role(G, person, org, why, as_of)


def _with_role(G: nx.MultiDiGraph, person: str, org: str | None, why: str, as_of) -> str:
    """The reason a person is asked: their role text, why them, then what to check (`role_text`);
    'role not dated' said once."""
    checks = contact_checks(G, person, org, as_of)
    if "role not dated" in why and any(c.startswith(UNDATED) for c in checks):
        checks = [c for c in checks if not c.startswith(UNDATED)] + ["check before asking"]
    return "; ".join(x for x in (G.nodes[person].get("role"), why, *checks) if x)


def _named(names: list[str], most: int = 3) -> str:
    """People by name in a sentence: 'A', 'A and B', 'A, B and C', 'A, B, C and 2 others'.

    >>> _named(["Jane Doe"]), _named(["A", "B", "C", "D", "E"])
    ('Jane Doe', 'A, B, C and 2 others')
    """
    if len(names) > most:
        rest = len(names) - most
        return ", ".join(names[:most]) + f" and {rest} other{'s' * (rest != 1)}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
