"""`espoo-net serve --backend neo4j` against the test Bolt server: the explorer's answers equal the
NetworkX backend's on the same data (tests/support/mapdata.py's small network, pushed first)."""
from __future__ import annotations

import pytest

from loaders.neo4j import push
from tests.support.explorer import start_server
from tests.support.bolt import wipe

QUESTIONS = [
    ("/api/intro", {"target": "Chungbuk National University"}),
    ("/api/intro", {"target": "cbnu", "as_of": "2023-01-01"}),  # before the MoU: no route, the nearest
    ("/api/intro", {"target": "Nõmme", "k": 3}),
    ("/api/path", {"source": "Espoo", "target": "cbnu"}),
    ("/api/path", {"source": "espoo", "target": "nomme", "by": "strength", "k": 1}),
    ("/api/path", {"source": "espoo", "target": "gatchina", "all": "1"}),
    ("/api/entity", {"id": "Gatchina"}),
    ("/api/entity", {"id": "Gatchina", "as_of": "2000"}),
    ("/api/entity", {"id": "cbnu"}),
    ("/api/search", {"q": "chungbuk"}),
]


@pytest.fixture(scope="module")
def neo4j_explorer(bolt_server, small_graph, small_data):
    """The explorer on the Neo4j backend, the small network pushed to the test server."""
    wipe(bolt_server.settings)
    push(small_graph, bolt_server.settings)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in bolt_server.env.items():  # the server process reads its settings from these
            mp.setenv(name, value)
        server = start_server(small_data, "--backend", "neo4j")
    yield server
    server.stop()
    wipe(bolt_server.settings)


def test_serve_says_it_answers_from_neo4j(neo4j_explorer, small_graph):
    assert any("(neo4j)" in line for line in neo4j_explorer.banner), neo4j_explorer.banner
    meta = neo4j_explorer.get("/api/meta").json()
    assert meta["backend"] == "neo4j"
    assert (meta["entities"], meta["relations"]) == (small_graph.number_of_nodes(), small_graph.number_of_edges())


@pytest.mark.parametrize("path, params", QUESTIONS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(QUESTIONS)])
def test_neo4j_answers_equal_networkx_answers(neo4j_explorer, small_server, path, params):
    mine, reference = neo4j_explorer.get(path, **params), small_server.get(path, **params)
    assert reference.status_code == 200, reference.text
    assert mine.status_code == 200, mine.text
    assert mine.json() == reference.json()


def test_an_unknown_entity_is_the_same_json_error(neo4j_explorer, small_server):
    mine, reference = neo4j_explorer.get("/api/intro", target="nobody-at-all"), small_server.get(
        "/api/intro", target="nobody-at-all")
    assert (mine.status_code, mine.json()) == (reference.status_code, reference.json())
