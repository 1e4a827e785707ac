"""The explorer's web app (Starlette): the page, its assets and the JSON API, read-only.

- ``GET /`` the page; ``GET /static/<file>`` its script and style (from this package) and
  vis-network (the copy the HTML map inlines); nothing is fetched from anywhere else.
- ``GET /api/<question>`` the questions of `explorer.api`, answered as JSON; an error is
  ``{"error": message}`` with a 4xx status (a 500 says only that the server's log has more),
  never a traceback.
- Every response carries a Content-Security-Policy that lets the page run only our own
  scripts and styles and talk only to this server, and no-sniff, no-referrer and no-framing
  headers. Bound to a loopback address, the app answers only requests addressed to
  localhost (against DNS rebinding: another site's page cannot read the answers).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph.errors import AmbiguousEntity, EntityNotFound, EspooNetError, InvalidData, NoPath
from graph.interchange import json_default
from graph.model import collecting_notes
from maps.html import labels_js, vis_network_js
from maps.layout import prepare as prepare_layout

from .api import QUESTIONS, ApiError, Params
from .state import Network

__all__ = ["create_app", "CSP", "LOOPBACK_HOSTS"]

STATIC = Path(__file__).with_name("static")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
           "x-frame-options": "DENY", "cache-control": "no-store"}
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_STATUS = ((ApiError, None), (EntityNotFound, 404), (NoPath, 404), (AmbiguousEntity, 409), (InvalidData, 422),
           (EspooNetError, 400))
log = logging.getLogger("espoo-net.explorer")


class _Headers:
    """ASGI middleware: the security headers on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in have]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def _json(data, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=json_default, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json")


def _noting(answer, network, params) -> dict:
    """`answer`, with the resolver's notes (a name that also names shared activities answered for
    the actor: `graph.model.collecting_notes`) as `notes` when the answer has none of its own."""
    with collecting_notes() as notes:
        result = answer(network, params)
    if notes and isinstance(result, dict) and "notes" not in result:
        result = {**result, "notes": list(notes)}
    return result


def error_status(e: Exception) -> int:
    """The HTTP status of a library error: 404 for what is not there, 400 for what was asked wrong."""
    for kind, status in _STATUS:
        if isinstance(e, kind):
            return status if status is not None else e.status
    return 500


def _assets() -> dict[str, tuple[bytes, str]]:
    """Every file the page loads, read once: ours from static/, vis-network and the map's labels."""
    files = {p.name: (p.read_bytes(), _TYPES[p.suffix]) for p in sorted(STATIC.iterdir()) if p.suffix in _TYPES}
    files["vis-network.min.js"] = (vis_network_js().encode("utf-8"), _TYPES[".js"])
    files["labels.js"] = (labels_js().encode("utf-8"), _TYPES[".js"])  # the map's own label placement
    return files


def create_app(network: Network, *, allowed_hosts: list[str] | None = None) -> Starlette:
    """The app answering from `network`.

    allowed_hosts: the Host header values answered (default: the loopback names); ["*"] for any.
    """
    assets = _assets()
    prepare_layout()  # the layout engine's import, paid here rather than by the first map

    async def page(request: Request) -> Response:
        body, kind = assets["index.html"]
        return Response(body, media_type=kind)

    async def static(request: Request) -> Response:
        found = assets.get(request.path_params["name"])
        if found is None or found[1].startswith("text/html"):
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(found[0], media_type=found[1])

    async def question(request: Request) -> Response:
        answer = QUESTIONS.get(request.path_params["name"])
        if answer is None:
            return _json({"error": f"no question {request.path_params['name']!r}; ask one of: "
                                   + ", ".join(QUESTIONS)}, 404)
        try:
            result = await run_in_threadpool(_noting, answer, network, Params(request.query_params))
        except EspooNetError as e:  # its advice worded for the page, not the command line (graph.errors.HINTS)
            return _json({"error": e.worded_for("web")}, error_status(e))
        except Exception:  # noqa: BLE001 - a bug: the log has the traceback, the client a message
            log.exception("%s failed", request.url.path)
            return _json({"error": "internal error: the server's log has the details"}, 500)
        return _json(result)

    async def refused(request: Request, exc: HTTPException) -> Response:
        return _json({"error": exc.detail}, exc.status_code)  # 404 and 405 (the app is read-only) as JSON too

    routes = [Route("/", page), Route("/static/{name}", static), Route("/api/{name}", question)]
    middleware = [Middleware(_Headers),
                  Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or LOOPBACK_HOSTS)]
    return Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: refused})
