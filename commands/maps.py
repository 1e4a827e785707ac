"""The `map` and `export` commands: parse, call `maps.render.render_map` or `exports.export_view`, report."""
from __future__ import annotations

import shutil
from dataclasses import replace
import sys
import tempfile
from pathlib import Path

import click

from loaders import bundled_data_path
from exports import EXPORT_FORMATS, export_view
from graph.errors import EspooNetError
from maps.actors import ACTIVITY_MODES
from maps.image import check_size
from maps.render import map_format, render_map
from maps.saved import read_view
from maps.options import slide_options

from .options import (as_of_option, data_option, emit, format_option, library_errors, load_graph_for, view_options)


def _size(ctx, param, value: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not WIDTHxHEIGHT, such as 1920x1080") from None
    try:
        check_size(w, h)
    except EspooNetError as e:
        raise click.BadParameter(f"{value!r}" + str(e).split(f"{w}x{h}", 1)[1]) from None
    return w, h


def _map_out(ctx, param, value: str) -> str:
    try:
        map_format(value)
    except EspooNetError as e:
        raise click.BadParameter(str(e)) from None
    return value


@click.command("map")
@click.option("--out", "-o", required=True, callback=_map_out, metavar="FILE",
              help="FILE.html for the interactive map; FILE.png, .svg or .pdf for a slide image.")
@view_options
@as_of_option
@click.option("--clusters", is_flag=True, help="Colour entities by theme cluster (shape still shows the kind).")
@click.option("--highlight-path", nargs=2, metavar="A B", default=None, help="Draw the best route from A to B over the map.")
@click.option("--highlight-intro", metavar="TARGET", default=None, help="Draw the best introduction to TARGET over the map.")
@click.option("--layout", type=click.Choice(["spring", "geo"]), default="spring", show_default=True,
              help="spring: force layout; geo: on a world or regional map (country outlines drawn offline).")
@click.option("--activities", type=click.Choice(ACTIVITY_MODES), default="edges", show_default=True,
              help="Agreements, projects, events and networks: edges draws those with 2-3 participants as named "
                   "ties between them (larger ones as small hubs); nodes draws all as hubs; hide leaves them out.")
@click.option("--isolated", is_flag=True, help="Keep entities that have no tie on the map.")
@click.option("--counterparts/--no-counterparts", default=True, show_default=True,
              help="With --country: also draw the entities on our side (ours, or in our home country) tied to "
                   "that country's entities, so that each tie shows who holds it.")
@click.option("--view", "view_file", default=None, metavar="FILE|NAME",
              help="Draw a saved view (YAML: title, filters, focus, layout, highlights): a file, or the name of "
                   "one in the dataset's views/ folder (quantum, korea-partners in the bundled data).")
@click.option("--title", default=None, help="Title of the map  [default: Espoo's international network].")
@click.option("--physics", is_flag=True, help="HTML only: let the nodes move (slow beyond a few hundred nodes).")
@click.option("--size", default="1920x1080", show_default=True, callback=_size, metavar="WxH", help="Image size in pixels.")
@data_option
@format_option
@library_errors
@click.pass_context
def map_command(ctx, out, theme, focus, depth, kinds, countries, public, as_of, clusters, highlight_path,
                highlight_intro, layout, activities, isolated, counterparts, view_file, title, physics, size, data_path, fmt):
    """Draw the network, or a view of it, as an offline HTML map or a slide image.

    The HTML map is one self-contained file (nothing is fetched; it works with no network) with
    a legend, a search box and a theme filter; hover an entity or a relation for its dates and
    sources. Images are 1920x1080 with a title, a legend and a footer naming the sources.
    Same data and options, same file.

    \b
    Example:
      espoo-net map --out map.html
      espoo-net map --out ai.png --theme ai --title "AI partners"
      espoo-net map --out korea.html --country KR --layout geo
      espoo-net map --out japan.png --country JP --no-counterparts
      espoo-net map --out quantum.svg --view quantum
      espoo-net map --out korea.png --view my-views/korea.yaml
      espoo-net map --out route.pdf --highlight-intro cbnu --public
    """
    if highlight_path and highlight_intro:
        raise click.UsageError("give --highlight-path or --highlight-intro, not both")
    if view_file:
        _only_view(ctx)
        options = read_view(_view_path(view_file, data_path))
        if as_of:
            options = replace(options, as_of=as_of)
    else:
        options = slide_options(theme=theme, focus=focus, depth=depth, kinds=kinds, as_of=as_of, clusters=clusters,
                             highlight_path=tuple(highlight_path) if highlight_path else None,
                             highlight_intro=highlight_intro, layout=layout, title=title, public=public,
                             physics=physics, countries=countries, activities=activities, isolated=isolated,
                             counterparts=counterparts)
    result = render_map(load_graph_for(data_path), options, out, size=size)
    if result["missing_glyphs"]:
        click.echo(f"note: no installed font draws {result['missing_glyphs']}; install fonts-noto-cjk "
                   "or fonts-wqy-zenhei for them", err=True)
    emit(fmt, result, lambda r: f"wrote {r['path']} ({r['format']}, {r['bytes']:,} bytes): "
                                f"{r['entities']} entities, {r['relations']} relations")


def _view_path(given: str, data_path: str | None) -> Path:
    """A saved view's file: the path given, else NAME(.yaml) in the dataset's views/ folder."""
    if Path(given).is_file():
        return Path(given)
    data = Path(data_path) if data_path else bundled_data_path()
    folder = (data if data.is_dir() else data.parent) / "views"
    name = given.removesuffix(".yaml").removesuffix(".yml")
    for candidate in (folder / f"{name}.yaml", folder / f"{name}.yml"):
        if "/" not in name and candidate.is_file():
            return candidate
    known = sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    hint = f"saved views here: {', '.join(known)}" if known else "give the path of a view file"
    raise click.BadParameter(f"no view file or saved view named {given!r} ({hint})", param_hint="'--view'")


def _only_view(ctx: click.Context) -> None:
    """A saved view says what to draw; only --out, --size, --as-of and --data go with it."""
    given = [p.opts[0] for p in ctx.command.params
             if p.name not in ("out", "size", "as_of", "data_path", "fmt", "view_file")
             and ctx.get_parameter_source(p.name) == click.core.ParameterSource.COMMANDLINE]
    if given:
        raise click.UsageError(f"--view says what to draw: leave out {', '.join(given)} (or edit the view file)")


@click.command("export")
@click.argument("file_format", metavar="FORMAT", required=False, type=click.Choice(EXPORT_FORMATS))
@click.option("--out", "-o", required=True, metavar="PATH",
              help="The file to write (for csv: a folder); - writes a single-file format to stdout.")
@view_options
@as_of_option(help="Only the relations that held on DATE (a year or month stands for its first day: 2022 is "
                   "2022-01-01)  [default: every relation, whatever its status].")
@click.option("--format", "old_format", type=click.Choice(EXPORT_FORMATS), default=None, hidden=True,
              help="Deprecated spelling of FORMAT.")
@data_option
@library_errors
def export_command(file_format, out, theme, focus, depth, kinds, countries, public, as_of, old_format, data_path):
    """Export the network (or a view of it) as FORMAT for Gephi, Neo4j, spreadsheets or scripts.

    \b
    FORMAT: graphml and json round-trip losslessly; gexf for Gephi; csv: a folder with nodes.csv
    and edges.csv; cypher: MERGE statements for Neo4j. (`--format FORMAT`, the old spelling,
    still works and prints a note.) A summary goes to stdout, or to stderr when the export
    itself goes to stdout.

    \b
    Example:
      espoo-net export gexf --out espoo.gexf
      espoo-net export graphml --out espoo.graphml --public
      espoo-net export csv --out espoo-csv/
      espoo-net export cypher --out - | cypher-shell -u neo4j
    """
    fmt = _export_format(file_format, old_format)
    if out == "-" and fmt == "csv":
        raise click.UsageError("csv writes a folder (nodes.csv and edges.csv); give a folder to --out")
    G = load_graph_for(data_path)
    selection = dict(as_of=as_of, public=public, theme=theme, kinds=kinds, focus=focus, depth=depth,
                     countries=countries)
    if out == "-":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"export.{fmt}"
            result = export_view(G, fmt, path, **selection)
            with path.open("rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        result.update(path="-", files=["-"])
        click.echo(_export_summary(result), err=True)
    else:
        click.echo(_export_summary(export_view(G, fmt, out, **selection)))


def _export_format(given: str | None, old: str | None) -> str:
    """FORMAT, or the deprecated --format FORMAT (with a note on stderr); one of them, once."""
    if given and old and given != old:
        raise click.UsageError(f"FORMAT {given!r} and --format {old!r} disagree; give FORMAT only")
    if old and not given:
        click.echo(f"note: `export --format {old}` is deprecated; write `export {old}`", err=True)
    if not (given or old):
        raise click.UsageError(f"give the FORMAT to export: one of {', '.join(EXPORT_FORMATS)}")
    return given or old


def _export_summary(r: dict) -> str:
    return f"wrote {', '.join(r['files'])} ({r['format']}): {r['entities']} entities, {r['relations']} relations"


COMMANDS: list[click.Command] = [map_command, export_command]
