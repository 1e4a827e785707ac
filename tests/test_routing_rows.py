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
