"""The graph: parallel relations, attributes kept, lookups, and views as of a date."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli
from graph.errors import EntityNotFound, InvalidData
from graph.lookup import normalize
from graph.model import as_of, is_active, resolve
from loaders import load_graph

SRC = '[{url: "https://www.espoo.fi/en", seen: 2026-11-22}]'
DATA = f"""\
themes:
  - {{id: culture, label: Culture}}
  - {{id: ai, label: Artificial intelligence, synonyms: [AI, tekoäly]}}
entities:
  - {{id: espoo, kind: city, name: City of Espoo, aliases: [Espoo, Esbo], country: FI, home: true, sources: {SRC}}}
  - {{id: nomme, kind: city, name: Nõmme (district of Tallinn), country: EE, sources: {SRC}}}
  - {{id: koge, kind: city, name: Køge, country: DK, themes: [culture], sources: {SRC}}}
  - {{id: gatchina, kind: city, name: Gatchina, country: RU, sources: {SRC}}}
  - {{id: aalto-university, kind: university, name: Aalto University, sources: {SRC}}}
  - {{id: aalto-ees, kind: network, name: Aalto Entrepreneurship Society, sources: {SRC}}}
  - {{id: ossi, kind: person, name: Ossi Example, sources: {SRC}}}
relations:
  - {{source: espoo, target: nomme, kind: twin_town, since: 1995, themes: [culture], sources: {SRC}}}
  - {{source: espoo, target: nomme, kind: collaborates_with, since: 2020, sources: {SRC}}}
  - {{source: espoo, target: nomme, kind: twin_town, since: 1960, until: 1970, status: ended, sources: {SRC}}}
  - {{source: espoo, target: gatchina, kind: twin_town, since: 1968, until: 2022-03-03, status: ended, sources: {SRC}}}
  - {{source: espoo, target: koge, kind: twin_town, since: 2030, status: planned, sources: {SRC}}}
  - {{source: espoo, target: koge, kind: collaborates_with, status: suspended, sources: {SRC}}}
  - {{source: ossi, target: ai, kind: contact_for, sources: {SRC}}}
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("net")
    (d / "net.yaml").write_text(DATA, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def G(data_dir):
    return load_graph(data_dir)


def test_parallel_relations_are_separate_edges_with_all_attributes(G):
    edges = G.get_edge_data("espoo", "nomme")
    assert sorted(edges) == [
        "espoo--collaborates-with--nomme--2020", "espoo--twin-town--nomme--1960", "espoo--twin-town--nomme--1995"]
    e = edges["espoo--twin-town--nomme--1995"]
    assert e["themes"] == ["culture"] and e["status"] == "active" and e["until"] is None
    assert e["sources"] == [{"url": "https://www.espoo.fi/en", "seen": "2026-11-22"}]


def test_a_theme_named_by_a_relation_becomes_a_node(G):
    assert G.nodes["ai"]["kind"] == "theme" and G.nodes["ai"]["name"] == "Artificial intelligence"
    assert "culture" not in G  # carried by entities, named by no relation


@pytest.mark.parametrize("query, expected", [
    ("Nomme", "nomme"), ("NÕMME", "nomme"), ("nõmme", "nomme"), ("koge", "koge"), ("Køge", "koge"),
    ("esbo", "espoo"), ("City of Espoo", "espoo"), ("espoo", "espoo"), ("Aalto University", "aalto-university"),
])
def test_lookup_by_id_name_alias_ignoring_case_and_accents(G, query, expected):
    assert resolve(G, query) == expected


def test_unknown_name_lists_the_closest(G):
    with pytest.raises(EntityNotFound) as info:
        resolve(G, "Gatcina")
    assert info.value.suggestions[0] == "gatchina"


def test_a_prefix_naming_an_actor_and_an_activity_names_the_actor(G):
    """'Aalto' starts the university's name and a shared activity's: the one resolver prefers
    the actor (as intro always did) and notes the other."""
    from graph.model import collecting_notes, prefer_actor

    assert prefer_actor(["aalto-ees", "aalto-university"], lambda c: G.nodes[c]["kind"]) == "aalto-university"
    with collecting_notes() as notes:
        assert resolve(G, "Aalto") == "aalto-university"
    assert len(notes) == 1 and notes[0].startswith("'Aalto' also names ") and "(aalto-ees, " in notes[0]


def test_normalize_folds_letters_nfkd_keeps():
    assert normalize("Skagafjörður") == "skagafjordur" and normalize("Æbeltoft") == "aebeltoft"


def kinds_between(view, a, b):
    return sorted(d["kind"] + ":" + (d["since"] or "") for d in (view.get_edge_data(a, b) or {}).values())


def test_today_counts_only_active_and_unknown_ties(G):
    today = as_of(G)
    assert kinds_between(today, "espoo", "gatchina") == []
    assert kinds_between(today, "espoo", "koge") == []  # planned and suspended
    assert kinds_between(today, "espoo", "nomme") == ["collaborates_with:2020", "twin_town:1995"]
    assert today.number_of_nodes() == G.number_of_nodes()


def test_as_of_a_past_date_uses_the_dates(G):
    view = as_of(G, "2021-06-01")
    assert kinds_between(view, "espoo", "gatchina") == ["twin_town:1968"]
    assert kinds_between(view, "espoo", "nomme") == ["collaborates_with:2020", "twin_town:1995"]
    assert kinds_between(as_of(G, "1965"), "espoo", "nomme") == ["twin_town:1960"]
    assert kinds_between(as_of(G, "2022-03-04"), "espoo", "gatchina") == []


def test_is_active_bounds_are_inclusive_by_partial_date():
    tie = {"status": "ended", "since": "2017-11", "until": "2019"}
    assert not is_active(tie, "2017-10-31")
    assert is_active(tie, "2017-11-01") and is_active(tie, "2019-12-31")
    assert not is_active(tie, "2020-01-01")


def run(*args):
    result = CliRunner().invoke(cli.main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_show_groups_relations_by_kind(data_dir):
    out = json.loads(run("show", "Nomme", "--data", str(data_dir), "--format", "json"))
    assert out["entity"]["name"] == "Nõmme (district of Tallinn)"
    assert [g["kind"] for g in out["relations"]] == ["collaborates_with", "twin_town"]
    assert [r["since"] for r in out["relations"][1]["relations"]] == ["1995"]
    everything = json.loads(run("show", "nomme", "--data", str(data_dir), "--all", "--format", "json"))
    assert [r["since"] for r in everything["relations"][1]["relations"]] == ["1960", "1995"]


def test_show_narrows_to_relation_kinds_families_and_entity_kinds(data_dir):
    def kinds(*args):
        out = json.loads(run("show", "espoo", "--data", str(data_dir), "--all", "--format", "json", *args))
        return [(g["kind"], [r["other"] for r in g["relations"]]) for g in out["relations"]], out["left_out"]

    everything, none_left = kinds()
    assert everything == [("collaborates_with", ["koge", "nomme"]), ("twin_town", ["gatchina", "koge", "nomme", "nomme"])]
    assert none_left == 0
    assert kinds("--relation", "twin_town") == ([("twin_town", ["gatchina", "koge", "nomme", "nomme"])], 2)
    # a family names all its kinds; --kind narrows by the other end's entity kind
    assert kinds("--relation", "relationship") == (everything, 0)
    assert kinds("--relation", "place") == ([], 6)
    assert kinds("--kind", "university") == ([], 6)
    text = run("show", "espoo", "--data", str(data_dir), "--relation", "twin_town")
    assert "other relation" in text and "left out by --relation/--kind" in text
    # Filters that leave nothing say so, with the count left out, not only the header.
    text = run("show", "espoo", "--data", str(data_dir), "--all", "--relation", "place")
    assert text.rstrip().endswith("\n\nno relations match --relation/--kind (6 relations left out)")


def test_show_refuses_an_unknown_relation_kind_with_the_closest(data_dir):
    result = CliRunner().invoke(cli.main, ["show", "espoo", "--data", str(data_dir), "--relation", "twinn_town"])
    assert result.exit_code == 2 and "unknown relation kind or family 'twinn_town' (did you mean 'twin_town'?)" in result.output
    assert "Traceback" not in result.output
    # Nothing close ('shared' is no 'awarded'): the families, and where the kinds are listed.
    result = CliRunner().invoke(cli.main, ["show", "espoo", "--data", str(data_dir), "--relation", "shared"])
    assert result.exit_code == 2 and "did you mean" not in result.output
    assert ("unknown relation kind or family 'shared' (a family: relationship, structure, activity, money, place; "
            "or one of their kinds, listed in the schema (graph/schema.yaml) and counted by `espoo-net stats`)"
            in " ".join(result.output.split())), result.output


def test_show_table_names_sources(data_dir):
    out = run("show", "gatchina", "--data", str(data_dir), "--as-of", "2021-06-01")
    assert "<- City of Espoo [espoo]  1968–2022-03-03  active (now ended)" in out
    assert "source: https://www.espoo.fi/en (seen 2026-11-22)" in out


def test_show_unknown_entity_is_a_clean_error(data_dir):
    result = CliRunner().invoke(cli.main, ["show", "Gatcina", "--data", str(data_dir)])
    assert result.exit_code == 1 and "no entity matches 'Gatcina'; closest: gatchina" in result.output
    assert "Traceback" not in result.output


def test_find_by_text_kind_and_theme(data_dir):
    hits = json.loads(run("find", "aalto", "--data", str(data_dir), "--format", "json"))["results"]
    assert [h["id"] for h in hits] == ["aalto-ees", "aalto-university"]
    hits = json.loads(run("find", "aalto", "--kind", "university", "--data", str(data_dir), "--format", "json"))["results"]
    assert [h["id"] for h in hits] == ["aalto-university"]
    hits = json.loads(run("find", "culture", "--data", str(data_dir), "--format", "json"))["results"]
    assert [h["id"] for h in hits] == ["koge"]


def test_find_by_country(data_dir):
    def ids(*args):
        return [h["id"] for h in json.loads(run("find", *args, "--data", str(data_dir), "--format", "json"))["results"]]
    assert ids("", "--country", "ee", "--country", "DK") == ["koge", "nomme"]
    assert ids("", "--country", "EE,DK") == ["koge", "nomme"]
    assert ids("o", "--country", "FI", "--kind", "city") == ["espoo"]
    result = CliRunner().invoke(cli.main, ["find", "", "--country", "Estonia", "--data", str(data_dir)])
    assert result.exit_code == 2 and "not an ISO 3166-1 alpha-2 country code" in result.output


def test_stats_counts(data_dir):
    s = json.loads(run("stats", "--data", str(data_dir), "--format", "json", "--as-of", "2021-06-01"))
    # 7 entities as `validate` counts them; the theme a contact_for tie points to is counted apart
    assert s["entities"] == 7 and s["theme_nodes"] == 1 and s["relations"] == 7 and s["active_relations"] == 5
    assert s["entity_kinds"]["city"] == 4 and s["relation_kinds"]["twin_town"] == 4
    assert s["statuses"] == {"active": 3, "ended": 2, "planned": 1, "suspended": 1}


def test_bad_as_of_is_a_usage_error(data_dir):
    result = CliRunner().invoke(cli.main, ["stats", "--data", str(data_dir), "--as-of", "June"])
    assert result.exit_code == 2 and "is not a date" in result.output


def test_data_from_environment_variable(data_dir, monkeypatch):
    monkeypatch.setenv("ESPOO_NET_DATA", str(data_dir))
    assert "7 entities (and 1 theme that ties point to)" in run("stats")


def test_cache_serves_the_same_data_and_sees_edits(tmp_path, monkeypatch):
    from loaders import load_dataset

    monkeypatch.setenv("ESPOO_NET_CACHE", str(tmp_path / "cache"))
    (tmp_path / "d").mkdir()
    f = tmp_path / "d" / "net.yaml"
    f.write_text(DATA, encoding="utf-8")
    first = load_dataset(tmp_path / "d")
    assert len(list((tmp_path / "cache").glob("*.cache"))) == 1
    assert load_dataset(tmp_path / "d") == first
    f.write_text(DATA.replace("name: Køge", "name: Kjøge"), encoding="utf-8")
    assert [e.name for e in load_dataset(tmp_path / "d").entities if e.id == "koge"] == ["Kjøge"]
    f.write_text(DATA + "  - {source: espoo, target: nowhere, kind: twin_town}\n", encoding="utf-8")
    with pytest.raises(InvalidData):
        load_dataset(tmp_path / "d")


def test_exact_name_wins_over_a_shortened_name():
    from graph.lookup import EntityIndex

    idx = EntityIndex([("vtt", "VTT", []), ("vtt-astar-mou", "VTT – A*STAR MoU (2019)", [])])
    assert idx.resolve("VTT") == "vtt"
    assert idx.resolve("vtt – a*star mou") == "vtt-astar-mou"


def test_unwritable_output_is_a_clean_error(data_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli.main, ["map", "--data", str(data_dir), "--out", str(blocker / "map.html")])
    assert result.exit_code == 1 and "Traceback" not in result.output and "Error:" in result.output


def test_map_creates_the_output_folder(data_dir, tmp_path):
    out = tmp_path / "new" / "folder" / "map.html"
    run("map", "--data", str(data_dir), "--out", str(out))
    assert out.stat().st_size > 10_000
