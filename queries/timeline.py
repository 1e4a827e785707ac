"""What changed in a window of time: `changes`, and the date helpers the upkeep queries share.

Dates in the data are partial (``2021``, ``2021-06``, ``2021-06-01``). A date is *in* a window
when the days it covers overlap the window, so ``2021`` is in a window that starts on
2021-06-01 (it may have happened then), and a tie whose ``until`` is the window's first day
ended in the window. Windows include both their first and their last day.
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.errors import EspooNetError
from graph.lookup import theme_id
from graph.model import on_theme
from graph.schema import SCHEMA
from graph.types import first_day, last_day

__all__ = ["changes", "in_window", "tie_row", "evidence_date", "home_nodes", "where"]


def in_window(text: str | None, start: dt.date, end: dt.date) -> bool:
    """Whether the days a partial date covers overlap the window start..end (both included).

    >>> in_window("2021", dt.date(2021, 6, 1), dt.date(2025, 1, 1))
    True
    >>> in_window("2021-05", dt.date(2021, 6, 1), dt.date(2025, 1, 1))
    False
    """
    return bool(text) and last_day(text) >= start and first_day(text) <= end


def tie_row(G: nx.MultiDiGraph, u: str, v: str, d: dict, names: dict | None = None) -> dict:
    """A relation as plain data: id, kind, both parties with their names, dates, status, sources.

    `names` (node -> name, from `G.nodes(data="name")`) saves the look-ups when many rows are made."""
    names = names if names is not None else dict(G.nodes(data="name"))
    return {"id": d["id"], "kind": d["kind"], "source": u, "source_name": names.get(u) or u,
            "target": v, "target_name": names.get(v) or v, "since": d.get("since"),
            "until": d.get("until"), "status": d.get("status", "active"), "sources": d.get("sources") or []}


def evidence_date(attrs: dict) -> str | None:
    """The date a fact's evidence stands on: the newest `published` date of its sources, else the
    fact's own latest date (`until`, else `since`); never the day a page was `seen`.

    >>> evidence_date({"since": "2019", "sources": [{"url": "u", "seen": "2026-01-01"}]})
    '2019'
    >>> evidence_date({"since": "2019", "sources": [{"url": "u", "seen": "2026-01-01", "published": "2025-03"}]})
    '2025-03'
    """
    published = [s["published"] for s in attrs.get("sources") or () if s.get("published")]
    if published:
        return max(published, key=last_day)
    return attrs.get("until") or attrs.get("since")


def home_nodes(G: nx.Graph) -> set[str]:
    """Our side: the entities marked `home`."""
    return {n for n, home in G.nodes(data="home") if home}


def where(G: nx.Graph, record_id: str) -> tuple[str | None, int | None]:
    """The file and line a record was loaded from, where the loaders know it (None, None otherwise)."""
    return tuple(G.graph.get("locations", {}).get(record_id, (None, None)))


def _sort_key(row: dict):
    return first_day(row["date"]), row["kind"], row["id"]


def changes(G: nx.MultiDiGraph, since: str, until: str | None = None, *, kinds: tuple[str, ...] = (),
            theme: str | None = None) -> dict:
    """Ties that began, ended or changed between two dates, and entities first seen then.

    Parameters
    ----------
    G : the network; since : first day of the window (a partial date stands for its first day);
    until : last day (a partial date stands for its last day); today when None.
    kinds : only ties of these relation kinds (all when empty); theme : only ties on this theme
    (the rule of every theme filter, `graph.model.on_theme`). Both narrow every list.

    Returns
    -------
    ``{"since", "until", "began", "ended", "changed", "first_seen"}``. ``began``: ties whose
    `since` is in the window (signings are party_to ties). ``ended``: ties whose `until` is in the
    window (ended, or active with an `until` that has passed). ``changed``: suspended ties whose
    `until` (the day they were put on hold) is in the window, and planned ties dated in it, each
    with ``change``. Each tie is `tie_row` plus ``date``, the date that put it in the window.
    ``first_seen``: entities whose earliest dated tie (planned ones aside) is in the window. Lists are sorted by
    date, kind and id.

    Raises
    ------
    EspooNetError if the window ends before it starts, or for an unknown kind or theme.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="A", kind="city"); G.add_node("b", name="B", kind="city")
    >>> G.add_edge("a", "b", key="t", id="t", kind="twin_town", since="2022-03-01", status="active")
    't'
    >>> [r["id"] for r in changes(G, "2022", "2022")["began"]]
    ['t']
    """
    unknown = [k for k in kinds if k not in SCHEMA.relation_kinds]
    if unknown:
        raise EspooNetError(f"unknown relation kind {unknown[0]!r} (one of: {', '.join(SCHEMA.relation_kinds)})")
    tid = theme_id(G.graph.get("themes", {}), theme) if theme else None
    start = first_day(since)
    end = last_day(until) if until else dt.date.today()
    if end < start:
        raise EspooNetError(f"the window ends ({end}) before it starts ({start})")
    began: list[dict] = []
    ended: list[dict] = []
    changed: list[dict] = []
    earliest: dict[str, str] = {}
    names = dict(G.nodes(data="name"))
    inside: dict[str | None, bool] = {None: False}  # each distinct date text is checked once

    def within(text: str | None) -> bool:
        hit = inside.get(text)
        if hit is None:
            hit = inside[text] = in_window(text, start, end)
        return hit

    for u, v, d in G.edges(data=True):
        if (kinds and d["kind"] not in kinds) or (tid and not on_theme(G, u, v, d, tid)):
            continue
        s, t, status = d.get("since"), d.get("until"), d.get("status", "active")
        if s and status != "planned":
            for n in (u, v):
                e = earliest.get(n)
                if e is None or (e != s and first_day(s) < first_day(e)):
                    earliest[n] = s
        if status == "planned":
            if within(s):
                changed.append({**tie_row(G, u, v, d, names), "date": s, "change": "planned"})
            continue
        if within(s):
            began.append({**tie_row(G, u, v, d, names), "date": s})
        if within(t):
            if status == "suspended":
                changed.append({**tie_row(G, u, v, d, names), "date": t, "change": "suspended"})
            else:
                ended.append({**tie_row(G, u, v, d, names), "date": t})
    first_seen = [
        {"id": n, "kind": G.nodes[n].get("kind"), "name": G.nodes[n].get("name", n),
         "country": G.nodes[n].get("country"), "date": s}
        for n, s in earliest.items() if within(s)
    ]
    return {
        "since": start.isoformat(), "until": end.isoformat(),
        "began": sorted(began, key=_sort_key), "ended": sorted(ended, key=_sort_key),
        "changed": sorted(changed, key=_sort_key), "first_seen": sorted(first_seen, key=_sort_key),
    }
