"""Warm introductions: who on our side can introduce us to a target, through what, and how warm.

Our side is every entity marked ``home`` in the data (the City of Espoo, Enter Espoo, Espoo's
universities, institutes and companies, and their people); ``from_`` narrows it to one entity.
A route starts on our side and does not pass through it again (with ``from_``, it may pass
through the rest of our side, since they are then just part of the network).

Score: the product of the route's tie strengths (`queries.strength`: kind, status, recency,
confidence) times ``LENGTH_FACTOR`` for every hop after the first, so a route is the warmer
the stronger, the more recent and the shorter its ties are. Between 0 and 1.

Diversity: routes are found one at a time, each the warmest that remains once the first hops
of the routes already found are ruled out and every entity they pass through costs
``REUSE_PENALTY`` more per earlier route (scores are reported without the penalty). So the
five routes start five different ways and go through different entities where the network
allows, rather than being five variants of one route. A route that passes one shared activity
twice is none of them: a signed document joins its parties as one hop, so IQM → CBIST → CBNU,
when IQM signed the agreement with CBNU itself, is the direct route with a go-between put in
(`queries.routing.meets_an_activity_twice`).

Introducer: where the route starts on our side: a person of our side at its start, else the
organisation it starts from (a person further along who is not ours is someone the introducer
asks). People: ``contact`` is the person to call at the introducer and ``contact_reason`` why
them (`queries.contacts.ask_whom`); ``target_contacts`` the people who can speak for the target.
Both only from ties that hold (an `until` before the day, or ``status: ended``, is no current
contact). ``contact_check`` and ``target_contact_roles`` say what to check before asking: a
role that `review` would list as stale ("last confirmed 2017: check before asking",
`queries.freshness`) ranks below a fresh one and is said so, as is a tie of unknown status.

Shown: routes weaker than the schema's ``bands.shown`` are counted in ``hidden``, not listed
(the best route always is), unless ``all_routes``.

Band: a route's score read as warm, lukewarm or cold (`graph.schema.Schema.band`).

One way in: when ruling out the best route's introducer leaves no route at all (within
``max_hops``), every route goes through that one introducer (``single_thread``).
"""
from __future__ import annotations

import math

import networkx as nx

from graph.errors import EspooNetError
from graph.model import also_names_note, is_active, resolve, resolve_preferring_actors
from graph.schema import SCHEMA

from .contacts import ask_whom, contact_checks, role_text, speakers
from .entities import resolve_theme
from .paths import route_details
from .routing import REJECTED_LIMIT, Weight, best_route, home_nodes, meets_an_activity_twice, reach, route_graph
from .strength import view_day

__all__ = ["introductions", "speakers", "present_there", "LENGTH_FACTOR", "REUSE_PENALTY", "NEAREST", "shown_routes"]

LENGTH_FACTOR = 0.85
REUSE_PENALTY = math.log(2)  # passing an entity an earlier route used weighs like halving the score
NEAREST = 5  # entities named when there is no route
INTRO = Weight(1.0, -math.log(LENGTH_FACTOR))


def _score(R: nx.Graph, nodes: list[str]) -> float:
    return math.prod(R._adj[a][b]["strength"] for a, b in zip(nodes, nodes[1:])) * LENGTH_FACTOR ** (len(nodes) - 2)


def _introducer(G: nx.Graph, nodes: list[str]) -> str:
    """Where the route starts on our side: the first person of our side while the route is still
    on our side (Ossi Ritvos on a route from Enter Espoo through him), else the entity it starts
    from. A person further along who is not ours is someone the introducer asks, not the introducer."""
    for n in nodes[:-1]:
        if not G.nodes[n].get("home"):
            break
        if G.nodes[n]["kind"] == "person":
            return n
    return nodes[0]


def _diverse_routes(G, R, sources, target, k, max_hops, no_transit):
    """Up to k routes (node lists) from `sources` to `target`, in the order found, each a new way
    in. A route that passes one shared activity twice (`routing.meets_an_activity_twice`) is no
    new way in: its first hop is ruled out like a found route's, and it is not listed."""
    routes: list[list[str]] = []
    cut: set[frozenset] = set()
    penalty: dict[str, float] = {}
    rejected = 0
    while len(routes) < k and rejected <= REJECTED_LIMIT:
        found = best_route(R, sources, target, weight=INTRO, max_hops=max_hops, blocked_edges=cut,
                           no_transit=no_transit, penalty=penalty)
        if found is None:
            break
        nodes = found[1]
        cut.add(frozenset(nodes[:2]))  # a new first hop each time: the loop ends
        if meets_an_activity_twice(G, R, nodes):
            rejected += 1
            continue
        routes.append(nodes)
        for n in nodes[1:-1]:
            penalty[n] = penalty.get(n, 0.0) + REUSE_PENALTY
    return routes


def _single_thread(R, routes, sources, target, max_hops, no_transit) -> str | None:
    """The best route's introducer, if no route is left without them; else None."""
    if not routes:
        return None
    who = routes[0]["introducer"]
    rest = tuple(s for s in sources if s != who)
    if not rest:
        return None  # the one entity we start from: every route goes through it by definition
    alone = best_route(R, rest, target, weight=INTRO, max_hops=max_hops, blocked_nodes={who}, no_transit=no_transit)
    return who if alone is None else None


def _nearest(G, R, sources, target, max_hops, no_transit) -> list[dict]:
    """The warmest reachable entities that share the target's themes or country.

    Entities come out of the search warmest first, so it stops as soon as no later one can
    still make the list (a later one could only tie with the last score, and win on its id).
    """
    themes = set(G.nodes[target].get("themes") or ())
    country = G.nodes[target].get("country")
    out: list[dict] = []
    documents = R.graph.get("activities", R.graph.get("no_transit", frozenset()))
    for node, key, nodes in reach(R, sources, weight=INTRO, max_hops=max_hops, no_transit=no_transit):
        score = round(math.exp(-key) / LENGTH_FACTOR, 6)
        if len(out) >= NEAREST and score < out[NEAREST - 1]["score"]:
            break
        d = G.nodes[node]
        if node in no_transit or node in sources or node in documents:
            continue
        shared = sorted(themes & set(d.get("themes") or ()))
        same_country = bool(country) and d.get("country") == country
        if shared or same_country:
            out.append({"id": node, "name": d["name"], "kind": d["kind"], "score": score,
                        "hops": len(nodes) - 1, "shared_themes": shared, "same_country": country if same_country else None,
                        "nodes": nodes})
            out.sort(key=lambda r: (-r["score"], r["id"]))
    return out[:NEAREST]


def introductions(G: nx.MultiDiGraph, target: str, *, k: int = 5, from_: str | None = None,
                  theme: str | None = None, as_of=None, max_hops: int = 4, include_inactive: bool = False,
                  all_routes: bool = False) -> dict:
    """Ranked, explained routes from our side to `target`.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The network.
    target : str
        Id, name or alias of the entity to reach.
    k : int
        How many routes (default 5).
    from_ : str, optional
        Start only from this entity instead of all of our side.
    theme : str, optional
        Only ties on this theme (rule in `queries.routing`).
    as_of : date or ISO date, optional
        The network as it stood that day (default today).
    max_hops : int
        Longest route considered (default 4), in hops between actors (a shared activity is one).
    include_inactive : bool
        Also use ties that did not hold that day (discounted; see `queries.strength`).
    all_routes : bool
        Also list routes weaker than the schema's ``bands.shown`` (else counted in ``hidden``).

    Returns
    -------
    dict
        ``{"target", "target_name", "target_contacts", "target_contact_names", "target_contact_roles",
        "as_of", "theme",
        "routes": [{"introducer", "introducer_name", "contact", "contact_name", "contact_reason", "contact_check",
        "nodes", "names", "score", "band", "length", "strength", "hops", "explanation"}],
        "hidden": n, "shown_from": floor, "single_threaded": bool, "single_thread": id or None,
        "notes": [one-line strings], "nearest": [...], "present": [...], "target_ties": n}``; routes warmest first;
        ``target_ties``: how many entities the target has a tie with that a route may use that day
        (0: only ended or planned ties, or none, so a longer route cannot help);
        ``present``: our side's entities located or operating in the target (`present_there`); ``nearest`` (when
        there is no route) lists the warmest reachable actors sharing the target's themes or country.

    Raises
    ------
    EntityNotFound, AmbiguousEntity
        A name matches no entity, or several.
    EspooNetError
        The target is on our side, or there is no side to start from.

    Examples
    --------
    >>> r = introductions(G, "SK hynix")  # doctest: +SKIP
    >>> r["routes"][0]["explanation"][0]  # doctest: +SKIP
    'Enter Espoo Oy signed "Enter Espoo–Chungbuk MoU ..." with ... on 2024-05-20 [https://...]'
    """
    if k < 1:
        raise EspooNetError(f"k must be at least 1, not {k}")
    t, also = resolve_preferring_actors(G, target)
    notes = [also_names_note(G, target, t, also)] if also else []
    tid = resolve_theme(G, theme) if theme else None
    R = route_graph(G, as_of=as_of, theme=tid, include_inactive=include_inactive)
    home = home_nodes(R)
    if from_:
        sources = (resolve(G, from_),)
        no_transit: frozenset = frozenset()
        if not G.nodes[sources[0]].get("home"):
            notes.append(f"{G.nodes[sources[0]]['name']} ({sources[0]}) is not on our side (not marked home); "
                         "routes start from it all the same")
    else:
        sources, no_transit = home, frozenset(home)
        if not home:
            raise EspooNetError("no entity is marked home (our side) in the data; give --from")
    if t in sources or (not from_ and G.nodes[t].get("home")):
        raise EspooNetError(f"{G.nodes[t]['name']} ({t}) is on our side already")
    routes = []
    for nodes in _diverse_routes(G, R, sources, t, k, max_hops, no_transit):
        details = route_details(G, R, nodes)
        who = _introducer(G, nodes)
        contact, why = ask_whom(G, nodes, details["hops"], who, as_of=as_of)
        score = round(_score(R, nodes), 6)
        routes.append({"introducer": who, "introducer_name": G.nodes[who]["name"], "contact": contact,
                       "contact_name": G.nodes[contact]["name"] if contact else None, "contact_reason": why,
                       "contact_check": "; ".join(contact_checks(G, contact, who, as_of)) or None if contact else None,
                       "score": score, **details, "band": SCHEMA.band(score)})
    routes.sort(key=lambda r: -r["score"])  # stable: equal scores keep the order found
    single = _single_thread(R, routes, sources, t, max_hops, no_transit)
    listed = routes if all_routes else shown_routes(routes)
    return {
        "target": t,
        "target_name": G.nodes[t]["name"],
        "target_contacts": (found := speakers(G, t, as_of=as_of)),
        "target_contact_names": [G.nodes[p]["name"] for p in found],
        "target_contact_roles": [role_text(G, p, t, as_of=as_of) for p in found],
        "as_of": as_of,
        "include_inactive": include_inactive,
        "theme": tid,
        "from": sources[0] if from_ else None,
        "max_hops": max_hops,
        "routes": listed,
        "hidden": len(routes) - len(listed),
        "shown_from": SCHEMA.shown,
        "single_threaded": single is not None,
        "single_thread": single,
        "notes": notes,
        "nearest": [] if routes else _nearest(G, R, sources, t, max_hops, no_transit),
        "target_ties": len(R._adj[t]),
        "present": present_there(G, t, as_of=as_of),
    }


def shown_routes(routes: list[dict]) -> list[dict]:
    """The routes worth listing, warmest first: those scoring at least the schema's
    ``bands.shown``, and always the best one."""
    return routes[:1] + [r for r in routes[1:] if r["score"] >= SCHEMA.shown]


def present_there(G: nx.MultiDiGraph, place: str, *, as_of=None) -> list[dict]:
    """Our side's entities that are in `place` (a tie of a family that does not route: located
    in, headquarters, operates in, key market) on the day, by name: being somewhere is not
    knowing someone, but an advisor asking about Munich wants to know that IQM operates there.

    >>> present_there(G, "munich")  # doctest: +SKIP
    [{'id': 'iqm', 'name': 'IQM Quantum Computers', 'kind': 'company', 'relation': 'operates in', ...}]
    """
    day = view_day(as_of)
    rows = []
    for u, _, d in G.in_edges(place, data=True):
        kind = SCHEMA.relation_kinds[d["kind"]]
        if G.nodes[u].get("home") and not SCHEMA.families[kind.family].routes and is_active(d, day):
            rows.append({"id": u, "name": G.nodes[u]["name"], "kind": G.nodes[u]["kind"], "relation": kind.label,
                         "since": d.get("since"), "sources": list(d.get("sources") or [])})
    return sorted(rows, key=lambda r: (r["name"], r["id"], r["relation"]))
