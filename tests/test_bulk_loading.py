"""What the fast path of bulk loading must keep: the same graph, the same problems, the same places.

Values are cleaned once per distinct text (a memo per load), relations are checked as a stream
with their raw values dropped once cleaned, edges go straight into the adjacency, and record
locations are kept compactly; none of that may change what a user sees.
"""
from __future__ import annotations

import pickle

import networkx as nx
import pytest

from bench.generate import generate, write_csv
from graph.errors import InvalidData
from graph.model import build_graph, entity_attrs, relation_attrs
from graph.records import Locations
from loaders import load_dataset, load_graph

HEADER = "id,source,target,kind,since,until,status,themes,strength,note,confidence,sources\n"
ENTITIES = """id,kind,name,sources
espoo,city,City of Espoo,https://www.espoo.fi/en 2026-11-22
nomme,city,Nõmme,https://www.espoo.fi/en 2026-11-22
koge,city,Køge,https://www.espoo.fi/en 2026-11-22
"""


def test_build_graph_equals_one_add_edge_per_relation():
    data = generate(600, degree=12, seed=5)
    G = build_graph(data)
    H = nx.MultiDiGraph()
    for e in data.entities:
        H.add_node(e.id, **entity_attrs(e))
    for r in data.relations:
        H.add_edge(r.source, r.target, key=r.id, **relation_attrs(r))
    assert list(G._node.items()) == list(H._node.items())
    for n in H:  # the same neighbours in the same order, both ways, with the same attributes
        assert list(G._succ[n].items()) == list(H._succ[n].items())
        assert list(G._pred[n].items()) == list(H._pred[n].items())
    assert all(G._succ[u][v] is G._pred[v][u] for u, v, _ in G.edges(keys=True))


def test_a_generated_network_reads_back_as_it_was_written(tmp_path):
    data = generate(400, degree=10, seed=3)
    write_csv(data, tmp_path)
    back = load_dataset(tmp_path)
    assert back.entities == data.entities and back.relations == tuple(sorted(data.relations, key=lambda r: r.id))


def test_the_same_bad_value_is_reported_on_every_line_it_is_on(tmp_path):
    (tmp_path / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    (tmp_path / "relations.csv").write_text(HEADER + "".join(
        f"r{i},espoo,nomme,collaborates_with,2024-13,,,,,,,https://www.espoo.fi/en 2026-11-22\n" for i in range(3))
        + "r9,espoo,koge,collaborates_with,2024,,,,,,,https://www.espoo.fi/en 2026-13-01\n"
        + "r8,espoo,koge,collaborates_with,2023,,,,,,,https://www.espoo.fi/en 2026-13-01\n", encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    where = [(p.line, p.field) for p in info.value.problems]
    assert where == [(2, "since"), (3, "since"), (4, "since"), (5, "sources"), (6, "sources")]
    assert all("2024-13" in p.message for p in info.value.problems[:3])


def test_checks_across_relations_still_name_file_and_line(tmp_path):
    (tmp_path / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    src = "https://www.espoo.fi/en 2026-11-22"
    (tmp_path / "relations.csv").write_text(HEADER + f"""\
r1,espoo,nomme,twin_town,1995,,,,,,,{src}
r1,espoo,koge,twin_town,1996,,,,,,,{src}
r3,nomme,espoo,twin_town,1995,,,,,,,{src}
r4,espoo,nowhere,twin_town,,,,,,,,{src}
r5,espoo,espoo,twin_town,,,,,,,,{src}
r6,espoo,koge,collaborates_with,2020,2019,,,,,,{src}
""", encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    got = [(p.line, p.field, p.message.split(" ")[0]) for p in info.value.problems]
    assert got == [(3, "id", "duplicate"), (4, "source", "the"), (5, "target", "unknown"), (6, "target", "'espoo'"),
                   (7, "until", "2019")]
    assert "relations.csv:2" in info.value.problems[0].hint and "relations.csv:2" in info.value.problems[1].message


def test_locations_of_a_graph_survive_its_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ESPOO_NET_CACHE", str(tmp_path / "cache"))
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    (tmp_path / "d" / "relations.csv").write_text(
        HEADER + "r1,espoo,nomme,twin_town,1995,,,,,,,https://www.espoo.fi/en 2026-11-22\n", encoding="utf-8")
    first = load_graph(tmp_path / "d")
    again = load_graph(tmp_path / "d")  # read back from the cache
    for G in (first, again):
        where = G.graph["locations"]
        assert isinstance(where, Locations) and len(where) == 4
        assert where["nomme"] == (str(tmp_path / "d" / "entities.csv"), 3)
        assert where.get("r1") == (str(tmp_path / "d" / "relations.csv"), 2) and where.get("nowhere") is None
    assert dict(first.graph["locations"]) == dict(again.graph["locations"])


def test_locations_pickle_and_compare_as_mappings():
    many = {f"r{i}": (f"part{i % 3}.csv", i + 2) for i in range(1000)}
    back = pickle.loads(pickle.dumps(Locations(many)))
    assert back == many and list(back) == list(many) and back["r999"] == ("part0.csv", 1001) and "r1000" not in back
    assert Locations() == {} and Locations().get("r1") is None
