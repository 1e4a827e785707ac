"""What the HTML map and the slide images draw alike: how parallel ties bend, how long a label is,
in which order nodes get their labels."""
from __future__ import annotations

import re

import networkx as nx

from graph.schema import SCHEMA

__all__ = ["parallel_bends", "short_label", "short_labels", "label_candidates", "essential_labels", "MAX_LABELS",
           "LABEL_PLACES", "CORNER"]


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


_WORD = re.compile(r"[\w*&+!-]+")
_MINOR = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "&", "–", "-"})


def _own(alias: str, name: str) -> bool:
    """Whether an alias says what the name says, rather than something else: at least half of
    its words are the name's own words or acronyms of the name's words (KNUT, NQO, ICLC 2015,
    Polish Armament Agency). A name in another language (Nylands förbund) or a parent's name
    (A*STAR for its quantum office) is not, and would confuse a reader of the map."""
    words = set(_WORD.findall(name.casefold()))
    major = [w for w in _WORD.findall(name.casefold()) if w not in _MINOR]

    def acronym(word: str) -> bool:
        # Its letters in order from the name's main words, starting with the first word's
        # initial: KNUT, NQO, and CBIST (Chung-Buk Innovation… Science and Technology), but
        # not A*STAR for the National Quantum Office.
        letters = [c for c in word.casefold() if c.isalpha()]
        if not (2 <= len(letters) <= 10 and sum(c.isupper() for c in word) >= 2) or not major:
            return False
        if letters[0] != major[0][0]:
            return False
        it = iter("".join(major))
        return all(c in it for c in letters)

    mine = _WORD.findall(alias)
    return bool(mine) and 2 * sum(w.casefold() in words or acronym(w) for w in mine) >= len(mine)


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
        while " " in head and head.rsplit(" ", 1)[1].casefold() in _MINOR:  # not "memorandum of…"
            head = head.rsplit(" ", 1)[0]
    return head.rstrip(" –-,;:") + "…"


def short_label(name: str, aliases: list[str] | tuple[str, ...] = (), limit: int = 32) -> str:
    """A name short enough to print on a map; the full name stays in the tooltip and search.

    In order: the name without a trailing bracket; that bracket when it is the entity's own
    short name (one of its aliases, or an acronym of the name); the shortest alias in the name's
    script that says what the name says (`_own`: an acronym of it or mostly its words, never
    another language's name or a parent's); the name cut at a word with an ellipsis.

    >>> short_label("Chungcheongbuk-do (Chungbuk Province)")
    'Chungcheongbuk-do'
    >>> short_label("International Association of Educating Cities (IAEC)", ["AICE"])
    'IAEC'
    >>> short_label("Korea National University of Transportation", ["한국교통대학교", "KNUT"])
    'KNUT'
    >>> short_label("National Quantum Office of Singapore (A*STAR)", ["A*STAR National Quantum Office", "NQO"])
    'NQO'
    >>> short_label("Chungbuk Innovation Institute of Science and Technology (CBIST)")
    'CBIST'
    >>> short_label("Armament Agency of the Polish Ministry of National Defence", ["Agencja Uzbrojenia", "Polish Armament Agency"])
    'Polish Armament Agency'
    >>> short_label("Helsinki-Uusimaa Regional Council", ["Nylands förbund"], limit=30)
    'Helsinki-Uusimaa Regional…'
    """
    m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", name)
    bare, bracket = (m.group(1).strip(), m.group(2).strip()) if m and len(m.group(1).strip()) >= 3 else (name, "")
    if len(bare) <= limit:
        return bare
    if 2 <= len(bracket) <= limit and (bracket in aliases or re.fullmatch(r"[A-Za-z][A-Za-z0-9&!./+*-]{1,11}", bracket)
                                         and _own(bracket, bare)):
        return bracket  # the entity's own short name such as IAEC or Kuntaliitto, not a parent, place or date
    same_script = [a for a in aliases if 2 <= len(a) <= limit and _latin(a) == _latin(name) and _own(a, bare)]
    if same_script:
        return min(same_script, key=lambda a: (len(a), a))
    return _cut(bare, limit)


def short_labels(G: nx.MultiDiGraph, limit: int = 32) -> dict[str, str]:
    """Every node's `short_label`, none shared by two nodes: where shortening made two names one
    (two memoranda cut before their years), each keeps what tells it apart (its bracket or its
    last word) after the cut, else its full name.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="Espoo–Shanghai memorandum of understanding (1999)")
    >>> G.add_node("b", name="Espoo–Shanghai memorandum of understanding 2010–2015")
    >>> sorted(short_labels(G).values())
    ['Espoo–Shanghai memorandum… (1999)', 'Espoo–Shanghai memorandum… 2010–2015']
    """
    out = {n: short_label(d.get("name") or n, d.get("aliases") or [], limit) for n, d in G.nodes(data=True)}
    by_label: dict[str, list[str]] = {}
    for n, label in out.items():
        by_label.setdefault(label, []).append(n)
    for label, nodes in by_label.items():
        if len(nodes) < 2:
            continue
        for n in nodes:
            name = G.nodes[n].get("name") or n
            m = re.match(r"^(.*?)\s*(\([^()]*\))\s*$", name)
            if m:  # what the bracket says: a year, a place
                body, tail = m.group(1), m.group(2)
            else:  # the last word
                body, _, tail = name.rpartition(" ")
            out[n] = _cut(body, limit - 2) + " " + tail if body and tail else name
        if len({out[n] for n in nodes}) < len(nodes):
            for n in nodes:
                out[n] = G.nodes[n].get("name") or n
    return out


# Where a label is tried around its node, in order (the slide image and the HTML map alike; the
# HTML map's labels.js holds the same list, and a test checks that it does): below, above, right,
# left, then the four corners, upper right first (a ring of entities at one place leaves room
# there). Each place is the side (x, y) the label stands on, y upwards: 1 right of or above the
# node, -1 left of or below it, 0 centred on it. At a corner the label's own corner stands
# CORNER of the node's radius out on the diagonal, close to a round marker.
LABEL_PLACES = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
CORNER = 0.7

MAX_LABELS = 400  # labels tried on one image; beyond this many nodes, the rest stay unnamed


ESSENTIAL_HUBS = 3  # the biggest hubs are always named, whatever nodes their label covers
ESSENTIAL_HOME = 2  # and the biggest hubs of our own side (a country's view: who on our side holds its ties)
ESSENTIAL_THEMES = 3  # a theme drawn as a node (a star: a person's contact topic) is named, up to this many


def essential_labels(view) -> list[str]:
    """The entities a map always names (their label may cover other nodes, never another label):
    the route, the highlights, the focus of the view, its biggest hubs, our side's biggest hubs and
    the themes drawn as nodes (a star alone says nothing)."""
    G = view.graph
    focus = view.options.focus
    focus_id = next((n for n in G if n == focus or G.nodes[n].get("name") == focus), None) if focus else None
    # The hubs always named are actors: a big event's label may cover the partners around it,
    # and a partner is what the slide is about.
    activities = SCHEMA.activity_kinds
    ranked = sorted((m for m in G.nodes if G.nodes[m].get("kind") not in activities),
                    key=lambda m: (-view.importance.get(m, 0.0), m))
    themes = sorted(n for n, k in G.nodes(data="kind") if k == "theme")[:ESSENTIAL_THEMES]
    ours = [m for m in ranked if G.nodes[m].get("home")][:ESSENTIAL_HOME]
    return list(dict.fromkeys([*view.route, *sorted(view.highlights), *([focus_id] if focus_id else []),
                               *ranked[:ESSENTIAL_HUBS], *ours, *themes]))


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
