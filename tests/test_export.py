"""Exports: lossless GraphML and JSON round trips, GEXF valid for Gephi, CSV, and Cypher that loads."""
from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from graph.errors import EspooNetError, InvalidData
from exports import GEXF_RESERVED, cypher_literal, cypher_statements, export, write_cypher, write_gexf, write_graphml, write_json
from graph.interchange import to_records
from loaders.interchange import graph_from_records, read_graphml, read_json
from graph.schema import SCHEMA
from graph.types import ISO_COUNTRIES
from tests.support.mapdata import SMALL_COUNTS, UTF8_NAMES

GEXF_XSD = Path(__file__).resolve().parent / "schemas" / "gexf" / "1.3" / "gexf.xsd"  # CC BY 4.0, see its README
GEXF_NS = "{http://gexf.net/1.3}"


def assert_same_graph(G, H):
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert {k: (u, v, d) for u, v, k, d in H.edges(keys=True, data=True)} == \
        {k: (u, v, d) for u, v, k, d in G.edges(keys=True, data=True)}
    assert H.graph["themes"] == G.graph["themes"]
    assert to_records(H) == to_records(G)


# --- round trips on the small network ----------------------------------------------------------------

@pytest.mark.parametrize("write, read, suffix", [(write_json, read_json, "json"), (write_graphml, read_graphml, "graphml")])
def test_round_trip_gives_an_equal_graph(small_graph, tmp_path, write, read, suffix):
    out = tmp_path / f"net.{suffix}"
    write(small_graph, out)
    assert_same_graph(small_graph, read(out))


def test_graphml_reads_back_the_same_in_igraph(small_graph, tmp_path):
    import igraph

    out = tmp_path / "net.graphml"
    write_graphml(small_graph, out)
    g = igraph.Graph.Read_GraphML(str(out))
    assert (g.vcount(), g.ecount()) == (SMALL_COUNTS["entities"], SMALL_COUNTS["relations"])
    assert g.is_directed()
    for v in g.vs:
        d = small_graph.nodes[v["id"]]
        assert (v["name"], v["kind"], v["country"] or None) == (d["name"], d["kind"], d["country"])
        assert json.loads(v["themes"]) == d["themes"] and json.loads(v["sources"]) == d["sources"]
        assert v["home"] == d["home"]
    for e in g.es:
        u, w = g.vs[e.source]["id"], g.vs[e.target]["id"]
        d = small_graph.edges[u, w, e["relation_id"]]
        assert (e["kind"], e["status"], e["since"] or None, e["note"] or None) == (d["kind"], d["status"], d["since"], d["note"])
    ids = sorted(e["relation_id"] for e in g.es)
    assert ids == sorted(k for *_, k in small_graph.edges(keys=True))  # the three parallel ties included
    assert json.loads(g["themes"])[0]["id"] == "ai"


def test_imports_refuse_what_is_not_an_export(tmp_path):
    (tmp_path / "x.json").write_text('{"nodes": []}', encoding="utf-8")
    with pytest.raises(EspooNetError, match="not an espoo-network export"):
        read_json(tmp_path / "x.json")
    (tmp_path / "x.graphml").write_text("<graphml", encoding="utf-8")
    with pytest.raises(EspooNetError, match="not a GraphML file"):
        read_graphml(tmp_path / "x.graphml")


def test_imports_validate_like_the_loaders(small_graph):
    data = to_records(small_graph)
    data["relations"][0]["target"] = "atlantis"
    with pytest.raises(InvalidData, match="unknown entity 'atlantis'"):
        graph_from_records(data)


def test_control_characters_xml_cannot_carry_are_named(small_graph, tmp_path):
    G = small_graph.copy()
    G.nodes["koge"]["description"] = "bell\x07"
    with pytest.raises(EspooNetError, match=r"entity 'koge' field description holds the character U\+0007"):
        write_graphml(G, tmp_path / "x.graphml")
    write_json(G, tmp_path / "x.json")  # JSON can carry it; reading it back refuses it, as every loader does
    with pytest.raises(InvalidData, match=r"x.json:\d+: description: holds a control character"):
        read_json(tmp_path / "x.json")


# --- GEXF ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gexf_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(GEXF_XSD)))


def test_gexf_is_valid_against_the_1_3_schema(small_graph, tmp_path, gexf_schema):
    from lxml import etree

    out = tmp_path / "net.gexf"
    write_gexf(small_graph, out)
    doc = etree.parse(str(out))
    assert gexf_schema.validate(doc), gexf_schema.error_log
    assert doc.getroot().get("version") == "1.3"


def test_gexf_has_colours_positions_and_no_reserved_or_empty_values(small_graph, tmp_path):
    from lxml import etree

    out = tmp_path / "net.gexf"
    write_gexf(small_graph, out)
    root = etree.parse(str(out)).getroot()
    titles = [a.get("title") for a in root.iter(f"{GEXF_NS}attribute")]
    assert titles and not set(titles) & GEXF_RESERVED and "entity_kind" in titles and "relation_kind" in titles
    nodes = list(root.iter(f"{GEXF_NS}node"))
    assert len(nodes) == SMALL_COUNTS["entities"]
    for node in nodes:
        assert node.find(f"{GEXF_NS}color") is not None and node.find(f"{GEXF_NS}position") is not None
    values = [v.get("value") for v in root.iter(f"{GEXF_NS}attvalue")]
    assert all(v not in ("", "None", "null", "[]") and not v.startswith("[") for v in values)
    edges = list(root.iter(f"{GEXF_NS}edge"))
    assert len(edges) == SMALL_COUNTS["relations"]  # parallel relations kept
    twin = next(e for e in edges if e.get("id") == "espoo--twin-town--koge--1959")
    # A mutual kind is a "mutual" edge: Gephi draws it both ways, and networkx reads it back.
    assert (twin.get("type"), twin.get("kind"), twin.get("weight")) == ("mutual", "twin_town", "0.7")
    koge = next(n for n in nodes if n.get("id") == "koge")
    assert koge.get("label") == "Køge"
    assert koge.find(f"{GEXF_NS}color").attrib == {"r": "68", "g": "119", "b": "170", "a": "1.0"}  # city blue


def test_gexf_same_graph_same_bytes(small_graph, tmp_path):
    write_gexf(small_graph, tmp_path / "a.gexf")
    write_gexf(small_graph, tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()


# --- CSV ----------------------------------------------------------------------------------------------

def test_csv_is_a_nodes_file_and_an_edges_file(small_graph, tmp_path):
    result = export(small_graph, "csv", tmp_path / "csv")
    assert [Path(f).name for f in result["files"]] == ["nodes.csv", "edges.csv", "themes.csv"]
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert len(nodes) == SMALL_COUNTS["entities"] and len(edges) == SMALL_COUNTS["relations"]
    assert {n["Label"] for n in nodes} >= set(UTF8_NAMES)
    cbnu = next(n for n in nodes if n["Id"] == "cbnu")
    assert cbnu["themes"] == "semiconductors; ai" and cbnu["sources"] == "https://www.enterespoo.fi/news 2025-06-10"
    works = next(e for e in edges if e["kind"] == "works_for")
    assert (works["Source"], works["Target"], works["Type"], works["Weight"]) == ("ossi-ritvos", "enter-espoo", "Directed", "0.9")


# --- Cypher -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, literal", [
    ("plain", "'plain'"),
    ("O'Brien", r"'O\'Brien'"),
    ("back\\slash", r"'back\\slash'"),
    ("two\nlines\r\tand tab", r"'two\nlines\r\tand tab'"),
    ("bell\x07 null\x00", r"'bell\u0007 null\u0000'"),
    ("Køge 上海 충청북도", "'Køge 上海 충청북도'"),
    ("$param {x} `tick` // no comment", "'$param {x} `tick` // no comment'"),
    ("'}) DETACH DELETE n //", r"'\'}) DETACH DELETE n //'"),
    (3, "3"), (0.7, "0.7"), (True, "true"), (["a", 1], "['a', 1]"), ({"id": "x"}, "{id: 'x'}"),
])
def test_cypher_literals_are_escaped(value, literal):
    assert cypher_literal(value) == literal


def test_cypher_refuses_what_it_cannot_write():
    for bad in (float("nan"), {"bad key": 1}, object()):
        with pytest.raises(EspooNetError):
            cypher_literal(bad)


STRING = re.compile(r"'(?:[^'\\]|\\.)*'")


def test_cypher_script_is_parameter_free_and_whitelisted(small_graph, tmp_path):
    from graph.neo4j.cypher import ENTITY_LABEL, TAG_TYPE, TAXONOMY_LABEL

    out = tmp_path / "net.cypher"
    count = write_cypher(small_graph, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    statements = [ln for ln in lines if not ln.startswith("//")]
    assert len(statements) == count and all(s.endswith(";") for s in statements)
    merges = [s for s in statements if "MERGE" in s and TAG_TYPE not in s]
    assert len(merges) == len(small_graph.graph["themes"]) + SMALL_COUNTS["entities"] + SMALL_COUNTS["relations"]
    allowed = set(SCHEMA.neo4j_labels.values()) | set(SCHEMA.neo4j_types.values()) | {TAXONOMY_LABEL, ENTITY_LABEL,
                                                                                       TAG_TYPE}
    for s in statements:
        code = STRING.sub("''", s)  # what is left outside string literals
        assert "$" not in code and ";" not in code[:-1]
        assert set(re.findall(r"`([^`]*)`", code)) <= allowed


@pytest.fixture
def db(bolt_server):
    from loaders.neo4j import connect

    settings = bolt_server.settings

    def wipe():
        connect(settings).write(lambda tx: tx.run("MATCH (n) WHERE n.managed_by = 'espoo-net' DETACH DELETE n").consume())

    wipe()
    yield settings
    wipe()


def test_cypher_script_loads_into_a_bolt_server_and_reads_back_equal(db, tmp_path):
    """Every statement of the script, run as it is (no parameters), then a pull gives the graph back."""
    from loaders import load_graph
    from loaders.neo4j import connect, pull
    from tests.support.mapdata import payload_records, write_dataset

    G = load_graph(write_dataset(tmp_path / "net", payload_records("O'Brien \\ \"q\" </script> $x {y}\nline")))
    conn = connect(db)
    statements = list(cypher_statements(G))
    for s in statements:  # one auto-commit statement at a time, as cypher-shell runs a file
        conn.write(lambda tx, s=s: tx.run(s).consume())
    conn.write(lambda tx: [tx.run(s).consume() for s in statements[-3:]])  # MERGE: running again adds nothing
    assert conn.read("MATCH ()-[r]->() WHERE r.managed_by = 'espoo-net' AND type(r) <> 'HAS_THEME' "
                     "RETURN count(r) AS n")[0]["n"] == G.number_of_edges()
    assert_same_graph(G, pull(db))
    # every entity also under :Entity, tied to its themes; dates are Neo4j dates
    assert conn.read("MATCH (n:Entity) WHERE n.managed_by = 'espoo-net' RETURN count(n) AS n")[0]["n"] == \
        G.number_of_nodes()
    tags = sum(len(set(d.get("themes") or ())) for _, d in G.nodes(data=True))
    assert conn.read("MATCH (:Entity)-[h:HAS_THEME]->(:EspooNetTheme) RETURN count(h) AS n")[0]["n"] == tags
    dated = conn.read("MATCH ()-[r]->() WHERE r.managed_by = 'espoo-net' AND r.since IS NOT NULL RETURN count(r) "
                      "AS n, sum(CASE WHEN r.since >= date('1000-01-01') THEN 1 ELSE 0 END) AS dates")[0]
    assert dated["n"] == dated["dates"] == sum(1 for *_, s in G.edges(data="since") if s)


# --- the commands -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "cypher"])
def test_export_command_writes_each_format(small_data, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    r = CliRunner().invoke(cli.main, ["export", fmt, "--out", str(out), "--data", str(small_data)])
    assert r.exit_code == 0, r.output
    assert f"({fmt}): {SMALL_COUNTS['entities']} entities, {SMALL_COUNTS['relations']} relations" in r.stdout
    assert out.exists()


def test_export_to_stdout_with_a_view(small_data):
    r = CliRunner().invoke(cli.main, ["export", "json", "--out", "-", "--public", "--as-of", "2025-01-01",
                                      "--data", str(small_data)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    kinds = {e["kind"] for e in data["entities"]}
    assert "person" not in kinds and "gatchina" not in {e["id"] for e in data["entities"]}
    assert "wrote -" in r.stderr


def test_export_usage_errors(small_data):
    r = CliRunner().invoke(cli.main, ["export", "csv", "--out", "-", "--data", str(small_data)])
    assert r.exit_code == 2 and "folder" in r.output
    r = CliRunner().invoke(cli.main, ["export", "xml", "--out", "x", "--data", str(small_data)])
    assert r.exit_code == 2
    r = CliRunner().invoke(cli.main, ["export", "--out", "x", "--data", str(small_data)])
    assert r.exit_code == 2 and "give the FORMAT" in r.output
    r = CliRunner().invoke(cli.main, ["export", "gexf", "--format", "json", "--out", "x", "--data", str(small_data)])
    assert r.exit_code == 2 and "disagree" in r.output


def test_export_still_takes_the_old_format_option_with_a_note(small_data, tmp_path):
    out = tmp_path / "net.graphml"
    r = CliRunner().invoke(cli.main, ["export", "--format", "graphml", "--out", str(out), "--data", str(small_data)])
    assert r.exit_code == 0, r.output
    assert out.exists() and "(graphml)" in r.stdout
    assert "`export --format graphml` is deprecated; write `export graphml`" in r.stderr


# --- Hypothesis: any valid dataset survives the round trips -------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t<>&'\"\\"),
               min_size=1, max_size=24).map(str.strip).filter(bool)
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
URL = st.sampled_from(["https://www.espoo.fi/en", "https://example.org/a?b=c&d=<e>", "http://koge.dk/ø"])
SEEN = st.dates(min_value=__import__("datetime").date(2000, 1, 1)).map(lambda d: d.isoformat())
PARTIAL = st.tuples(st.integers(1950, 2030), st.integers(0, 12), st.integers(0, 28)).map(
    lambda t: f"{t[0]}" if not t[1] else f"{t[0]}-{t[1]:02d}" if not t[2] else f"{t[0]}-{t[1]:02d}-{t[2]:02d}")
KINDS = [k for k in SCHEMA.entity_kinds if k != "theme"]


@st.composite
def datasets(draw):
    from graph.lookup import normalize

    theme_ids = draw(st.lists(SLUG, max_size=3, unique=True))
    used = {normalize(t) for t in theme_ids}  # a word names one theme only (the loader checks)

    def word():
        w = draw(TEXT.filter(lambda w: normalize(w) not in used))
        used.add(normalize(w))
        return w

    themes = [{"id": t, "label": word()} for t in theme_ids]
    for t in themes:
        if draw(st.booleans()):
            t["synonyms"] = [word() for _ in range(draw(st.integers(0, 2)))]
    ids = draw(st.lists(SLUG.filter(lambda s: s not in theme_ids), min_size=1, max_size=6, unique=True))
    sources = st.lists(st.fixed_dictionaries({"url": URL, "seen": SEEN}), min_size=1, max_size=2)
    entities = []
    for eid in ids:
        e = {"id": eid, "kind": draw(st.sampled_from(KINDS)), "name": draw(TEXT), "sources": draw(sources)}
        optional = {
            "aliases": st.lists(TEXT, min_size=1, max_size=2), "country": st.sampled_from(sorted(ISO_COUNTRIES)),
            "city": TEXT, "description": TEXT, "role": TEXT, "home": st.booleans(),
            "confidence": st.sampled_from(SCHEMA.confidence), "website": URL,
            "themes": st.lists(st.sampled_from(theme_ids), min_size=1, unique=True) if theme_ids else st.nothing(),
        }
        for field, strategy in optional.items():
            if draw(st.booleans()):
                e[field] = draw(strategy)
        if draw(st.booleans()):
            e["lat"] = draw(st.floats(-90, 90, allow_nan=False))
            e["lon"] = draw(st.floats(-180, 180, allow_nan=False))
        entities.append(e)
    kind_of = {e["id"]: e["kind"] for e in entities}
    relations, seen_ids, mutual = [], set(), set()
    for i in range(draw(st.integers(0, 8))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if a == b:
            continue  # a self-loop is refused by the loader
        allowed = [k for k, rk in SCHEMA.relation_kinds.items() if rk.allows(kind_of[a], kind_of[b])]
        if not allowed:
            continue
        r = {"source": a, "target": b, "kind": draw(st.sampled_from(allowed)), "sources": draw(sources)}
        if draw(st.booleans()):
            r["since"] = draw(PARTIAL)
        if draw(st.booleans()):
            r["until"] = str(int(r.get("since", "1950")[:4]) + draw(st.integers(0, 30)))
        some_themes = st.lists(st.sampled_from(theme_ids), min_size=1, unique=True) if theme_ids else st.nothing()
        for field, strategy in {"status": st.sampled_from(list(SCHEMA.statuses)), "note": TEXT,
                                "strength": st.floats(0, 1, allow_nan=False),
                                "confidence": st.sampled_from(SCHEMA.confidence), "themes": some_themes}.items():
            if draw(st.booleans()):
                r[field] = draw(strategy)
        if draw(st.booleans()):
            r["id"] = f"rel-{i}"
        from graph.records import relation_id

        rid = r.get("id") or relation_id(a, r["kind"], b, r.get("since"))
        tie = (r["kind"], *sorted((a, b)), r.get("since"))  # a mutual tie written both ways is refused
        if rid in seen_ids or (not SCHEMA.relation_kinds[r["kind"]].directed and tie in mutual):
            continue
        seen_ids.add(rid)
        mutual.add(tie)
        relations.append(r)
    return {"format": "espoo-network", "version": 1, "themes": themes, "entities": entities, "relations": relations}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_hypothesis_json_and_graphml_round_trips(records):
    G = graph_from_records(records)
    with tempfile.TemporaryDirectory() as tmp:
        for write, read, name in ((write_json, read_json, "g.json"), (write_graphml, read_graphml, "g.graphml")):
            path = Path(tmp) / name
            write(G, path)
            assert_same_graph(G, read(path))


def test_round_trip_of_the_bundled_data(tmp_path):
    from loaders import load_graph

    G = load_graph(None)
    for write, read, name in ((write_json, read_json, "g.json"), (write_graphml, read_graphml, "g.graphml")):
        write(G, tmp_path / name)
        assert_same_graph(G, read(tmp_path / name))
    assert isinstance(G, nx.MultiDiGraph)


def test_gexf_is_dynamic_so_gephi_plays_the_network_over_time(small_graph, tmp_path):
    out = tmp_path / "net.gexf"
    write_gexf(small_graph, out)
    from lxml import etree

    root = etree.parse(str(out)).getroot()
    graph = root.find(f"{GEXF_NS}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    twinning = next(e for e in root.iter(f"{GEXF_NS}edge") if e.get("target") == "gatchina")
    assert (twinning.get("start"), twinning.get("end")) == ("1968-01-01", "2022-03-03")
    H = nx.read_gexf(str(out))  # networkx reads the spells back
    assert any(d.get("start") == "1968-01-01" and d.get("end") == "2022-03-03" for *_, d in H.edges(data=True))


def test_graphml_has_the_label_gephi_shows_and_still_round_trips(small_graph, tmp_path):
    out = tmp_path / "net.graphml"
    write_graphml(small_graph, out)
    H = nx.read_graphml(str(out), force_multigraph=True)
    assert H.nodes["gatchina"]["label"] == "Gatchina"
    assert to_records(read_graphml(out)) == to_records(small_graph)


def test_a_csv_export_edited_in_a_spreadsheet_loads_back(tmp_path, small_graph):
    """The data keeper's round trip: export csv, open in Excel (BOM, ';'), save, load with --data."""
    import csv as csvmod

    from graph.interchange import to_records
    from loaders import load_graph
    from exports import export_view

    folder = tmp_path / "sheet"
    export_view(small_graph, "csv", folder)
    assert to_records(load_graph(folder)) == to_records(small_graph)
    # Saved again by a spreadsheet in a Finnish locale: a byte order mark and ';' between cells,
    # with one name changed to something that starts like a formula (exported with a leading ').
    for name in ("nodes.csv", "edges.csv", "themes.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            rows = list(csvmod.reader(f))
        if name == "nodes.csv":
            rows[1][1] = "'=Espoo"
        with (folder / name).open("w", encoding="utf-8-sig", newline="") as f:
            csvmod.writer(f, delimiter=";").writerows(rows)
    again = to_records(load_graph(folder))
    first = to_records(small_graph)
    first["entities"][0]["name"] = "=Espoo"
    assert again == first


def test_an_imported_relation_without_its_ends_is_a_problem_not_a_crash():
    from graph.errors import InvalidData
    from loaders.interchange import graph_from_records

    with pytest.raises(InvalidData) as info:  # it raised KeyError('id') before
        graph_from_records({"format": "espoo-network", "relations": [{"kind": "twin_town", "target": "x"}]})
    assert "source" in {p.field for p in info.value.problems}
