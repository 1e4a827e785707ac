"""Plain-language explanations of routes: one line per hop, with its date, strength and source.

'Enter Espoo Oy and Chungbuk Province signed "Enter Espoo–Chungbuk MoU" (4 parties) in 2024:
warm (0.72) [https://...]'. Each relation kind has a phrase in the present and the past tense,
and each participation kind one for two participants of one activity, in `graph/schema.yaml`
(``phrase``, ``together``). A tie that has ended or is suspended is told in the past tense.
A hop through a shared activity names the activity and how many participants it has.
"""
from __future__ import annotations

import networkx as nx

from graph.durations import tie_dates
from graph.schema import SCHEMA

from .routing import edge_between

__all__ = ["hop", "hop_ties", "hop_sources", "explain_route", "explain_hop", "dates_text", "phrase", "with_article", "when_text"]

_PAST_STATUSES = frozenset({"ended", "suspended"})
_STATUS_NOTES = {"unknown": "status unknown", "planned": "planned", "suspended": "suspended"}


def with_article(word: str) -> str:
    """'an agreement', 'a project': the indefinite article a word takes.

    >>> with_article("agreement"), with_article("event"), with_article("university")
    ('an agreement', 'an event', 'a university')
    """
    vowel = word[:1].lower() in "aeio" or (word[:1].lower() == "u" and not word.lower().startswith(("uni", "use")))
    return f"{'an' if vowel else 'a'} {word}"


def when_text(date: str) -> str:
    """A date as words after a verb: 'on 2024-05-20', 'in 2024-05', 'in 1999'."""
    return f"on {date}" if len(date) == 10 else f"in {date}"


def dates_text(hop: dict) -> str:
    """A hop's dates as words: 'since 2019', '1997–2022-03-03', 'until 2020' or 'undated' (`graph.durations.tie_dates`)."""
    return tie_dates(hop.get("since"), hop.get("until"))


def hop_ties(hop: dict) -> list[dict]:
    """The ties that carry a hop: its one ``tie``, or a's and b's ``ties`` to a shared activity."""
    return hop["ties"] if "ties" in hop else [hop["tie"]]


def hop_sources(hop: dict) -> list[dict]:
    """A hop's evidence: the sources of the ties that carry it, each once, in order."""
    out: list[dict] = []
    for t in hop_ties(hop):
        out += [x for x in t.get("sources") or [] if x not in out]
    return out


def _source_text(hop: dict) -> str:
    sources = hop_sources(hop)
    if not sources:
        return ""
    more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
    return f" [{sources[0]['url']}{more}]"


def phrase(kind: str, status: str | None) -> str:
    """The schema's phrase of a relation kind, in the past tense for ended or suspended ties."""
    present, past = SCHEMA.relation_kinds[kind].phrase
    return past if status in _PAST_STATUSES else present


def _tail(hop: dict) -> str:
    """What follows the phrase: status, strength and band, the tie's note, the source (for a hop
    through an activity: the status of a's tie, the first note of the two)."""
    ties = hop_ties(hop)
    status = _STATUS_NOTES.get(ties[0].get("status"), "")
    status = f" ({status})" if status else ""
    note = next((t["note"] for t in ties if t.get("note")), None)
    note = f"; {note}" if note else ""
    return f"{status}: {hop['band']} ({hop['strength']:.2f}){note}{_source_text(hop)}"


def explain_hop(G: nx.MultiDiGraph, hop: dict) -> str:
    """One line telling what a hop's tie is, when, how warm, and where that comes from."""
    name = G.nodes
    if hop.get("via"):
        a, b, x = name[hop["from"]]["name"], name[hop["to"]]["name"], f'"{name[hop["via"]]["name"]}"'
        mine, theirs = hop["ties"]
        if mine["kind"] == theirs["kind"] and SCHEMA.relation_kinds[mine["kind"]].together:
            text = SCHEMA.relation_kinds[mine["kind"]].together.format(a=a, b=b, x=x)
        else:
            said = {n: x if n == hop["via"] else name[n]["name"] for r in (mine, theirs) for n in (r["source"], r["target"])}
            text = " and ".join(phrase(r["kind"], r.get("status")).format(s=said[r["source"]], t=said[r["target"]])
                                for r in (mine, theirs))
        parties = f" ({hop['parties']} parties)" if hop["parties"] > 2 else ""
        since = mine.get("since") or theirs.get("since")
        when = f" {when_text(since)}" if since else " (undated)"
        return f"{text}{parties}{when}{_tail(hop)}"
    tie = hop["tie"]
    text = phrase(tie["kind"], tie.get("status")).format(s=tie["source_name"], t=tie["target_name"])
    return f"{text} ({dates_text(tie)}){_tail(hop)}"


def explain_route(G: nx.MultiDiGraph, hops: list[dict]) -> list[str]:
    """One line per hop of a route (see `explain_hop`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="Espoo", kind="city"); G.add_node("b", name="Tallinn", kind="city")
    >>> tie = {"source": "a", "target": "b", "source_name": "Espoo", "target_name": "Tallinn",
    ...        "kind": "partner_city", "since": "2019", "until": None, "status": "active", "note": None,
    ...        "sources": [{"url": "https://example.org/x", "seen": "2025-01-01"}]}
    >>> hop = {"from": "a", "to": "b", "strength": 0.62, "band": "warm", "tie": tie}
    >>> explain_route(G, [hop])
    ['Espoo and Tallinn are partner cities (since 2019): warm (0.62) [https://example.org/x]']
    """
    return [explain_hop(G, h) for h in hops]


def _tie(G: nx.MultiDiGraph, u: str, v: str, key: str) -> dict:
    """A relation as a hop carries it: its own ends (``source``/``target``, as in the data) and their names."""
    d = G.edges[u, v, key]
    return {"id": key, "kind": d["kind"], "label": SCHEMA.relation_kinds[d["kind"]].label,
            "source": u, "target": v, "source_name": G.nodes[u]["name"], "target_name": G.nodes[v]["name"],
            "since": d.get("since"), "until": d.get("until"), "status": d.get("status"),
            "themes": list(d.get("themes") or []), "note": d.get("note"), "sources": list(d.get("sources") or [])}


def hop(G: nx.MultiDiGraph, R: nx.Graph, a: str, b: str) -> dict:
    """One step of a route, from `a` to `b`, and the tie or ties that carry it.

    The step: ``from``/``to`` (in route order) with ``from_name``/``to_name``, and how warm it is
    (``strength``; ``band``: warm, lukewarm, cold). What carries it: either ``tie``, one relation
    with its own ends (``source``/``target``, its direction in the data: the step may walk it
    backwards, said by the tie's ``walked``: forward, backward or mutual), or, for a step through
    a shared activity, ``via`` (the activity), ``via_name``, ``via_kind``, ``parties`` (its
    participants that day) and ``ties`` (a's tie to it, then b's).
    """
    d = R._adj[a][b]
    strength = round(d["strength"], 6)
    out = {"from": a, "to": b, "from_name": G.nodes[a]["name"], "to_name": G.nodes[b]["name"],
           "strength": strength, "band": SCHEMA.band(strength)}
    if "via" in d:
        out.update(via=d["via"], via_name=G.nodes[d["via"]]["name"], via_kind=G.nodes[d["via"]]["kind"],
                   parties=d["parties"], ties=[_tie(G, *d["ends"][n]) for n in (a, b)])
    else:
        tie = _tie(G, *edge_between(R, a, b))
        directed = SCHEMA.relation_kinds[tie["kind"]].directed
        tie["walked"] = "mutual" if not directed else "forward" if a == tie["source"] else "backward"
        out["tie"] = tie
    return out
