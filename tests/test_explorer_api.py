"""The explorer's JSON API over HTTP, against a real `espoo-net serve` on the small network.

Answers worked out by hand on tests/support/mapdata.py: our side is the City of Espoo, Enter
Espoo and Ossi Ritvos; Chungbuk National University is reached only through the Enter Espoo –
Chungbuk MoU (signed 2024-05-20), so before that day there is no route; Gatchina's twinning
ended on 2022-03-03. Each answer is also the library function's result, as `--format json`
prints it.
"""
from __future__ import annotations

import json
import shutil
import socket
import time

import pytest
import yaml
from click.testing import CliRunner

import cli
from graph.interchange import json_default
from maps.html import map_data
from maps.view import build_view
from queries.clusters import clusters
from queries.introductions import introductions
from graph.schema import SCHEMA
from queries.paths import find_paths
from tests.support.explorer import start_server
from tests.support.mapdata import PAYLOADS, SMALL, payload_records, weak_routes_data, write_dataset


def as_json(result):
    """A library result as the CLI's --format json prints it (and the API must answer)."""
    return json.loads(json.dumps(result, ensure_ascii=False, default=json_default))


def test_intro_is_the_intro_command_answer(small_server, small_graph):
    r = small_server.get("/api/intro", target="Chungbuk National University")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body == as_json(introductions(small_graph, "cbnu"))
    [route] = body["routes"]
    assert route["introducer"] == "enter-espoo"
    assert route["nodes"] == ["enter-espoo", "cbnu"]  # one hop, through the MoU they both signed
    assert [(h["via"], h["ties"][0]["since"]) for h in route["hops"]] == [("enter-espoo-chungbuk-mou-2024", "2024-05-20")]
    assert route["hops"][0]["ties"][0]["sources"] == [{"url": "https://www.enterespoo.fi/news", "seen": "2025-06-10"}]


def test_weaker_routes_are_listed_when_asked(tmp_path):
    server = start_server(write_dataset(tmp_path / "weak", weak_routes_data()))
    try:
        some = server.get("/api/intro", target="tgt").json()
        every = server.get("/api/intro", target="tgt", all_routes="1").json()
    finally:
        server.stop()
    assert (len(some["routes"]), some["hidden"]) == (1, 1)
    assert (len(every["routes"]), every["hidden"]) == (2, 0)
    assert every["routes"][1]["names"] == ["City of Espoo", "Acme Oy", "Beta AB", "Target GmbH"]


def test_the_date_re_answers_the_question(small_server, small_graph):
    body = small_server.get("/api/intro", target="cbnu", as_of="2023-01-01").json()
    assert body["routes"] == [] and body["as_of"] == "2023-01-01"
    assert [n["id"] for n in body["nearest"]] == ["south-korea"]  # Ossi Ritvos's country contact, same country
    assert body == as_json(introductions(small_graph, "cbnu", as_of="2023-01-01"))
    today = small_server.get("/api/entity", id="Gatchina").json()
    assert today["relations"] == []  # the twinning ended in 2022
    then = small_server.get("/api/entity", id="Gatchina", as_of="2000").json()
    [group] = then["relations"]
    assert (group["kind"], group["relations"][0]["other"], group["relations"][0]["status"]) == ("twin_town", "espoo", "ended")


def test_path_is_the_path_command_answer(small_server, small_graph):
    body = small_server.get("/api/path", source="Espoo", target="cbnu").json()
    assert body == as_json(find_paths(small_graph, "espoo", "cbnu"))
    assert body["routes"][0]["nodes"] == ["espoo", "enter-espoo", "cbnu"]
    by_strength = small_server.get("/api/path", source="espoo", target="nomme", by="strength", k=1).json()
    assert by_strength == as_json(find_paths(small_graph, "espoo", "nomme", by="strength", k=1))


@pytest.mark.parametrize("query, found", [
    ("nomme", ["nomme"]),  # Nõmme without its accent
    ("KØGE", ["koge"]),
    ("shang", ["shanghai"]),  # an alias of 上海
    ("chungbuk", ["cbnu", "enter-espoo-chungbuk-mou-2024", "chungbuk"]),  # sorted by name, the Hangul last
    ("zzz", []),
])
def test_search_finds_names_aliases_and_accents(small_server, query, found):
    body = small_server.get("/api/search", q=query).json()
    assert [h["id"] for h in body["results"]] == found and body["total"] == len(found)


def test_clusters_and_map_are_the_library_answers(small_server, small_graph):
    assert small_server.get("/api/clusters").json() == as_json(clusters(small_graph))
    drawn = small_server.get("/api/map").json()
    assert drawn == as_json(map_data(build_view(small_graph), compact=True))
    assert (len(drawn["nodes"]), len(drawn["edges"])) == (11, 12)
    assert small_server.get("/api/map", full="1").json() == as_json(map_data(build_view(small_graph)))


def test_map_answer_is_the_html_maps_data_without_sources_and_filters(small_server):
    """The page's map: the same entities, ties, places, styles, labels and label order as the
    HTML map's data, less what only the HTML map's filters and source lists use."""
    compact, full = small_server.get("/api/map").json(), small_server.get("/api/map", full="1").json()
    left_out = {"nodes": {"src", "aliases", "themes"}, "edges": {"src", "themes", "family", "confidence"}}
    for part in ("nodes", "edges"):
        assert [x["id"] for x in compact[part]] == [x["id"] for x in full[part]]
        for small, whole in zip(compact[part], full[part]):
            # An activity drawn as a tie keeps its family: it gives the tie's colour.
            kept = {k: v for k, v in whole.items() if k not in left_out[part] or (k == "family" and "via" in whole)}
            assert small == kept
    assert any(n.get("src") for n in full["nodes"]) and any(e.get("src") for e in full["edges"])
    assert compact["options"] == full["options"] and compact["title"] == full["title"]
    assert set(full["page"]) - set(compact["page"]) == {"sources", "themes", "maxSources"}
    for key in ("labelOrder", "labelMust", "edgeStyles", "legend", "subtitle", "footer", "kindLabels"):
        assert compact["page"][key] == full["page"][key]
    # Every theme a tooltip names (the entities' own) still has its label.
    assert {t for n in compact["nodes"] for t in n.get("own", [])} <= set(compact["page"]["themeLabels"])
    assert len(small_server.get("/api/map").content) < len(small_server.get("/api/map", full="1").content)


@pytest.mark.parametrize("path, params, status, message", [
    ("/api/intro", {"target": "nobody"}, 404, "no entity matches 'nobody'"),
    ("/api/intro", {"target": "espoo"}, 400, "City of Espoo (espoo) is on our side already"),
    ("/api/intro", {}, 400, "missing parameter 'target'"),
    ("/api/intro", {"target": "cbnu", "k": "0"}, 400, "k must be between 1 and 20, not 0"),
    ("/api/intro", {"target": "cbnu", "k": "many"}, 400, "k must be a whole number, not 'many'"),
    ("/api/path", {"source": "espoo", "target": "cbnu", "as_of": "2021-13"}, 400, "as_of: '2021-13' is not a real date"),
    ("/api/path", {"source": "espoo", "target": "cbnu", "by": "luck"}, 400, "by must be one of hops, strength"),
    ("/api/path", {"source": "gatchina", "target": "cbnu"}, 404, "no route joins Gatchina (gatchina)"),
    ("/api/clusters", {"theme": "knitting"}, 400, "knitting"),
    ("/api/nope", {}, 404, "no question 'nope'"),
    ("/nope", {}, 404, "Not Found"),
])
def test_errors_are_json_messages_never_tracebacks(small_server, path, params, status, message):
    r = small_server.get(path, **params)
    assert r.status_code == status
    body = r.json()
    assert list(body) == ["error"] and message in body["error"], body
    assert "Traceback" not in r.text


def test_read_only_and_locked_down(small_server):
    import httpx

    r = httpx.post(small_server.url + "/api/intro", data={"target": "cbnu"})
    assert (r.status_code, r.json()) == (405, {"error": "Method Not Allowed"})
    page = small_server.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "no-referrer"
    # Only our own scripts, no inline script or style, nothing from elsewhere.
    assert page.text.count("<script") == page.text.count("<script src=\"/static/") == 5 and 'src="/static/' in page.text and "<style" not in page.text
    assert "http://" not in page.text and "https://" not in page.text
    vis = small_server.get("/static/vis-network.min.js")
    assert vis.status_code == 200 and vis.headers["content-type"].startswith("text/javascript")
    assert small_server.get("/static/../app.py").status_code == 404
    # Another site's name for this address (DNS rebinding) is refused.
    assert httpx.get(small_server.url + "/api/meta", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_come_back_as_json_strings(tmp_path, payload):
    server = start_server(write_dataset(tmp_path / "net", payload_records(payload)))
    try:
        r = server.get("/api/entity", id="espoo")
        assert r.headers["content-type"] == "application/json"
        assert payload in r.json()["entity"]["name"] and payload in r.json()["entity"]["aliases"]
        routes = server.get("/api/intro", target="cbnu").json()["routes"]
        assert all(payload in name for name in routes[0]["names"])
    finally:
        server.stop()


def test_the_dataset_reloads_when_its_files_change(tmp_path):
    folder = write_dataset(tmp_path / "net", SMALL)
    server = start_server(folder)
    try:
        assert server.get("/api/meta").json()["version"] == 1
        grown = dict(SMALL, entities=[*SMALL["entities"], {
            "id": "tartu", "kind": "city", "name": "Tartu", "country": "EE",
            "sources": [{"url": "https://example.org/tartu", "seen": "2025-01-01"}]}])
        (folder / "net.yaml").write_text(yaml.safe_dump(grown, allow_unicode=True, sort_keys=False), encoding="utf-8")
        meta = _wait_for(server, lambda m: m["version"] == 2)
        assert (meta["entities"], meta["problem"]) == (13, None)
        assert [h["id"] for h in server.get("/api/search", q="tartu").json()["results"]] == ["tartu"]
        # Broken data is not swapped in: the last good network keeps answering, the problem is told.
        (folder / "net.yaml").write_text("entities:\n  - id: Bad Id\n", encoding="utf-8")
        meta = _wait_for(server, lambda m: m["problem"])
        assert meta["version"] == 2 and "nothing was loaded" in meta["problem"] and "net.yaml:2" in meta["problem"]
        assert server.get("/api/entity", id="tartu").status_code == 200
    finally:
        server.stop()


def _wait_for(server, ok, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        meta = server.get("/api/meta").json()
        if ok(meta):
            return meta
        time.sleep(0.3)
    raise AssertionError(f"meta never changed: {meta}")


def test_serve_warns_off_this_machine_and_says_where(monkeypatch, small_data):
    import explorer

    seen = {}
    monkeypatch.setattr(explorer, "run", lambda app, sock: seen.update(port=sock.getsockname()[1]) or sock.close())
    local = CliRunner().invoke(cli.main, ["serve", "--data", str(small_data), "--port", "0"])
    assert local.exit_code == 0 and "warning" not in local.output
    assert f"open http://127.0.0.1:{seen['port']}/" in local.output
    wide = CliRunner().invoke(cli.main, ["serve", "--data", str(small_data), "--port", "0", "--host", "0.0.0.0"])
    assert wide.exit_code == 0
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine" in wide.output


def test_a_busy_port_is_a_clean_error(small_data):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        r = CliRunner().invoke(cli.main, ["serve", "--data", str(small_data), "--port", str(port)])
    assert r.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}:" in r.output and "Traceback" not in r.output


def test_missing_data_is_a_clean_error(tmp_path):
    shutil.rmtree(tmp_path, ignore_errors=True)
    r = CliRunner().invoke(cli.main, ["serve", "--data", str(tmp_path / "none"), "--port", "0"])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_changes_and_due_are_the_commands_answers(small_server, small_graph):
    from queries.timeline import changes
    from queries.upkeep import due

    body = small_server.get("/api/changes", since="2024-01-01", until="2024-12-31").json()
    assert body == as_json(changes(small_graph, "2024-01-01", "2024-12-31"))
    assert "enter-espoo--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20" in {t["id"] for t in body["began"]}
    narrowed = small_server.get("/api/changes", since="2024-01-01", until="2024-12-31", relation="activity").json()
    assert narrowed == as_json(changes(small_graph, "2024-01-01", "2024-12-31", relations=("activity",)))
    assert narrowed["began"] and {t["kind"] for t in narrowed["began"]} <= {
        k for k, v in SCHEMA.relation_kinds.items() if v.family == "activity"}
    assert small_server.get("/api/due", within="1y").json() == as_json(due(small_graph, within="1y"))
    bad = small_server.get("/api/changes")
    assert (bad.status_code, bad.json()) == (400, {"error": "missing parameter 'since'"})
    bad = small_server.get("/api/due", within="soon")
    assert bad.status_code == 400 and bad.json()["error"].startswith("within: 'soon' is not a duration")


def test_the_start_line_counts_entities_as_the_page_header_does():
    """`serve` prints the counts the page shows (/api/meta): theme nodes the taxonomy made are
    not entities, so on the bundled data (which has themes) the line is not the node count."""
    from pathlib import Path

    from loaders import load_graph

    data = Path(cli.__file__).resolve().parent / "data"
    server = start_server(data)
    try:
        meta = server.get("/api/meta").json()
        assert load_graph(data).number_of_nodes() > meta["entities"]  # the premise: themes are nodes too
        line = next(s for s in server.banner if s.startswith("espoo-net explorer:"))
        assert f": {meta['entities']:,} entities, {meta['relations']:,} relations (networkx)" in line, line
    finally:
        server.stop()


def test_error_advice_is_worded_for_the_caller(small_server, small_graph, tmp_path):
    """One message, its advice worded per caller (graph.errors.HINTS): the command line names
    --all and ids, the page says what a web user can do there."""
    from graph.errors import NoPath

    web = small_server.get("/api/path", source="gatchina", target="cbnu").json()["error"]
    assert web.startswith("no route joins Gatchina (gatchina) and Chungbuk National University (cbnu) today; ")
    assert "--all" not in web and "an earlier day under 'As of'" in web
    with pytest.raises(NoPath) as info:
        find_paths(small_graph, "gatchina", "cbnu")
    assert str(info.value).endswith("today; --all also uses ended, suspended and planned ties")
    assert info.value.worded_for("web") == web
    # An ambiguous name: the ids listed, then the caller's advice.
    data = dict(SMALL, entities=[*SMALL["entities"],
                                 {"id": "koge-a", "kind": "company", "name": "Twin Co", "sources": SMALL["entities"][0]["sources"]},
                                 {"id": "koge-b", "kind": "university", "name": "Twin Co", "sources": SMALL["entities"][0]["sources"]}])
    folder = write_dataset(tmp_path / "twins", data)
    server = start_server(folder)
    try:
        body = server.get("/api/path", source="espoo", target="Twin Co").json()
    finally:
        server.stop()
    assert body["error"] == "'Twin Co' matches 2 entities: koge-a, koge-b (type one of these ids instead)"
    r = CliRunner().invoke(cli.main, ["path", "espoo", "Twin Co", "--data", str(folder)])
    assert r.exit_code == 1 and "'Twin Co' matches 2 entities: koge-a, koge-b (use an id)" in r.output


def test_changes_since_a_duration(small_server):
    """The page's 'Since' takes a duration too, counted back from the window's end."""
    body = small_server.get("/api/changes", since="6m", until="2025-12-31").json()
    assert (body["since"], body["until"]) == ("2025-06-30", "2025-12-31")
    bad = small_server.get("/api/changes", since="6x")
    assert bad.status_code == 400 and "'6x' is neither a date nor a duration" in bad.json()["error"]
