"""path, neighbours and intro with --backend neo4j give what the NetworkX backend gives.

One case table runs through both backends on the same data: the hand-built network of
test_neo4j (answers worked out by hand for a few), and a generated one with hubs and many equally
strong ties, where tie-breaks would show any difference in how the searches meet the entities.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli
from graph.errors import EspooNetError
from queries import server
from loaders.neo4j import push
from queries import introductions as intro
from queries import neighbours as nb
from queries import paths
from tests.support.bolt import wipe
from tests.test_neo4j import write_data

NX = {"path": paths.find_paths, "neighbours": nb.neighbours, "intro": intro.introductions}
NEO = {"path": server.find_paths, "neighbours": server.neighbours, "intro": server.introductions}


def outcome(fn, *args, **kwargs):
    """The result, or the error's type and message: both backends must fail the same way too."""
    try:
        return json.loads(json.dumps(fn(*args, **kwargs), default=str))
    except EspooNetError as e:
        return {"error": type(e).__name__, "message": str(e)}


@pytest.fixture(scope="module")
def small(bolt_server, tmp_path_factory):
    from loaders import load_graph

    G = load_graph(write_data(tmp_path_factory.mktemp("small")))
    wipe(bolt_server.settings)
    push(G, bolt_server.settings)
    yield G, bolt_server.settings
    wipe(bolt_server.settings)


SMALL_CASES = [
    ("path", ("enter-espoo", "cbnu"), {}),
    ("path", ("Ossi Ritvos", "Chungbuk National University"), {"by": "strength", "k": 5}),
    ("path", ("ossi-ritvos", "knut"), {"max_hops": 1}),  # needs 2 (the MoU is one hop): no route
    ("path", ("ossi-ritvos", "knut"), {"max_hops": 2}),
    ("path", ("ossi-ritvos", "knut"), {"max_hops": 3, "theme": "AI"}),  # knut's tie is not on AI
    ("path", ("enter-espoo", "cbnu"), {"theme": "chips"}),
    ("path", ("ossi-ritvos", "knut"), {"via": "enter-espoo-chungbuk-mou-2024"}),  # a document: no stop
    ("path", ("ossi-ritvos", "knut"), {"via": "cbist"}),  # would pass the MoU twice
    ("path", ("espoo", "gatchina"), {}),  # ended in 2022: no route today
    ("path", ("espoo", "gatchina"), {"as_of": "2021-06-01"}),
    ("path", ("espoo", "gatchina"), {"include_inactive": True, "by": "strength"}),
    ("path", ("ossi-ritvos", "cbnu"), {"avoid": ["person", "Enter Espoo"]}),
    ("path", ("enter-espoo", "chungbuk"), {}),  # only located_in: never a route
    ("path", ("espoo", "nowhere"), {}),
    ("neighbours", ("chungbuk",), {}),
    ("neighbours", ("Enter Espoo",), {"depth": 2}),
    ("neighbours", ("enter-espoo-chungbuk-mou-2024",), {"depth": 2, "theme": "semiconductors"}),
    ("neighbours", ("espoo",), {"as_of": "2021-06-01"}),
    ("neighbours", ("espoo",), {"depth": 2, "theme": "quantum"}),  # structural ties of our side stay
    ("intro", ("cbnu",), {}),
    ("intro", ("Chungbuk National University",), {"from_": "Ossi Ritvos"}),
    ("intro", ("knut",), {"theme": "quantum", "k": 2}),
    ("intro", ("sk-hynix",), {}),  # no route: the nearest entities instead
    ("intro", ("gatchina",), {"as_of": "2021-06-01", "max_hops": 2}),
    ("intro", ("espoo",), {}),  # on our side already
    ("intro", ("gatchina",), {"include_inactive": True}),
    ("intro", ("cbnu",), {"theme": "quantum", "max_hops": 1}),
]


@pytest.mark.parametrize("query,args,kwargs", SMALL_CASES, ids=[f"{q}-{a[0]}-{i}" for i, (q, a, _) in enumerate(SMALL_CASES)])
def test_backends_agree_on_the_small_network(small, query, args, kwargs):
    G, settings = small
    assert outcome(NEO[query], settings, *args, **kwargs) == outcome(NX[query], G, *args, **kwargs)


def test_worked_answers_from_the_server(small):
    _, settings = small
    route = server.find_paths(settings, "enter-espoo", "cbnu")["routes"]
    assert route[0]["nodes"] == ["enter-espoo", "cbnu"]  # one hop: the MoU they both signed
    assert (route[0]["hops"][0]["via"], route[0]["hops"][0]["ties"][0]["kind"]) == ("enter-espoo-chungbuk-mou-2024", "party_to")
    r = server.introductions(settings, "cbnu")
    assert r["routes"][0]["nodes"] == ["enter-espoo", "cbnu"]
    assert r["routes"][0]["introducer"] == "enter-espoo"
    near = server.neighbours(settings, "chungbuk")["neighbours"]
    assert [(n["id"], n["distance"]) for n in near] == [("cbnu", 1), ("sk-hynix", 1), ("south-korea", 1)]
    with pytest.raises(EspooNetError, match="within 1 hop,"):
        server.find_paths(settings, "ossi-ritvos", "knut", max_hops=1)


@pytest.mark.parametrize("args", [
    ["path", "Enter Espoo", "cbnu", "--by", "strength"],
    ["path", "ossi-ritvos", "knut", "--max-hops", "2"],
    ["intro", "Chungbuk National University"],
    ["neighbours", "enter-espoo", "--depth", "2"],
    ["clusters", "--engine", "networkx"],
    ["brokers", "--top", "3"],
    ["suggest", "cbnu"],
    ["themes"],
])
def test_query_commands_with_backend_neo4j(small, bolt_server, tmp_path, args):
    data = write_data(tmp_path / "data")
    runner = CliRunner()
    local = runner.invoke(cli.main, [*args, "--data", str(data), "--format", "json"])
    remote = runner.invoke(cli.main, [*args, "--backend", "neo4j", "--format", "json"], env=bolt_server.env)
    assert (remote.exit_code, remote.stdout, remote.stderr) == (local.exit_code, local.stdout, local.stderr)


@pytest.fixture(scope="module")
def generated(bolt_server):
    """A generated network with hubs. It replaces the small one: these tests come last."""
    from bench.generate import generate
    from graph.model import build_graph

    G = build_graph(generate(1500, degree=6, seed=11))
    wipe(bolt_server.settings)
    push(G, bolt_server.settings)
    yield G, bolt_server.settings
    wipe(bolt_server.settings)


def _generated_cases():
    import random

    rnd = random.Random(5)
    ids = [f"e{i:06d}" for i in range(1400)]
    cases = []
    for i in range(6):
        a, b = rnd.sample(ids, 2)
        cases.append(("path", (a, b), {"max_hops": 4}))
        cases.append(("path", (a, b), {"by": "strength", "max_hops": 5, "k": 4}))
    cases += [("path", tuple(rnd.sample(ids, 2)), {})]  # no limit: the whole reachable network
    cases += [("neighbours", (x,), {"depth": 2}) for x in rnd.sample(ids, 3)]
    cases += [("neighbours", (x,), {"depth": 3, "theme": "ai"}) for x in ("e000504", "e000779")]
    cases += [("intro", (x,), {"max_hops": 3}) for x in rnd.sample(ids, 3)]
    cases += [("intro", (rnd.choice(ids),), {"max_hops": 4, "as_of": "2015-01-01"})]
    return cases


@pytest.mark.parametrize("query,args,kwargs", _generated_cases())
def test_backends_agree_on_a_generated_network(generated, query, args, kwargs):
    G, settings = generated
    assert outcome(NEO[query], settings, *args, **kwargs) == outcome(NX[query], G, *args, **kwargs)

