"""The one home of the map's colours, shapes and edge styles, derived from the schema.

Every entity kind gets a colour and a shape, every relation kind a colour, a dash pattern and a
width, for the interactive map, the slide images and the GEXF export alike. Kinds named in the
tables below get a hand-picked style; a kind added to schema.yaml later still gets one, derived
from its position in the schema, so nothing is ever drawn unstyled.

Colours come from Paul Tol's colour-blind-safe palettes ("bright", "vibrant" and "muted"), and
each kind differs from its neighbours by shape too, so the legend reads without colour vision.

>>> from graph.style import node_style, edge_style
>>> node_style("city").shape, edge_style("twin_town").family
('dot', 'relationship')
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .schema import SCHEMA

__all__ = [
    "NodeStyle",
    "EdgeStyle",
    "node_style",
    "edge_style",
    "node_styles",
    "edge_styles",
    "CLUSTER_PALETTE",
    "OTHER_CLUSTERS",
    "UNCLUSTERED",
    "relation_family",
    "shared_activity_kinds",
    "families",
    "SHARED_ACTIVITY",
    "MPL_MARKERS",
    "HIGHLIGHT",
    "FADED_ALPHA",
    "BACKGROUND",
    "TEXT",
    "LAND",
    "LAND_EDGE",
    "rgb",
]

# Paul Tol's qualitative palettes (https://personal.sron.nl/~pault/), safe for the common forms
# of colour blindness.
BRIGHT = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
VIBRANT = ("#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311", "#009988", "#BBBBBB")
MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")

HIGHLIGHT = "#000000"  # a highlighted route: black stands out from every palette colour
FADED_ALPHA = 0.18  # what is not on a highlighted route fades to this opacity
BACKGROUND = "#FFFFFF"
TEXT = "#222222"
LAND, LAND_EDGE = "#F1F0EA", "#C9C7BD"  # the geographic map's countries: quiet, behind everything

# vis-network shape -> matplotlib marker, so the image draws what the HTML draws.
MPL_MARKERS = {
    "dot": "o", "square": "s", "diamond": "D", "triangle": "^", "triangleDown": "v",
    "star": "*", "hexagon": "h",
}


@dataclass(frozen=True)
class NodeStyle:
    kind: str
    label: str
    colour: str  # "#RRGGBB"
    shape: str  # a vis-network shape; MPL_MARKERS maps it for matplotlib


@dataclass(frozen=True)
class EdgeStyle:
    kind: str
    label: str
    colour: str
    dashes: bool | tuple[int, ...]  # False, or a vis-network dash pattern in pixels
    width: float  # from the kind's default tie strength: strong ties draw thicker
    arrow: bool  # directed kinds get an arrow head
    family: str = "relationship"  # the relation family (graph/schema.yaml), which the legend groups by
    family_label: str = ""


# Shape by what a kind is: places round, organisations square, activities diamonds. The group
# names come from schema.yaml; a kind outside them falls back to the spare shapes.
_GROUP_SHAPES = (("place", "dot"), ("organisation", "square"), ("activity", "diamond"))
_SPARE_SHAPES = ("triangle", "star", "hexagon", "triangleDown")

_KIND_COLOURS = {
    "city": BRIGHT[0], "region": BRIGHT[4], "country": "#999999",
    "university": BRIGHT[2], "institute": MUTED[6], "company": BRIGHT[1], "agency": BRIGHT[5], "network": VIBRANT[0],
    "project": BRIGHT[3], "agreement": MUTED[1], "event": MUTED[7],
    "person": VIBRANT[4], "theme": MUTED[5],
}
_KIND_SHAPES = {"person": "triangle", "theme": "star"}

# Relations are drawn by family (graph/schema.yaml `families`): the family's colour (at most
# about eight in a legend, each clearly apart for the common colour-vision deficiencies), the
# kinds inside a family told apart by dash pattern, the width set by the kind's default strength.
_DASHES: tuple[bool | tuple[int, ...], ...] = (False, (10, 4), (3, 3), (6, 4), (2, 4), (12, 3, 2, 3))
SHARED_ACTIVITY = "activity"  # the family of the ties a map draws in place of a small shared activity


def shared_activity_kinds() -> frozenset[str]:
    """The entity kinds that are shared activities (`activity: true` in the schema), whose
    participants a map may tie directly."""
    return SCHEMA.activity_kinds


def relation_family(kind: str) -> str:
    """The family of a relation kind, from the schema.

    >>> relation_family("located_in"), relation_family("party_to"), relation_family("twin_town")
    ('place', 'activity', 'relationship')
    """
    return SCHEMA.relation_kinds[kind].family


@lru_cache(maxsize=None)
def families() -> dict[str, tuple[str, str]]:
    """Every family of the schema, in schema order: {family: (legend label, colour)}."""
    return {name: (f.label, f.colour) for name, f in SCHEMA.families.items()}


def _shape_for(kind: str, index: int) -> str:
    if kind in _KIND_SHAPES:
        return _KIND_SHAPES[kind]
    for group, shape in _GROUP_SHAPES:
        if kind in SCHEMA.groups.get(group, ()):
            return shape
    return _SPARE_SHAPES[index % len(_SPARE_SHAPES)]


@lru_cache(maxsize=None)
def node_styles() -> dict[str, NodeStyle]:
    """The style of every entity kind in the schema, in schema order."""
    palette = MUTED + BRIGHT
    out = {}
    for i, (kind, spec) in enumerate(SCHEMA.entity_kinds.items()):
        colour = _KIND_COLOURS.get(kind, palette[i % len(palette)])
        out[kind] = NodeStyle(kind, spec.label, colour, _shape_for(kind, i))
    return out


@lru_cache(maxsize=None)
def edge_styles() -> dict[str, EdgeStyle]:
    """The style of every relation kind in the schema, in schema order: its family's colour, and
    a dash pattern by its place within the family."""
    out, seen = {}, Counter()
    looks = families()
    for kind, spec in SCHEMA.relation_kinds.items():
        family = spec.family
        dashes = _DASHES[seen[family] % len(_DASHES)]
        seen[family] += 1
        out[kind] = EdgeStyle(kind, spec.label, looks[family][1], dashes, round(0.5 + 2.0 * spec.strength, 2),
                              spec.directed, family, looks[family][0])
    return out


def node_style(kind: str) -> NodeStyle:
    """The style of an entity kind; raises KeyError for a kind the schema does not know."""
    return node_styles()[kind]


def edge_style(kind: str) -> EdgeStyle:
    """The style of a relation kind; raises KeyError for a kind the schema does not know."""
    return edge_styles()[kind]


# A map's cluster colours: Tol's muted palette and two of his vibrant colours, no two closer than
# 22 CIELAB units (sand and olive, the closest pair) nor close to the two greys below
# (tests/test_style.py checks it). Clusters beyond these are drawn in OTHER_CLUSTERS, one legend
# entry; entities in no cluster in UNCLUSTERED.
CLUSTER_PALETTE = MUTED + ("#EE7733", "#0077BB")
OTHER_CLUSTERS, UNCLUSTERED = "#666666", "#DDDDDD"


def rgb(colour: str) -> tuple[int, int, int]:
    """'#RRGGBB' as three integers 0..255."""
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
