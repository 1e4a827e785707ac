"""Time and upkeep commands: changes, due, dormant and review.

Each parses its options, calls one function of `queries.timeline`, `queries.upkeep` or
`queries.review`, and renders the result as a table, as JSON or (review) as CSV.
"""
from __future__ import annotations

from collections import Counter

import click

from graph.schema import SCHEMA
from queries.freshness import STALE_AFTER
from queries.review import REVIEW_REASONS
from queries.review import review as review_queue
from queries.timeindex import mapped
from queries.timeline import TIE_LISTS
from queries.timeline import changes as find_changes
from queries.upkeep import dormant as find_dormant
from queries.upkeep import due as find_due

from .options import (as_of_option, check_window, csv_text, data_option, duration_option, emit, format_option,
                      formats_option, library_errors, load_graph_for, parse_date, parse_since, relation_option, relation_words,
                      short_name, shown_path, table, theme_option)

__all__ = ["COMMANDS"]


def _few(names: list[str], n: int = 2) -> str:
    """The first `n` names, shortened, and how many more: for a table cell."""
    shown = ", ".join(short_name(x, 30) for x in names[:n])
    return f"{shown} +{len(names) - n}" if len(names) > n else shown or "—"


def limit_option(default: int, what: str, *, csv: bool = False):
    """--limit: rows in the table; the help names the formats the command offers (csv: it has --format csv)."""
    carry = "JSON and CSV always carry" if csv else "JSON always carries"
    return click.option("--limit", default=default, show_default=True, type=click.IntRange(min=0), metavar="N",
                        help=f"Rows shown in the table{' ' + what if what else ''}; 0 shows all. {carry} every row.")


def _more(hidden: int, how: str) -> str:
    return f"… {hidden:,} more ({how})"


def _column(rows, name: str):
    """One field of every row: the rows' own column when they carry it (no row is made), else read from each."""
    columns = getattr(rows, "columns", {})
    return columns[name] if name in columns else [r[name] for r in rows]


def _label(kind: str) -> str:
    """A relation kind as people say it (party to, twin town); an entity kind as it is."""
    rk = SCHEMA.relation_kinds.get(kind)
    return rk.label if rk else kind


def _counted(title: str, rows) -> str:
    by_kind = Counter(_column(rows, "kind"))
    counts = ", ".join(f"{_label(k)} {n}" for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{title}: {len(rows)}" + (f" ({counts})" if counts else "")


# --- changes ----------------------------------------------------------------------------------

def _old_kind(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """`changes --kind`, the old spelling of --relation (elsewhere --kind is an entity kind): still
    read, with a warning on stderr, so a script keeps working until it is changed."""
    words = relation_words(ctx, param, values)
    if words:
        click.echo("espoo-net changes: --kind is deprecated here (it meant a relation kind, while --kind "
                   "elsewhere is an entity kind): use --relation, which also takes a family such as activity",
                   err=True)
    return words


@click.command()
@click.option("--since", required=True, metavar="DATE|DURATION", callback=parse_since,
              help="First day of the window (YYYY[-MM[-DD]]; a year or month stands for its first day), "
                   "or a duration counted back from --until (90d, 2w, 6m, 3y).")
@click.option("--until", metavar="DATE", default=None, callback=parse_date,
              help="Last day of the window (a year or month stands for its last day); default today.")
@relation_option("Only ties of these relation kinds or families, as `show --relation` (twin_town, party_to, "
                 "relationship, activity, ...; repeatable or comma-separated).")
@click.option("--kind", "old_kinds", multiple=True, callback=_old_kind, hidden=True, expose_value=True)
@theme_option
@limit_option(10, "for each group of ties (agreements, partnerships, events...) and for entities first seen")
@data_option
@format_option
@library_errors
def changes(since, until, relations, old_kinds, theme, limit, data_path, fmt):
    """What changed in a window: ties that began or ended, events that happened, ties planned or
    suspended (saying what changed), and entities first seen.

    A partial date is in the window when the days it covers overlap it, so a tie dated 2021
    counts in a window from 2021-06-01. Both ends of the window are included. An event is
    listed once, under Happened, one line per event with who took part. The table shows each
    list by group (agreements signed first, then partnerships, projects and networks, events,
    people's roles, money, organisations, places), newest first, --limit rows each; JSON lists
    every tie, oldest first, and under "groups" the same grouping and order as the table.

    \b
    Example:
      espoo-net changes --since 2021-06-01
      espoo-net changes --since 2021-06-01 --relation twin_town,party_to
      espoo-net changes --since 2024 --until 2024 --limit 0
      espoo-net changes --since 6m
      espoo-net changes --since 2024 --until 2024 --theme quantum --format json
    """
    check_window(since, until)
    G = load_graph_for(data_path)
    emit(fmt, find_changes(G, since, until, relations=relations + old_kinds, theme=theme), lambda d: _render_changes(d, limit))


def _activities(key: str, rows, group: dict, limit: int) -> tuple[list[str], int]:
    """The ties of a list to agreements (or events) as one line per agreement (event), its parties
    (those taking part) in the window together, newest first: the title line and table, and how
    many are not shown. An event's line has no status: it happened."""
    event = group["group"] == "events"
    at = group["rows"]
    targets = _column(rows, "target")
    count = len({targets[i] for i in at})
    found: dict[str, list] = {}
    for i in at:
        r = rows[i]
        if r["target"] not in found:
            if limit and len(found) == limit:
                break
            found[r["target"]] = [r["date"], short_name(r["target_name"], 60), [], r.get("what") or r["status"]]
        found[r["target"]][2].append(r["source_name"])
    last = [] if key == "happened" else ["what changed" if key == "changed" else "status"]  # a changed row says what changed
    body = ([date, name, _few(sorted(parties), 3), *([status] if last else [])] for date, name, parties, status in found.values())
    who = "taking part" if event else "parties"
    ties = f"{len(at):,} taking part" if event else f"{len(at):,} {'party' if len(at) == 1 else 'parties'}"
    title = f"  {group['title']}: {count:,} ({ties})"
    return [title, table(body, ["date", "event" if event else "agreement", who, *last])], count - len(found)


def _render_changes(d: dict, limit: int) -> str:
    parts = [f"Changes from {d['since']} to {d['until']}"]
    hidden = False
    for key in TIE_LISTS:  # the lists in the order the query gives them
        title = key.capitalize()
        rows = d[key]
        parts += ["", _counted(title, rows)]
        for group in d["groups"][key]:
            if group["group"] in ("agreements", "events"):
                lines, more = _activities(key, rows, group, limit)
                parts += ["", *lines]
            else:
                at = group["rows"]
                shown = at[:limit] if limit else at
                more = len(at) - len(shown)
                parts += ["", f"  {group['title']}: {len(at):,}"]
                changed = key == "changed"  # says what changed, where the others say the status
                parts.append(table(([r["date"], _label(r["kind"]), short_name(r["source_name"]), short_name(r["target_name"]),
                                     r["what"] if changed else r["status"]]
                                    for r in map(rows.__getitem__, shown)),
                                   ["date", "tie", "from", "to", "what changed" if changed else "status"]))
            if more:
                parts.append(_more(more, "--limit 0 shows all"))
                hidden = True
    first = d["first_seen"]
    parts += ["", _counted("First seen", first)]
    if len(first):
        shown = range(len(first) - 1, max(len(first) - limit, 0) - 1, -1) if limit else range(len(first) - 1, -1, -1)
        parts.append(table(([r["date"], r["kind"], short_name(r["name"], 60), r["country"]] for r in map(first.__getitem__, shown)),
                           ["date", "kind", "name", "country"]))
        if len(first) > len(shown):
            parts.append(_more(len(first) - len(shown), "--limit 0 shows all"))
            hidden = True
    if hidden:
        parts += ["", "Newest first in each group; --limit 0 shows every row, --format json lists them all."]
    return "\n".join(parts)


# --- due --------------------------------------------------------------------------------------

@click.command()
@duration_option("--within", "6m", "The period ahead: a number and d, w, m or y (90d, 6m, 1y).")
@click.option("--all-parties", is_flag=True,
              help="Also agreements and plans none of our side is party to (left out by default).")
@data_option
@as_of_option
@formats_option("table", "json", "csv")
@library_errors
def due(within, all_parties, data_path, as_of, fmt):
    """Agreements that expire or come up for review soon, overdue plans, and MoUs with no term.

    Lists agreements whose valid_until or review_on falls within the period (or has passed),
    planned ties dated more than a year ago, and agreements with no term recorded (with the day
    they were signed), each with who holds it on our side.

    \b
    Example:
      espoo-net due
      espoo-net due --within 1y --format json
      espoo-net due --within 1y --format csv > due.csv
    """
    G = load_graph_for(data_path)
    emit(fmt, find_due(G, within=within, on=as_of, all_parties=all_parties), _render_due_csv if fmt == "csv" else _render_due)


_DUE_COLUMNS = ["reason", "date", "signed", "id", "what", "our side", "partners", "renewal", "sources"]


def _render_due_csv(d: dict) -> str:
    """Every item in full (names not shortened, every party and source) for a spreadsheet."""
    return csv_text(([i["reason"], i["date"], i.get("signed"), i["id"], i["name"], i["holders"], i["partners"], i["renewal"],
                      [s["url"] for s in i.get("sources", [])]] for i in d["items"]), _DUE_COLUMNS)


def _render_due(d: dict) -> str:
    by_reason = Counter(i["reason"] for i in d["items"])
    counts = ", ".join(f"{r} {n}" for r, n in by_reason.items())  # items come in reason order
    head = f"Due from {d['on']} to {d['until']}: {len(d['items'])} items" + (f" ({counts})" if counts else "")
    others = (f"\n{d['others']} more that none of our side is party to (--all-parties lists them)"
              if d.get("others") else "")
    if not d["items"]:
        return head + others
    rows = ([i["reason"], i["date"] or "", i.get("signed") or "", short_name(i["name"], 50), _few(i["holders"]),
             _few(i["partners"]), i["renewal"] or ""] for i in d["items"])
    return head + others + "\n\n" + table(rows, ["reason", "date", "signed", "what", "our side", "partners", "renewal"])


# --- dormant ----------------------------------------------------------------------------------

@click.command()
@duration_option("--quiet-for", "3y", "How long without dated activity: a number and d, w, m or y (18m, 3y).")
@data_option
@as_of_option
@format_option
@library_errors
def dormant(quiet_for, data_path, as_of, fmt):
    """Partners of our side with no dated activity for a while, strongest ties first.

    Activity is a dated tie with our side, directly or through a shared project, agreement or
    event; each partner shows its last activity and its source.

    \b
    Example:
      espoo-net dormant
      espoo-net dormant --quiet-for 5y --format json
    """
    G = load_graph_for(data_path)
    emit(fmt, find_dormant(G, quiet_for=quiet_for, on=as_of), _render_dormant)


def _render_dormant(d: dict) -> str:
    head = f"Partners quiet since {d['quiet_since']} (as of {d['on']}): {len(d['partners'])}"
    if not d["partners"]:
        return head
    rows = ([short_name(p["name"]), p["kind"], p["country"], f"{p['strength']:.2f}", p["last_activity"] or "undated",
             short_name(p["via"] or "", 30), _few(p["holders"])] for p in d["partners"])
    return head + "\n\n" + table(rows, ["partner", "kind", "country", "strength", "last activity", "via", "our side"])


# --- review -----------------------------------------------------------------------------------

def _reason_help() -> str:
    return "Only items of this reason (repeatable): " + "; ".join(f"'{r}': {why}" for r, why in REVIEW_REASONS.items()) + "."


@click.command()
@duration_option("--older-than", STALE_AFTER, "Evidence older than this is stale: a number and d, w, m or y.")
@click.option("--reason", "reasons", multiple=True, type=click.Choice(list(REVIEW_REASONS)), metavar="REASON",
              help=_reason_help())
@limit_option(50, "", csv=True)
@data_option
@as_of_option
@formats_option("table", "json", "csv")
@library_errors
def review(older_than, reasons, limit, data_path, as_of, fmt):
    """The data keeper's queue: facts to re-check, each with its file:line.

    People's roles, open work ties whose person's role text says the role has ended, unknown
    statuses, overdue planned ties, ended ties without until, and low-confidence or single-source facts whose newest evidence (the newest `published` date
    of its sources, else its own since/until) is older than the limit. --reason narrows the
    queue to one or more reasons (quote the ones with a space).

    \b
    Example:
      espoo-net review
      espoo-net review --reason role --reason "unknown status"
      espoo-net review --older-than 3y --format csv > queue.csv
    """
    G = load_graph_for(data_path)
    result = review_queue(G, older_than=older_than, on=as_of, reasons=reasons)
    result["items"] = mapped(result["items"], _shown_file)
    emit(fmt, result, _render_review_csv if fmt == "csv" else lambda d: _render_review(d, limit))


def _shown_file(item: dict) -> dict:
    item["file"] = item["file"] and shown_path(item["file"])
    return item


_REVIEW_COLUMNS = ["reason", "where", "id", "what", "status", "evidence"]


def _review_rows(items):
    for i in items:
        at = f"{i['file']}:{i['line']}" if i["file"] else ""
        yield [i["reason"], at, i["id"], i["what"], i["status"] or "", i["evidence"] or "undated"]


def _render_review(d: dict, limit: int) -> str:
    items = d["items"]
    counts = Counter(_column(items, "reason"))
    head = f"To re-check (evidence before {d['stale_before']}): {len(items):,}"
    if counts:
        head += " (" + ", ".join(f"{r} {n:,}" for r, n in sorted(counts.items(), key=lambda rn: (-rn[1], rn[0]))) + ")"
    if not len(items):
        return head
    shown = items[:limit] if limit else items
    rows = ([reason, at, short_name(what, 70), status, evidence] for reason, at, _, what, status, evidence in _review_rows(shown))
    out = head + "\n\n" + table(rows, ["reason", "where", "what", "status", "evidence"])
    if len(items) > len(shown):
        out += "\n" + _more(len(items) - len(shown), "--limit 0 shows all, --format csv writes every row for a spreadsheet")
    return out


def _render_review_csv(d: dict) -> str:
    return csv_text(_review_rows(d["items"]), _REVIEW_COLUMNS)


COMMANDS: list[click.Command] = [changes, due, dormant, review]
