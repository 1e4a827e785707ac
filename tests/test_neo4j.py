"""The Neo4j backend against a real Bolt server (ArcadeDB here, or Neo4j 5 via NEO4J_URI).

Push, push again, edit, prune, pull; the CLI; errors; injection; a server killed mid-push.
Each test starts from a database with nothing of ours in it and leaves it that way.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import cli
from graph.errors import BackendError, EntityNotFound
from graph.neo4j import cypher as C
from loaders.neo4j import Settings, close_drivers, connect, pull, push, status
from graph.neo4j.storage import node_attrs, node_row, relation_attrs, relation_row, theme_dict, theme_row
from loaders import load_graph
from tests.support.bolt import ArcadeServer, ServerFailed, free_port

REPO = Path(__file__).resolve().parent.parent

S1 = '{url: "https://www.espoo.fi/en/news/2024/05/espoo-and-chungbuk", seen: 2026-11-20}'
S2 = '{url: "https://www.enterespoo.fi/en/", seen: 2026-11-21}'
DATA = f"""\
themes:
  - {{id: ai, label: Artificial intelligence, synonyms: [AI, tekoäly], description: Machine learning and AI.}}
  - {{id: semiconductors, label: Semiconductors, synonyms: [chips]}}
  - {{id: quantum, label: Quantum technologies}}
  - {{id: autonomous-driving, label: Autonomous driving}}
  - {{id: culture, label: Culture}}
entities:
  - {{id: espoo, kind: city, name: City of Espoo, aliases: [Espoo, Esbo], country: FI, city: Espoo,
      lat: 60.2055, lon: 24.6559, website: "https://www.espoo.fi/en", themes: [ai, culture],
      description: Finland's second largest city., home: true, confidence: high, sources: [{S1}, {S2}]}}
  - {{id: enter-espoo, kind: agency, name: Enter Espoo Oy, aliases: [Enter Espoo], country: FI,
      themes: [ai, quantum], home: true, sources: [{S2}]}}
  - {{id: ossi-ritvos, kind: person, name: Ossi Ritvos, role: Senior Advisor, home: true, sources: [{S2}]}}
  - {{id: south-korea, kind: country, name: South Korea, country: KR, sources: [{S1}]}}
  - {{id: chungbuk, kind: region, name: Chungcheongbuk-do, aliases: [Chungbuk], country: KR, sources: [{S1}]}}
  - {{id: cbnu, kind: university, name: Chungbuk National University, country: KR, themes: [semiconductors], sources: [{S1}]}}
  - {{id: knut, kind: university, name: Korea National University of Transportation, country: KR,
      themes: [autonomous-driving], confidence: medium, sources: [{S1}]}}
  - {{id: cbist, kind: institute, name: Chungbuk Science and Technology Innovation Agency, country: KR, sources: [{S1}]}}
  - {{id: sk-hynix, kind: company, name: SK hynix, country: KR, themes: [semiconductors], sources: [{S1}]}}
  - {{id: enter-espoo-chungbuk-mou-2024, kind: agreement, name: Enter Espoo – Chungbuk MoU,
      themes: [ai, semiconductors, quantum, autonomous-driving], sources: [{S1}]}}
  - {{id: shanghai, kind: city, name: Shanghai, country: CN, sources: [{S1}]}}
  - {{id: gatchina, kind: city, name: Gatchina, country: RU, sources: [{S1}]}}
  - {{id: japan, kind: country, name: Japan, country: JP, sources: [{S2}]}}
relations:
  - {{source: enter-espoo, target: enter-espoo-chungbuk-mou-2024, kind: party_to, since: 2024-05-20,
      themes: [ai, semiconductors, quantum, autonomous-driving], sources: [{S1}]}}
  - {{source: cbist, target: enter-espoo-chungbuk-mou-2024, kind: party_to, since: 2024-05-20, sources: [{S1}]}}
  - {{source: cbnu, target: enter-espoo-chungbuk-mou-2024, kind: party_to, since: 2024-05-20, sources: [{S1}]}}
  - {{source: knut, target: enter-espoo-chungbuk-mou-2024, kind: party_to, since: 2024-05-20, sources: [{S1}]}}
  - {{source: ossi-ritvos, target: enter-espoo, kind: works_for, since: 2019, sources: [{S2}]}}
  - {{source: ossi-ritvos, target: south-korea, kind: contact_for, sources: [{S2}]}}
  - {{source: ossi-ritvos, target: ai, kind: contact_for, sources: [{S2}]}}
  - {{source: cbnu, target: chungbuk, kind: located_in, sources: [{S1}]}}
  - {{source: sk-hynix, target: chungbuk, kind: operates_in, confidence: medium, sources: [{S1}]}}
  - {{source: chungbuk, target: south-korea, kind: located_in, sources: [{S1}]}}
  - {{source: espoo, target: shanghai, kind: sister_city, since: 1998, themes: [culture], sources: [{S1}]}}
  - {{source: espoo, target: gatchina, kind: twin_town, since: 1968, until: 2022-03-03, status: ended, sources: [{S1}]}}
  - {{id: enter-espoo-japan-market, source: enter-espoo, target: japan, kind: key_market, strength: 0.55,
      note: Japan is a key market., confidence: low, sources: [{S1}, {S2}]}}
"""
N_THEMES, N_ENTITIES, N_RELATIONS = 5, 14, 13  # 13 entities + the theme node 'ai'
NASTY = "Org`) DETACH DELETE n //"


def write_data(folder: Path, text: str = DATA) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "net.yaml").write_text(text, encoding="utf-8")
    return folder


def edges_by_key(G):
    return {k: (u, v, d) for u, v, k, d in G.edges(keys=True, data=True)}


def assert_same_graph(G, H):
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert edges_by_key(H) == edges_by_key(G)
    assert H.graph["themes"] == G.graph["themes"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_data(tmp_path_factory.mktemp("neo4j-data"))


@pytest.fixture(scope="module")
def G(data_dir):
    return load_graph(data_dir)


def invoke(bolt_server, *args, env=None):
    runner = CliRunner()
    return runner.invoke(cli.main, list(args), env={**bolt_server.env, **(env or {})}, catch_exceptions=False)


# --- storage form, no server -----------------------------------------------------------------------

def test_stored_form_reads_back_exactly(G):
    for n, d in G.nodes(data=True):
        row = node_row(n, d)
        assert row["props"]["managed_by"] == C.MARKER and "sources" not in row["props"]
        assert node_attrs(row["props"]) == d
    for u, v, k, d in G.edges(keys=True, data=True):
        assert relation_attrs(relation_row(u, v, k, d)["props"]) == d
    for t in G.graph["themes"].values():
        assert theme_dict(theme_row(t)["props"]) == t


def test_stored_form_splits_sources_and_drops_none(G):
    props = node_row("espoo", G.nodes["espoo"])["props"]
    assert props["source_urls"] == ["https://www.espoo.fi/en/news/2024/05/espoo-and-chungbuk", "https://www.enterespoo.fi/en/"]
    assert props["source_seen"] == [dt.date(2026, 11, 20), dt.date(2026, 11, 21)]  # Neo4j dates
    assert "role" not in props and props["aliases"] == ["Espoo", "Esbo"] and props["lat"] == 60.2055


def test_stored_form_refuses_maps():
    with pytest.raises(BackendError, match="attribute 'extra' is a map"):
        node_row("x", {"kind": "city", "name": "X", "extra": {"a": 1}})


def test_settings_from_env_and_never_show_the_password():
    env = {"NEO4J_URI": "bolt://db.example:7687", "NEO4J_PASSWORD": "s3cret-pw", "NEO4J_DATABASE": "espoo"}
    s = Settings.from_env(env, user="alice")
    assert (s.uri, s.user, s.password, s.database) == ("bolt://db.example:7687", "alice", "s3cret-pw", "espoo")
    assert "s3cret-pw" not in repr(s)
    assert Settings.from_env({}, uri="bolt://x:1").uri == "bolt://x:1"
    assert Settings(uri="bolt://bob:pw@host:7687").where == "bolt://host:7687 (database default)"


# --- the whitelist -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [NASTY, "city", "City`", "TWIN_TOWN) DETACH DELETE n", "", None])
def test_quote_refuses_names_outside_the_whitelist(name):
    with pytest.raises(BackendError, match="refusing label or type"):
        C.quote(name)


def test_quote_accepts_schema_names():
    assert C.quote("City") == "`City`"
    assert C.label_for("university") == "`University`"
    assert C.type_for("twin_town") == "`TWIN_TOWN`"
    with pytest.raises(BackendError, match="unknown entity kind"):
        C.label_for(NASTY)


def test_every_statement_names_only_whitelisted_labels():
    import re

    allowed = set(C._ALLOWED)
    texts = [v for k, v in vars(C).items() if k.isupper() and isinstance(v, str)]
    kinds = list(C.SCHEMA.neo4j_labels)
    texts += [C.merge_entities(k) for k in kinds] + [C.merge_relations(k) for k in C.SCHEMA.neo4j_types]
    texts += [C.create_relations(k) for k in C.SCHEMA.neo4j_types]
    texts += [C.create_entities(k) for k in kinds] + [C.add_entity_label(k) for k in kinds]
    texts += [C.entity_index(C.NEO4J), C.TAG_ENTITIES]
    texts += [C.relabel_entities("city", k) for k in kinds] + [C.delete_relations(k, "city") for k in kinds]
    texts += [s for _, s in C.schema_statements()]
    for text in texts:
        assert set(re.findall(r"`([^`]*)`", text)) <= allowed, text


# --- push, push again, edit, prune, pull ---------------------------------------------------------------

def test_push_then_pull_round_trip(db, G):
    summary = push(G, db)
    assert (summary.themes.created, summary.entities.created, summary.relations.created) == (
        N_THEMES, N_ENTITIES, N_RELATIONS)
    assert summary.entities.updated == summary.relations.updated == 0
    H = pull(db)
    assert_same_graph(G, H)
    assert H.nodes["espoo"]["sources"][1] == {"url": "https://www.enterespoo.fi/en/", "seen": "2026-11-21"}
    assert H.edges["enter-espoo", "japan", "enter-espoo-japan-market"]["strength"] == 0.55
    assert H.nodes["ai"]["kind"] == "theme" and H.nodes["ossi-ritvos"]["home"] is True


def test_push_twice_changes_nothing(db, G):
    push(G, db)
    before = status(db)
    again = push(G, db)
    for counts, total in ((again.themes, N_THEMES), (again.entities, N_ENTITIES), (again.relations, N_RELATIONS)):
        assert (counts.created, counts.updated, counts.unchanged, counts.removed, counts.stale) == (0, 0, total, 0, 0)
    after = status(db)
    assert (after["labels"], after["types"], after["managed"]) == (before["labels"], before["types"], before["managed"])


def test_labels_types_and_counts_on_the_server(db, G):
    push(G, db, batch_size=4)  # several batches of every stage
    s = status(db)
    assert s["managed"] == {"entities": N_ENTITIES, "relations": N_RELATIONS, "themes": N_THEMES}
    for label, n in {"City": 3, "Country": 2, "University": 2, "Agreement": 1, "Person": 1, "Theme": 1}.items():
        assert s["labels"][label] == n
    assert s["types"]["PARTY_TO"] == 4 and s["types"]["LOCATED_IN"] == 2 and s["types"]["CONTACT_FOR"] == 2
    assert s["database"] == db.database and s["product"] in ("ArcadeDB", "Neo4j")
    # id is unique on every label and type of ours (13 kinds, 23 relation kinds, the taxonomy)
    assert s["constraints"] == sorted(target for target, _ in C.schema_statements()) and len(s["constraints"]) == 37


EDITED = (DATA
          .replace("name: SK hynix,", "name: SK hynix Inc.,")                        # an attribute changes
          .replace("  - {id: gatchina, kind: city, name: Gatchina, country: RU, sources: [" + S1 + "]}\n", "")
          .replace("  - {source: espoo, target: gatchina, kind: twin_town, since: 1968, until: 2022-03-03, "
                   "status: ended, sources: [" + S1 + "]}\n", "")                   # an entity and its tie go
          .replace("id: cbist, kind: institute,", "id: cbist, kind: agency,")         # an entity changes kind
          .replace("target: japan, kind: key_market, strength: 0.55,",
                   "target: japan, kind: collaborates_with, strength: 0.55,")         # same id, another kind
          + f"  - {{source: enter-espoo, target: espoo, kind: owned_by, sources: [{S2}]}}\n")  # a new tie


def test_edit_then_push_with_prune(db, G, tmp_path):
    assert EDITED.count("gatchina") == 0 and "kind: agency, name: Chungbuk Science" in EDITED
    G2 = load_graph(write_data(tmp_path / "edited", EDITED))
    push(G, db)
    kept = push(G2, db)  # no prune: the old entity and tie stay, reported as stale
    assert (kept.entities.created, kept.entities.updated, kept.entities.stale) == (0, 2, 1)
    assert (kept.relations.created, kept.relations.updated, kept.relations.stale) == (1, 1, 1)
    assert status(db)["managed"]["entities"] == N_ENTITIES
    pruned = push(G2, db, prune=True)
    assert (pruned.entities.removed, pruned.relations.removed) == (1, 1)
    assert (pruned.entities.created, pruned.entities.updated, pruned.relations.updated) == (0, 0, 0)
    H = pull(db)
    assert_same_graph(G2, H)
    s = status(db)
    assert s["labels"].get("Institute", 0) == 0 and s["labels"]["Agency"] == 2
    assert s["types"].get("KEY_MARKET", 0) == 0 and s["types"]["COLLABORATES_WITH"] == 1


def test_prune_leaves_other_data_alone(db, G):
    connect(db).write(lambda tx: tx.run(
        "CREATE (:TestForeign {id: 'espoo', name: 'not ours'})-[:VISITED {id: 'v1'}]->(:TestForeign {id: 'x'})"
    ).consume())
    push(G, db, prune=True)
    empty = G.copy()
    empty.remove_nodes_from(list(G))
    empty.graph["themes"] = {}
    summary = push(empty, db, prune=True)
    assert (summary.entities.removed, summary.relations.removed, summary.themes.removed) == (
        N_ENTITIES, N_RELATIONS, N_THEMES)
    s = status(db)
    assert s["labels"].get("TestForeign") == 2 and s["types"].get("VISITED") == 1
    assert s["managed"] == {"entities": 0, "relations": 0, "themes": 0}


def test_uniqueness_constraint_is_enforced(db, G):
    from neo4j.exceptions import ConstraintError

    push(G, db)
    conn = connect(db)
    with pytest.raises(ConstraintError):
        conn.driver.execute_query("CREATE (:City {id: 'espoo'})", database_=db.database)


# --- pull parts -----------------------------------------------------------------------------------------

def test_pull_focus_and_depth(db, G):
    push(G, db)
    one = pull(db, focus="Chungbuk", depth=1)  # an alias
    assert sorted(one) == ["cbnu", "chungbuk", "sk-hynix", "south-korea"]
    assert sorted(k for *_, k in one.edges(keys=True)) == sorted([
        "cbnu--located-in--chungbuk", "sk-hynix--operates-in--chungbuk", "chungbuk--located-in--south-korea"])
    two = pull(db, focus="chungbuk", depth=2)
    assert sorted(two) == ["cbnu", "chungbuk", "enter-espoo-chungbuk-mou-2024", "ossi-ritvos", "sk-hynix", "south-korea"]
    assert two.nodes["cbnu"] == G.nodes["cbnu"] and two.graph["themes"] == G.graph["themes"]
    with pytest.raises(EntityNotFound, match="chungbukk"):
        pull(db, focus="chungbukk")


def test_pull_theme(db, G):
    push(G, db)
    part = pull(db, theme="chips")  # a synonym of semiconductors
    # Tagged entities, and both ends of the relations on the theme: tagged (enter-espoo's MoU
    # signature), or untagged with both ends on it (cbnu's), or with one end without themes
    # taking the other's (cbist, chungbuk); knut's is on autonomous driving only.
    assert sorted(part) == ["cbist", "cbnu", "chungbuk", "enter-espoo", "enter-espoo-chungbuk-mou-2024", "sk-hynix"]
    assert sorted(k for *_, k in part.edges(keys=True)) == [
        "cbist--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20",
        "cbnu--located-in--chungbuk",
        "cbnu--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20",
        "enter-espoo--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20",
        "sk-hynix--operates-in--chungbuk"]


# --- injection: values are parameters --------------------------------------------------------------------

def test_hostile_values_go_in_as_parameters_and_read_back(db):
    G = nx.MultiDiGraph(themes={})
    G.add_node("a", kind="company", name=NASTY, description="it's \"quoted\" `MATCH (n) DETACH DELETE n`",
               aliases=["'; DROP", "`x`", "}) RETURN 1 //"])
    G.add_node("b", kind="city", name="B")
    G.add_edge("a", "b", key="r`1", kind="operates_in", note="') DETACH DELETE r WITH 1 AS x //")
    push(G, db)
    H = pull(db)
    assert H.nodes["a"]["name"] == NASTY
    assert H.nodes["a"]["description"] == G.nodes["a"]["description"]
    assert H.nodes["a"]["aliases"] == ["'; DROP", "`x`", "}) RETURN 1 //"]
    assert H.edges["a", "b", "r`1"]["note"] == "') DETACH DELETE r WITH 1 AS x //"
    assert status(db)["managed"] == {"entities": 2, "relations": 1, "themes": 0}


def test_kind_outside_the_whitelist_is_refused_before_writing(db):
    G = nx.MultiDiGraph(themes={})
    G.add_node("ok", kind="city", name="Fine")
    G.add_node("bad", kind=NASTY, name="Bad")
    with pytest.raises(BackendError, match="unknown entity kind"):
        push(G, db)
    assert status(db)["managed"]["entities"] == 0


# --- the commands ---------------------------------------------------------------------------------------

def test_cli_push_status_pull(db, bolt_server, data_dir, tmp_path):
    first = invoke(bolt_server, "neo4j", "push", "--data", str(data_dir), "--format", "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["entities"]["created"] == N_ENTITIES
    again = invoke(bolt_server, "neo4j", "push", "--data", str(data_dir))
    assert again.exit_code == 0 and "entities   0        0        14" in again.stdout
    shown = invoke(bolt_server, "neo4j", "status")
    assert shown.exit_code == 0 and f"{N_ENTITIES} entities, {N_RELATIONS} relations, {N_THEMES} themes" in shown.stdout
    assert bolt_server.password not in shown.stdout
    out = tmp_path / "pulled.json"
    pulled = invoke(bolt_server, "neo4j", "pull", "--out", str(out))
    assert pulled.exit_code == 0 and f"pulled {N_ENTITIES} entities, {N_RELATIONS} relations" in pulled.stdout
    H = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    assert_same_graph(load_graph(data_dir), H)
    part = invoke(bolt_server, "neo4j", "pull", "--focus", "cbnu", "--depth", "1", "--format", "json")
    assert json.loads(part.stdout)["entity_kinds"] == {"agreement": 1, "region": 1, "university": 1}


def test_cli_prune_removes_what_the_data_dropped(db, bolt_server, data_dir, tmp_path):
    invoke(bolt_server, "neo4j", "push", "--data", str(data_dir))
    edited = write_data(tmp_path / "edited", EDITED)
    result = invoke(bolt_server, "neo4j", "push", "--data", str(edited), "--prune", "--format", "json")
    s = json.loads(result.stdout)
    assert (s["entities"]["removed"], s["relations"]["removed"], s["entities"]["stale"]) == (1, 1, 0)


def test_cli_depth_needs_focus(bolt_server):
    result = invoke(bolt_server, "neo4j", "pull", "--depth", "2")
    assert result.exit_code == 2 and "--depth needs --focus" in result.output


# --- errors: one line, the URI, never the password -------------------------------------------------------

def _error_cases(server):
    unused = f"bolt://127.0.0.1:{free_port()}"
    return {
        "server down": ({"NEO4J_URI": unused}, [unused, "cannot reach", "is the server running"]),
        "wrong password": ({"NEO4J_PASSWORD": "not-the-password-42"}, ["authentication failed", server.uri]),
        "unknown database": ({"NEO4J_DATABASE": "no-such-db"}, ["database 'no-such-db' does not exist", server.uri]),
        "http scheme": ({"NEO4J_URI": "http://127.0.0.1:7474"}, ["unsupported Neo4j URI", "bolt://"]),
        "no scheme": ({"NEO4J_URI": "127.0.0.1:7687"}, ["unsupported Neo4j URI", "NEO4J_URI"]),
    }


@pytest.mark.parametrize("case", ["server down", "wrong password", "unknown database", "http scheme", "no scheme"])
@pytest.mark.parametrize("command", [["neo4j", "status"], ["neo4j", "pull"]])
def test_connection_errors_are_one_clean_line(bolt_server, case, command):
    env, expected = _error_cases(bolt_server)[case]
    result = invoke(bolt_server, *command, env=env)
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith("Error: "), message
    for text in expected:
        assert text in message
    assert "Traceback" not in result.output
    password = env.get("NEO4J_PASSWORD", bolt_server.password)
    assert password not in result.output


# --- a server killed during a push -------------------------------------------------------------------------

@pytest.fixture
def own_server(tmp_path):
    """A separate ArcadeDB for the fault test, so the session's server is not disturbed."""
    server = ArcadeServer(tmp_path / "arcadedb", database="fault")
    try:
        server.start()
    except ServerFailed as e:
        pytest.fail(f"could not start the fault-test server: {e}", pytrace=False)
    yield server
    server.stop()


def _managed_entities(settings: Settings) -> int:
    return connect(settings).read("MATCH (n) WHERE n.managed_by = 'espoo-net' AND n.kind IS NOT NULL RETURN count(n) AS n")[0]["n"]


def test_kill_the_server_during_a_push(own_server, tmp_path):
    from bench.generate import generate, write_csv

    folder = tmp_path / "generated"
    write_csv(generate(3000, degree=6, seed=7), folder)
    G = load_graph(folder)
    env = {**os.environ, **own_server.info.env, "NEO4J_RETRY_SECONDS": "1"}
    cmd = [sys.executable, "-m", "cli", "neo4j", "push", "--data", str(folder), "--batch-size", "300"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    settings = own_server.info.settings
    deadline = time.monotonic() + 60
    while _managed_entities(settings) < 600:  # two batches committed
        assert proc.poll() is None and time.monotonic() < deadline, "the push ended before the kill"
        time.sleep(0.02)
    own_server.kill()
    out, err = proc.communicate(timeout=60)
    close_drivers()  # this process's pooled connections died with the server

    assert proc.returncode == 1, (out, err)
    message = err.strip().splitlines()[-1]
    assert message.startswith("Error: push to bolt://127.0.0.1:") and "failed at" in message, err
    assert "rolled back; committed before it:" in message and "Push again to finish" in message
    assert "Traceback" not in err and own_server.password not in err + out

    own_server.start()  # the same data folder and ports
    summary = push(G, own_server.info.settings, batch_size=1000)
    entities, relations = G.number_of_nodes(), G.number_of_edges()
    assert summary.entities.created + summary.entities.unchanged == entities
    assert summary.entities.created < entities  # what was written before the kill survived
    assert summary.relations.created + summary.relations.unchanged == relations
    assert status(own_server.info.settings)["managed"] == {
        "entities": entities, "relations": relations, "themes": len(G.graph["themes"])}
    assert_same_graph(G, pull(own_server.info.settings))
    close_drivers()


# --- data of others under our labels ------------------------------------------------------------------

def test_push_refuses_a_foreign_node_under_our_label_and_leaves_it(db, G):
    conn = connect(db)
    conn.write(lambda tx: tx.run("CREATE (:City {id: 'espoo', owner: 'someone else'})").consume())
    with pytest.raises(BackendError) as e:
        push(G, db, prune=True)
    message = str(e.value)
    assert "City 'espoo'" in message and "nothing written" in message and "\n" not in message
    left = conn.read("MATCH (n:City {id: 'espoo'}) RETURN properties(n) AS props, labels(n) AS labels")
    assert [(r["props"], r["labels"]) for r in left] == [({"id": "espoo", "owner": "someone else"}, ["City"])]
    assert status(db)["managed"] == {"entities": 0, "relations": 0, "themes": 0}
    conn.write(lambda tx: tx.run("MATCH (n:City {id: 'espoo'}) DETACH DELETE n").consume())


def test_a_foreign_node_written_during_a_push_rolls_its_batch_back(db, G):
    """The guard inside the MERGE itself, for a node written after push checked (called directly)."""
    conn = connect(db)
    conn.write(lambda tx: tx.run("CREATE (:City {id: 'espoo', owner: 'someone else'})").consume())
    row = node_row("espoo", G.nodes["espoo"])
    row.pop("kind")
    with pytest.raises(BackendError, match="not written by espoo-net"):
        conn.write(lambda tx: _check_foreign(tx.run(C.merge_entities("city"), rows=[row], marker=C.MARKER).single()))
    left = conn.read("MATCH (n:City {id: 'espoo'}) RETURN properties(n) AS props")
    assert [r["props"] for r in left] == [{"id": "espoo", "owner": "someone else"}]
    conn.write(lambda tx: tx.run("MATCH (n:City {id: 'espoo'}) DETACH DELETE n").consume())


def _check_foreign(record):
    if record["foreign"]:
        raise BackendError(f"{record['foreign']} not written by espoo-net")
    return record


def test_prune_keeps_our_node_that_a_foreign_relationship_touches(db, G):
    push(G, db)
    conn = connect(db)
    conn.write(lambda tx: tx.run(
        "MATCH (g:City {id: 'gatchina'}) CREATE (:TestForeign {id: 'f1'})-[:VISITED {id: 'v2'}]->(g)").consume())
    H = G.copy()
    H.remove_node("gatchina")
    summary = push(H, db, prune=True)
    assert summary.kept == ["City gatchina"]
    assert (summary.entities.removed, summary.relations.removed) == (0, 1)
    s = status(db)
    assert s["types"].get("VISITED") == 1 and s["labels"].get("TestForeign") == 1
    assert conn.read("MATCH (n:City {id: 'gatchina'}) RETURN n.managed_by AS m")[0]["m"] == C.MARKER
