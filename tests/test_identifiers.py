"""Public identifiers, agreement terms and published dates: validated, shown, found, exported and
stored for Neo4j without loss."""
from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from click.testing import CliRunner

import cli
from exports import write_graphml, write_json
from exports.spreadsheet import write_csv
from graph.errors import InvalidData
from graph.neo4j.storage import node_attrs, node_row, relation_attrs, relation_row
from loaders import load_dataset, load_graph
from loaders.interchange import read_graphml, read_json
from queries.entities import find_entities
from tests.support.upkeepdata import write_upkeep_data
from tests.test_export import assert_same_graph

S = '[{url: "https://example.org/a", seen: 2026-11-22}]'


@pytest.fixture
def G(tmp_path):
    write_upkeep_data(tmp_path)
    return load_graph(tmp_path)


def problems(tmp_path, body):
    (tmp_path / "bad.yaml").write_text(textwrap.dedent(body), encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    return [(p.line, p.field, p.message, p.hint) for p in info.value.problems]


def test_bad_identifiers_and_terms_are_reported_at_once(tmp_path):
    got = problems(tmp_path, f"""\
        entities:
          - {{id: a, kind: city, name: A, wikidata: 47034, sources: {S}}}
          - {{id: b, kind: university, name: B, ror: 020hwjq31, sources: {S}}}
          - {{id: c, kind: project, name: C, cordis: H2020-1, sources: {S}}}
          - {{id: d, kind: agreement, name: D, renewal: yearly, valid_until: 2026-13, sources: {S}}}
          - {{id: e, kind: city, name: E, valid_until: 2026, ror: 020hwjq30, sources: {S}}}
          - {{id: f, kind: city, name: F, sources: [{{url: "https://example.org", seen: 2026-01-01, published: 2026-02}}]}}
        """)
    assert got == [
        (2, "wikidata", "'47034' is not a Wikidata id", "write the item id, such as Q47034"),
        (3, "ror", "'020hwjq31' is not a ROR id", "write the 9 characters after https://ror.org/, such as 020hwjq30"),
        (4, "cordis", "'H2020-1' is not a CORDIS project id", "write the digits of cordis.europa.eu/project/id/..."),
        (5, "renewal", "unknown renewal 'yearly'", "one of: automatic, by_decision, none"),
        (5, "valid_until", "'2026-13' is not a real date (month must be in 1..12)", "check the month and the day"),
        (6, "ror", "is not a field of a city", "ror belongs on institute/university entities"),
        (6, "valid_until", "is not a field of a city", "valid_until belongs on agreement entities"),
        (7, "sources", "published 2026-02 is after seen 2026-01-01", "a page is published before it is read"),
    ]


def test_identifier_urls_are_accepted_and_stored_as_ids(tmp_path):
    (tmp_path / "ok.yaml").write_text(textwrap.dedent(f"""\
        entities:
          - {{id: a, kind: university, name: A, wikidata: "https://www.wikidata.org/wiki/Q1", ror: "https://ror.org/020hwjq30", sources: {S}}}
          - {{id: p, kind: project, name: P, cordis: "https://cordis.europa.eu/project/id/101036519", sources: {S}}}
        """), encoding="utf-8")
    data = load_dataset(tmp_path)
    assert [(e.wikidata, e.ror, e.cordis) for e in data.entities] == [("Q1", "020hwjq30", None), (None, None, "101036519")]


def test_find_and_show_use_the_identifiers(G, tmp_path):
    assert [h["id"] for h in find_entities(G, "020hwjq30")] == ["uni"]
    assert [h["id"] for h in find_entities(G, "Q47034")] == ["espoo"]
    res = CliRunner().invoke(cli.main, ["show", "101036519", "--data", str(tmp_path)])
    assert res.exit_code == 0 and "cordis: 101036519" in res.output
    res = CliRunner().invoke(cli.main, ["show", "mou", "--data", str(tmp_path)])
    assert "valid until: 2026-07-01" in res.output and "renewal: by_decision" in res.output
    res = CliRunner().invoke(cli.main, ["show", "max", "--data", str(tmp_path)])
    assert "source: https://example.org/c (seen 2026-11-22, published 2025-05)" in res.output


@pytest.mark.parametrize("write, read, suffix", [(write_json, read_json, "json"), (write_graphml, read_graphml, "graphml")])
def test_exports_carry_identifiers_terms_and_published_dates(G, tmp_path, write, read, suffix):
    out = tmp_path / f"net.{suffix}"
    write(G, out)
    H = read(out)
    assert_same_graph(G, H)
    assert H.nodes["uni"]["ror"] == "020hwjq30" and H.nodes["mou"]["valid_until"] == "2026-07-01"
    assert H.nodes["max"]["sources"][0]["published"] == "2025-05"


def test_csv_export_writes_published_dates_the_loaders_read(G, tmp_path):
    nodes, *_ = write_csv(G, tmp_path / "csv")
    text = nodes.read_text(encoding="utf-8")
    assert "https://example.org/c 2026-11-22 2025-05" in text and "020hwjq30" in text and "by_decision" in text


def test_neo4j_stored_form_round_trips_the_new_fields(G):
    for n in ("max", "uni", "mou", "proj"):
        assert node_attrs(node_row(n, G.nodes[n])["props"]) == G.nodes[n]
    row = node_row("max", G.nodes["max"])["props"]
    assert row["source_published"] == ["2025-05"] and row["source_seen"] == [dt.date(2026, 11, 22)]  # a Neo4j date
    u, v, k, d = next(iter(G.edges(keys=True, data=True)))
    assert relation_attrs(relation_row(u, v, k, d)["props"]) == d
