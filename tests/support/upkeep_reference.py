"""The time and upkeep queries as they were before `queries.timeindex`: one walk over every
relation, a row made for each. tests/test_timeindex.py checks that the array-based queries give
exactly these answers on generated networks."""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.errors import EspooNetError
from graph.lookup import theme_id
from graph.model import TODAY_STATUSES, is_active, on_theme
from graph.schema import SCHEMA
from graph.durations import Duration, duration
from graph.types import day_of, first_day, last_day
from queries.review import REVIEW_REASONS
from queries.roletext import role_ended
from queries.timeline import (CHANGE_GROUPS, change_group, evidence_date, group_title, in_window, tie_row, what_changed,
                              where)

def _sort_key(row: dict):
    return first_day(row["date"]), row["kind"], row["id"]


def changes(G: nx.MultiDiGraph, since: str, until: str | None = None, *, kinds: tuple[str, ...] = (),
            theme: str | None = None) -> dict:
    """The reference (see the module)."""
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
    happened: list[dict] = []
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
                row = {**tie_row(G, u, v, d, names), "date": s, "change": "planned"}
                changed.append({**row, "what": what_changed(row)})
            continue
        if change_group(d["kind"], G.nodes[v].get("kind")) == "events" and status != "suspended":
            if within(s) or within(t):  # an event happened once, on its since (else its until)
                happened.append({**tie_row(G, u, v, d, names), "date": s or t})
            continue
        if within(s):
            began.append({**tie_row(G, u, v, d, names), "date": s})
        if within(t):
            if status == "suspended":
                row = {**tie_row(G, u, v, d, names), "date": t, "change": "suspended"}
                changed.append({**row, "what": what_changed(row)})
            else:
                ended.append({**tie_row(G, u, v, d, names), "date": t})
    first_seen = [
        {"id": n, "kind": G.nodes[n].get("kind"), "name": G.nodes[n].get("name", n),
         "country": G.nodes[n].get("country"), "date": s}
        for n, s in earliest.items() if within(s)
    ]
    out = {
        "since": start.isoformat(), "until": end.isoformat(),
        "began": sorted(began, key=_sort_key), "ended": sorted(ended, key=_sort_key),
        "happened": sorted(happened, key=_sort_key),
        "changed": sorted(changed, key=_sort_key), "first_seen": sorted(first_seen, key=_sort_key),
    }
    out["groups"] = {key: _groups(G, key, out[key]) for key in ("began", "ended", "happened", "changed")}
    return out


def _groups(G: nx.MultiDiGraph, key: str, rows: list[dict]) -> list[dict]:
    """Each group's rows newest first (then as the list has them), groups in CHANGE_GROUPS order."""
    out = []
    for g in CHANGE_GROUPS:
        at = [i for i, r in enumerate(rows) if change_group(r["kind"], G.nodes[r["target"]].get("kind")) == g]
        if at:
            at.sort(key=lambda i: -first_day(rows[i]["date"]).toordinal())
            out.append({"group": g, "title": group_title(key, g), "rows": at})
    return out


def _old(evidence: str | None, cutoff: dt.date) -> bool:
    return evidence is None or last_day(evidence) < cutoff


def _item(G: nx.Graph, reason: str, record_id: str, what: str, evidence: str | None, status: str | None) -> dict:
    file, line = where(G, record_id)
    return {"reason": reason, "file": file, "line": line, "id": record_id, "what": what,
            "status": status, "evidence": evidence}


def _role_evidence(G: nx.MultiDiGraph, person: str, d: dict, today: dt.date) -> str | None:
    """The reference (see the module)."""
    dates = [evidence_date({"sources": d.get("sources")})]
    dates += [evidence_date(t) for _, _, t in G.out_edges(person, data=True)
              if t["kind"] == "works_for" and is_active(t, today)]
    dates = [x for x in dates if x]
    return max(dates, key=last_day) if dates else None


def review(G: nx.MultiDiGraph, *, older_than: Duration | str = "2y", on: dt.date | str | None = None) -> dict:
    """The reference (see the module)."""
    older_than = older_than if isinstance(older_than, Duration) else duration(older_than)
    today = day_of(on)
    cutoff = older_than.before(today)
    items: list[dict] = []
    for n, d in G.nodes(data=True):
        if not d.get("sources"):
            continue  # a theme node of the taxonomy, not a record
        if d.get("kind") == "person" and d.get("role"):
            evidence = _role_evidence(G, n, d, today)
            if _old(evidence, cutoff):
                items.append(_item(G, "role", n, f"{d['name']}: {d['role']}", evidence, None))
        if d.get("confidence") == "low":
            evidence = evidence_date(d)
            if _old(evidence, cutoff):
                items.append(_item(G, "low confidence", n, f"{d['name']} ({d['kind']})", evidence, None))
    names = dict(G.nodes(data="name"))
    for u, v, d in G.edges(data=True):
        status = d.get("status", "active")
        what = f"{names.get(u) or u} {d['kind']} {names.get(v) or v}"
        evidence = evidence_date(d)
        if status == "unknown":
            items.append(_item(G, "unknown status", d["id"], what, evidence, status))
        elif status == "planned" and (not d.get("since") or last_day(d["since"]) < cutoff):
            items.append(_item(G, "planned overdue", d["id"], what, evidence, status))
        elif status == "ended" and not d.get("until"):
            items.append(_item(G, "ended without until", d["id"], what, evidence, status))
        if d["kind"] == "works_for" and status in TODAY_STATUSES and is_active(d, today):
            why = role_ended(G.nodes[u].get("role"), today)
            if why:
                items.append(_item(G, "role text ended", d["id"], f"{what} ({why}: {G.nodes[u]['role']})", evidence, status))
        if status in TODAY_STATUSES and _old(evidence, cutoff) and is_active(d, today):
            if d.get("confidence") == "low":
                items.append(_item(G, "low confidence", d["id"], what, evidence, status))
            elif len(d.get("sources") or ()) == 1:
                items.append(_item(G, "single source", d["id"], what, evidence, status))
    order = {r: i for i, r in enumerate(REVIEW_REASONS)}
    items.sort(key=lambda i: (i["file"] is None, i["file"] or "", i["line"] or 0, order[i["reason"]], i["id"]))
    return {"on": today.isoformat(), "stale_before": cutoff.isoformat(), "items": items}
