"""The routing graph built one entity at a time (`queries.localties`) is the full build's
(`queries.ties`): the same ties, with the same values, in the same order, for every entity, on
the bundled data and on a generated network, on any day, theme and with inactive ties."""
import datetime as dt

import pytest

from bench.generate import generate
from graph.model import build_graph
from queries.localties import local_routing
from queries.ties import build_routing_graph

VIEWS = [(dt.date(2026, 1, 1), None, False), (dt.date(2019, 6, 1), None, True)]


def _same_rows(G, day, theme, inactive):
    full = build_routing_graph(G, day, theme, inactive)
    local = local_routing(G, day, theme, inactive)
    for node in G:
        assert list(local._adj[node].items()) == list(full._adj[node].items()), node
    assert local.graph["home"] == full.graph["home"]
    assert local.graph["no_transit"] == full.graph["no_transit"]


@pytest.mark.parametrize("day, theme, inactive", VIEWS)
def test_generated_network(day, theme, inactive):
    G = build_graph(generate(1500, degree=12, seed=11))
    _same_rows(G, day, theme, inactive)
    theme = next(iter(G.graph["themes"]))
    _same_rows(G, day, theme, inactive)


def test_bundled_data(bundled):
    G = bundled
    _same_rows(G, dt.date(2026, 1, 1), None, False)
    _same_rows(G, dt.date(2026, 1, 1), "quantum", False)
    _same_rows(G, dt.date(2021, 1, 1), None, True)


@pytest.mark.parametrize("ended", [0, 1, 3])
def test_an_activity_at_and_beyond_the_fold_limit(ended):
    """More neighbours than the fold limit, some whose tie does not hold: folded exactly when the
    participants that count are at most the limit (the rows count only up to it)."""
    from graph.schema import SCHEMA
    from tests.support.minigraph import ent, graph_of, rel
    n = SCHEMA.fold_limit + 1
    entities = [ent("big", "network", "Big Forum")] + [ent(f"x{i:02d}", "company") for i in range(n + 1)]
    relations = [rel(f"x{i:02d}", "member_of", "big", since="2024-05-20", **({"status": "planned"} if i < ended else {}))
                 for i in range(n)] + [rel("x00", "collaborates_with", f"x{n:02d}", since="2024-05-20")]
    G = graph_of(entities, relations)
    day = dt.date(2024, 5, 20)
    _same_rows(G, day, None, False)
    folded = any("via" in t for t in local_routing(G, day, None, False)._adj[f"x{n - 1:02d}"].values())
    assert folded == (n - ended <= SCHEMA.fold_limit)


def test_a_hand_built_graph_with_fields_left_out():
    """Relations judged from their compact rows (`loaders.lazy.relation_rows`) as from their dicts:
    a field a hand-built graph leaves out (no status: active; no dates, strength, confidence)
    reads the same as in the full build, which reads the dicts (it did not on a lazily read one)."""
    import networkx as nx

    G = nx.MultiDiGraph(themes={})
    for n, kind in (("a", "city"), ("b", "city"), ("m", "agreement"), ("c", "company")):
        G.add_node(n, kind=kind, name=n.upper())
    G.add_edge("a", "b", key="ab", kind="twin_town")  # nothing but its kind
    G.add_edge("a", "m", key="am", kind="party_to", since="2024-05-20")
    G.add_edge("c", "m", key="cm", kind="party_to")
    today = dt.date.today()  # today's view reads the status (an absent one is active)
    for day, theme, inactive in [*VIEWS, (today, None, False)]:
        _same_rows(G, day, theme, inactive)
    local = local_routing(G, today, None, False)
    assert set(local._adj["a"]) == {"b", "c", "m"} and local._adj["a"]["b"]["strength"] > 0
