"""The slide image's legend: the entity kinds, the clusters, and every line the map draws.

A relation family is one colour; the kinds inside it are told apart by dash pattern
(`graph.style.edge_styles`). The legend shows each (colour, dash pattern) the map draws, with the
kinds it stands for, so that a dashed line reads as "sister city", never as "weaker" or "ended".
"""
from __future__ import annotations

import textwrap
from collections import Counter

from graph.style import HIGHLIGHT, MPL_MARKERS, edge_styles, families, node_styles

from .actors import family_of
from .view import MapView

__all__ = ["legend", "legend_sections", "line_entries", "KIND_NOTES", "dash_of"]

# What a kind's legend entry adds to its label, where the label alone does not say it.
KIND_NOTES = {"theme": "a contact person's topic"}
WRAP = 34  # characters on one legend line


def dash_of(kind: str, family: str):
    """The matplotlib line style the map draws a relation of `kind` drawn under `family` with."""
    st = edge_styles()[kind]
    return (0, tuple(x / 2 for x in st.dashes)) if st.dashes and family == st.family else "solid"


def line_entries(view: MapView) -> list[tuple[str, str, object, int]]:
    """The lines the map draws, in the schema's order of families and kinds: (label, colour, line
    style, count). A family drawn in one solid line is one entry ("Money (3)"); otherwise each of its
    dash patterns is one, named by its kinds ("Relationships: sister city (2)")."""
    counts = Counter((family_of(d), d["kind"]) for *_, d in view.graph.edges(data=True))
    order = list(edge_styles())
    out = []
    for fam, (label, colour) in families().items():
        kinds = sorted((k for f, k in counts if f == fam), key=order.index)
        if not kinds:
            continue
        styles: dict = {}
        for k in kinds:
            styles.setdefault(dash_of(k, fam), []).append(k)
        if list(styles) == ["solid"]:
            out.append((label, colour, "solid", sum(counts[(fam, k)] for k in kinds)))
            continue
        for style, ks in styles.items():
            names = ", ".join(edge_styles()[k].label for k in ks)
            out.append((f"{label}: {names}", colour, style, sum(counts[(fam, k)] for k in ks)))
    return out


def legend_sections(view: MapView) -> list[tuple[str, list, int]]:
    """The legend's sections: (title, handles, columns)."""
    from matplotlib.lines import Line2D

    G = view.graph
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    grey = "#888888"

    def named(st) -> str:
        note = KIND_NOTES.get(st.kind)
        return f"{st.label} ({note}) ({kinds[st.kind]})" if note else f"{st.label} ({kinds[st.kind]})"

    node_handles = [Line2D([], [], linestyle="none", marker=MPL_MARKERS.get(st.shape, "o"), markersize=10,
                           markerfacecolor=grey if view.clusters else st.colour, markeredgecolor="white",
                           label=textwrap.fill(named(st), WRAP))
                    for k, st in node_styles().items() if kinds[k]]
    edge_handles = [Line2D([], [], color=colour, linewidth=2.0, linestyle=style,
                           label=textwrap.fill(f"{label} ({n})", WRAP))
                    for label, colour, style, n in line_entries(view)]
    sections = []
    if view.route:
        label = textwrap.fill(view.route_label, WRAP)
        sections.append(("Highlighted", [Line2D([], [], color=HIGHLIGHT, linewidth=4, label=label)], 1))
    sections.append(("Entities", node_handles, 1))
    if view.clusters:
        handles = [Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor=c["colour"],
                          markeredgecolor="#555555" if c.get("other") else "white",
                          label=_short_cluster(c["label"]) + f" ({c['size']})")
                   for c in view.clusters]
        sections.append(("Clusters", handles, 1 if len(handles) <= 24 else 2))
    sections.append(("Relations (line style: kind)", edge_handles, 1))
    return sections


def legend(fig, view: MapView) -> list:
    """The whole legend, stacked in the right-hand column; the font shrinks until every entry
    fits above the caption (a legend is never cut off). Returns the matplotlib legends."""
    sections = legend_sections(view)
    renderer = fig.canvas.get_renderer()
    rows = sum(sum(h.get_label().count("\n") + 1 for h in hs) / c + 2 for _, hs, c in sections)
    font = 12 if rows <= 40 else max(6.0, 12 * 40 / rows)
    while True:
        legends, y = [], 0.90
        for title, handles, cols in sections:  # stacked: each section starts below the last one drawn
            if not handles:
                continue
            leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.795, y), frameon=False,
                             fontsize=font, title=title, title_fontproperties={"weight": "bold", "size": font + 1},
                             alignment="left", handlelength=2.6, borderaxespad=0, labelspacing=0.35, ncols=cols,
                             columnspacing=0.8)
            leg.set_in_layout(False)
            legends.append(leg)
            y = leg.get_window_extent(renderer).y0 / fig.bbox.height - 0.025
        right = max(lg.get_window_extent(renderer).x1 for lg in legends) / fig.bbox.width
        if (y >= 0.05 and right <= 0.998) or font <= 6.0:
            return legends
        for lg in legends:
            lg.remove()
        font = max(6.0, font * 0.92)


def _short_cluster(label: str, width: int = 36) -> str:
    """A cluster's legend name within `width`: whole, else its hub without the themes ("3: around
    Neste Oyj"), else cut at a word with an ellipsis (never textwrap's "[...]").

    >>> _short_cluster("4: around Chungbuk — Quantum technologies, Semiconductors")
    '4: around Chungbuk'
    >>> _short_cluster("6: around VTT — Research")
    '6: around VTT — Research'
    """
    if len(label) <= width:
        return label
    hub = label.split(" — ")[0]
    return hub if len(hub) <= width else textwrap.shorten(hub, width, placeholder="…")
