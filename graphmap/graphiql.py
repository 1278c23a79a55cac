"""Offline GraphiQL playground.

The page (``graphmap/static/graphiql.html``) loads React, ReactDOM and the
GraphiQL standalone bundle from ``/static/graphiql/``; those files are copied
out of ``frontend/node_modules`` by ``npm run build:graphiql`` (``make install``)
and are not committed. Nothing is fetched from a CDN, so the playground works
with no internet access.

``graphmap/static`` is package *data* (no ``__init__.py``): mount ``STATIC_DIR``
at ``/static`` and answer browser GETs on ``/graphql`` with ``graphiql_html()``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "GRAPHIQL_ASSETS",
    "GRAPHIQL_ASSETS_DIR",
    "GRAPHIQL_PAGE",
    "STATIC_DIR",
    "GraphiQLAssetsMissing",
    "graphiql_html",
    "missing_graphiql_assets",
]

STATIC_DIR: Path = Path(__file__).resolve().parent / "static"
"""Directory to serve at ``/static`` (the GraphiQL page and its built assets)."""

GRAPHIQL_PAGE: Path = STATIC_DIR / "graphiql.html"
GRAPHIQL_ASSETS_DIR: Path = STATIC_DIR / "graphiql"

#: Built files the page loads, relative to ``GRAPHIQL_ASSETS_DIR``
#: (kept in sync with ``frontend/scripts/build-graphiql.mjs``).
GRAPHIQL_ASSETS: tuple[str, ...] = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)

_HINT = "run `make install` (npm run build:graphiql)"


class GraphiQLAssetsMissing(RuntimeError):
    """The GraphiQL page or its built JS/CSS assets are not installed."""


def missing_graphiql_assets() -> list[Path]:
    """Paths of the GraphiQL files (page + built assets) that are absent."""
    wanted = [GRAPHIQL_PAGE, *(GRAPHIQL_ASSETS_DIR / name for name in GRAPHIQL_ASSETS)]
    return [path for path in wanted if not path.is_file()]


def graphiql_html() -> str:
    """Return the HTML of the offline GraphiQL page.

    Raises :class:`GraphiQLAssetsMissing` (a ``RuntimeError``) when the page or
    the built React/GraphiQL assets it loads are missing.
    """
    missing = missing_graphiql_assets()
    if missing:
        names = ", ".join(str(path) for path in missing)
        raise GraphiQLAssetsMissing(f"GraphiQL assets missing ({names}): {_HINT}")
    return GRAPHIQL_PAGE.read_text(encoding="utf-8")
