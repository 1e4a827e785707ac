"""Partner suggestions: who an entity should be talking to and is not.

Partners are the actors joined by a routeable tie holding on the day (`queries.routing`),
shared activities folded: the co-participants of an agreement, project, event or network are
partners, with the tie the routing graph gives them (weaker the more participants it has);
an activity itself is never a partner nor suggested.
Candidates are partners of partners that are not partners yet and have no relation of any kind
with the entity. When the entity has themes, a candidate must share at least one. The score
adds two parts:

common partners
    Adamic–Adar weighted by tie strength: for each partner w they share,
    ``strength(entity, w) × strength(w, candidate) / log(2 + partners of w)``. A common partner
    with few ties says more than a hub that knows everyone.
themes
    ``THEME_WEIGHT`` × the Jaccard overlap of the two entities' themes.

Only kinds one can partner with are suggested (`PARTNER_KINDS`), and, for an entity on our
side, nobody else on our side.
"""
from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from graph.errors import EspooNetError
from graph.model import as_of as view_as_of
from graph.model import resolve

from .routing import routing_graph

__all__ = ["suggest", "PARTNER_KINDS", "THEME_WEIGHT"]

PARTNER_KINDS = frozenset({"city", "region", "university", "institute", "company", "agency", "person"})
THEME_WEIGHT = 0.5


def _tied(G: nx.MultiDiGraph, node: str, as_of) -> set[str]:
    """Everyone `node` has a relation with on the day, of any kind."""
    live = view_as_of(G, as_of)
    return set(live.successors(node)) | set(live.predecessors(node))


def _partners(R: nx.Graph, x: str) -> dict[str, float]:
    """x's partners (actors) and the strength of each tie, co-participants of its activities included."""
    docs = R.graph["no_transit"]
    return {w: d["strength"] for w, d in R._adj[x].items() if w not in docs}


def suggest(G: nx.MultiDiGraph, entity: str, *, k: int = 10, as_of=None, kinds=None) -> dict:
    """Entities not yet tied to `entity` that share its themes and partners, ranked, with reasons.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The network.
    entity : str
        Id, name or alias.
    k : int
        How many suggestions (default 10).
    as_of : date or ISO date, optional
        The network as it stood that day (default today).
    kinds : iterable of str, optional
        Entity kinds to suggest (default `PARTNER_KINDS`).

    Returns
    -------
    dict
        ``{"entity", "name", "as_of", "suggestions": [{"id", "name", "kind", "country", "score",
        "shared_themes", "common", "common_names", "reason"}]}``, best first.

    Examples
    --------
    >>> [s["id"] for s in suggest(G, "iqm", k=3)["suggestions"]]  # doctest: +SKIP
    ['vtt', 'csc', 'lrz']
    """
    if k < 1:
        raise EspooNetError(f"k must be at least 1, not {k}")
    e = resolve(G, entity)
    kinds = PARTNER_KINDS if kinds is None else frozenset(kinds)
    R = routing_graph(G, as_of=as_of)
    mine_partners = _partners(R, e)
    exclude = _tied(G, e, as_of) | set(mine_partners) | {e}
    if G.nodes[e].get("home"):
        exclude |= set(R.graph["home"])
    mine = set(G.nodes[e].get("themes") or ())
    score: dict[str, float] = defaultdict(float)
    common: dict[str, list[str]] = defaultdict(list)
    for w, s1 in mine_partners.items():
        theirs = _partners(R, w)
        weight = s1 / math.log(2 + len(theirs))
        for c, s2 in theirs.items():
            if c not in exclude and G.nodes[c]["kind"] in kinds:
                score[c] += weight * s2
                common[c].append(w)
    rows = []
    for c, base in score.items():
        theirs = set(G.nodes[c].get("themes") or ())
        shared = sorted(mine & theirs)
        if mine and not shared:
            continue
        overlap = len(shared) / len(mine | theirs) if shared else 0.0
        rows.append((base + THEME_WEIGHT * overlap, c, shared))
    rows.sort(key=lambda r: (-round(r[0], 9), r[1]))
    return {
        "entity": e, "name": G.nodes[e]["name"], "as_of": as_of,
        "suggestions": [_row(G, c, s, shared, sorted(common[c])) for s, c, shared in rows[:k]],
    }


def _row(G, c: str, score: float, shared: list[str], via: list[str]) -> dict:
    names = [G.nodes[w]["name"] for w in via]
    reason = []
    if shared:
        reason.append("shares " + ", ".join(shared))
    reason.append("both tied to " + ", ".join(names))
    d = G.nodes[c]
    return {"id": c, "name": d["name"], "kind": d["kind"], "country": d.get("country"), "score": round(score, 6),
            "shared_themes": shared, "common": via, "common_names": names, "reason": "; ".join(reason)}
