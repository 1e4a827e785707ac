"""The ties a route may use: the routing graph built from the multigraph (see `queries.routing`).

One simple undirected tie per pair of entities, the strongest: every relation of a routing
family (`graph/schema.yaml`: place ties never route), and, for every shared activity (an entity
kind with ``activity: true``), a tie between every two of its participants, with strength
``sqrt(s_p * s_q) / (n - 1)`` (`fold_strength`), n its participants that day. That is the
affiliation-network weighting (Newman 2001): a participant's ties through one activity add up
to its own tie to it, whatever the activity's size, so signing a bilateral MoU joins the two
parties as strongly as one signature does, and a 26-party contract joins each two signatories
25 times less. A participant is an entity tied to the activity by a participation kind (schema
`participates`: party_to, partner_in...; a contact person's tie to it is a tie to the document,
not a signature). The number of participants counts every participant with a tie that held that
day, on the theme or not: a theme narrows which ties count, not how many signed. An activity
with more than the schema's `fold_limit` participants is not folded (its pairs would be too
weak to matter, and there would be n^2/2 of them).
"""
from __future__ import annotations

import math

import networkx as nx

from graph.model import keeps_every_theme, tie_themes
from graph.schema import SCHEMA

from .strength import tie_strength

__all__ = ["build_routing_graph", "fold_strength", "better"]


def fold_strength(s_p: float, s_q: float, parties: int) -> float:
    """The strength of the tie between two participants of an activity with `parties` participants.

    >>> fold_strength(0.8, 0.8, 2), round(fold_strength(0.8, 0.8, 26), 3)
    (0.8, 0.032)
    """
    return math.sqrt(s_p * s_q) / (parties - 1)


def better(old: dict, new: dict) -> dict:
    """The tie that wins between two offers: the stronger; between equals, the smaller rank."""
    if old["strength"] > new["strength"] or old["strength"] == new["strength"] and old["rank"] < new["rank"]:
        return old
    return new


def _offer(adj: dict, a: str, b: str, data: dict) -> None:
    """Keep `data` as the tie between a and b if it wins (`better`)."""
    old = adj[a].get(b)
    if old is not None and better(old, data) is old:
        return
    adj[a][b] = data
    adj[b][a] = data


def build_routing_graph(G: nx.MultiDiGraph, day, theme: str | None, include_inactive: bool) -> nx.Graph:
    """The routing graph of `G` on `day` (see `queries.routing`, which caches it)."""
    R = nx.Graph(day=day.isoformat(), theme=theme)
    R.add_nodes_from(G)
    adj = R._adj  # the raw dict of dicts: this loop runs once per relation
    kind_of = G.nodes(data="kind")
    activity, one_off, joins = SCHEMA.activity_kinds, SCHEMA.one_off_kinds, SCHEMA.participation_kinds
    known: dict[tuple, float] = {}  # ties repeat the same few kinds, dates and statuses
    members: dict[str, dict[str, tuple]] = {}  # activity -> participant -> (strength, relation, on theme)
    aside: set[tuple[str, str]] = set()  # (activity, entity) tied to it other than as a participant
    core: set[str] = {n for n, ts in G.nodes(data="themes") if theme in (ts or ())} if theme else set()
    for u, v, key, d in G.edges(keys=True, data=True):
        if u == v:
            continue
        ku, kv = kind_of[u], kind_of[v]
        oo = ku in one_off or kv in one_off
        facts = (d["kind"], d.get("since"), d.get("until"), d.get("status"), d.get("strength"), d.get("confidence"), oo)
        s = known.get(facts)
        if s is None:
            s = known[facts] = tie_strength(d, today=day, include_inactive=include_inactive, one_off=oo)
        if s <= 0:
            continue
        themed = theme is not None and theme in tie_themes(G, u, v, d)
        on = theme is None or themed or keeps_every_theme(G, u, v, d)  # graph.model.on_theme, in two parts
        if themed:
            core.update((u, v))
        au, av = ku in activity, kv in activity
        if au and av:
            continue  # between two documents: nobody to ask
        if (au or av) and d["kind"] not in joins:  # not a participant (a contact person: schema `participates`)
            aside.add((u, v) if au else (v, u))
        elif au or av:
            act, p = (u, v) if au else (v, u)
            mine = members.setdefault(act, {})
            old = mine.get(p)
            if old is None or old[0] < s or (old[0] == s and on and not old[2]):
                mine[p] = (s, (u, v, key), on)
        if on:
            _offer(adj, u, v, {"strength": s, "cost": -math.log(s), "u": u, "v": v, "key": key, "rank": (0, key)})
    for act, mine in members.items():
        n = len(mine)
        if n > SCHEMA.fold_limit:
            continue  # too large to carry an introduction (schema.yaml `time.fold_limit`)
        parts = [(p, s, rel) for p, (s, rel, on) in mine.items() if on]
        for i, (p, sp, rp) in enumerate(parts):
            for q, sq, rq in parts[i + 1:]:
                s = fold_strength(sp, sq, n)
                _offer(adj, p, q, {"strength": s, "cost": -math.log(s), "u": rp[0], "v": rp[1], "key": rp[2],
                                   "via": act, "parties": n, "ends": {p: rp, q: rq}, "rank": (1, act)})
    R.graph["home"] = tuple(n for n, h in G.nodes(data="home") if h)
    R.graph["no_transit"] = frozenset(n for n, k in kind_of if k in SCHEMA.no_relay_kinds)  # never passed through
    R.graph["activities"] = frozenset(n for n, k in kind_of if k in activity)
    # Who is tied to an activity without taking part (its contact person): not among its
    # participants where clusters count them (queries.engines `documents`).
    R.graph["not_parties"] = frozenset((a, x) for a, x in aside if x not in members.get(a, ()))
    # On a theme: the entities on it in their own right (tagged, or with a tie on it), as against
    # those joined only by a structural tie kept on every theme (graph.model.keeps_every_theme).
    R.graph["theme_core"] = frozenset(core) if theme else None
    return R
