"""The Starlette app: ``/graphql`` (with GraphiQL from local assets),
``/healthz``, ``/export/{format}``, ``/template.xlsx``, ``/static`` and the
built frontend at ``/``.

The Neo4j driver is opened once, in the lifespan, and handed to requests
through ``app.state``, with the map's cache of laid-out scopes (whose worker
process stops with the app); the schema is migrated at start-up.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from graphmap import __version__
from graphmap.api.context import Context, Loaders
from graphmap.api.schema import build_schema
from graphmap.config import Settings
from graphmap.graphiql import STATIC_DIR, GraphiQLAssetsMissing, graphiql_html
from graphmap.services import graph, maplayout
from graphmap.store.database import Database
from graphmap.store.schema import migrate

log = logging.getLogger("graphmap.web")
FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"


GRAPHQL_RESPONSE = "application/graphql-response+json"
_accepts_graphql_response: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "accepts_graphql_response", default=False
)


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context, our offline GraphiQL, and the
    GraphQL-over-HTTP media type: a client accepting
    ``application/graphql-response+json`` gets it, and a request that cannot
    execute (parse or validation error: ``data`` null, no error ``path``)
    answers 400 without ``data``, as the spec asks."""

    async def get_context(self, request: Any, response: Any = None) -> Context:
        app = request.app
        db: Database = app.state.db
        user = request.headers.get("x-graphmap-user", "graphql")[:100]
        _accepts_graphql_response.set(GRAPHQL_RESPONSE in request.headers.get("accept", ""))
        return Context(
            db=db,
            settings=app.state.settings,
            loaders=Loaders.create(db),
            user=user,
            layouts=app.state.layouts,
        )

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if not _accepts_graphql_response.get() or not isinstance(response_data, dict):
            return response
        errors = response_data.get("errors") or []
        if response_data.get("data") is None and errors and not any(e.get("path") for e in errors):
            body = {k: v for k, v in response_data.items() if k != "data"}
            response = Response(self.encode_json(body), status_code=400)
        response.headers["content-type"] = GRAPHQL_RESPONSE
        return response

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """Strawberry's, with a malformed ``map`` (a list, a path into a
        value that is not an object) answered 400 instead of 500."""
        try:
            return await super().parse_multipart(request)
        except (AttributeError, TypeError, IndexError, ValueError) as exc:
            raise HTTPException(400, "The multipart 'map' does not fit the operations") from exc

    async def render_graphql_ide(self, request: Request) -> Response:
        try:
            return HTMLResponse(graphiql_html())
        except GraphiQLAssetsMissing as exc:
            return HTMLResponse(f"<pre>{exc}</pre>", status_code=503)


async def _refuse(message: str, scope: Scope, receive: Receive, send: Send) -> None:
    """A 403 in GraphQL's error shape, for the guards below."""
    await JSONResponse({"errors": [{"message": message}]}, status_code=403)(scope, receive, send)


def _listed(setting: str | None) -> set[str]:
    """A comma-separated setting's entries, lower-cased."""
    return {item.strip().lower() for item in (setting or "").split(",")} - {""}


class KnownHosts:
    """Answers only requests addressed to a name this server is known by:
    localhost, 127.0.0.1, ::1, the address it listens on, and ``allowed``.
    A page of another site can point its own name at 127.0.0.1 (DNS
    rebinding) and then read and write the local graph as if it were
    same-origin; its requests still name that site in ``Host``."""

    LOCAL = frozenset({"localhost", "127.0.0.1", "[::1]"})

    def __init__(self, app: ASGIApp, listen: str, allowed: str | None = None) -> None:
        self.app = app
        named = _listed(allowed)
        if listen not in ("0.0.0.0", "::", ""):
            named.add(f"[{listen}]" if ":" in listen else listen.lower())
        self.known = self.LOCAL | named

    @staticmethod
    def name(host: str) -> str:
        """``Host`` without its port: ``[::1]:8000`` -> ``[::1]``."""
        host = host.strip().lower()
        return host[: host.index("]") + 1] if host.startswith("[") else host.split(":")[0]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = Headers(scope=scope).get("host")
            if host is not None and self.name(host) not in self.known:
                message = (
                    f"this server does not answer to {self.name(host)[:100]!r}; if it is "
                    "served under that name, add it to GRAPHMAP_ALLOWED_HOSTS"
                )
                await _refuse(message, scope, receive, send)
                return
        await self.app(scope, receive, send)


class SameOrigin:
    """Refuses a POST, or a query over GET, that a page of another site made
    the browser send.

    graphmap has no login, and a multipart upload (``importWorkbook``) is a
    "simple" request that browsers send cross-site without asking: any page
    open in the mapper's browser could import into the local graph. Browsers
    name the page's site in ``Origin``; such a POST whose ``Origin`` is not
    this server's (nor one of ``allowed``) is refused (403). A JSON POST is
    not simple: a browser asks first (CORS), and nothing here says yes, so
    it passes, and the map keeps working behind a proxy that rewrites
    ``Host``. Clients that are not browsers send no ``Origin`` and pass; the
    map, served from here (or through Vite's dev proxy, which keeps the
    ``Host``), is same-origin."""

    # the content types a page of another site may POST without asking first
    SIMPLE = frozenset(
        {"", "multipart/form-data", "application/x-www-form-urlencoded", "text/plain"}
    )

    def __init__(self, app: ASGIApp, allowed: str | None = None) -> None:
        self.app = app
        self.allowed = {origin.rstrip("/") for origin in _listed(allowed)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            # a query over GET can start an analysis run (a write, and minutes
            # of CPU): an <img> or a script of another site sends one without
            # asking, and no Origin. Browsers say where it comes from in
            # Sec-Fetch-Site; a visit (navigate) only opens GraphiQL.
            headers = Headers(scope=scope)
            site = headers.get("sec-fetch-site", "")
            if site in ("cross-site", "same-site") and headers.get("sec-fetch-mode") != "navigate":
                message = "a query sent by a page of another site is refused"
                await _refuse(message, scope, receive, send)
                return
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if (
                origin is not None
                and kind in self.SIMPLE
                and urlsplit(origin).netloc != headers.get("host")
                and origin.lower() not in self.allowed
            ):
                message = (
                    f"a request from another site ({origin[:100]}) is refused; if the map is "
                    "served there through a proxy, set GRAPHMAP_ALLOWED_ORIGINS to that "
                    "address, or have the proxy keep the Host header"
                )
                await _refuse(message, scope, receive, send)
                return
        await self.app(scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    db: Database = request.app.state.db
    ok = await db.ping()
    body: dict[str, Any] = {
        "status": "ok" if ok else "unavailable",
        "neo4j": ok,
        "version": __version__,
    }
    if ok:
        body["counts"] = await graph.counts(db)
    return JSONResponse(body, status_code=200 if ok else 503)


EXPORT_PARAMS = frozenset({"territory", "asOf", "projection"})


async def export(request: Request) -> Response:
    """``GET /export/{format}?territory=&asOf=&projection=actors|full``: the
    graph (or a scope of it) streamed as a download."""
    from graphmap.errors import InvalidInput, NotFound
    from graphmap.services import exports, fields

    fmt = request.path_params["format"]
    q = request.query_params
    unknown = sorted(set(q) - EXPORT_PARAMS)
    repeated = sorted(k for k in set(q) if len(q.getlist(k)) > 1)
    if unknown or repeated:  # ?as_of= would export the whole graph without a word
        what = f"unknown parameter {unknown[0][:40]!r}" if unknown else f"{repeated[0]} given twice"
        expected = ", ".join(sorted(EXPORT_PARAMS))
        return JSONResponse({"error": f"{what}: expected {expected}"}, status_code=400)
    try:
        as_of = fields.parse_date(q["asOf"]) if q.get("asOf") else None
    except ValueError as exc:
        return JSONResponse({"error": f"asOf {exc}"}, status_code=400)
    projection = q.get("projection") or "full"
    if projection not in ("full", "actors"):
        return JSONResponse({"error": "projection must be full or actors"}, status_code=400)
    scope = exports.Scope(territory=q.get("territory") or None, as_of=as_of, projection=projection)  # type: ignore[arg-type]
    try:
        stream = await exports.open_export(request.app.state.db, fmt, scope)
    except InvalidInput as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    except NotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    name = scope.filename(fmt)
    return StreamingResponse(
        stream,
        media_type=exports.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def template(request: Request) -> Response:
    """``GET /template.xlsx``: the empty import workbook, a README sheet
    explaining every column and its allowed values first."""
    import io

    from graphmap.io.workbook_files import write_template_xlsx

    out = io.BytesIO()
    write_template_xlsx(out)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="graphmap-template.xlsx"'},
    )


async def index(request: Request) -> Response:
    page = FRONTEND_DIST / "index.html"
    if page.exists():
        return FileResponse(page)
    return HTMLResponse(
        "<!doctype html><meta charset=utf-8><title>graphmap</title>"
        "<h1>graphmap</h1><p>The map is not built yet (<code>make install</code>). "
        "The API is at <a href='/graphql'>/graphql</a>.</p>"
    )


def create_app(settings: Settings | None = None, uri: str | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = Database.connect(settings, uri)
        layouts = maplayout.Layouts()  # the map's big scopes, laid out once per revision
        try:
            await db.driver.verify_connectivity()
            await migrate(db)
            app.state.db = db
            app.state.settings = settings
            app.state.layouts = layouts
            yield
        finally:
            layouts.close()
            await db.close()

    view = GraphQLView(build_schema(settings.max_query_depth), multipart_uploads_enabled=True)
    routes: list[Any] = [
        Route("/", index),
        Route("/healthz", healthz),
        Route("/export/{format}", export),
        Route("/template.xlsx", template),
        Route("/graphql", SameOrigin(view, settings.allowed_origins), methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    if (FRONTEND_DIST / "assets").is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=FRONTEND_DIST / "assets")))
    # Compressed answers: the map's whole-scope query is mostly repeated keys.
    middleware = [
        Middleware(KnownHosts, listen=settings.host, allowed=settings.allowed_hosts),
        Middleware(GZipMiddleware, minimum_size=1024),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
