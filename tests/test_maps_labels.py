"""Short labels on maps say what the full name says, and no two entities share one."""
from __future__ import annotations

import networkx as nx

from maps.drawing import short_label, short_labels
from maps.html import map_data
from maps.options import slide_options
from maps.view import build_view


def test_a_short_label_is_never_a_parent_or_another_language():
    # The bracket names the parent organisation, not this office; the shortest alias is Swedish.
    assert short_label("National Quantum Office of Singapore (A*STAR)", ["NQO", "A*STAR National Quantum Office"]) == "NQO"
    assert short_label("Helsinki-Uusimaa Regional Council Of Cities", ["Nylands förbund"]) == "Helsinki-Uusimaa Regional…"
    assert short_label("Armament Agency of the Polish Ministry of National Defence",
                       ["Agencja Uzbrojenia", "Polish Armament Agency"]) == "Polish Armament Agency"
    assert short_label("A*STAR – Agency for Science, Technology and Research (Singapore)",
                       ["A*STAR", "Agency for Science"]) == "A*STAR"
    assert short_label("Association of Finnish Local and Regional Authorities (Kuntaliitto)", ["Kuntaliitto"]) == "Kuntaliitto"


def test_two_names_cut_alike_keep_what_tells_them_apart_on_the_map():
    G = nx.MultiDiGraph()
    G.add_node("m1", kind="agreement", name="Espoo–Shanghai memorandum of understanding (1999)")
    G.add_node("m2", kind="agreement", name="Espoo–Shanghai memorandum of understanding (2010)")
    G.add_node("m3", kind="agreement", name="Espoo–Shanghai memorandum of understanding 2010–2015")
    G.add_node("c", kind="city", name="Espoo", lat=60.2, lon=24.7)
    for i, m in enumerate(["m1", "m2", "m3"]):
        G.add_edge("c", m, key=f"r{i}", kind="party_to")
    labels = short_labels(G)
    assert len(set(labels.values())) == 4
    assert labels["m1"].endswith("(1999)") and labels["m3"].endswith("2010–2015")
    shown = {n["id"]: n["label"] for n in map_data(build_view(G, slide_options(activities="nodes")))["nodes"]}
    assert shown == {n: labels[n] for n in shown}
