"""A word given to the wrong option says what it is and what takes it: a country or an entity
given as a theme, an entity kind as a relation kind and back; a theme is suggested only when
it is spelt close to the word (user test: `brokers --theme korea` suggested 'youth')."""
from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

import cli
from graph.errors import EspooNetError
from graph.lookup import check_entity_kinds, country_named, relation_kinds_named, theme_id
from queries.entities import resolve_theme

THEMES = {"quantum": {"label": "Quantum technologies"}, "youth": {"label": "Youth"},
          "education": {"label": "Education"}, "inclusion": {"label": "Inclusion"}}


def tiny() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(themes=THEMES)
    G.add_node("espoo", kind="city", name="City of Espoo", aliases=["Espoo"])
    G.add_node("kr", kind="country", name="Republic of Korea", aliases=["Korea"])
    return G


@pytest.mark.parametrize("word, code", [("korea", "KR"), ("KR", "KR"), ("Finland", "FI"), ("saksa", "DE")])
def test_a_country_given_as_a_theme_says_which_and_what_takes_it(word, code):
    with pytest.raises(EspooNetError) as info:
        theme_id(THEMES, word)
    assert str(info.value) == (f"{word!r} is a country ({code}), not a theme: map, export and find take "
                               f"--country {code}; `espoo-net themes` lists the themes")
    assert country_named(word) == code


def test_a_theme_is_suggested_only_when_spelt_close():
    with pytest.raises(EspooNetError, match=r"^unknown theme 'quantm' \(did you mean 'quantum'\?\)$"):
        theme_id(THEMES, "quantm")
    with pytest.raises(EspooNetError) as info:
        theme_id(THEMES, "zebra")  # 'korea' and 'youth' were this far apart
    assert str(info.value) == "unknown theme 'zebra' (`espoo-net themes` lists the themes)"
    assert theme_id(THEMES, "Youth") == "youth"  # a theme stays a theme


def test_an_entity_given_as_a_theme_says_which_and_what_takes_it():
    G = tiny()
    with pytest.raises(EspooNetError) as info:
        resolve_theme(G, "espoo")
    assert str(info.value) == ("'espoo' is an entity (City of Espoo [espoo]), not a theme: map and export take "
                               "--focus espoo, `espoo-net neighbours espoo` lists its ties; `espoo-net themes` "
                               "lists the themes")
    with pytest.raises(EspooNetError, match=r"^'korea' is a country \(KR\)"):  # the country first: --country KR
        resolve_theme(G, "korea")
    assert resolve_theme(G, "quantum technologies") == "quantum"


def test_entity_and_relation_kinds_given_to_each_other():
    with pytest.raises(EspooNetError, match=r"^'twin_town' is a relation kind, not an entity kind "
                                            r"\(show and changes take it as --relation twin_town\)$"):
        check_entity_kinds(["city", "twin_town"])
    with pytest.raises(EspooNetError, match=r"^'activity' is a relation family, not an entity kind"):
        check_entity_kinds(["activity"])
    with pytest.raises(EspooNetError, match=r"^'company' is an entity kind, not a relation kind or family"):
        relation_kinds_named(["company"])
    with pytest.raises(EspooNetError, match=r"unknown entity kind 'companies' \(did you mean 'company'\?\)"):
        check_entity_kinds(["companies"])


def test_brokers_theme_korea_on_the_bundled_data():
    r = CliRunner().invoke(cli.main, ["brokers", "--theme", "korea"])
    assert r.exit_code == 1 and "youth" not in r.output
    assert "'korea' is a country (KR), not a theme" in r.output and "Traceback" not in r.output
