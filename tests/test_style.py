"""The map's styles: every kind in the schema has one, and they can be told apart."""
from __future__ import annotations

import re

import pytest

from graph import style
from graph.schema import SCHEMA, EntityKind, RelationKind

HEX = re.compile(r"^#[0-9A-F]{6}$")
TOL = {c for palette in (style.BRIGHT, style.VIBRANT, style.MUTED) for c in palette}


def test_every_entity_kind_has_a_node_style():
    assert list(style.node_styles()) == list(SCHEMA.entity_kinds)
    for kind, st in style.node_styles().items():
        assert st.label == SCHEMA.entity_kinds[kind].label
        assert HEX.match(st.colour) and st.shape in style.MPL_MARKERS


def test_every_relation_kind_has_an_edge_style():
    assert list(style.edge_styles()) == list(SCHEMA.relation_kinds)
    for kind, st in style.edge_styles().items():
        rk = SCHEMA.relation_kinds[kind]
        assert st.label == rk.label and st.arrow == rk.directed
        assert HEX.match(st.colour)
        assert st.dashes is False or all(isinstance(x, int) and x > 0 for x in st.dashes)


def test_entity_kinds_differ_by_colour_and_shape():
    looks = [(st.colour, st.shape) for st in style.node_styles().values()]
    assert len(set(looks)) == len(looks)
    assert len({st.colour for st in style.node_styles().values()}) == len(looks)


def test_shapes_follow_the_schema_groups():
    shapes = {k: st.shape for k, st in style.node_styles().items()}
    assert {shapes[k] for k in SCHEMA.groups["place"]} == {"dot"}
    assert {shapes[k] for k in SCHEMA.groups["organisation"]} == {"square"}
    assert {shapes[k] for k in SCHEMA.groups["activity"]} == {"diamond"}
    assert shapes["person"] == "triangle" and shapes["theme"] == "star"


def test_colours_come_from_colour_blind_safe_palettes():
    greys = {"#999999", "#AAAAAA", "#BBBBBB"}
    for st in (*style.node_styles().values(), *style.edge_styles().values()):
        assert st.colour in TOL | greys, st


def test_stronger_ties_draw_thicker():
    # party_to (0.8) > twin_town (0.7) > partner_in (0.5) > member_of (0.3) > located_in (0.1)
    w = {k: st.width for k, st in style.edge_styles().items()}
    assert w["party_to"] > w["twin_town"] > w["partner_in"] > w["member_of"] > w["located_in"]


def test_a_kind_added_to_the_schema_gets_a_style(monkeypatch):
    monkeypatch.setitem(SCHEMA.entity_kinds, "museum", EntityKind("museum", "Museum", "Museums", ""))
    monkeypatch.setitem(SCHEMA.relation_kinds, "lends_to", RelationKind(
        "lends_to", "lends to", "money", True, 0.4, True, False, False, ("{s} lends to {t}", "{s} lent to {t}"), None,
        frozenset({"museum"}), frozenset({"museum"}), ""))
    style.node_styles.cache_clear()
    style.edge_styles.cache_clear()
    try:
        assert style.node_style("museum").shape in style.MPL_MARKERS
        assert HEX.match(style.node_style("museum").colour)
        assert style.edge_style("lends_to").arrow is True
        assert style.edge_style("lends_to").colour == style.edge_style("funds").colour  # its family's
    finally:
        style.node_styles.cache_clear()
        style.edge_styles.cache_clear()


def test_unknown_kinds_raise():
    with pytest.raises(KeyError):
        style.node_style("spaceship")


@pytest.mark.parametrize("colour, expected", [("#4477AA", (68, 119, 170)), ("#000000", (0, 0, 0)), ("FFFFFF", (255, 255, 255))])
def test_rgb(colour, expected):
    assert style.rgb(colour) == expected


def test_relations_are_grouped_in_a_few_families():
    fams = style.families()
    assert len(fams) <= 8 and list(fams)[:1] == ["relationship"]
    assert len({c for _, c in fams.values()}) == len(fams)  # one clearly different colour per family
    assert style.relation_family("located_in") == "place" and style.relation_family("party_to") == "activity"
    for st in style.edge_styles().values():
        assert st.colour == fams[st.family][1]


def test_relation_kinds_take_their_familys_colour_and_differ_within_it():
    styles = style.edge_styles()
    for family in SCHEMA.families:
        kinds = [k for k, rk in SCHEMA.relation_kinds.items() if rk.family == family]
        assert len({styles[k].colour for k in kinds}) == 1, family
        assert len({styles[k].dashes for k in kinds}) == min(len(kinds), 6), family
        assert {styles[k].family_label for k in kinds} == {SCHEMA.families[family].label}
    assert len({styles[k].colour for k in ("twin_town", "owned_by", "party_to", "funds", "located_in")}) == 5
