"""``graphmap``: one entry point; ``graphmap serve`` is what ``make run`` runs."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from graphmap.config import Settings
from graphmap.errors import InvalidInput

T = TypeVar("T")
log = logging.getLogger("graphmap")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _neo4j_dir(settings: Settings) -> Path:
    return settings.data_dir / "neo4j"


@contextmanager
def neo4j_uri(settings: Settings) -> Iterator[str]:
    """``NEO4J_URI`` when set; else a detached local server already running on
    the data dir; else the embedded server, started here and stopped on exit."""
    if settings.neo4j_uri:
        yield settings.neo4j_uri
        return
    from graphmap import neo4j_local

    data_dir = _neo4j_dir(settings)
    running = neo4j_local.status_detached(data_dir)
    if running:
        yield running
        return
    click.echo(f"Starting the embedded Neo4j (data in {data_dir}) ...", err=True)
    neo4j_local.ensure_built(quiet=False)
    server = neo4j_local.LocalNeo4j(
        data_dir,
        port=settings.neo4j_bolt_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
    )
    uri = server.start()
    click.echo(f"Neo4j ready at {uri}", err=True)
    try:
        yield uri
    finally:
        click.echo("Stopping the embedded Neo4j ...", err=True)
        server.stop()


def _with_db(settings: Settings, uri: str, work: Callable[[Any], Awaitable[T]]) -> T:
    from graphmap.store.database import Database
    from graphmap.store.schema import migrate

    async def main() -> T:
        db = Database.connect(settings, uri)
        try:
            await db.driver.verify_connectivity()
            await migrate(db)
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(main())


class _Bar:
    """A tqdm progress bar fed by (what, how many) callbacks."""

    def __init__(self, total: int, desc: str) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=desc, unit="row", file=sys.stderr, leave=True)

    def __call__(self, what: str, n: int) -> None:
        self.bar.set_postfix_str(what)
        self.bar.update(n)

    def close(self) -> None:
        self.bar.close()


def _report(report: Any) -> None:
    for sheet, n in report.created.items():
        if n or report.updated[sheet]:
            click.echo(f"  {sheet:12} {n:7} created {report.updated[sheet]:7} updated")


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def main(verbose: bool) -> None:
    """graphmap: map territorial ecosystems and find the bridges between their worlds."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--host", default=None, help="Address to listen on (default GRAPHMAP_HOST).")
@click.option("--port", type=int, default=None, help="Port (default GRAPHMAP_PORT, 8000).")
@click.option("--demo", is_flag=True, help="Load the demo ecosystem at start (idempotent).")
@click.option("--reference/--no-reference", default=False,
              help="Load the official territorial reference if it is not loaded yet.")
def serve(host: str | None, port: int | None, demo: bool, reference: bool) -> None:
    """Serve the web map and the GraphQL API (starts Neo4j when NEO4J_URI is unset)."""
    import uvicorn

    from graphmap.web import create_app

    settings = _settings()
    with neo4j_uri(settings) as uri:
        if reference:
            _load_reference_if_missing(settings, uri)
        if demo:
            report = _with_db(settings, uri, _demo_work())
            click.echo(f"Demo ecosystem loaded ({report.total} rows written).", err=True)
        app = create_app(settings, uri)
        h, p = host or settings.host, port or settings.port
        click.echo(f"graphmap on http://{h}:{p}/  (GraphQL: http://{h}:{p}/graphql)", err=True)
        uvicorn.run(app, host=h, port=p, log_level="warning")


def _demo_work() -> Callable[[Any], Awaitable[Any]]:
    from graphmap.services import loading

    async def work(db: Any) -> Any:
        return await loading.load_demo(db)

    return work


@main.command()
def demo() -> None:
    """Load the demo ecosystem of the source document (idempotent)."""
    settings = _settings()
    with neo4j_uri(settings) as uri:
        try:
            report = _with_db(settings, uri, _demo_work())
        except InvalidInput as exc:
            raise click.ClickException(f"the demo file is invalid: {exc}") from None
    click.echo("Demo ecosystem loaded:")
    _report(report)


@main.group()
def territories() -> None:
    """The official territorial reference (@etalab/decoupage-administratif)."""


def _load_reference(settings: Settings, uri: str, data_dir: Path | None) -> Any:
    from graphmap.io.territories_reference import find_reference_dir
    from graphmap.services import loading

    source = data_dir or find_reference_dir()
    rows = loading.reference_sheet(source)
    bar = _Bar(len(rows) * 2, "territories")

    async def work(db: Any) -> Any:
        return await loading.load_reference(db, source, progress=bar)

    try:
        return _with_db(settings, uri, work)
    finally:
        bar.close()


def _load_reference_if_missing(settings: Settings, uri: str) -> None:
    from graphmap.services import nodes

    async def communes(db: Any) -> int:
        return await nodes.count(db, "territories", filters={
            "levels": ["COMMUNE"], "text": None, "parent": None, "within": None})

    if _with_db(settings, uri, communes) < 30000:
        click.echo("Loading the official territorial reference (once) ...", err=True)
        try:
            _load_reference(settings, uri, None)
        except FileNotFoundError as exc:
            click.echo(f"Skipped: {exc}", err=True)


@territories.command("load")
@click.option("--from", "data_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=None, help="The package's data/ folder (default: found under frontend/).")
def territories_load(data_dir: Path | None) -> None:
    """Load régions, départements, EPCI and communes (about 36,000 rows)."""
    import time

    settings = _settings()
    start = time.perf_counter()
    with neo4j_uri(settings) as uri:
        try:
            report = _load_reference(settings, uri, data_dir)
        except FileNotFoundError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Territorial reference loaded in {time.perf_counter() - start:.1f} s:")
    _report(report)


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def schema(output: Path | None) -> None:
    """Print the GraphQL schema (schema.graphql is this output)."""
    from graphmap.api.schema import schema as gql

    text = str(gql).rstrip() + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.group()
def neo4j() -> None:
    """The bundled embedded Neo4j (when you do not bring your own NEO4J_URI)."""


@neo4j.command("start")
def neo4j_start() -> None:
    """Start it in the background; `graphmap neo4j stop` stops it."""
    from graphmap import neo4j_local

    settings = _settings()
    data_dir = _neo4j_dir(settings)
    try:
        neo4j_local.ensure_built(quiet=False)
        neo4j_local.start_detached(
            data_dir, settings.neo4j_bolt_port, heap=settings.neo4j_heap,
            pagecache=settings.neo4j_pagecache,
        )
    except neo4j_local.Neo4jLocalError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Neo4j running at {neo4j_local.status_detached(data_dir)} (data in {data_dir})")


@neo4j.command("stop")
def neo4j_stop() -> None:
    """Stop the background Neo4j cleanly (its data stays on disk)."""
    from graphmap import neo4j_local

    stopped = neo4j_local.stop_detached(_neo4j_dir(_settings()))
    click.echo("Neo4j stopped." if stopped else "Neo4j was not running.")


@neo4j.command("status")
def neo4j_status() -> None:
    """Say whether the background Neo4j runs, and where."""
    from graphmap import neo4j_local

    uri = neo4j_local.status_detached(_neo4j_dir(_settings()))
    click.echo(f"running at {uri}" if uri else "not running")
    sys.exit(0 if uri else 1)


if __name__ == "__main__":
    main()
