"""Plain-language explanations of routes: one line per hop, with its date and its source.

"Enter Espoo signed "MoU ..." with Chungbuk National University, CBIST and KNUT on 2024-05-20
[https://...]". Each relation kind has a phrase in the present and the past tense (`PHRASES`;
a test checks that every kind of the schema has one). A tie that has ended or is suspended is told in
the past tense. Signing an agreement (``party_to``) is told as signing it with the other parties,
the next one on the route first.
"""
from __future__ import annotations

import networkx as nx

from graph.schema import SCHEMA

from .routing import edge_between

__all__ = ["PHRASES", "hop", "explain_route", "explain_hop", "dates_text"]

# Relation kind -> (present, past); {s} is the relation's source, {t} its target.
PHRASES: dict[str, tuple[str, str]] = {
    "twin_town": ("{s} and {t} are twin towns", "{s} and {t} were twin towns"),
    "sister_city": ("{s} and {t} are sister cities", "{s} and {t} were sister cities"),
    "partner_city": ("{s} and {t} are partner cities", "{s} and {t} were partner cities"),
    "member_of": ("{s} is a member of {t}", "{s} was a member of {t}"),
    "partner_in": ("{s} is a partner in {t}", "{s} was a partner in {t}"),
    "coordinates": ("{s} coordinates {t}", "{s} coordinated {t}"),
    "party_to": ("{s} is a party to {t}", "{s} was a party to {t}"),
    "located_in": ("{s} is located in {t}", "{s} was located in {t}"),
    "headquartered_in": ("{s} has its headquarters in {t}", "{s} had its headquarters in {t}"),
    "works_for": ("{s} works for {t}", "{s} worked for {t}"),
    "contact_for": ("{s} is the contact person for {t}", "{s} was the contact person for {t}"),
    "key_market": ("{t} is a key market of {s}", "{t} was a key market of {s}"),
    "collaborates_with": ("{s} collaborates with {t}", "{s} collaborated with {t}"),
    "participated_in": ("{s} took part in {t}", "{s} took part in {t}"),
    "hosted": ("{s} hosted {t}", "{s} hosted {t}"),
    "funds": ("{s} funds {t}", "{s} funded {t}"),
    "awarded": ("{s} gave an award to {t}", "{s} gave an award to {t}"),
    "owned_by": ("{s} is owned by {t}", "{s} was owned by {t}"),
    "spin_off_of": ("{s} is a spin-off of {t}", "{s} was a spin-off of {t}"),
    "supplier_to": ("{s} supplies {t}", "{s} supplied {t}"),
    "operates_in": ("{s} operates in {t}", "{s} operated in {t}"),
    "invests_in": ("{s} invests in {t}", "{s} invested in {t}"),
    "part_of": ("{s} is part of {t}", "{s} was part of {t}"),
}
_PAST_STATUSES = frozenset({"ended", "suspended"})
_STATUS_NOTES = {"unknown": "status unknown", "planned": "planned", "suspended": "suspended"}


def dates_text(hop: dict) -> str:
    """A hop's dates as words: 'since 2019', '1997–2022-03-03', 'until 2020' or 'undated'."""
    since, until = hop.get("since"), hop.get("until")
    if since and until:
        return f"{since}–{until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return "undated"


def _source_text(hop: dict) -> str:
    sources = hop.get("sources") or []
    if not sources:
        return ""
    more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
    return f" [{sources[0]['url']}{more}]"


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _parties(G: nx.MultiDiGraph, agreement: str) -> list[str]:
    """The parties of an agreement, by name."""
    parties = {u for u, _, kind in G.in_edges(agreement, data="kind") if kind == "party_to"}
    return sorted(parties, key=lambda p: (G.nodes[p]["name"], p))


def explain_hop(G: nx.MultiDiGraph, hop: dict, next_hop: dict | None = None) -> str:
    """One line telling what a hop's relation is, when, and where that comes from.

    `next_hop` lets a signature of an agreement name the next party on the route first.
    """
    name = G.nodes
    s, t = name[hop["source"]]["name"], name[hop["target"]]["name"]
    note = _STATUS_NOTES.get(hop.get("status"), "")
    note = f" ({note})" if note else ""
    if hop["kind"] == "party_to" and G.nodes[hop["target"]]["kind"] == "agreement":
        agreement = hop["target"]
        when = f" on {hop['since']}" if hop.get("since") else " (undated)"
        if hop["to"] == agreement:  # the route enters the agreement through this signatory
            others = [p for p in _parties(G, agreement) if p != hop["source"]]
            nxt = next_hop["to"] if next_hop and next_hop["to"] in others else None
            if nxt:
                others = [nxt] + [p for p in others if p != nxt]
            with_ = f" with {_names([name[p]['name'] for p in others])}" if others else ""
            return f'{s} signed "{t}"{with_}{when}{note}{_source_text(hop)}'
        return f'{s} is a party to "{t}", signed{when}{note}{_source_text(hop)}'
    present, past = PHRASES[hop["kind"]]
    phrase = past if hop.get("status") in _PAST_STATUSES else present
    return f"{phrase.format(s=s, t=t)} ({dates_text(hop)}){note}{_source_text(hop)}"


def explain_route(G: nx.MultiDiGraph, hops: list[dict]) -> list[str]:
    """One line per hop of a route (see `explain_hop`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="Espoo", kind="city"); G.add_node("b", name="Tallinn", kind="city")
    >>> hop = {"source": "a", "target": "b", "from": "a", "to": "b", "kind": "partner_city",
    ...        "since": "2019", "until": None, "status": "active",
    ...        "sources": [{"url": "https://example.org/x", "seen": "2025-01-01"}]}
    >>> explain_route(G, [hop])
    ['Espoo and Tallinn are partner cities (since 2019) [https://example.org/x]']
    """
    return [explain_hop(G, h, hops[i + 1] if i + 1 < len(hops) else None) for i, h in enumerate(hops)]


def hop(G: nx.MultiDiGraph, R: nx.Graph, a: str, b: str) -> dict:
    """One step of a route, from `a` to `b`, with the relation it uses.

    ``source``/``target`` are the relation's own ends (its direction in the data); ``direction``
    says whether the route follows it (forward) or walks it backwards; ``from``/``to`` are the
    step's ends in route order.
    """
    u, v, key = edge_between(R, a, b)
    d = G.edges[u, v, key]
    kind = SCHEMA.relation_kinds[d["kind"]]
    return {
        "from": a,
        "to": b,
        "source": u,
        "target": v,
        "source_name": G.nodes[u]["name"],
        "target_name": G.nodes[v]["name"],
        "kind": d["kind"],
        "label": kind.label,
        "direction": "mutual" if not kind.directed else "forward" if a == u else "backward",
        "id": key,
        "since": d.get("since"),
        "until": d.get("until"),
        "status": d.get("status"),
        "strength": round(R._adj[a][b]["strength"], 6),
        "themes": list(d.get("themes") or []),
        "note": d.get("note"),
        "sources": list(d.get("sources") or []),
    }
