"""``graphmap``: one entry point; ``graphmap serve`` is what ``make run`` runs."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from neo4j.exceptions import Neo4jError

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
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@main.command()
@click.option("--host", default=None, help="Address to listen on (default GRAPHMAP_HOST).")
@click.option("--port", type=int, default=None, help="Port (default GRAPHMAP_PORT, 8000).")
@click.option("--demo", is_flag=True, help="Load the demo ecosystem at start (idempotent).")
@click.option(
    "--reference/--no-reference",
    default=False,
    help="Load the official territorial reference if it is not loaded yet.",
)
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
    bar = _Bar(len(rows), "territories")

    async def work(db: Any) -> Any:
        return await loading.load_reference(db, source, progress=bar)

    try:
        return _with_db(settings, uri, work)
    finally:
        bar.close()


def _load_reference_if_missing(settings: Settings, uri: str) -> None:
    from graphmap.services import nodes

    async def communes(db: Any) -> int:
        return await nodes.count(
            db,
            "territories",
            filters={"levels": ["COMMUNE"], "text": None, "parent": None, "within": None},
        )

    if _with_db(settings, uri, communes) < 30000:
        click.echo("Loading the official territorial reference (once) ...", err=True)
        try:
            _load_reference(settings, uri, None)
        except FileNotFoundError as exc:
            click.echo(f"Skipped: {exc}", err=True)


@territories.command("load")
@click.option(
    "--from",
    "data_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="The package's data/ folder (default: found under frontend/).",
)
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
@click.option(
    "--territory", default=None, help="A territory code: analyse it and everything in it."
)
@click.option("--as-of", "as_of", default=None, help="Analyse the graph as of this date.")
@click.option("--force", is_flag=True, help="Recompute even if the graph has not changed.")
@click.option("--top", type=int, default=10, show_default=True, help="How many bridges to print.")
def analyze(territory: str | None, as_of: str | None, force: bool, top: int) -> None:
    """Find the facilitator bridges and the discreet emerging initiatives."""
    import json

    from tqdm import tqdm

    from graphmap.services import analysis, fields

    try:
        day = fields.parse_date(as_of) if as_of else None
    except ValueError as exc:
        raise click.BadParameter(f"{as_of!r} {exc}", param_hint="--as-of") from None
    settings = _settings()
    bar = tqdm(
        total=100,
        desc="analysis",
        unit="%",
        file=sys.stderr,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}",
    )

    def progress(stage: str, fraction: float) -> None:
        bar.set_postfix_str(stage)
        bar.n = int(fraction * 100)
        bar.refresh()

    async def work(db: Any) -> Any:
        run = await analysis.run(
            db,
            analysis.RunRequest(territory, day, force=force),
            by="graphmap analyze",
            progress=progress,
        )
        bridges = await db.fetch("analysis.bridge_ranking", run=run["id"], hidden=False, limit=top)
        return run, bridges

    with neo4j_uri(settings) as uri:
        run, bridges = _with_db(settings, uri, work)
    bar.n = 100
    bar.close()
    state = "reused (graph unchanged)" if run.get("reused") else "computed"
    click.echo(f"Analysis run {run['id']} {state}, graph revision {run['revision']}.")
    timings = json.loads(run.get("timings") or "{}")
    if timings:
        click.echo("Stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    click.echo(f"Top {len(bridges)} facilitator bridges:")
    for b in bridges:
        m = b["measure"]
        flag = (
            "declared"
            if m.get("declaredFacilitator")
            else "hidden"
            if m.get("bridgeDetected")
            else ""
        )
        click.echo(
            f"{m['bridgeRank']:4}. {b['node']['name']} ({m.get('bridgeScore', 0):.1f}) {flag}"
        )
        for reason in (m.get("bridgeReasons") or [])[:3]:
            click.echo(f"        - {reason}")


@main.command()
@click.option(
    "--actors",
    "n_actors",
    type=click.IntRange(10, 2_000_000),
    required=True,
    help="How many actors.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write the workbook (CSV files) and the planted truth here.",
)
@click.option("--load", is_flag=True, help="Load it into the database (use a test database).")
def generate(n_actors: int, seed: int, output: Path | None, load: bool) -> None:
    """A synthetic ecosystem with planted bridges and emerging initiatives."""
    import csv
    import json

    from graphmap.analysis.generate import generate_ecosystem
    from graphmap.services import workbook, writer

    if not output and not load:
        raise click.UsageError("say where it goes: --output DIR and/or --load")
    eco = generate_ecosystem(n_actors, seed=seed, communes=_real_communes(n_actors))
    sheets: dict[workbook.Sheet, list[dict[str, str]]] = {
        s: getattr(eco, s) for s in workbook.SHEETS
    }
    click.echo(
        f"Generated {len(eco.actors)} actors, {len(eco.initiatives)} initiatives, "
        f"{len(eco.alliances)} alliances, {len(eco.memberships)} memberships.",
        err=True,
    )
    if output:
        output.mkdir(parents=True, exist_ok=True)
        for sheet, rows in sheets.items():
            columns = [c.name for c in workbook.COLUMNS[sheet]]
            with (output / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)
        truth = {
            "planted_bridges": eco.planted_bridges,
            "planted_emerging": eco.planted_emerging,
            "decoys": eco.decoys,
            "as_of": eco.as_of.isoformat(),
            "seed": seed,
        }
        (output / "planted.json").write_text(json.dumps(truth, indent=2), encoding="utf-8")
        click.echo(f"Workbook written to {output}/ (planted truth in planted.json).", err=True)
    if load:
        settings = _settings()
        book = workbook.validate({str(k): v for k, v in sheets.items()})
        bar = _Bar(len(book), "load")

        async def work(db: Any) -> Any:
            return await writer.write(db, book, by="graphmap generate", progress=bar)

        with neo4j_uri(settings) as uri:
            report = _with_db(settings, uri, work)
        bar.close()
        _report(report)


def _real_communes(n_actors: int) -> list[tuple[str, int, str, str]] | None:
    """Real communes (code, population, département, région) when the
    reference is installed, so generated actors sit where people live.

    About one commune for every 25 actors, taken as the most populated
    communes of the most populated départements (at most 40 per
    département): local ecosystems need enough actors per commune and EPCI.
    """
    try:
        from graphmap.io.territories_reference import find_reference_dir, read_reference

        ref = read_reference(find_reference_dir())
    except (FileNotFoundError, OSError):
        return None
    region_of = {d.code: d.parents[0] for d in ref.departements if d.parents}
    by_dep: dict[str, list[tuple[str, int, str, str]]] = {}
    for c in ref.communes:
        dep = c.parents[0] if c.parents else None
        if dep and c.population and dep in region_of:
            by_dep.setdefault(dep, []).append((c.code, int(c.population), dep, region_of[dep]))
    wanted = max(12, n_actors // 25)
    deps = sorted(by_dep, key=lambda d: (-sum(c[1] for c in by_dep[d]), d))
    out: list[tuple[str, int, str, str]] = []
    for dep in deps:
        out += sorted(by_dep[dep], key=lambda c: (-c[1], c[0]))[:40]
        if len(out) >= wanted:
            break
    return out[:wanted]


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file instead of standard output.",
)
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
            data_dir,
            settings.neo4j_bolt_port,
            heap=settings.neo4j_heap,
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


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--dry-run", is_flag=True, help="Validate and count, write nothing.")
@click.option(
    "--by",
    default="graphmap import",
    show_default=True,
    help="Who the history records as the author.",
)
def import_(path: Path, dry_run: bool, by: str) -> None:
    """Import a workbook (folder of CSV files, .zip of them, .xlsx or one CSV):
    all or nothing, idempotent (see formats.md; `graphmap template` makes one)."""
    from graphmap.io import workbook_files
    from graphmap.services import imports

    raw = workbook_files.read_path(path)
    click.echo(f"Read {raw.rows} rows from {path.name}.", err=True)
    for note in raw.notes:
        click.echo(f"  note: {note}", err=True)
    settings = _settings()
    with neo4j_uri(settings) as uri:
        bar = _Bar(raw.rows, "importing")

        async def work(db: Any) -> Any:
            return await imports.import_raw(
                db, raw, path.name, by=by, dry_run=dry_run, progress=bar
            )

        try:
            summary = _with_db(settings, uri, work)
        except KeyboardInterrupt:
            bar.close()
            click.echo(
                "Interrupted: nothing was imported; what the import had written is undone "
                "(if that was cut short too, the next import finishes it).",
                err=True,
            )
            sys.exit(130)
        except InvalidInput as exc:
            bar.close()
            click.echo(f"Nothing was imported: {len(exc.errors)} problem(s).", err=True)
            for e in exc.errors:
                click.echo(f"  {e}", err=True)
            sys.exit(1)
        except Neo4jError as exc:
            bar.close()
            # one transaction over its own limit is reported by the writer
            # (InvalidInput above); this is the memory all of them share
            if "MemoryPool" in str(exc) or "memory" in (exc.message or "").lower():
                raise click.ClickException(
                    "Nothing was imported: Neo4j's memory for transactions stayed full while "
                    "the import was retried. Give the embedded Neo4j more heap "
                    "(GRAPHMAP_NEO4J_HEAP=2g) or import when the server is less busy."
                ) from None
            raise click.ClickException(f"Nothing was imported: Neo4j refused it ({exc})") from None
        bar.close()
    for line in summary.lines(notes=False):  # the notes were shown above
        click.echo(line)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the files already there.")
def template(path: Path, force: bool) -> None:
    """Write an empty import workbook with a README of every column: an .xlsx
    when PATH ends in .xlsx, else a folder of CSV files. Files already there
    (a workbook being filled in) are not overwritten without --force."""
    from graphmap.io.workbook_files import template_files, write_template

    if not path.name:
        raise click.BadParameter("name a file or a folder", param_hint="PATH")
    there = [f for f in template_files(path) if f.exists()]
    if there and not force:
        names = ", ".join(str(f) for f in there[:3]) + (" ..." if len(there) > 3 else "")
        raise click.ClickException(
            f"{names} already exist(s): nothing written (--force overwrites)"
        )
    try:
        for written in write_template(path):
            click.echo(str(written))
    except OSError as exc:
        raise click.ClickException(f"cannot write the template at {path}: {exc.strerror}") from None


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "graphml", "gexf", "json", "workbook"]),
    default="graphml",
    show_default=True,
    help="csv: nodes.csv+edges.csv zipped; workbook: the import sheets (zip or folder).",
)
@click.option("--territory", default=None, help="Only this territory and its sub-territories.")
@click.option("--as-of", "as_of", default=None, help="Memberships and alliances active that day.")
@click.option(
    "--projection",
    type=click.Choice(["full", "actors"]),
    default="full",
    show_default=True,
    help="actors: actors tied by what they share.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (a folder for --format workbook without .zip).",
)
def export(
    fmt: str, territory: str | None, as_of: str | None, projection: str, output: Path | None
) -> None:
    """Export the graph (or a scope of it), streamed, with the latest metrics."""
    from graphmap.errors import NotFound
    from graphmap.services import exports, fields

    try:
        day = fields.parse_date(as_of) if as_of else None
    except ValueError as exc:
        raise click.BadParameter(f"{as_of!r} {exc}", param_hint="--as-of") from None
    scope = exports.Scope(territory=territory, as_of=day, projection=projection)  # type: ignore[arg-type]
    try:
        exports.check_request(fmt, scope)
    except InvalidInput as exc:
        why = exc.errors[0]
        raise click.BadParameter(
            f"{why.value} {why.message}", param_hint=f"--{why.field}"
        ) from None
    folder = fmt == "workbook" and output is not None and output.suffix.lower() != ".zip"
    target = output or Path(scope.filename(fmt))
    _check_output(target, folder)  # before starting Neo4j: a bad path fails at once
    settings = _settings()
    # written to a temporary file beside the target, then renamed (or, for a
    # folder, unzipped): a failed export leaves no half file, and no file the
    # user owns is taken for a working file
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    part = Path(name)
    try:
        with neo4j_uri(settings) as uri:

            async def work(db: Any) -> int:
                from tqdm import tqdm

                stream = await exports.open_export(db, fmt, scope)
                with (
                    part.open("wb") as out,
                    tqdm(desc="exporting", unit="B", unit_scale=True, file=sys.stderr) as bar,
                ):
                    async for chunk in stream:
                        out.write(chunk)
                        bar.update(len(chunk))
                    return int(bar.n)

            try:
                size = _with_db(settings, uri, work)
            except (InvalidInput, NotFound) as exc:
                raise click.ClickException(str(exc)) from None
        if folder:
            import zipfile

            target.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(part) as z:
                z.extractall(target)
        else:
            part.replace(target)
    finally:  # Ctrl-C and Neo4j errors too
        part.unlink(missing_ok=True)
    click.echo(f"Wrote {target} ({size:,} bytes).", err=True)


def _check_output(target: Path, folder: bool) -> None:
    """Refuse, with a message, an export path that cannot be written: a
    folder where a file goes, a missing or read-only parent, and, for a
    workbook as a folder, a file or a folder that is not empty (its old
    files would stay beside the new ones)."""
    if not target.name:
        raise click.BadParameter("name a file to write", param_hint="-o")
    parent = target.parent
    if not parent.is_dir():
        raise click.BadParameter(f"{parent} is not a folder", param_hint="-o")
    if not os.access(parent, os.W_OK):
        raise click.BadParameter(f"{parent} cannot be written to", param_hint="-o")
    if folder:
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            why = "is a file" if not target.is_dir() else "is a folder that is not empty"
            raise click.BadParameter(
                f"{target} {why}: name a new folder, or a .zip", param_hint="-o"
            )
    elif target.is_dir():
        raise click.BadParameter(f"{target} is a folder: name a file", param_hint="-o")


if __name__ == "__main__":
    main()
