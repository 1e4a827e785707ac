"""The `serve` command: the explorer page on this machine (`explorer`)."""
from __future__ import annotations

import click

from .backends import backend_options
from .options import Progress, data_option, library_errors

__all__ = ["COMMANDS"]


@click.command()
@data_option
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine's own (127.0.0.1, ::1, localhost) "
                   "lets others on the network read the data: a warning is printed.")
@backend_options
@library_errors
def serve(data_path, port, host, backend, neo4j):
    """Open the explorer: a local web page that answers who can introduce us, how two entities
    are connected, the clusters and the map, as of any day, with every hop's date and source.

    The dataset is loaded once (and again when its files change or, with --backend neo4j, after
    a push that changed the server's data); the page and its JSON API
    under /api/ (the shapes of `--format json`) are read-only and fetch nothing from anywhere.
    Stop it with Ctrl-C.

    \b
    Example:
      espoo-net serve
      espoo-net serve --data data/ --port 8800
      espoo-net serve --backend neo4j
    """
    # Imported here: the web stack (starlette, uvicorn) would add ~40 ms to every command's start.
    from explorer import Network, create_app, is_loopback, open_socket, run

    # A changed network (files edited, or a new push to the server) is read in the background:
    # the page keeps its answers from the current one meanwhile.
    network = Network(data_path, backend=backend, neo4j=neo4j, progress=Progress(), background=True)
    local = is_loopback(host)
    if not local:
        click.echo(f"warning: listening on {host}: anyone who can reach this machine on port {port} can read "
                   "the whole network, people included. Use --host 127.0.0.1 to keep it on this machine.", err=True)
    sock = open_socket(host, port)
    shown = f"[{host}]" if ":" in host else host
    info = network.describe()  # the counts the page's header shows (themes are not entities)
    click.echo(f"espoo-net explorer: {info['entities']:,} entities, {info['relations']:,} relations ({backend})")
    click.echo(f"open http://{shown}:{sock.getsockname()[1]}/  (Ctrl-C stops)")
    run(create_app(network, allowed_hosts=None if local else ["*"]), sock)


COMMANDS: list[click.Command] = [serve]
