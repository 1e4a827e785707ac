"""What the HTML map and the slide images draw alike: how parallel ties bend, how long a label is,
in which order nodes get their labels."""
from __future__ import annotations

import re

import networkx as nx

__all__ = ["parallel_bends", "short_label", "label_candidates", "essential_labels", "MAX_LABELS"]


def parallel_bends(G: nx.MultiDiGraph, arcs: bool = False) -> dict[str, tuple[int, float]]:
    """How each relation bends so that parallel ties stay apart: {relation id: (side, roundness)}.

    Of several ties between one pair (either direction), sorted by id, the first is straight
    (side 0), the next bend to alternate sides (+1 clockwise, -1 anticlockwise, seen from their
    own source), further out each time; a tie running the other way flips its side, so all of
    them stay apart. The HTML map and the image draw the same bends. With `arcs` (the
    geographic map) a lone tie bends too, so ties read as arcs between places.
    """
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for u, v, k in G.edges(keys=True):
        pairs.setdefault((u, v) if u < v else (v, u), []).append((k, u))
    out = {}
    for (lo, _), ties in pairs.items():
        if len(ties) == 1:
            out[ties[0][0]] = (1 if ties[0][1] == lo else -1, 0.2) if arcs else (0, 0.0)
            continue
        for i, (k, u) in enumerate(sorted(ties)):
            j = i + 1 if arcs else i  # on arcs even the first tie bends
            side = 0 if j == 0 else (1 if (j % 2 == 1) == (u == lo) else -1)
            out[k] = (side, round(0.18 * ((j + 1) // 2) + (0.02 if arcs else 0.0), 2))
    return out


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text if c.isalpha())


def short_label(name: str, aliases: list[str] | tuple[str, ...] = (), limit: int = 32) -> str:
    """A name short enough to print on a map; the full name stays in the tooltip and search.

    In order: the name without a trailing bracket; an acronym in that bracket; the shortest
    alias in the name's script; the name cut with an ellipsis.

    >>> short_label("Chungcheongbuk-do (Chungbuk Province)")
    'Chungcheongbuk-do'
    >>> short_label("International Association of Educating Cities (IAEC)", ["AICE"])
    'IAEC'
    >>> short_label("Korea National University of Transportation", ["한국교통대학교", "KNUT"])
    'KNUT'
    """
    m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", name)
    bare, bracket = (m.group(1).strip(), m.group(2).strip()) if m and len(m.group(1).strip()) >= 3 else (name, "")
    if len(bare) <= limit:
        return bare
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9&!./+-]{1,11}", bracket) and sum(c.isupper() for c in bracket) >= 2:
        return bracket  # an acronym such as IAEC or FQCF/QINSA, not a place or a date
    same_script = [a for a in aliases if 3 <= len(a) <= limit and _latin(a) == _latin(name)]
    if same_script:
        return min(same_script, key=lambda a: (len(a), a))
    return bare[: limit - 1].rstrip() + "…"


MAX_LABELS = 400  # labels tried on one image; beyond this many nodes, the rest stay unnamed


ESSENTIAL_HUBS = 3  # the biggest hubs are always named, whatever nodes their label covers


def essential_labels(view) -> list[str]:
    """The entities a map always names (their label may cover other nodes, never another label):
    the route, the highlights, the focus of the view and its biggest hubs."""
    G = view.graph
    focus = view.options.focus
    focus_id = next((n for n in G if n == focus or G.nodes[n].get("name") == focus), None) if focus else None
    ranked = sorted(G.nodes, key=lambda m: (-view.importance.get(m, 0.0), m))
    return list(dict.fromkeys([*view.route, *sorted(view.highlights), *([focus_id] if focus_id else []),
                               *ranked[:ESSENTIAL_HUBS]]))


def label_candidates(view, limit: int | None = None) -> list[str]:
    """Nodes to label, in the order they are tried: the highlighted route, the highlights and our
    own side's hubs first, then the rest by importance (size order); at most `limit`."""
    G = view.graph
    limit = limit if limit is not None else MAX_LABELS
    ranked = sorted(G.nodes, key=lambda m: (-view.importance.get(m, 0.0), m))
    first = essential_labels(view) + [m for m in ranked[:10] if G.nodes[m].get("home")]
    out = dict.fromkeys(first)  # insertion-ordered, and a set: no list scans on a large map
    for m in ranked:
        if len(out) >= max(limit, len(first)):
            break
        out.setdefault(m)
    return list(out)
