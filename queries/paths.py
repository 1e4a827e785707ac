"""How two entities are connected: the k best routes between them, by hops or by strength.

``by="hops"`` ranks routes by their number of hops, and equally short routes by the strength of
their ties; ``by="strength"`` ranks them by cost = sum of -log(tie strength) (the product of the
tie strengths, largest first), and equally strong routes by hops. Routes run over the routing
graph (`queries.routing`): the strongest routeable tie between each two entities, as of a day,
optionally only ties on a theme. A route that passes one shared activity twice is left out (a
signed document joins its parties as one hop, so it is a shorter route with a go-between put
in: `queries.routing.meets_an_activity_twice`).
"""
from __future__ import annotations

import math

import networkx as nx

from graph.errors import EspooNetError, NoPath
from graph.lookup import normalize
from graph.model import resolve
from graph.schema import SCHEMA

from .entities import resolve_theme
from .explain import explain_route, hop
from .routing import BY_HOPS, BY_STRENGTH, PLAIN_COST, k_best_routes, meets_an_activity_twice, route_key, route_graph

__all__ = ["find_paths", "kind_of", "avoided_nodes", "route_details", "WEIGHTS"]

WEIGHTS = {"hops": BY_HOPS, "strength": BY_STRENGTH}


def kind_of(word: str) -> str | None:
    """The entity kind that `word` names (its id, label or plural, any case), or None."""
    key = normalize(word)
    for name, kind in SCHEMA.entity_kinds.items():
        if key in (normalize(name), normalize(kind.label), normalize(kind.plural)):
            return name
    return None


def avoided_nodes(G: nx.Graph, avoid) -> set[str]:
    """The entities that `avoid` names: entity ids, names or aliases, and entity kinds (person, people)."""
    if isinstance(avoid, str):
        avoid = (avoid,)
    out: set[str] = set()
    for word in avoid:
        kind = kind_of(word)
        if kind is not None:
            out.update(n for n, k in G.nodes(data="kind") if k == kind)
        else:
            out.add(resolve(G, word))
    return out


def route_details(G: nx.MultiDiGraph, R: nx.Graph, nodes: list[str]) -> dict:
    """A route's nodes, names, hops, length (hops between actors: a shared activity is one),
    strength (product of tie strengths), its band and explanation."""
    hops = [hop(G, R, a, b) for a, b in zip(nodes, nodes[1:])]
    strength = math.prod(R._adj[a][b]["strength"] for a, b in zip(nodes, nodes[1:]))
    return {
        "nodes": list(nodes),
        "names": [G.nodes[n]["name"] for n in nodes],
        "length": len(hops),
        "strength": round(strength, 6),
        "band": SCHEMA.band(strength),
        "hops": hops,
        "explanation": explain_route(G, hops),
    }


def _via_routes(G, R, s, v, t, k, weight, max_hops, blocked):
    """The k lightest routes s → v → t that pass v once: the best joins of the k best halves
    (none passing one shared activity twice)."""
    half_hops = None if max_hops is None else max_hops - 1
    keep = _new_way(G, R)
    first = k_best_routes(R, s, v, k, weight=weight, max_hops=half_hops, blocked_nodes=blocked | {t}, keep=keep)
    second = k_best_routes(R, v, t, k, weight=weight, max_hops=half_hops, blocked_nodes=blocked | {s}, keep=keep)
    joined = []
    for _, a in first:
        for _, b in second:
            nodes = a + b[1:]
            if len(set(nodes)) == len(nodes) and (max_hops is None or len(nodes) - 1 <= max_hops) and keep(nodes):
                joined.append((route_key(R, nodes, weight), nodes))
    joined.sort(key=lambda r: (round(r[0], 9), r[1]))
    return joined[:k]


def _new_way(G: nx.MultiDiGraph, R: nx.Graph):
    """Whether a route is a way of its own: not one passing one shared activity twice (a signed
    document joins its parties as one hop: `queries.routing.meets_an_activity_twice`)."""
    return lambda nodes: not meets_an_activity_twice(G, R, nodes)


def find_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    k: int = 3,
    by: str = "hops",
    theme: str | None = None,
    as_of=None,
    max_hops: int | None = None,
    via: str | None = None,
    avoid=(),
    include_inactive: bool = False,
) -> dict:
    """The `k` best routes between two entities.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The network (`graph.model.build_graph`).
    source, target : str
        Ids, names or aliases (the same lookup as ``show``).
    k : int
        How many routes (default 3).
    by : {"hops", "strength"}
        Fewest hops (ties broken by strength) or strongest ties (cost = sum of -log strength).
    theme : str, optional
        Only ties on this theme (id, label or synonym; rule in `queries.routing`).
    as_of : date or ISO date, optional
        The network as it stood that day (default today).
    max_hops : int, optional
        Only routes of at most this many hops.
    via : str, optional
        Only routes through this entity.
    avoid : str or iterable of str
        Entities, or entity kinds (``person``, ``company``...), that routes must not pass through
        (the two ends are never excluded).
    include_inactive : bool
        Also use ties that did not hold that day (discounted; see `queries.strength`).

    Returns
    -------
    dict
        ``{"source", "target", "by", "as_of", "theme", "routes": [{"nodes", "names", "hops", "cost", "length",
        "strength", "explanation"}]}``, best first; ``cost`` is what the ranking minimises
        (hops, or the sum of -log strength). Each hop (`queries.explain.hop`) is the step walked,
        ``from``, ``to`` (in route order), their names, ``strength`` and ``band``, and what carries
        it: ``tie`` (``id``, ``kind``, ``label``, its own ends ``source`` and ``target`` with their
        names, ``walked``, ``since``, ``until``, ``status``, ``themes``, ``note``, ``sources``), or,
        through a shared activity, ``via`` (with ``via_name``, ``via_kind``, ``parties``) and ``ties``.

    Raises
    ------
    EntityNotFound, AmbiguousEntity
        A name matches no entity, or several.
    NoPath
        No route joins them under the constraints.

    Examples
    --------
    >>> find_paths(G, "espoo", "Chungbuk National University", by="strength")["routes"][0]["nodes"]  # doctest: +SKIP
    ['enter-espoo', 'enter-espoo-chungbuk-mou-2024', 'cbnu']
    """
    if by not in WEIGHTS:
        raise EspooNetError(f"unknown ranking {by!r} (use 'hops' or 'strength')")
    if k < 1:
        raise EspooNetError(f"k must be at least 1, not {k}")
    s, t = resolve(G, source), resolve(G, target)
    if s == t:
        raise EspooNetError(f"{source!r} and {target!r} are the same entity ({s})")
    tid = resolve_theme(G, theme) if theme else None
    R = route_graph(G, as_of=as_of, theme=tid, include_inactive=include_inactive)
    blocked = avoided_nodes(G, avoid) - {s, t}  # avoiding people never excludes a person at an end
    weight = WEIGHTS[by]
    if via:
        v = resolve(G, via)
        if v in (s, t):
            raise EspooNetError(f"--via {via!r} is an end of the route")
        if v in R.graph.get("activities", R.graph["no_transit"]):
            raise EspooNetError(f"--via {via!r} is a shared activity: no route passes through it, it joins "
                                "two of its participants in one hop (name a participant instead)")
        if v in R.graph["no_transit"]:
            raise EspooNetError(f"--via {via!r} is a {SCHEMA.entity_kinds[G.nodes[v]['kind']].label.lower()}: "
                                "no route passes through one (it may only start or end a route)")
        routes = _via_routes(G, R, s, v, t, k, weight, max_hops, blocked - {v})
    else:
        routes = k_best_routes(R, s, t, k, weight=weight, max_hops=max_hops, blocked_nodes=blocked, keep=_new_way(G, R))
    if not routes:
        raise _no_path(G, s, t, tid, as_of, max_hops, via, avoid, include_inactive)
    paths = []
    for _, nodes in routes:
        details = route_details(G, R, nodes)
        cost = details["length"] if by == "hops" else route_key(R, nodes, PLAIN_COST)
        paths.append({"nodes": details.pop("nodes"), "cost": round(cost, 6), **details})
    return {"source": s, "target": t, "by": by, "as_of": as_of, "theme": tid, "routes": paths}


def _place_only(G, node) -> list[str]:
    """The kinds of `node`'s ties when every one of them (any day, any status) is of a family that
    never carries a route (place: key_market, located_in...); else []."""
    kinds = {d["kind"] for _, _, d in G.in_edges(node, data=True)} | {d["kind"] for _, _, d in G.out_edges(node, data=True)}
    if not kinds or any(SCHEMA.families[SCHEMA.relation_kinds[k].family].routes for k in kinds):
        return []
    return sorted(kinds)


def _no_path(G, s, t, theme, as_of, max_hops, via, avoid, include_inactive=False) -> NoPath:
    """Why no route joins s and t: an end tied only by place ties (which never carry a route, so
    --all would not help), else the limits asked, with the advice to use every tie."""
    root = getattr(G, "_graph", G)
    joined = f"no route joins {G.nodes[s]['name']} ({s}) and {G.nodes[t]['name']} ({t})"
    for end in (t, s):
        kinds = _place_only(root, end)
        if kinds:
            families = sorted({SCHEMA.families[SCHEMA.relation_kinds[k].family].label.lower() for k in kinds})
            return NoPath(f"{joined}: {G.nodes[end]['name']} has only {' and '.join(families)} ties, "
                          "and those never carry a route")
    limits = []
    if theme:
        limits.append(f"on theme {theme}")
    if max_hops is not None:
        limits.append(f"within {max_hops} hop{'' if max_hops == 1 else 's'}")
    if via:
        limits.append(f"through {via}")
    if avoid:
        limits.append("avoiding " + ", ".join([avoid] if isinstance(avoid, str) else avoid))
    limits.append(f"as of {as_of}" if as_of else "today")
    return NoPath(f"{joined} " + ", ".join(limits), hint=None if include_inactive else "inactive")
