"""What the HTML map and the slide images draw alike: how parallel ties bend, how long a label is."""
from __future__ import annotations

import re

import networkx as nx

__all__ = ["parallel_bends", "short_label"]


def parallel_bends(G: nx.MultiDiGraph) -> dict[str, tuple[int, float]]:
    """How each relation bends so that parallel ties stay apart: {relation id: (side, roundness)}.

    Of several ties between one pair (either direction), sorted by id, the first is straight
    (side 0), the next bend to alternate sides (+1 clockwise, -1 anticlockwise, seen from their
    own source), further out each time; a tie running the other way flips its side, so all of
    them stay apart. The HTML map and the image draw the same bends.
    """
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for u, v, k in G.edges(keys=True):
        pairs.setdefault((u, v) if u < v else (v, u), []).append((k, u))
    out = {}
    for (lo, _), ties in pairs.items():
        if len(ties) == 1:
            out[ties[0][0]] = (0, 0.0)
            continue
        for i, (k, u) in enumerate(sorted(ties)):
            side = 0 if i == 0 else (1 if (i % 2 == 1) == (u == lo) else -1)
            out[k] = (side, round(0.18 * ((i + 1) // 2), 2))
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
