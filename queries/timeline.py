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
from graph.lookup import relation_kinds_named
from graph.schema import SCHEMA
from graph.durations import since_day
from graph.types import first_day, last_day

from .entities import resolve_theme
from .timeindex import NO_FIRST, STATUS_CODES, Rows, time_index

__all__ = ["changes", "CHANGE_GROUPS", "change_group", "newest_by_group", "in_window", "tie_row", "evidence_date", "home_nodes", "where"]


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


def changes(G: nx.MultiDiGraph, since: str, until: str | None = None, *, relations: tuple[str, ...] = (),
            theme: str | None = None) -> dict:
    """Ties that began, ended or changed between two dates, and entities first seen then.

    Parameters
    ----------
    G : the network; since : first day of the window (a partial date stands for its first day), or a
    duration (90d, 2w, 6m, 3y) counted back from the window's end;
    until : last day (a partial date stands for its last day); today when None.
    relations : only ties of these relation kinds or families (`graph.lookup.relation_kinds_named`,
    as ``show --relation``; all when empty); theme : only ties on this theme (the rule of every
    theme filter, `graph.model.on_theme`). Both narrow every list.

    Returns
    -------
    ``{"since", "until", "began", "ended", "changed", "first_seen"}``. ``began``: ties whose
    `since` is in the window (signings are party_to ties). ``ended``: ties whose `until` is in the
    window (ended, or active with an `until` that has passed). ``changed``: suspended ties whose
    `until` (the day they were put on hold) is in the window, and planned ties dated in it, each
    with ``change``. Each tie is `tie_row` plus ``date``, the date that put it in the window.
    ``first_seen``: entities whose earliest dated tie (planned ones aside) is in the window. Lists
    are sorted by date (its first day), kind and id, oldest first; they are `Rows`, each row made
    when read, with a ``day`` column (the date's first day as an ordinal) and, for ties, ``kind``
    (relation kind names), ``target`` (its id) and ``group`` (an index into `CHANGE_GROUPS`) columns, for summaries
    that read no rows (`newest_by_group`).

    Raises
    ------
    EspooNetError if the window ends before it starts, or for an unknown relation kind, family or theme.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="A", kind="city"); G.add_node("b", name="B", kind="city")
    >>> G.add_edge("a", "b", key="t", id="t", kind="twin_town", since="2022-03-01", status="active")
    't'
    >>> [r["id"] for r in changes(G, "2022", "2022")["began"]]
    ['t']
    """
    import numpy as np

    kinds = sorted(relation_kinds_named(relations)) if relations else ()
    tid = resolve_theme(G, theme) if theme else None
    end = last_day(until) if until else dt.date.today()
    start = since_day(since, end)  # a date, or a duration counted back from the window's end
    if end < start:
        raise EspooNetError(f"the window ends ({end}) before it starts ({start})")
    ix = time_index(G)
    a, b = start.toordinal(), end.toordinal()
    keep = np.ones(ix.n_edges, bool)
    if kinds:
        keep &= ix.kind_in(kinds)
    if tid:
        keep &= ix.theme_mask(tid)
    planned = ix.status == STATUS_CODES["planned"]
    suspended = ix.status == STATUS_CODES["suspended"]
    s_in = keep & (ix.s_hi >= a) & (ix.s_lo <= b)
    t_in = keep & (ix.t_hi >= a) & (ix.t_lo <= b)

    def ties(at, day_lo, date_field, change=None) -> Rows:
        order = np.argsort(ix.sort_key(day_lo, ix.kind[at], ix.n_nodes + at), kind="stable")
        at, day_lo = at[order], day_lo[order]
        fields = date_field[order] if isinstance(date_field, np.ndarray) else None
        chg = change[order] if isinstance(change, np.ndarray) else None
        names, labels = ix.names, ("since", "until")

        def make(i: int) -> dict:
            u, v, d = ix.edge(int(at[i]))
            field = labels[fields[i]] if fields is not None else date_field
            row = {**tie_row(G, u, v, d, names), "date": d.get(field)}
            if chg is not None:
                row["change"] = ("planned", "suspended")[chg[i]]
            return row

        groups = _group_table(ix)[ix.kind[at], ix.node_kind[ix.v[at]]]
        return Rows(len(at), make, {"day": day_lo, "kind": np.asarray(ix.kinds, dtype=object)[ix.kind[at]],
                                    "group": groups, "target": np.asarray(ix.nodes, dtype=object)[ix.v[at]]})

    began = np.nonzero(s_in & ~planned)[0]
    ended = np.nonzero(t_in & ~planned & ~suspended)[0]
    p_at, s_at = np.nonzero(s_in & planned)[0], np.nonzero(t_in & ~planned & suspended)[0]
    changed = np.concatenate([p_at, s_at])
    which = np.concatenate([np.zeros(len(p_at), np.int8), np.ones(len(s_at), np.int8)])
    changed_lo = np.concatenate([ix.s_lo[p_at], ix.t_lo[s_at]])

    if kinds or tid:
        nodes_at, edge_at = ix.earliest_of(keep & ~planned & (ix.s_lo != NO_FIRST))
    else:
        nodes_at, edge_at = ix.earliest
    seen = (ix.s_hi[edge_at] >= a) & (ix.s_lo[edge_at] <= b)
    nodes_at, edge_at = nodes_at[seen], edge_at[seen]
    seen_lo = ix.s_lo[edge_at]
    order = np.argsort(ix.sort_key(seen_lo, ix.node_kind[nodes_at], nodes_at), kind="stable")
    nodes_at, edge_at, seen_lo = nodes_at[order], edge_at[order], seen_lo[order]

    def first_seen(i: int) -> dict:
        n = ix.nodes[nodes_at[i]]
        node = G.nodes[n]
        return {"id": n, "kind": node.get("kind"), "name": node.get("name", n), "country": node.get("country"),
                "date": ix.edge(int(edge_at[i]))[2].get("since")}

    return {
        "since": start.isoformat(), "until": end.isoformat(),
        "began": ties(began, ix.s_lo[began], "since"), "ended": ties(ended, ix.t_lo[ended], "until"),
        "changed": ties(changed, changed_lo, which, which),
        "first_seen": Rows(len(nodes_at), first_seen, {"day": seen_lo}),
    }


# How `changes` groups ties for a reader, in the order a strategist reads them: agreements first,
# then partnerships, then shared projects and networks, events, people's roles, money, how
# organisations are made, and places last.
CHANGE_GROUPS = ("agreements", "partnerships", "projects and networks", "events", "people", "money",
                 "organisations", "places")
_FAMILY_GROUPS = {"relationship": "partnerships", "money": "money", "structure": "organisations", "place": "places"}


def change_group(kind: str, target_kind: str | None) -> str:
    """The group of `CHANGE_GROUPS` a tie of relation `kind` to an entity of `target_kind` is in.

    >>> change_group("party_to", "agreement"), change_group("participated_in", "event")
    ('agreements', 'events')
    >>> change_group("works_for", "city"), change_group("twin_town", "city")
    ('people', 'partnerships')
    """
    rk = SCHEMA.relation_kinds[kind]
    if rk.speaks_for:
        return "people"
    if rk.participates:  # taking part in an activity (schema `participates`)
        if target_kind == "agreement":
            return "agreements"
        return "events" if target_kind in SCHEMA.one_off_kinds else "projects and networks"
    return _FAMILY_GROUPS.get(rk.family, "partnerships")


def _group_table(ix):
    """The index of each (relation kind, target entity kind) pair's group, as an array."""
    import numpy as np

    table = ix._masks.get("groups")
    if table is None:
        table = ix._masks["groups"] = np.array(
            [[CHANGE_GROUPS.index(change_group(k, t)) for t in ix.node_kinds] for k in ix.kinds] or [[0]], np.int8)
    return table


def newest_by_group(rows) -> list[tuple[str, list[int]]]:
    """The rows of a `changes` list by `CHANGE_GROUPS` group, each group's row indices newest
    first (then by kind and id), groups in `CHANGE_GROUPS` order; empty groups left out.
    Reads the ``group`` and ``day`` columns of `Rows`, or the rows themselves of a plain list."""
    import numpy as np

    columns = getattr(rows, "columns", {})
    if "group" in columns:
        group, day = np.asarray(columns["group"]), np.asarray(columns["day"])
    else:
        group = np.array([CHANGE_GROUPS.index(change_group(r["kind"], r.get("target_kind"))) for r in rows], np.int8)
        day = np.array([first_day(r["date"]).toordinal() for r in rows], np.int64)
    out = []
    for g, name in enumerate(CHANGE_GROUPS):
        at = np.nonzero(group == g)[0]
        if len(at):
            out.append((name, at[np.argsort(-day[at], kind="stable")].tolist()))
    return out
