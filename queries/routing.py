"""The routing graph and the route search that paths, introductions and suggestions share.

The MultiDiGraph keeps every relation; a route only needs the best tie between two entities.
`routing_graph` builds, once per (day, theme, include_inactive) and kept by `graph.derived`, an
undirected simple `networkx.Graph` in which each pair of entities joined by a routeable tie holds
the strongest one: its ``strength`` (`queries.strength.tie_strength`), ``cost`` =
-log(strength), and the relation it came from (``u``, ``v``, ``key``) for the hop details.

What routes (the families of `graph/schema.yaml`): place ties (located in, headquarters,
operates in, key market) never do. Shared activities (agreements, projects, events, networks:
``activity`` in the schema) are hyperedges: every two participants of one are joined directly,
one hop, with strength ``sqrt(s_p * s_q) / (n - 1)`` where s_p and s_q are their own ties to it
and n the number of its participants that day (the affiliation-network weighting; see the
schema). Such a tie also carries ``via`` (the activity), ``parties`` (n) and ``ends`` (each
participant's relation to it). An activity stays a node, so a route may end at one, but no
route passes through it (``R.graph["no_transit"]``), and a tie between two activities is none.

Themes: `graph.model.on_theme` (a folded tie is on a theme when both participants' ties are).

`best_route` is a bidirectional Dijkstra over (entity, hops) labels: exact under a hop limit,
from one entity or a set of them (our side) to a target, with blocked entities and ties,
entities that may start or end a route but not be passed through, and per-entity penalties (for
diverse introductions). Every edge weighs ``scale * cost + offset``: by strength
(scale 1, a tiny offset so equally strong routes prefer fewer hops), by hops (offset 1 and a
tiny scale so equally short routes prefer stronger ties). Ties between equal keys are broken by
the order of the data, which the loaders sort, so results are the same on every run and machine.
"""
from __future__ import annotations

import heapq
import math
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from graph.derived import derived
from graph.model import paused_gc
from graph.schema import SCHEMA
from loaders import LARGE_GRAPH
from loaders.cache import code_digest, content_key, read_object, write_object

from .localties import local_routing
from .search import HOPS, Weight, fewest_hops, labelled_search, reach
from .strength import view_day
from .ties import build_routing_graph, fold_strength

__all__ = [
    "Weight",
    "BY_STRENGTH",
    "BY_HOPS",
    "PLAIN_COST",
    "routing_graph",
    "route_graph",
    "home_nodes",
    "best_route",
    "k_best_routes",
    "reach",
    "route_key",
    "edge_between",
    "fold_strength",
    "meets_an_activity_twice",
    "REJECTED_LIMIT",
]

INF = math.inf


BY_STRENGTH = Weight(1.0, 1e-9)
BY_HOPS = HOPS
PLAIN_COST = Weight(1.0, 0.0)  # the plain sum of -log(strength), to report
REJECTED_LIMIT = 40  # routes a search may leave out (`k_best_routes` keep) before it stops


def _root(G: nx.Graph) -> nx.Graph:
    return getattr(G, "_graph", G)  # a view shares its root's caches


_HERE = Path(__file__).resolve().parent


def routing_graph(G: nx.MultiDiGraph, *, as_of=None, theme: str | None = None,
                  include_inactive: bool = False) -> nx.Graph:
    """The undirected graph of the strongest routeable tie per pair of entities, cached.

    Every entity of `G` is a node (so a query on an isolated entity finds no route rather than
    an unknown entity). Kept in `graph.derived` (a graph is not changed once built); for a large
    graph read by `loaders.load_graph` also in the loaders' cache, keyed by the graph's content,
    this package's code and the view (the day among it), so the next command starts from it.
    """
    root = _root(G)
    day = view_day(as_of)

    def build() -> nx.Graph:
        source = derived(root).get("content_key", lambda: None)  # set by loaders.load_graph
        large = len(root) >= LARGE_GRAPH
        with paused_gc(keep=lambda: large):
            if source is None or not large:
                return build_routing_graph(root, day, theme, include_inactive)
            key = content_key("routing", source, code_digest(_HERE), day.isoformat(), theme or "", str(include_inactive))
            R = read_object(key, nx.Graph)
            if R is None:
                R = build_routing_graph(root, day, theme, include_inactive)
                write_object(key, R)
            return R

    return derived(root).get(("routing", day, theme, include_inactive), build)


def route_graph(G: nx.MultiDiGraph, *, as_of=None, theme: str | None = None,
                include_inactive: bool = False) -> nx.Graph:
    """The routing graph for searches between entities (routes, introductions): the same ties as
    `routing_graph`, each entity's computed when a search first reaches it (`queries.localties`),
    so a question on a large network costs what it touches, not a build of every tie; the full
    one instead when it is built already. Kept with `G` (`graph.derived`); not for walking the
    whole network.
    """
    root = _root(G)
    day = view_day(as_of)
    cache = derived(root)
    full = cache.peek(("routing", day, theme, include_inactive))
    if full is not None:
        return full  # built already (a whole-network question came first): every row is there
    return cache.get(("local", day, theme, include_inactive), lambda: local_routing(root, day, theme, include_inactive))


def home_nodes(R: nx.Graph) -> tuple[str, ...]:
    """Our side: the entities marked home in the data, in data order."""
    return R.graph["home"]


def edge_between(R: nx.Graph, a: str, b: str) -> tuple[str, str, str]:
    """The relation (u, v, key) of the multigraph that the routing tie between a and b stands for."""
    d = R._adj[a][b]
    return d["u"], d["v"], d["key"]


def route_key(R: nx.Graph, nodes: list[str], weight: Weight) -> float:
    """The search key of a route, summed in route order (so every engine agrees on it)."""
    adj = R._adj
    return sum(weight.of(adj[a][b]["cost"]) for a, b in zip(nodes, nodes[1:]))


def meets_an_activity_twice(G: nx.MultiDiGraph, R: nx.Graph, nodes: list[str]) -> bool:
    """Whether a route passes one shared activity twice: a hop through an activity (an agreement,
    project, event) while another entity of the route is also one of its participants.

    A signed document joins its parties as one hop (`graph/schema.yaml`, shared activities), so
    such a route is no other introduction: it is a shorter route with a go-between put in
    (IQM → CBIST → CBNU when IQM signed that agreement with CBNU itself), or the same document
    used for two hops. `intro` and `path` leave such routes out; the shorter one is found anyway.

    >>> from queries.ties import build_routing_graph
    >>> import datetime as dt
    >>> G = nx.MultiDiGraph()
    >>> for n, k in [("a", "company"), ("b", "company"), ("c", "company"), ("m", "agreement")]:
    ...     G.add_node(n, kind=k, name=n)
    >>> for n in "abc":
    ...     _ = G.add_edge(n, "m", key=n, id=n, kind="party_to", status="active")
    >>> R = build_routing_graph(G, dt.date(2025, 1, 1), None, False)
    >>> meets_an_activity_twice(G, R, ["a", "b", "c"]), meets_an_activity_twice(G, R, ["a", "c"])
    (True, False)
    """
    adj = R._adj
    joins = SCHEMA.participation_kinds
    for a, b in zip(nodes, nodes[1:]):
        activity = adj[a][b].get("via")
        if activity is None:
            continue
        row = adj[activity]
        for n in nodes:
            tie = row.get(n) if n not in (a, b) else None
            if tie is not None and G.edges[tie["u"], tie["v"], tie["key"]]["kind"] in joins:
                return True
    return False


def best_route(
    R: nx.Graph,
    sources: Iterable[str],
    target: str,
    *,
    weight: Weight = BY_STRENGTH,
    max_hops: int | None = None,
    blocked_nodes: frozenset | set = frozenset(),
    blocked_edges: frozenset | set = frozenset(),
    no_transit: frozenset | set = frozenset(),
    penalty: dict | None = None,
    bound: float = INF,
) -> tuple[float, list[str]] | None:
    """The lightest route from any of `sources` to `target`, or None.

    Parameters
    ----------
    R : the routing graph; sources : start entities (all start at key 0); target : end entity.
    weight : how an edge weighs (`BY_STRENGTH`, `BY_HOPS` or another `Weight`).
    max_hops : routes of at most this many hops (exact: a longer, lighter route does not hide a
        shorter one).
    blocked_nodes, blocked_edges : entities and ties (as ``frozenset({a, b})``) never used.
    no_transit : entities a route may start or end at but not pass through.
    penalty : extra key for passing through an entity (half on each of its two route edges).
    bound : only routes lighter than this.

    Returns
    -------
    ``(key, nodes)`` of the lightest route (key as found; use `route_key` for the canonical sum).

    Examples
    --------
    >>> R = nx.Graph(home=())
    >>> R.add_edge("a", "b", cost=0.1); R.add_edge("b", "c", cost=0.1); R.add_edge("a", "c", cost=1.0)
    >>> best_route(R, ["a"], "c")[1]
    ['a', 'b', 'c']
    >>> best_route(R, ["a"], "c", weight=BY_HOPS)[1]
    ['a', 'c']
    """
    adj = R._adj
    starts = [s for s in dict.fromkeys(sources) if s in adj and s not in blocked_nodes]
    if target not in adj or target in blocked_nodes or not starts:
        return None
    if target in starts:
        return 0.0, [target]
    limit = max_hops if max_hops is not None else len(R._node)
    docs = R.graph.get("no_transit", frozenset())  # activities: never passed through
    if weight == BY_HOPS and not penalty:
        return fewest_hops(adj, starts, target, limit, blocked_nodes, blocked_edges,
                           set(no_transit) | set(starts) | {target}, docs, bound)
    # Without a hop limit one label per entity is enough; with one, a later (heavier) label
    # still counts if it has fewer hops, since only it may fit the limit.
    return labelled_search(R, starts, target, weight, limit, max_hops is None, blocked_nodes, blocked_edges,
                           set(no_transit) | set(starts) | {target}, docs, penalty or {}, bound)


def k_best_routes(
    R: nx.Graph,
    source: str,
    target: str,
    k: int,
    *,
    weight: Weight = BY_STRENGTH,
    max_hops: int | None = None,
    blocked_nodes: frozenset | set = frozenset(),
    keep: Callable[[list[str]], bool] | None = None,
) -> list[tuple[float, list[str]]]:
    """The `k` lightest simple routes from `source` to `target` (Yen's algorithm), lightest first.

    Each spur search is bounded by the candidates already known, so only searches that can
    still change the answer run to the end. Equal keys are ordered by the routes' node ids.
    `keep`: only routes it accepts are returned; it must reject every route whose beginning it
    rejects as a route (as `meets_an_activity_twice` does). A rejected route still leads the
    search to routes that branch off it before its rejected beginning, and only accepted
    candidates bound the search. Past `REJECTED_LIMIT` rejected routes the search stops with the
    routes it has (around a hub, thousands of routes may each put one more go-between into a
    shared activity: `meets_an_activity_twice`).

    Examples
    --------
    >>> R = nx.Graph(home=())
    >>> R.add_edge("a", "b", cost=0.1); R.add_edge("b", "c", cost=0.1); R.add_edge("a", "c", cost=1.0)
    >>> [nodes for _, nodes in k_best_routes(R, "a", "c", 3)]
    [['a', 'b', 'c'], ['a', 'c']]
    >>> [nodes for _, nodes in k_best_routes(R, "a", "c", 3, keep=lambda nodes: len(nodes) == 2)]
    [['a', 'c']]
    """
    first = best_route(R, [source], target, weight=weight, max_hops=max_hops, blocked_nodes=blocked_nodes)
    if first is None or k <= 0:
        return []
    ok = keep or (lambda nodes: True)
    found = [(route_key(R, first[1], weight), first[1])]
    kept = [found[0]] if ok(first[1]) else []
    docs = R.graph.get("no_transit", frozenset())
    candidates: list[tuple[float, tuple[str, ...]]] = []
    accepted: list[tuple[float, tuple[str, ...]]] = []  # the candidates `keep` accepts: they bound the search
    known = {tuple(first[1])}
    while len(kept) < k:
        prev = found[-1][1]
        # a branch that keeps a rejected beginning is rejected too: branch only before it
        last = len(prev) - 1 if ok(prev) else next(n for n in range(2, len(prev) + 1) if not ok(prev[:n])) - 1
        for j in range(last):
            if j > 0 and prev[j] in docs:
                continue  # a spur would pass through an activity
            root = prev[: j + 1]
            root_key = route_key(R, root, weight)
            cut = {frozenset((p[j], p[j + 1])) for _, p in found if len(p) > j + 1 and p[: j + 1] == root}
            need = k - len(kept)
            bound = INF
            if len(accepted) >= need:
                bound = heapq.nsmallest(need, accepted)[-1][0] - root_key + 1e-12
            spur = best_route(
                R, [root[-1]], target, weight=weight, max_hops=None if max_hops is None else max_hops - j,
                blocked_nodes=set(blocked_nodes) | set(root[:-1]), blocked_edges=cut, bound=bound,
            )
            if spur is None:
                continue
            nodes = root[:-1] + spur[1]
            if tuple(nodes) not in known:
                known.add(tuple(nodes))
                item = (route_key(R, nodes, weight), tuple(nodes))
                heapq.heappush(candidates, item)
                if ok(nodes):
                    heapq.heappush(accepted, item)
        if not candidates:
            break
        key, nodes = heapq.heappop(candidates)
        found.append((key, list(nodes)))
        if len(found) - len(kept) > REJECTED_LIMIT:
            break
        if ok(list(nodes)):
            accepted.remove((key, nodes))
            heapq.heapify(accepted)
            kept.append((key, list(nodes)))
    return kept
