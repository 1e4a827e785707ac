"""The routing graph one entity at a time: each entity's ties computed from the multigraph when a
search first asks for them, the same ties in the same order as `queries.ties.build_routing_graph`.

A question between two entities (a route, an introduction) touches a few thousand entities of a
network; building every tie of a million relations first (tens of seconds, and as long again to
read back from a cache) is what made such a question slow. `LocalRows` is a mapping entity ->
{neighbour: tie} that fills itself: an entity's row comes from its own relations and from the
participants of the shared activities it takes part in (each activity's participants are worked
out once). `local_routing(G, ...)` wraps it as a routing graph for `queries.routing`.

The order of a row is the one the full build gives, which the searches break equal keys by: the
full build offers every relation in the multigraph's order (an entity's outgoing relations at
its own turn, incoming ones at their source's turn), then every pair of every activity's
participants (activities in the order their first relation came, participants likewise); a
neighbour takes its place at the first offer, and the strongest tie wins, between equals the one
of smaller rank, whatever the order (so the values agree too). `tests/test_routing_rows.py`
compares both on whole networks.

Every relation is judged from its compact row (`loaders.lazy.relation_rows`: the tuple of
`ROW_FIELDS`, what a tie is judged by, no sources): a graph read lazily from the cache
(`loaders.lazy.LazyGraph`, what `intro` and `path` get) keeps them and never reads the full
attribute dicts; a graph in memory makes them from its dicts as an entity is reached. One form,
one code path; `tests/test_lazy_graph.py` compares the rows with the full build's on both.
"""
from __future__ import annotations

import math
from functools import partial

import networkx as nx

from graph.model import keeps_every_theme, node_values, tie_themes
from graph.schema import SCHEMA
from loaders.lazy import ROW_FIELDS, LazyGraph, relation_rows

from .strength import tie_strength
from .ties import fold_strength

__all__ = ["LocalRows", "local_routing"]


class LocalRows(dict):
    """entity -> {neighbour: tie}, each row computed on first use (see the module docstring)."""

    def __init__(self, G: nx.MultiDiGraph, day, theme: str | None, include_inactive: bool):
        super().__init__()
        self.G, self.day, self.theme, self.include_inactive = G, day, theme, include_inactive
        self.kind = kind = node_values(G, "kind")
        self.turn = {n: i for i, n in enumerate(G._succ)}  # an entity's turn in the multigraph's order
        self.acts = frozenset(n for n, k in kind.items() if k in SCHEMA.activity_kinds)
        self.one_off = frozenset(n for n, k in kind.items() if k in SCHEMA.one_off_kinds)
        self.known: dict[tuple, float] = {}
        self.members: dict[str, tuple] = {}
        self.places: dict[str, dict[str, int]] = {}
        self.judged: dict[tuple, tuple[float, bool]] = {}
        # Each entity's relations in the compact form judged here (`loaders.lazy.relation_rows`): a
        # lazily read graph keeps them (not reading its full attribute dicts); else made from them.
        self.lazy = isinstance(G, LazyGraph)
        self.rows = G.relation_rows if self.lazy else partial(relation_rows, G)

    def __contains__(self, node) -> bool:
        return node in self.G._node

    def __missing__(self, node: str) -> dict:
        if node not in self.G._node:
            raise KeyError(node)
        row = self[node] = self._row(node)
        return row

    def _judge(self, u: str, v: str, key, d: tuple) -> tuple[float, bool]:
        """A relation's strength on the day, and whether it counts on the theme (as the full build);
        each relation judged once, though both its ends and its activity ask (kept by the
        relation (u, v, key): a lazily read graph has one row for each end)."""
        rel = (u, v, key)
        got = self.judged.get(rel)
        if got is None:
            got = self.judged[rel] = self._judge_once(u, v, d)
        return got

    def _judge_once(self, u: str, v: str, d: tuple) -> tuple[float, bool]:
        """`d`: the relation's row, its `ROW_FIELDS` (kind, since, until, status, strength,
        confidence, themes); equal facts are judged once."""
        oo = u in self.one_off or v in self.one_off
        facts = d[:6] + (oo,)
        s = self.known.get(facts)
        if s is None:
            # A field left empty reads as absent (a status None as the default, active), as in the dicts.
            attrs = {f: x for f, x in zip(ROW_FIELDS, d[:6]) if x is not None}
            s = self.known[facts] = tie_strength(attrs, today=self.day, include_inactive=self.include_inactive, one_off=oo)
        if s <= 0:
            return s, False
        theme = self.theme
        if theme is None:
            return s, True
        attrs = {"kind": d[0], "themes": d[6]}
        return s, theme in tie_themes(self.G, u, v, attrs) or keeps_every_theme(self.G, u, v, attrs)

    def _sides(self, node: str) -> tuple:
        """(outgoing, incoming) of `node`: pairs (other end, pairs (key, row)), in the
        multigraph's order (`loaders.lazy.relation_rows`)."""
        return self.rows(node)

    def _relations(self, node: str):
        """Every relation of `node` that the full build looks at, with the place it has there:
        (place, u, v, key, data); self-loops and ties between two activities left out. Places
        order the relations of `node` among themselves: (turn of the source, place of the target
        among the source's, place of the key); the middle one is 0 for incoming relations (one
        source's turn holds one pair of them) and is made exact by `_place_in` where places of
        different entities' relations are compared."""
        turn, acts = self.turn, self.acts
        mine = node in acts
        t = turn[node]
        out, into = self._sides(node)
        for j, (b, keys) in enumerate(out):
            if b != node and not (mine and b in acts):
                for k, (key, d) in enumerate(keys):
                    yield (t, j, k), node, b, key, d
        for b, keys in into:
            if b != node and not (mine and b in acts):
                tb = turn[b]
                for k, (key, d) in enumerate(keys):
                    yield (tb, 0, k), b, node, key, d

    def _place_in(self, u: str, v: str) -> int:
        """Where `v` comes among the targets of `u`'s relations."""
        places = self.places.get(u)
        if places is None:
            # Only the order of the targets: a graph in memory has it without making rows.
            targets = (b for b, _ in self.rows(u)[0]) if self.lazy else self.G._succ[u]
            places = self.places[u] = {x: j for j, x in enumerate(targets)}
        return places[v]

    def _activity(self, act: str) -> tuple:
        """(place of its first relation, participants that count, their number), worked out once."""
        got = self.members.get(act)
        if got is None:
            got = self.members[act] = self._work_out(act)
        return got

    def _work_out(self, act: str) -> tuple:
        limit, judge, joins = SCHEMA.fold_limit, self._judge, SCHEMA.participation_kinds
        # Beyond the fold limit only the count matters (it is not folded): stop counting there.
        out, into = self._sides(act)
        if len(out) + len(into) > limit:  # neighbours: an upper bound of participants
            seen: set[str] = set()
            for _, u, v, key, d in self._relations(act):
                p = v if u == act else u
                if p not in seen and d[0] in joins and judge(u, v, key, d)[0] > 0:
                    seen.add(p)
                    if len(seen) > limit:
                        return None, [], len(seen)
        mine: dict[str, tuple] = {}
        first = None
        for place, u, v, key, d in sorted(self._relations(act), key=lambda r: r[0]):
            if d[0] not in joins:
                continue  # not a participant (schema `participates`): a contact person's tie
            s, on = judge(u, v, key, d)
            if s <= 0:
                continue
            if first is None:  # comparable with other activities' places: the exact place
                first = place if u == act else (place[0], self._place_in(u, act), place[2])
            p = v if u == act else u
            old = mine.get(p)
            if old is None or old[0] < s or (old[0] == s and on and not old[2]):
                mine[p] = (s, (u, v, key), on)
        parts = [(p, s, rel) for p, (s, rel, on) in mine.items() if on]
        return first, parts, len(mine)

    def _row(self, node: str) -> dict:
        acts_of_kind = self.acts
        judge = self._judge
        # neighbour -> [place of its first offer, strength, rank, what makes its tie]: the tie
        # dicts are made for the winners only (`queries.ties.better`: the stronger, between
        # equals the smaller rank), not for each of a hub's many offers.
        offers: dict[str, list] = {}

        def offer(b: str, place: tuple, s: float, rank: tuple, made: tuple) -> None:
            old = offers.get(b)
            if old is None:
                offers[b] = [place, s, rank, made]
                return
            if place < old[0]:
                old[0] = place
            if not (old[1] > s or old[1] == s and old[2] < rank):
                old[1], old[2], old[3] = s, rank, made

        acts = set()
        joins = node not in acts_of_kind
        for place, u, v, key, d in self._relations(node):
            s, on = judge(u, v, key, d)
            if s <= 0:
                continue
            b = v if u == node else u
            if joins and b in acts_of_kind:
                acts.add(b)
            if on:
                offer(b, (0, place), s, (0, key), (u, v, key))
        for act in acts:
            first, parts, n = self._activity(act)
            if n > SCHEMA.fold_limit:
                continue
            at = next((i for i, part in enumerate(parts) if part[0] == node), None)
            if at is None:
                continue
            for i, part in enumerate(parts):
                if i == at:
                    continue
                (p, sp, rp), (q, sq, rq) = (parts[at], part) if at < i else (part, parts[at])
                offer(part[0], (1, first, i), fold_strength(sp, sq, n), (1, act), (rp, act, n, p, q, rq))
        log = math.log
        row = {}
        for b, (_, s, rank, made) in sorted(offers.items(), key=lambda kv: kv[1][0]):
            if rank[0] == 0:
                u, v, key = made
                row[b] = {"strength": s, "cost": -log(s), "u": u, "v": v, "key": key, "rank": rank}
            else:
                rp, act, n, p, q, rq = made
                row[b] = {"strength": s, "cost": -log(s), "u": rp[0], "v": rp[1], "key": rp[2],
                          "via": act, "parties": n, "ends": {p: rp, q: rq}, "rank": rank}
        return row


def local_routing(G: nx.MultiDiGraph, day, theme: str | None, include_inactive: bool) -> nx.Graph:
    """A routing graph whose rows are `LocalRows`: for searches between entities, not for walking
    the whole network (its edge and degree views see only the rows asked for so far)."""
    R = nx.Graph(day=day.isoformat(), theme=theme)
    R._adj = LocalRows(G, day, theme, include_inactive)
    R._node = G._node
    R.graph["home"] = tuple(n for n, h in node_values(G, "home").items() if h)
    kinds = R._adj.kind
    R.graph["no_transit"] = frozenset(n for n, k in kinds.items() if k in SCHEMA.no_relay_kinds)
    R.graph["activities"] = R._adj.acts
    return R
