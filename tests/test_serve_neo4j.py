"""`espoo-net serve --backend neo4j` against the test Bolt server: the explorer's answers equal the
NetworkX backend's on the same data (tests/support/mapdata.py's small network, pushed first)."""
from __future__ import annotations

import copy
import time

import pytest

from loaders import load_graph
from loaders.neo4j import data_version, push
from tests.support.mapdata import SMALL, write_dataset
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


def _wait_for(server, path, params, check, timeout=60.0):
    """The server's answer to `path` once `check(answer)` holds (it reloads within seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = server.get(path, **params)
        if check(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} {params} never changed: {answer.status_code} {answer.text[:300]}")
        time.sleep(0.3)


def test_a_later_push_is_seen_and_answered(bolt_server, small_graph, tmp_path):
    """Push, start serve, push changed data: the explorer notices the push (the data version it
    records) and answers from the new data, the intro found inside the server included."""
    wipe(bolt_server.settings)
    first = push(small_graph, bolt_server.settings)
    assert first.version == 1
    assert push(small_graph, bolt_server.settings).version is None  # nothing changed: no new version
    assert data_version(bolt_server.settings)["version"] == 1
    with pytest.MonkeyPatch.context() as mp:
        for name, value in bolt_server.env.items():
            mp.setenv(name, value)
        server = start_server(tmp_path, "--backend", "neo4j")
    try:
        meta = server.get("/api/meta").json()
        assert meta["version"] == 1 and meta["pushed"]["version"] == 1 and meta["problem"] is None
        assert server.get("/api/entity", id="koge").json()["entity"]["name"] == "Køge"
        assert len(server.get("/api/intro", target="cbnu").json()["routes"]) == 1  # through the MoU
        changed = copy.deepcopy(SMALL)
        for e in changed["entities"]:
            if e["id"] == "koge":
                e["name"] = "Køge Kommune"
        changed["relations"] = [r for r in changed["relations"] if "chungbuk-mou" not in r.get("target", "")]
        assert len(changed["relations"]) < len(SMALL["relations"])
        G2 = load_graph(write_dataset(tmp_path / "changed", changed))
        assert push(G2, bolt_server.settings, prune=True).version == 2
        renamed = _wait_for(server, "/api/entity", {"id": "koge"},
                            lambda r: r.json()["entity"]["name"] == "Køge Kommune")
        assert renamed.status_code == 200
        meta = server.get("/api/meta").json()
        assert meta["version"] == 2 and meta["pushed"]["version"] == 2
        assert (meta["entities"], meta["relations"]) == (G2.number_of_nodes(), G2.number_of_edges())
        # The intro answer kept for the first version is not answered again: no route now.
        assert server.get("/api/intro", target="cbnu").json()["routes"] == []
        assert server.get("/api/search", q="kommune").json()["results"][0]["id"] == "koge"
    finally:
        server.stop()
        wipe(bolt_server.settings)
        push(small_graph, bolt_server.settings)  # as the module's explorer found it
