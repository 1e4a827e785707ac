"""What a push stores, seen from Cypher as a Neo4j user sees it: dates as Neo4j dates, every
entity also under :Entity, each entity tied to its themes' taxonomy nodes by :HAS_THEME; and
pull gives exactly the pushed graph back. Against the test Bolt server (tests/support/bolt.py)."""
from __future__ import annotations

import datetime as dt

from graph.neo4j import cypher as C
from loaders import load_graph
from loaders.neo4j import connect, pull, push
from tests.test_neo4j import DATA, N_ENTITIES, assert_same_graph, write_data

PARTIAL = DATA.replace("since: 2019, sources: [{url: \"https://www.enterespoo.fi/en/\"",
                       "since: 2019-02, until: 2020, status: ended, sources: [{url: \"https://www.enterespoo.fi/en/\"")


def read(settings, query, **params):
    return [dict(r) for r in connect(settings).read(query, **params)]


def tags_of(settings):
    rows = read(settings, "MATCH (n:Entity)-[h:HAS_THEME]->(t:EspooNetTheme) WHERE h.managed_by = $m "
                          "RETURN n.id AS n, t.id AS t", m=C.MARKER)
    return sorted((r["n"], r["t"]) for r in rows)


def expected_tags(G):
    return sorted((n, t) for n, ts in G.nodes(data="themes") for t in set(ts or ()))


def test_dates_are_neo4j_dates_and_partial_dates_read_back(db, tmp_path):
    assert "since: 2019-02, until: 2020, status: ended" in PARTIAL
    G = load_graph(write_data(tmp_path / "d", PARTIAL))
    push(G, db)
    r = read(db, "MATCH (:Person {id: 'ossi-ritvos'})-[r:WORKS_FOR]->() RETURN r.since AS since, "
                 "r.since_precision AS sp, r.until AS until, r.until_precision AS up, "
                 "r.since < date('2019-03-01') AS before_march, r.source_seen AS seen")[0]
    # a partial date is its period's first day (since) or last day (until), with its precision
    assert (r["since"].to_native(), r["sp"], r["until"].to_native(), r["up"]) == (
        dt.date(2019, 2, 1), "month", dt.date(2020, 12, 31), "year")
    assert r["before_march"] is True and [d.to_native() for d in r["seen"]] == [dt.date(2026, 11, 21)]
    full = read(db, "MATCH ()-[r:TWIN_TOWN]->() RETURN r.until AS until, r.until_precision AS up")[0]
    assert (full["until"].to_native(), full["up"]) == (dt.date(2022, 3, 3), None)
    H = pull(db)
    assert_same_graph(G, H)
    assert H.edges["ossi-ritvos", "enter-espoo", next(iter(H["ossi-ritvos"]["enter-espoo"]))]["until"] == "2020"


def test_every_entity_has_the_common_label_and_its_theme_tags(db, tmp_path):
    G = load_graph(write_data(tmp_path / "d"))
    push(G, db)
    entities = read(db, "MATCH (n:Entity) WHERE n.managed_by = $m RETURN n.id AS id, labels(n) AS labels", m=C.MARKER)
    assert len(entities) == N_ENTITIES
    assert all(len(r["labels"]) == 2 and C.kind_of_labels(r["labels"]) for r in entities)
    assert sorted(read(db, "MATCH (n:Entity {id: 'espoo'}) RETURN labels(n) AS l")[0]["l"]) == ["City", "Entity"]
    assert tags_of(db) == expected_tags(G) and ("espoo", "culture") in tags_of(db)
    assert_same_graph(G, pull(db))  # the tags are not relations of the network


def test_changed_themes_retag_and_a_second_push_writes_nothing(db, tmp_path):
    G = load_graph(write_data(tmp_path / "d"))
    push(G, db)
    again = push(G, db)
    assert again.entities.created == again.entities.updated == 0 and tags_of(db) == expected_tags(G)
    edited = DATA.replace("themes: [ai, culture],", "themes: [quantum],")
    G2 = load_graph(write_data(tmp_path / "e", edited))
    summary = push(G2, db, prune=True)
    assert summary.entities.updated == 1 and summary.relations.removed == 0
    assert [t for n, t in tags_of(db) if n == "espoo"] == ["quantum"] and tags_of(db) == expected_tags(G2)
    assert_same_graph(G2, pull(db))


def test_a_database_pushed_before_the_common_label_is_brought_up_to_date(db, tmp_path):
    G = load_graph(write_data(tmp_path / "d"))
    push(G, db)
    conn = connect(db)
    conn.write(lambda tx: tx.run("MATCH (n:City {id: 'espoo'})-[h:HAS_THEME]->() DELETE h").consume())
    conn.write(lambda tx: tx.run("MATCH (n:City {id: 'espoo'}) REMOVE n:Entity").consume())
    assert read(db, "MATCH (n:Entity {id: 'espoo'}) RETURN count(n) AS n")[0]["n"] == 0
    summary = push(G, db)
    assert summary.entities.created == 0
    assert read(db, "MATCH (n:Entity {id: 'espoo'}) RETURN count(n) AS n")[0]["n"] == 1
    assert tags_of(db) == expected_tags(G)
    assert_same_graph(G, pull(db))
