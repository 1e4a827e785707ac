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
