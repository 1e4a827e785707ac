"""The core commands: validate, stats, show and find."""
from __future__ import annotations


import click

from loaders import load_dataset
from queries.entities import describe, find_entities, network_stats

from .options import (shown_problem, Progress, as_of_option, country_option, kind_option, data_option, emit, format_option, library_errors, load_graph_for, relation_option,
                      table, theme_option)

__all__ = ["COMMANDS"]


@click.command()
@data_option
@format_option
@library_errors
def validate(data_path, fmt):
    """Check the dataset and report every problem, or a one-line summary.

    Each problem is printed as FILE:LINE: FIELD: WHAT IS WRONG (HINT); with any problem nothing is
    loaded and the exit status is 1. Warnings (an `ended` tie without `until`, which counts as
    holding only up to its `since`) are listed the same way after the summary, prefixed
    "warning:"; they do not stop loading and the exit status stays 0.

    \b
    Example:
      espoo-net validate --data data/
    """
    data = load_dataset(data_path, progress=Progress())
    summary = dict(data.counts, sources=_count_sources(data), warnings=[shown_problem(w) for w in data.warnings])
    emit(fmt, {"valid": True, **summary}, lambda s: "\n".join([
        f"valid: {s['entities']} entities, {s['relations']} relations, {s['themes']} themes "
        f"from {s['files']} files; every record has a source ({s['sources']} distinct source pages)"
        + (f"; {len(s['warnings'])} warnings" if s["warnings"] else "")] + [f"warning: {w}" for w in s["warnings"]]))


def _count_sources(data) -> int:
    return len({s.url for rec in (*data.entities, *data.relations) for s in rec.sources})


@click.command()
@data_option
@as_of_option
@format_option
@library_errors
def stats(data_path, as_of, fmt):
    """Counts by entity kind, relation kind, status, theme and country.

    \b
    Example:
      espoo-net stats
      espoo-net stats --as-of 2021-06-01 --format json
    """
    result = network_stats(load_graph_for(data_path), as_of)
    emit(fmt, result, _render_stats)


def _render_stats(s: dict) -> str:
    tagged = f" (and {s['theme_nodes']} theme{'s' * (s['theme_nodes'] != 1)} that ties point to)" if s["theme_nodes"] else ""
    parts = [f"{s['entities']} entities{tagged}, {s['relations']} relations",
             f"{s['active_relations']} relations hold {s['as_of']}: {s['holds']}"]
    for title, key in (("entity kind", "entity_kinds"), ("relation kind", "relation_kinds"), ("recorded status", "statuses"),
                       ("theme", "themes"), ("country", "countries")):
        parts.append("")
        parts.append(table(s[key].items(), [title, "count"]))
    return "\n".join(parts)


@click.command()
@click.argument("entity")
@data_option
@as_of_option
@click.option("--all", "show_all", is_flag=True, help="Also list ties that were not active on the date.")
@relation_option("Only relations of this kind or family (twin_town, works_for, relationship, activity, ...; "
                 "repeatable or comma-separated).")
@kind_option("Only relations with entities of these entity kinds at the other end (company, city, ...; "
             "comma-separated or repeated).")
@format_option
@library_errors
def show(entity, data_path, as_of, show_all, relations, kinds, fmt):
    """One entity with its relations grouped by kind, with dates, status and sources.

    ENTITY is an id, a name or an alias, in any case and with or without accents.

    \b
    Example:
      espoo-net show nomme
      espoo-net show "Enter Espoo" --format json
      espoo-net show espoo --relation twin_town,sister_city
      espoo-net show espoo --kind company
    """
    G = load_graph_for(data_path)
    emit(fmt, describe(G, entity, as_of=as_of, include_inactive=show_all, relations=relations, kinds=kinds), _render_show)


def _source_text(s: dict) -> str:
    published = f", published {s['published']}" if s.get("published") else ""
    return f"{s['url']} (seen {s['seen']}{published})"


def _render_show(d: dict) -> str:
    e = d["entity"]
    lines = [f"{e['name']}  [{e['kind']}, id {e['id']}]"]
    for label, key in (("aliases", "aliases"), ("country", "country"), ("city", "city"), ("role", "role"),
                       ("website", "website"), ("themes", "themes"), ("about", "description"),
                       ("wikidata", "wikidata"), ("ror", "ror"), ("cordis", "cordis"),
                       ("valid until", "valid_until"), ("review on", "review_on"), ("renewal", "renewal")):
        v = e.get(key)
        if v:
            lines.append(f"  {label}: {', '.join(v) if isinstance(v, list) else v}")
    for s in e["sources"]:
        lines.append(f"  source: {_source_text(s)}")
    for group in d["relations"]:
        lines.append("")
        lines.append(f"{group['kind']} ({len(group['relations'])})")
        for r in group["relations"]:
            arrow = "->" if r["direction"] == "out" else "<-"
            dates = "–".join(x for x in (r["since"] or "", r["until"] or "") if x) or "undated"
            lines.append(f"  {arrow} {r['other_name']} [{r['other']}]  {dates}  {r['status']}")
            if r.get("note"):
                lines.append(f"       {r['note']}")
            for s in r["sources"]:
                lines.append(f"       source: {_source_text(s)}")
    n = d["left_out"]
    if n and not d["relations"]:  # the filters left nothing: say so, not only the header
        lines.append(f"\nno relations match --relation/--kind ({n} relation{'s' * (n != 1)} left out)")
    elif n:
        lines.append(f"\n({n} other relation{'s' * (n != 1)} left out by --relation/--kind)")
    elif not d["relations"]:
        lines.append("\n(no relations" + (" active on this date)" if not d["include_inactive"] else ")"))
    return "\n".join(lines)


@click.command()
@click.argument("text")
@kind_option()
@country_option("Only entities in this country (ISO code such as DE; repeatable).")
@theme_option
@data_option
@format_option
@library_errors
def find(text, kinds, countries, theme, data_path, fmt):
    """Search entities by name, alias, id or theme.

    \b
    Example:
      espoo-net find quantum
      espoo-net find chungbuk --kind university
      espoo-net find "" --theme ai --format json
      espoo-net find "" --country DE --kind company
    """
    G = load_graph_for(data_path)
    hits = find_entities(G, text, kinds=kinds, countries=countries, theme=theme)
    emit(fmt, {"results": hits}, lambda d: table(
        ([h["id"], h["kind"], h["name"], h["country"] or "", ", ".join(h["themes"])] for h in d["results"]),
        ["id", "kind", "name", "country", "themes"]) + f"\n{len(d['results'])} found")


COMMANDS: list[click.Command] = [validate, stats, show, find]
