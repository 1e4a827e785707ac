"""The slide image's markers and labels: how big a marker is, where each label goes, and what
the slide could not name (which its caption then says).

Labels never overlap one another, never cover another entity's marker (with a small margin, so a
label is not read as its neighbour's) and never leave the map's area; the HTML map's labels.js
follows the same rule, in the same order of places (`drawing.LABEL_PLACES`).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from graph.style import TEXT

from .drawing import CORNER, LABEL_PLACES, essential_labels, label_candidates, short_labels
from .view import MapView

__all__ = ["radius", "scale_sizes", "draw_labels", "SlideLabels", "MARGIN", "NAMED_IN_CAPTION"]

MARGIN = 6.0  # pixels kept free between a label and any other entity's marker
EDGE = 2.2  # points: the widest marker edge (our side, a route), which a label must not touch either
NAMED_IN_CAPTION = 15  # up to this many unlabelled entities are named in the caption; beyond, counted


def radius(view: MapView, node: str) -> float:
    """Marker size in points, from the same weight that sizes the node in the HTML map; capped,
    so that a hub does not cover its neighbours."""
    return 6 + 16 * view.weight(node)


def scale_sizes(n: int) -> float:
    """Marker scale: smaller markers as the map grows, so a large map is not one blot."""
    return min(1.0, math.sqrt(250 / max(n, 1)))


@dataclass
class SlideLabels:
    """What `draw_labels` did: the text artists drawn, the entities left unnamed (in label order)
    and those whose marker lies under a bigger one ({node: the node over it})."""

    drawn: list = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    covered: dict[str, str] = field(default_factory=dict)

    def caption(self, view: MapView) -> str:
        """The caption's sentence on what the slide does not name, or ''."""
        G, names = view.graph, short_labels(view.graph)
        bits = []
        if len(self.covered) > NAMED_IN_CAPTION:
            bits.append(f"{len(self.covered)} entities drawn under another marker")
        elif self.covered:
            under = [f"{names[n]} (under {names[m]})" for n, m in sorted(self.covered.items(),
                                                                           key=lambda nm: names[nm[0]])]
            bits.append("Drawn under another marker: " + ", ".join(under))
        rest = [n for n in self.unlabelled if n not in self.covered]
        if rest and len(rest) <= NAMED_IN_CAPTION:
            bits.append("Not labelled (no room): " + ", ".join(sorted(names[n] for n in rest)))
        elif rest:
            bits.append(f"{len(rest)} of {G.number_of_nodes()} entities not labelled (no room; "
                        "the HTML map names them on hover)")
        return ". ".join(bits)


def node_boxes(ax, fig, view: MapView, nodes: list[str]):
    """Each node's marker as a box in display pixels, its edge included: (x0, y0, x1, y1) rows of
    a numpy array. A star is drawn 1.6 times the area of the other shapes."""
    import numpy as np

    k = scale_sizes(view.graph.number_of_nodes()) * fig.dpi / 72
    xy = ax.transData.transform([view.positions[n] for n in nodes])
    stars = np.array([1.27 if view.graph.nodes[n].get("kind") == "theme" else 1.0 for n in nodes])
    r = np.array([radius(view, n) * k / 2 for n in nodes]) * stars + EDGE * fig.dpi / 72 / 2
    return np.column_stack([xy[:, 0] - r, xy[:, 1] - r, xy[:, 0] + r, xy[:, 1] + r])


def _covered(view: MapView, nodes: list[str], boxes) -> dict[str, str]:
    """Nodes whose marker's centre lies inside a bigger (or as big, first by id) marker: {node:
    the node over it}. Compared on a grid of cells as wide as the biggest marker."""
    if len(nodes) < 2:
        return {}
    cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    r = (boxes[:, 2] - boxes[:, 0]) / 2
    cell = max(float(r.max()), 1.0)
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        grid[(int(cx[i] // cell), int(cy[i] // cell))].append(i)
    out: dict[str, str] = {}
    for i in range(len(nodes)):
        gx, gy = int(cx[i] // cell), int(cy[i] // cell)
        best = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((gx + dx, gy + dy), ()):
                    if j == i or (r[j], -j) <= (r[i], -i):
                        continue  # only a bigger marker (or as big, earlier by id) hides one
                    inner = max(r[j] - EDGE, 1.0)
                    if (cx[i] - cx[j]) ** 2 + (cy[i] - cy[j]) ** 2 < inner * inner and (best is None or r[j] > r[best]):
                        best = j
        if best is not None:
            out[nodes[i]] = nodes[best]
    return out


def _label_places(r: float) -> list:
    """Where a label is tried, in order (`drawing.LABEL_PLACES`, the HTML map's order too): below
    its node, above, right, left, then the four corners (a ring of entities at one place leaves
    room there). Each as (offset in points, horizontal alignment, vertical alignment)."""
    ha = {1: "left", 0: "center", -1: "right"}
    va = {1: "bottom", 0: "center", -1: "top"}
    return [((x * r * (CORNER if x and y else 1), y * r * (CORNER if x and y else 1)), ha[x], va[y])
            for x, y in LABEL_PLACES]


def draw_labels(ax, fig, view: MapView) -> SlideLabels:
    """Labels that never overlap: tried in `label_candidates` order, each below its node, else
    above, right, left or at a corner (`_label_places`); a label that would touch a label already
    placed, come within MARGIN pixels of another node's marker or leave the map's area is left out
    (the HTML map names it on hover), but an essential one that finds no place free of nodes takes
    the first place that touches no label. The HTML map's labels.js follows the same rule."""
    import numpy as np

    G, pos = view.graph, view.positions
    renderer = fig.canvas.get_renderer()
    area = ax.get_window_extent(renderer)
    k = scale_sizes(G.number_of_nodes())
    nodes = sorted(G.nodes)
    boxes = node_boxes(ax, fig, view, nodes)
    near = boxes + np.array([-MARGIN, -MARGIN, MARGIN, MARGIN])  # other nodes, with the margin kept free
    at = {n: i for i, n in enumerate(nodes)}
    placed: list = []
    out = SlideLabels(covered=_covered(view, nodes, boxes))
    # A white backing box rather than a stroke effect: path effects turn text into outlines,
    # and slide text must stay editable (<text> in SVG, fonts in PDF).
    halo = {"boxstyle": "square,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}

    def free(box, own: int | None, over_nodes: bool = False) -> bool:
        if not (area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1):
            return False
        if any(box.overlaps(b) for b in placed):
            return False
        if over_nodes:  # an essential label may cover nodes, never another label
            return True
        hit = (near[:, 0] < box.x1) & (near[:, 2] > box.x0) & (near[:, 1] < box.y1) & (near[:, 3] > box.y0)
        if own is not None:
            hit[own] = False
        return not bool(np.any(hit))

    essential = set(essential_labels(view))
    labels = short_labels(G)
    tried = label_candidates(view)
    for n in tried:
        imp = view.importance.get(n, 0.0)
        r = radius(view, n) * k / 2 + 2
        text = labels[n]
        bold = imp > 0.6 or n in view.route or n in view.highlights
        # Every place free of nodes first; only then may an essential label cover nodes (as on the HTML map).
        tries = [(p, False) for p in _label_places(r)] + [(p, True) for p in _label_places(r) if n in essential]
        for (offset, ha, va), over_nodes in tries:
            t = ax.annotate(text, pos[n], xytext=offset, textcoords="offset points", ha=ha, va=va,
                            fontsize=min(14.0, 9 + 5 * imp), color=TEXT, zorder=6, bbox=halo,
                            fontweight="bold" if bold else "normal")
            box = t.get_window_extent(renderer).expanded(1.04, 1.08)
            if free(box, at[n], over_nodes=over_nodes):
                placed.append(box)
                out.drawn.append(t)
                break
            t.remove()
        else:
            out.unlabelled.append(n)
    named = set(tried)
    out.unlabelled += [n for n in sorted(G.nodes, key=lambda m: (-view.importance.get(m, 0.0), m)) if n not in named]
    out.drawn.extend(_draw_tie_labels(ax, view, renderer, free, placed, halo))
    return out


def _draw_tie_labels(ax, view: MapView, renderer, free, placed: list, halo) -> list:
    """The names of the activities drawn as ties, at the middle of their tie, where they fit."""
    G, pos, drawn = view.graph, view.positions, []
    for u, v, k, label in sorted(G.edges(keys=True, data="label"), key=lambda e: e[2]):
        if not label:
            continue
        mid = ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2)
        t = ax.annotate(label, mid, ha="center", va="center", fontsize=8, fontstyle="italic", color="#444444",
                        zorder=5, bbox=halo)
        box = t.get_window_extent(renderer).expanded(1.04, 1.08)
        if free(box, None):
            placed.append(box)
            drawn.append(t)
        else:
            t.remove()
    return drawn
