"""Looking at single entities: `describe` (the `show` command) and `find_entities` (`find`)."""
from __future__ import annotations

from collections import Counter
from itertools import groupby

import networkx as nx

from graph.errors import EspooNetError
from graph.interchange import entity_count
from graph.lookup import check_entity_kinds, normalize, relation_kinds_named, theme_id
from graph.model import as_of as view_as_of
from graph.model import index, is_active, is_one_off, relations_of, resolve, resolve_preferring_actors
from graph.schema import SCHEMA

__all__ = ["describe", "find_entities", "resolve_theme", "entity_summary"]


def resolve_theme(G: nx.Graph, word: str) -> str:
    """The theme id that `word` names in G's taxonomy (see `graph.lookup.theme_id`); a word that
    is no theme but names an entity says so, and what takes an entity."""
    def entity(word: str) -> str | None:
        try:  # no note: the word is not taken as this entity, only named in the message
            node, _ = resolve_preferring_actors(G, word)
        except EspooNetError:
            return None
        return (f"{word!r} is an entity ({G.nodes[node]['name']} [{node}]), not a theme: map and export take "
                f"--focus {node}, `espoo-net neighbours {node}` lists its ties; `espoo-net themes` lists the themes")
    return theme_id(G.graph.get("themes", {}), word, other=entity)


def entity_summary(G: nx.Graph, node: str) -> dict:
    d = G.nodes[node]
    return {"id": node, "kind": d["kind"], "name": d["name"], "country": d.get("country"), "themes": list(d.get("themes", []))}


def describe(G: nx.MultiDiGraph, query: str, *, as_of=None, include_inactive: bool = False,
             relations=(), kinds=()) -> dict:
    """One entity and its relations grouped by kind.

    Parameters
    ----------
    G : the network; query : id, name or alias; as_of : date of the view (today when None);
    include_inactive : also list ties that did not hold on that date; relations : only these
    relation kinds or families (`graph.lookup.relation_kinds_named`); kinds : only relations
    with entities of these kinds.

    Returns
    -------
    ``{"entity": {...all fields...}, "relations": [{"kind", "label", "relations": [...]}],
    "left_out": N, ...}``; each relation has other, other_name, direction (out|in), since, until,
    status, themes, note, sources and active; left_out counts those the filters left out.
    """
    node = resolve(G, query)
    check_entity_kinds(kinds)
    wanted = relation_kinds_named(relations) if relations else None
    shown = view_as_of(G, as_of, include_inactive=include_inactive)
    rows, left_out = [], 0
    for other, direction, d in relations_of(shown, node):
        if (wanted is not None and d["kind"] not in wanted) or (kinds and G.nodes[other]["kind"] not in kinds):
            left_out += 1
            continue
        rows.append({
            "kind": d["kind"], "other": other, "other_name": G.nodes[other]["name"], "direction": direction,
            "id": d["id"], "since": d["since"], "until": d["until"], "status": d["status"],
            "themes": d["themes"], "strength": d["strength"], "note": d["note"],
            "confidence": d["confidence"], "sources": d["sources"], "active": is_active(d, as_of, one_off=is_one_off(G, node, other)),
        })
    groups = [
        {"kind": kind, "label": SCHEMA.relation_kinds[kind].label, "relations": list(rs)}
        for kind, rs in groupby(rows, key=lambda r: r["kind"])
    ]
    entity = {"id": node, **G.nodes[node]}
    return {"entity": entity, "relations": groups, "left_out": left_out, "as_of": as_of, "include_inactive": include_inactive}


def find_entities(G: nx.Graph, text: str, *, kinds=(), countries=(), theme: str | None = None) -> list[dict]:
    """Entities whose id, name or alias contains `text`, or that carry a theme named `text`.

    ``kinds``, ``countries`` (ISO codes) and ``theme`` narrow the result. Sorted by name, then id.
    """
    hits = set(index(G).search(text)) if text else set(G.nodes)
    if text:
        try:
            tid = resolve_theme(G, text)
            hits |= {n for n, ts in G.nodes(data="themes") if tid in ts}
        except EspooNetError:
            pass
    if kinds:
        hits = {n for n in hits if G.nodes[n]["kind"] in kinds}
    if countries:
        hits = {n for n in hits if G.nodes[n].get("country") in countries}
    if theme:
        tid = resolve_theme(G, theme)
        hits = {n for n in hits if tid in G.nodes[n].get("themes", [])}
    return sorted((entity_summary(G, n) for n in hits), key=lambda h: (normalize(h["name"]), h["id"]))


def network_stats(G: nx.MultiDiGraph, as_of=None) -> dict:
    """Counts by entity kind, relation kind, recorded status, theme and country, and how many
    relations hold on the day (`graph.model.is_active`: that count is not the "active" status
    count, since unknown-status ties and recent meetings hold too, and dates decide in the past).
    Theme nodes (a tie may point at a theme: a contact person for integration) are counted apart."""
    live = view_as_of(G, as_of)
    entities = entity_count(G)
    theme_nodes = G.number_of_nodes() - entities
    entity_kinds = +(Counter(k for _, k in G.nodes(data="kind")) - Counter(theme=theme_nodes))  # +: no zero rows
    return {
        "entities": entities,
        "theme_nodes": theme_nodes,
        "relations": G.number_of_edges(),
        "active_relations": live.number_of_edges(),
        "holds": f"status active or unknown within their dates, and meetings of the last {SCHEMA.one_off_years:g} years"
                 if as_of is None else "their dates span the day, whatever their status is now",
        "as_of": as_of or "today",
        "entity_kinds": dict(sorted(entity_kinds.items())),
        "relation_kinds": dict(sorted(Counter(k for *_, k in G.edges(data="kind")).items())),
        "statuses": dict(sorted(Counter(s for *_, s in G.edges(data="status")).items())),
        "themes": dict(sorted(
            Counter(t for _, ts in G.nodes(data="themes") for t in ts).items(), key=lambda kv: (-kv[1], kv[0]))),
        "countries": dict(sorted(
            Counter(c for _, c in G.nodes(data="country") if c).items(), key=lambda kv: (-kv[1], kv[0]))),
    }
