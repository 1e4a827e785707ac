"""Pull the network, or a theme's part or a focus's neighbourhood, back from a Neo4j server."""
from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from graph.errors import BackendError
from graph.model import paused_gc

from graph.lookup import EntityIndex, theme_id
from graph.neo4j import cypher as C
from .connection import Connection, Settings, connect
from graph.neo4j.storage import node_attrs, relation_attrs, theme_dict



# --- pull ----------------------------------------------------------------------------------------

def read_taxonomy(conn: Connection) -> dict[str, dict]:
    """The theme taxonomy stored on the server, by id."""
    found = (theme_dict(r["props"]) for r in conn.read(C.READ_THEMES, doing="reading themes", marker=C.MARKER))
    return {t["id"]: t for t in sorted(found, key=lambda t: t["id"])}


def read_names(conn: Connection) -> tuple[Any, dict[str, str]]:
    """The name index of the stored entities, and their kinds by id."""
    rows = conn.read(C.READ_NAMES, doing="reading names", marker=C.MARKER)
    kinds = {r["id"]: r["kind"] for r in rows}
    return EntityIndex((r["id"], r["name"] or r["id"], r["aliases"] or []) for r in rows), kinds


def _by_kind(ids: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for eid, kind in sorted(ids.items()):
        out.setdefault(kind, []).append(eid)
    return out


NO_FILTER = {"types": None, "day": None, "present": False, "theme": None, "one_off": [], "glow_day": None,
             "structural": []}
"""Follow every relation (see `cypher.expand`)."""


def neighbourhood(conn: Connection, start: dict[str, str], depth: int | None,
                  follow: dict | None = None) -> dict[str, str]:
    """Entities within `depth` followed relations of any of `start` (id -> kind), either
    direction; all that can be reached when depth is None. One server query per step and kind,
    so only the frontier ever leaves the server. `follow`: the filter of `cypher.expand`."""
    params = {**NO_FILTER, **(follow or {}), "marker": C.MARKER}
    seen, frontier = dict(start), dict(start)
    step = 0
    while frontier and (depth is None or step < depth):
        found: dict[str, str] = {}
        for kind, ids in _by_kind(frontier).items():
            for r in conn.read(C.expand(kind), doing="expanding a neighbourhood", ids=ids, **params):
                if r["id"] not in seen:
                    found[r["id"]] = r["kind"]
        seen.update(found)
        frontier = found
        step += 1
    return seen


def _theme_members(conn: Connection, theme: str) -> dict[str, str]:
    ids = {r["id"]: r["kind"] for r in conn.read(C.ENTITIES_WITH_THEME, doing="reading a theme", theme=theme,
                                                   marker=C.MARKER)}
    for r in conn.read(C.RELATIONS_ON_THEME, doing="reading a theme", **{**NO_FILTER, "theme": theme},
                       marker=C.MARKER):
        ids[r["source"]] = r["source_kind"]
        ids[r["target"]] = r["target_kind"]
    return ids


def _build(settings: Settings, themes: dict, nodes: Iterable[dict], rels: Iterable) -> nx.MultiDiGraph:
    """The model graph, in the order `graph.model.build_graph` makes: entities by id, then the
    theme nodes as relations (by id) first name them; relations by id. Queries that break ties
    by the order of the data then give the same answers on a pulled graph as on a loaded one."""
    G = nx.MultiDiGraph()
    G.graph["themes"] = themes
    G.graph["origin"] = f"neo4j {settings.where}"
    props = {p["id"]: p for p in nodes}
    rels = sorted(rels, key=lambda r: r["props"]["id"])
    later = {n for n, p in props.items() if p.get("kind") == "theme"}
    for n in sorted(props.keys() - later):
        G.add_node(n, **node_attrs(props[n]))
    for r in rels:
        for end in (r["source"], r["target"]):
            if end in later and end not in G:
                G.add_node(end, **node_attrs(props[end]))
    for n in sorted(later - set(G)):
        G.add_node(n, **node_attrs(props[n]))
    previous = None
    for r in rels:
        rid = r["props"]["id"]
        if rid == previous:
            raise BackendError(f"relation id {rid!r} is stored twice at {settings.where} "
                               "(a stale copy: push with --prune to clean up)")
        previous = rid
        if r["source"] in props and r["target"] in props:
            G.add_edge(r["source"], r["target"], key=rid, **relation_attrs(r["props"]))
    return G


def read_subgraph(conn: Connection, ids: dict[str, str] | None, themes: dict | None = None) -> nx.MultiDiGraph:
    """The entities `ids` (id -> kind; all when None) and every relation among them, as the model."""
    themes = read_taxonomy(conn) if themes is None else themes
    marker = {"marker": C.MARKER}
    with paused_gc():  # as in push: many small objects, no cycles
        if ids is None:
            nodes = [r["props"] for r in conn.read(C.READ_ENTITIES, doing="reading entities", **marker)]
            rels = conn.read(C.READ_RELATIONS, doing="reading relations", **marker)
            return _build(conn.settings, themes, nodes, rels)
        nodes, rels = [], []
        for kind, some in _by_kind(ids).items():
            nodes += [r["props"] for r in conn.read(C.read_entities_by_id(kind), doing="reading entities",
                                                     ids=some, **marker)]
            rels += [r for r in conn.read(C.read_relations_from(kind), doing="reading relations", ids=some,
                                          **marker) if r["target"] in ids]
        return _build(conn.settings, themes, nodes, rels)


def pull(settings: Settings | None = None, *, theme: str | None = None, focus: str | None = None,
         depth: int | None = None) -> nx.MultiDiGraph:
    """Read the network back from Neo4j: all of it, a theme's part, or a neighbourhood.

    Parameters
    ----------
    settings : the server (default: NEO4J_* variables).
    theme : a theme id, label or synonym: the entities tagged with it and the ends of the
        relations on it (tagged with it, or untagged between entities on it: the rule of
        `graph.model.tie_themes`), with every relation among them.
    focus, depth : an entity (id, name or alias) and the entities within `depth` relations of
        it (either direction; depth 1 when not given), with every relation among them.
        With `theme` as well, only the neighbours that are also in the theme's part.

    Returns
    -------
    networkx.MultiDiGraph equal to the pushed graph, attribute for attribute (the whole graph),
    or its induced subgraph; ``G.graph["themes"]`` is the whole taxonomy.

    Examples
    --------
    >>> G = pull(Settings(password="secret"), focus="Enter Espoo", depth=2)   # doctest: +SKIP
    """
    conn = connect(settings)
    themes = read_taxonomy(conn)
    if theme is None and focus is None:
        return read_subgraph(conn, None, themes)
    ids: dict[str, str] | None = None
    if theme is not None:
        ids = _theme_members(conn, theme_id(themes, theme))
    if focus is not None:
        index, kinds = read_names(conn)
        start = index.resolve(focus)
        ball = neighbourhood(conn, {start: kinds[start]}, C.hops(depth if depth is not None else 1))
        ids = ball if ids is None else {n: k for n, k in ball.items() if n in ids or n == start}
    return read_subgraph(conn, ids, themes)

