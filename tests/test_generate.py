"""The benchmark generator: valid under the schema, seeded, and read back unchanged from its CSV."""
from collections import Counter

from bench.generate import generate, write_csv
from graph.model import build_graph
from loaders import load_dataset


def test_csv_round_trip(tmp_path):
    data = generate(400, seed=3)
    write_csv(data, tmp_path)
    back = load_dataset(tmp_path)
    assert back.themes == data.themes
    assert back.entities == data.entities
    assert back.relations == data.relations


def test_seeded_and_shaped():
    a, b = generate(1000, seed=5), generate(1000, seed=5)
    assert a.relations == b.relations and a.entities == b.entities
    assert a.relations != generate(1000, seed=6).relations
    G = build_graph(a)
    degrees = sorted((d for _, d in G.degree()), reverse=True)
    assert 7 <= 2 * len(a.relations) / len(a.entities) <= 8.5  # about 8 ties each
    assert degrees[0] >= 5 * degrees[len(degrees) // 2]  # a heavy tail: hubs
    assert 10 <= sum(e.home for e in a.entities) <= 12
    assert Counter(r.status for r in a.relations).most_common(1)[0][0] == "active"
