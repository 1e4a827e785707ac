"""The search engines behind `queries.routing`: a labelled bidirectional Dijkstra under a hop limit,
a breadth-first search by hops, and a lazy Dijkstra from our side outwards.

Work per query is bounded by what the answer needs, not by the network: every entity's ties are
kept lightest first (`ordered_ties`, built for an entity the first time a search expands it and
kept with the routing graph), and a settled label puts only its next tie on the heap, not every
tie (the "lazy" Dijkstra). A hub with thousands of ties costs a few heap entries unless its
heavier ties could still be on the answer. Meetings between the two searches: at every entity
both sides settle, over every tie one side takes from its heap, and over the ties neither took.
Under a hop limit those are checked as soon as an entity is settled (its ties to entities the
other side has settled, a set intersection in C), since a label may still be needed for its
hops; without one (`path`, `--by strength`) once, when the search stops, over the few ties still
light enough to matter (`unpopped_meetings`): checking at every settle cost more than the
rest of the search on a network with hubs.

The order of the heap is the order the eager search had: (key, hops, the order in which the
parent was settled, the tie's place among its ties), so equal keys are broken as before, by the
order of the data.
"""
from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from itertools import count, islice, repeat
from operator import add, and_, eq, itemgetter, mul, ne
from typing import Iterable, Iterator

import networkx as nx

from graph.derived import derived

__all__ = ["Weight", "ordered_ties", "labelled_search", "fewest_hops", "reach"]


@dataclass(frozen=True)
class Weight:
    """How an edge weighs in a search: ``scale * cost + offset``."""

    scale: float
    offset: float

    def of(self, cost: float) -> float:
        return self.scale * cost + self.offset


_COST = itemgetter("cost")


class CostOrder(dict):
    """entity -> (its neighbours, their costs, their places in its row), cheapest first (equal
    costs in data order): read from the routing graph once per entity, then shared by every
    weight (`OrderedTies`), since ``scale * cost + offset`` with a positive scale keeps the order."""

    def __init__(self, adj: dict):
        super().__init__()
        self.adj = adj

    def __missing__(self, node: str) -> tuple[tuple[str, ...], array, array]:
        row = self.adj[node]
        costs = list(map(_COST, row.values()))
        order = sorted(range(len(costs)), key=costs.__getitem__)  # stable: equal costs in data order
        nbrs = list(row)
        got = self[node] = (tuple(map(nbrs.__getitem__, order)), array("d", map(costs.__getitem__, order)),
                            array("l", order))
        return got


class OrderedTies(dict):
    """entity -> (its neighbours, their weights), lightest first (equal weights in data order).

    Taken from the entity's `CostOrder` (shared by the weights of one routing graph, so an entity
    that introductions reached costs a path search no second read of its ties): the weights in
    that order never decrease; only where two different costs round to one weight is that run
    put back in data order, as a sort on the weights alone would have it.
    """

    def __init__(self, adj: dict, weight: Weight, costs: CostOrder | None = None):
        super().__init__()
        self.adj, self.scale, self.offset = adj, weight.scale, weight.offset
        self.costs = CostOrder(adj) if costs is None else costs

    def __missing__(self, node: str) -> tuple[tuple[str, ...], array]:
        nbrs, costs, places = self.costs[node]
        scale, offset = self.scale, self.offset
        ws = list(map(add, costs if scale == 1.0 else map(mul, repeat(scale), costs), repeat(offset)))
        if scale <= 0 or any(map(and_, map(eq, ws, islice(ws, 1, None)), map(ne, costs, islice(costs, 1, None)))):
            # equal weights from unequal costs (or a scale that does not keep the order): data order
            order = sorted(range(len(ws)), key=lambda i: (ws[i], places[i]))
            nbrs, ws = tuple(map(nbrs.__getitem__, order)), list(map(ws.__getitem__, order))
        got = self[node] = (nbrs, array("d", ws))
        return got


def ordered_ties(R: nx.Graph, weight: Weight) -> OrderedTies:
    """The ties of `R` lightest first under `weight`, per entity, filled as searches need them."""
    cache = derived(R)
    return cache.get(("ordered", weight.scale, weight.offset),
                     lambda: OrderedTies(R._adj, weight, cache.get("cost order", lambda: CostOrder(R._adj))))


def _chain(label) -> list[str]:
    out = []
    while label is not None:
        out.append(label[2])
        label = label[3]
    return out


def labelled_search(R, starts, target, weight, limit, once, blocked_nodes, blocked_edges, stop, docs, pen, bound):
    """`queries.routing.best_route` by key: a bidirectional Dijkstra over (entity, hops) labels.

    A label is (key, hops, entity, parent label). A heap entry is (key, hops, parent's settle
    number, tie index, parent label) for the parent's next tie, or the same with the label itself
    appended when an entity's penalty makes it heavier than its tie alone.
    """
    adj = R._adj
    order = ordered_ties(R, weight)
    scale, offset = weight.scale, weight.offset
    settled: list[dict] = [{}, {}]  # per side (0 forward, 1 backward): entity -> its settled labels
    fewest: list[dict] = [{}, {}]  # per side: entity -> fewest hops settled there
    heaps: list[list] = [[], []]
    number = count()
    best = [bound, None, None]  # key, forward label, backward label

    def meet(label, other_side: int) -> None:
        inside = label[2] in stop or label[2] in docs  # may end a route, not be passed through
        for other in settled[other_side].get(label[2], ()):
            if inside and label[1] and other[1]:
                continue
            if label[1] + other[1] <= limit and label[0] + other[0] < best[0]:
                best[0] = label[0] + other[0]
                best[1], best[2] = (label, other) if other_side == 1 else (other, label)

    def child(side: int, parent, nbr: str, w: float):
        """The label reaching `nbr` from `parent` over a tie weighing `w`, or None if ruled out."""
        if nbr in blocked_nodes:
            return None
        f = fewest[side].get(nbr)
        hops = parent[1] + 1
        if f is not None and (once or f <= hops):
            return None  # a label as light and as short is settled there already
        if blocked_edges and frozenset((parent[2], nbr)) in blocked_edges:
            return None
        if pen:
            w += pen.get(parent[2], 0.0) / 2 + pen.get(nbr, 0.0) / 2
        return (parent[0] + w, hops, nbr, parent)

    def settle(side: int, label) -> None:
        key, hops, node, _ = label
        fewest[side][node] = hops
        settled[side].setdefault(node, []).append(label)
        meet(label, 1 - side)
        if hops >= limit or (hops > 0 and (node in stop or node in docs)):
            return
        row, other = adj[node], settled[1 - side]
        # Ties to the other side's entities meet now; without a hop limit that check waits for
        # the end (`unpopped_meetings`), where far fewer ties are left to look at.
        common = None if once else row.keys() & other.keys()
        if common:
            for nbr in (common if len(common) == 1 else [n for n in row if n in common]):
                new = child(side, label, nbr, scale * row[nbr]["cost"] + offset)
                if new is not None:
                    meet(new, 1 - side)
        nbrs, ws = order[node]
        if nbrs:
            heapq.heappush(heaps[side], (key + (ws[0] + pen.get(node, 0.0) / 2), hops + 1, next(number), 0, label))

    def unpopped_meetings() -> None:
        """The meetings over ties that neither side has taken from its heap yet.

        A search that has stopped has met at every entity both sides settled, and over every tie
        one side took from its heap (its far end was settled, or met, then). What is left is a
        tie between an entity settled forward and one settled backward that neither side took:
        its forward end still has it among its ties not yet taken, which its heap entry points
        at, lightest first. Only ties that could still beat the best meeting are looked at, so
        this costs a few hundred lookups once, not a set intersection every time an entity is
        settled. Without it, the rule "stop when the two heaps' keys add up to the best" would
        miss the best route when its middle tie is heavier than both sides' last keys.
        """
        side = 0 if len(heaps[0]) <= len(heaps[1]) else 1  # an empty heap: nothing left to meet
        other = settled[1 - side]
        for entry in heaps[side]:
            if entry[0] >= best[0]:
                continue
            parent, i = entry[4], entry[3]
            nbrs, ws = order[parent[2]]
            if len(entry) == 6:  # its tie was taken; the entity it leads to waits at its own key
                if entry[5][2] in other:
                    meet(entry[5], 1 - side)
                continue  # the entity's later ties have their own entry
            # ties are lightest first: only those before `end` could do better than the best
            end = bisect_left(ws, best[0] - parent[0] - pen.get(parent[2], 0.0) / 2, i)
            if end > i and not other.keys().isdisjoint(nbrs[i:end]):
                for j in range(i, end):
                    if nbrs[j] in other:
                        new = child(side, parent, nbrs[j], ws[j])
                        if new is not None:
                            meet(new, 1 - side)

    for s in starts:
        settle(0, (0.0, 0, s, None))
    settle(1, (0.0, 0, target, None))
    while heaps[0] and heaps[1]:
        if heaps[0][0][0] + heaps[1][0][0] >= best[0]:
            break
        side = 0 if len(heaps[0]) <= len(heaps[1]) else 1  # grow the smaller frontier
        entry = heapq.heappop(heaps[side])
        if len(entry) == 6:
            label = entry[5]
        else:
            key, hops, n, i, parent = entry
            nbrs, ws = order[parent[2]]
            if i + 1 < len(nbrs):
                heapq.heappush(heaps[side], (parent[0] + (ws[i + 1] + pen.get(parent[2], 0.0) / 2), hops, n, i + 1, parent))
            label = child(side, parent, nbrs[i], ws[i])
            if label is None:
                continue
            if label[0] != key:  # heavier by the entity's penalty: back in the heap at its own key
                heapq.heappush(heaps[side], (label[0], hops, n, i, parent, label))
                continue
        f = fewest[side].get(label[2])
        if f is not None and (once or f <= label[1]):
            continue
        settle(side, label)
    if once:
        unpopped_meetings()
    if best[1] is None:
        return None
    forward, backward = _chain(best[1]), _chain(best[2])
    return best[0], forward[::-1] + backward[1:]


HOPS = Weight(1e-4, 1.0)  # `queries.routing.BY_HOPS`


def _relax(layer, u, cost_u, row, nbrs, mine, blocked_nodes, blocked_edges, keep) -> None:
    """Offer the ties from `u` to `nbrs` (in data order) to the next layer: the lightest per entity."""
    for v in nbrs:
        if v in mine or v in blocked_nodes or (keep is not None and not keep(v)):
            continue
        if blocked_edges and frozenset((u, v)) in blocked_edges:
            continue
        c = cost_u + row[v]["cost"]
        old = layer.get(v)
        if old is None or c < old[0]:
            layer[v] = (c, u)


def fewest_hops(adj, starts, target, limit, blocked_nodes, blocked_edges, stop, docs, bound):
    """`best_route` by hops: a bidirectional breadth-first search, layer by layer.

    Each layer keeps, per entity, the lightest cost among its shortest routes (every shortest
    route to an entity comes through the layer before), so when the two searches first meet,
    the lightest meeting point gives the shortest route with the strongest ties, exactly as the
    labelled search would, in a fraction of the time.
    """
    scale, offset = HOPS.scale, HOPS.offset
    seen = ({s: (0.0, None) for s in starts}, {target: (0.0, None)})  # entity -> (cost, parent)
    ends = set(starts) | {target}
    frontier = (list(starts), [target])
    depth = [0, 0]
    while frontier[0] and frontier[1] and depth[0] + depth[1] < limit:
        if (depth[0] + depth[1] + 1) * offset >= bound:
            return None
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        mine, other = seen[side], seen[1 - side]
        movers = [u for u in frontier[side] if not (depth[side] and (u in stop or u in docs))]
        # The layer that meets the other side is only needed where it meets, and that is found by
        # set intersections (in C), so the largest layer is never built in Python.
        layer: dict = {}
        for u in movers:
            row = adj[u]
            common = row.keys() & other.keys()
            if common:
                _relax(layer, u, mine[u][0], row, common if len(common) == 1 else [v for v in row if v in common],
                       mine, blocked_nodes, blocked_edges, lambda v: v in ends or (v not in stop and v not in docs))
        depth[side] += 1
        if layer:
            mine.update(layer)
            v = min(layer, key=lambda m: seen[0][m][0] + seen[1][m][0])
            cost = seen[0][v][0] + seen[1][v][0]
            key = (depth[0] + depth[1]) * offset + scale * cost
            if key >= bound:
                return None
            forward, backward = [], []
            for side_seen, out in ((seen[0], forward), (seen[1], backward)):
                n = v
                while n is not None:
                    out.append(n)
                    n = side_seen[n][1]
            return key, forward[::-1] + backward[1:]
        for u in movers:
            _relax(layer, u, mine[u][0], adj[u], adj[u], mine, blocked_nodes, blocked_edges, None)
        mine.update(layer)
        frontier[side][:] = []
        frontier[side].extend(layer)
    return None


def reach(R: nx.Graph, sources: Iterable[str], *, weight: Weight, max_hops: int | None = None,
          no_transit: frozenset | set = frozenset()) -> Iterator[tuple[str, float, list[str]]]:
    """Every entity reachable from `sources` within `max_hops`, lightest first: (entity, key, route).

    A plain Dijkstra (each entity settled once, by key), lazy twice over: each settled entity puts
    only its next lightest tie on the heap, and entities come out as they are settled, so a caller
    that has what it needs stops the search there. Routes are kept as parent pointers.
    """
    adj = R._adj
    order = ordered_ties(R, weight)
    starts = [s for s in dict.fromkeys(sources) if s in adj]
    stop = set(no_transit) | set(starts)
    docs = R.graph.get("no_transit", frozenset())
    limit = max_hops if max_hops is not None else len(R._node)
    parent: dict[str, str | None] = {}
    dist: dict[str, float] = {}
    depth: dict[str, int] = {}
    number = count()
    heap: list = [(0.0, next(number), -1, s, None) for s in starts]  # (key, number, tie index, entity, parent)
    heapq.heapify(heap)
    while heap:
        key, n, i, node, up = heapq.heappop(heap)
        if i >= 0:  # the i-th lightest tie of `up`: push its next one, then look at where it leads
            nbrs, ws = order[up]
            if i + 1 < len(nbrs):
                heapq.heappush(heap, (dist[up] + ws[i + 1], n, i + 1, None, up))
            node = nbrs[i]
        if node in parent:
            continue
        parent[node], dist[node] = up, key
        hops = depth[node] = 0 if up is None else depth[up] + 1
        route = [node]
        while up is not None:
            route.append(up)
            up = parent[up]
        yield node, key, route[::-1]
        if hops >= limit or (hops > 0 and (node in stop or node in docs)):
            continue
        nbrs, ws = order[node]
        if nbrs:
            heapq.heappush(heap, (key + ws[0], next(number), 0, None, node))
