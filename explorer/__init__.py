"""The explorer: `espoo-net serve`, a local read-only web page over the network.

A layer above `exports` and below `commands` (it imports no click): `state` holds the loaded
network and reloads it when its files change, `api` answers one question per function by
calling the very library function the matching command calls, `app` is the Starlette app (the
page, its assets, the JSON API and the security headers), and `static/` the page itself.

>>> from explorer import Network, create_app, open_socket, run
>>> sock = open_socket("127.0.0.1", 8765)              # doctest: +SKIP
>>> run(create_app(Network("data")), sock)             # doctest: +SKIP
"""
from __future__ import annotations

import ipaddress
import socket

from graph.errors import EspooNetError

from .app import create_app
from .state import Network

__all__ = ["Network", "create_app", "open_socket", "run", "is_loopback"]


def is_loopback(host: str) -> bool:
    """Whether `host` names only this machine (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_socket(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one; `sock.getsockname()[1]` says which).

    Bound before the server starts, so the address printed is the one that answers. Its
    connections send each answer at once (TCP_NODELAY).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not left 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    # sockets that say they are TCP, and with it on, every answer waited about 40 ms for the
    # client's delayed acknowledgement (headers and body are written apart).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as e:
        sock.close()
        raise EspooNetError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.listen(128)
    return sock


def run(app, sock: socket.socket, *, log_level: str = "warning") -> None:
    """Serve `app` on `sock` until interrupted (Ctrl-C)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="off", server_header=False))
    server.run(sockets=[sock])
