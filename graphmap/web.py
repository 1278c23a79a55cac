"""The Starlette app: ``/graphql`` (with GraphiQL from local assets),
``/healthz``, ``/static`` and the built frontend at ``/``.

The Neo4j driver is opened once, in the lifespan, and handed to requests
through ``app.state``; the schema is migrated at start-up.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL

from graphmap import __version__
from graphmap.api.context import Context, Loaders
from graphmap.api.schema import build_schema
from graphmap.config import Settings
from graphmap.graphiql import STATIC_DIR, GraphiQLAssetsMissing, graphiql_html
from graphmap.services import graph
from graphmap.store.database import Database
from graphmap.store.schema import migrate

log = logging.getLogger("graphmap.web")
FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context and our offline GraphiQL."""

    async def get_context(self, request: Any, response: Any = None) -> Context:  # type: ignore[override]
        app = request.app
        db: Database = app.state.db
        user = request.headers.get("x-graphmap-user", "graphql")[:100]
        return Context(db=db, settings=app.state.settings, loaders=Loaders.create(db), user=user)

    async def render_graphql_ide(self, request: Request) -> Response:
        try:
            return HTMLResponse(graphiql_html())
        except GraphiQLAssetsMissing as exc:
            return HTMLResponse(f"<pre>{exc}</pre>", status_code=503)


async def healthz(request: Request) -> JSONResponse:
    db: Database = request.app.state.db
    ok = await db.ping()
    body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "neo4j": ok,
                            "version": __version__}
    if ok:
        body["counts"] = await graph.counts(db)
    return JSONResponse(body, status_code=200 if ok else 503)


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
        try:
            await db.driver.verify_connectivity()
            await migrate(db)
            app.state.db = db
            app.state.settings = settings
            yield
        finally:
            await db.close()

    view = GraphQLView(build_schema(settings.max_query_depth), multipart_uploads_enabled=True)
    routes: list[Any] = [
        Route("/", index),
        Route("/healthz", healthz),
        Route("/graphql", view, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    if (FRONTEND_DIST / "assets").is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=FRONTEND_DIST / "assets")))
    return Starlette(routes=routes, lifespan=lifespan)
