"""Benchmark of graphmap's data in and out on a generated workbook.

    .venv/bin/python bench/bench_io.py [--actors 100000] [--memberships 300000]

(``make bench`` runs it with the others.) It starts its own embedded Neo4j on
a temp dir unless ``NEO4J_URI`` is set (which it then WIPES). Its heap is
``GRAPHMAP_NEO4J_HEAP``, default 1g, graphmap's own default: a workbook this
large is staged over several transactions (``writer.STAGE_ABOVE``), so it no
longer needs the 8g one transaction of 400k rows did. For two sizes (half,
then full):

- generates a workbook folder: actors spread over communes, alliances and
  initiatives of heavy-tailed (Zipf) sizes, memberships drawn accordingly;
- imports it through the real path (``graphmap import``: read, validate,
  staged all-or-nothing write with history), then re-imports it (the
  idempotent no-op), then imports its memberships again with every role
  changed (300k tie updates), then its actors, each renamed and moved to
  another commune (100k node updates), both staged with their before-images;
- exports the full graph to GraphML and to nodes/edges CSV (zip), streamed
  to a file, then to GraphML again (the first export after the server starts
  also pays for the JVM's warm-up);
- empties the graph and imports the workbook again, on a warmer JVM.

Reports rows/s, elements/s and the peak RSS of this Python process during
each step (sampled from /proc every 10 ms), so flat export memory shows as
the same figure at both sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphmap.config import Settings  # noqa: E402
from graphmap.io import workbook_files  # noqa: E402
from graphmap.services import exports, imports  # noqa: E402
from graphmap.store.database import Database  # noqa: E402
from graphmap.store.schema import migrate  # noqa: E402

T = TypeVar("T")
KINDS = [
    "ASSOCIATION",
    "CITIZEN_GROUP",
    "COMPANY",
    "SOCIAL_ENTERPRISE",
    "LOCAL_AUTHORITY",
    "STATE_BODY",
    "ACADEMIC",
    "FOUNDATION",
    "FUNDER",
    "NETWORK",
]
ROLES = ["PARTNER", "PARTNER", "PARTNER", "LEAD", "FUNDER", "FACILITATOR", "BENEFICIARY"]
DEPARTEMENTS = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]


# --- memory ------------------------------------------------------------------


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRSS:
    """Samples this process's RSS every 10 ms while the block runs."""

    def __enter__(self) -> PeakRSS:
        self.peak = self.start = rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())


# --- the workbook ------------------------------------------------------------


def _siren(n: int) -> str:
    base = f"{n:08d}"
    for check in "0123456789":
        digits = base + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return digits
    raise AssertionError(n)


def generate(folder: Path, actors: int, memberships: int, seed: int = 1) -> int:
    """Write the workbook; return its number of rows."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    communes = [f"{d}{i:03d}" for d in DEPARTEMENTS for i in range(1, 101)]
    rows = 0
    with (folder / "territories.csv").open("w", encoding="utf-8") as f:
        f.write("code;name;level;parent;population\nR84;Auvergne-Rhône-Alpes;REGION;;8000000\n")
        for d in DEPARTEMENTS:
            f.write(f"{d};Département {d};DEPARTEMENT;R84;\n")
        for c in communes:
            f.write(f"{c};Commune {c};COMMUNE;{c[:2]};{rng.randint(100, 50000)}\n")
        rows += 1 + len(DEPARTEMENTS) + len(communes)
    with (folder / "actors.csv").open("w", encoding="utf-8") as f:
        f.write("id;name;kind;territory;siren;source\n")
        for i in range(actors):
            siren = _siren(10_000_000 + i) if i % 5 == 0 else ""
            f.write(f"a{i};Acteur {i};{rng.choice(KINDS)};{rng.choice(communes)};{siren};bench\n")
        rows += actors
    n_groups = max(20, actors // 16)
    alliances = n_groups // 2
    initiatives = n_groups - alliances
    with (folder / "initiatives.csv").open("w", encoding="utf-8") as f:
        f.write("id;name;stage;started_on;territory\n")
        for i in range(initiatives):
            f.write(f"i{i};Initiative {i};EMERGENCE;{2015 + i % 10}-03-01;{rng.choice(communes)}\n")
        rows += initiatives
    with (folder / "alliances.csv").open("w", encoding="utf-8") as f:
        f.write("id;name;type;since;carries;territory\n")
        for i in range(alliances):
            carries = f"i{rng.randrange(initiatives)}" if i % 3 == 0 else ""
            f.write(
                f"al{i};Alliance {i};SOCIETAL_INNOVATION;{2010 + i % 14};{carries};"
                f"{rng.choice(DEPARTEMENTS)}\n"
            )
        rows += alliances
    groups = [f"al{i}" for i in range(alliances)] + [f"i{i}" for i in range(initiatives)]
    rng.shuffle(groups)
    weights = [1.0 / (k + 1) ** 0.9 for k in range(len(groups))]  # Zipf: heavy tail
    seen: set[tuple[int, int]] = set()
    with (folder / "memberships.csv").open("w", encoding="utf-8") as f:
        f.write("actor;target;role;since\n")
        while len(seen) < memberships:
            need = memberships - len(seen)
            picks = rng.choices(range(len(groups)), weights=weights, k=need)
            for g in picks:
                a = rng.randrange(actors)
                if (a, g) in seen:
                    continue
                seen.add((a, g))
                f.write(f"a{a};{groups[g]};{rng.choice(ROLES)};{2010 + (a + g) % 14}\n")
        rows += memberships
    return rows


def _rewrite(folder: Path, out: Path, sheet: str, change: Callable[[list[str]], str]) -> None:
    """``out``: the ``sheet`` of ``folder`` alone, each row ``change``d."""
    out.mkdir(parents=True, exist_ok=True)
    with (
        (folder / f"{sheet}.csv").open(encoding="utf-8") as src,
        (out / f"{sheet}.csv").open("w", encoding="utf-8") as dst,
    ):
        dst.write(next(src))
        for line in src:
            dst.write(change(line.rstrip("\n").split(";")) + "\n")


def _change_roles(folder: Path, out: Path) -> None:
    """``out``: the memberships of ``folder`` alone, each with the next role."""
    following = {r: ROLES[(i + 1) % len(ROLES)] for i, r in enumerate(ROLES)}

    def change(cells: list[str]) -> str:
        actor, target, role, since = cells
        return f"{actor};{target};{following[role]};{since}"

    _rewrite(folder, out, "memberships", change)


def _change_actors(folder: Path, out: Path) -> None:
    """``out``: the actors of ``folder`` alone, each renamed and moved to the
    next commune (a property and a LOCATED_IN changed)."""

    def change(cells: list[str]) -> str:
        ident, name, kind, commune, siren, source = cells
        moved = f"{commune[:2]}{int(commune[2:]) % 100 + 1:03d}"
        return f"{ident};{name} (renommé);{kind};{moved};{siren};{source}"

    _rewrite(folder, out, "actors", change)


# --- the steps -----------------------------------------------------------------


def run(coro: Awaitable[T]) -> T:
    return asyncio.get_event_loop().run_until_complete(coro)


def step(name: str, work: Callable[[], Awaitable[T]]) -> tuple[float, str, T]:
    """Run one step; its time and "peak RSS (growth during the step)": RSS
    never shrinks after a big import, so the growth is what shows an export's
    own (flat) memory."""
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        out = run(work())
        seconds = time.perf_counter() - t0
    shown = f"{mem.peak:,.0f} (+{mem.peak - mem.start:,.0f})"
    print(f"  {name}: {seconds:.1f} s, peak RSS {shown} MiB", flush=True)
    return seconds, shown, out


async def wipe(db: Database) -> None:
    while (await db.fetch_write("admin.delete_batch", batch=20000))[0]["deleted"]:
        pass


async def export_to(db: Database, fmt: str, path: Path) -> int:
    stream = await exports.open_export(db, fmt, exports.Scope())
    with path.open("wb") as out:
        async for chunk in stream:
            out.write(chunk)
    return path.stat().st_size


async def elements(db: Database) -> int:
    c = (await db.fetch("graph.counts"))[0]

    async def work(tx: Any) -> int:
        r = await tx.run(
            "MATCH ()-[r:MEMBER_OF|CONTRIBUTES_TO|CARRIES|LOCATED_IN|PART_OF]->() "
            "RETURN count(r) AS n"
        )
        return int((await r.single())["n"])

    return int(c["actors"] + c["initiatives"] + c["alliances"] + c["territories"]) + await db.read(
        work
    )


def bench_size(
    db: Database, tmp: Path, actors: int, memberships: int, table: list[tuple[str, ...]]
) -> None:
    print(f"\n## {actors:,} actors, {memberships:,} memberships", flush=True)
    run(wipe(db))
    folder = tmp / f"book-{actors}"
    t0 = time.perf_counter()
    rows = generate(folder, actors, memberships)
    print(f"  generated {rows:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)
    size = f"{actors // 1000}k/{memberships // 1000}k"

    async def do_import() -> imports.ImportSummary:
        raw = workbook_files.read_path(folder)
        return await imports.import_raw(db, raw, folder.name, by="bench")

    sec, peak, summary = step("import", do_import)
    assert summary.changed == rows, summary.lines()
    table.append(
        (f"import {size}", f"{rows:,} rows", f"{sec:.1f}", f"{rows / sec:,.0f} rows/s", peak)
    )
    sec, peak, summary = step("re-import (no-op)", do_import)
    assert summary.changed == 0, summary.lines()
    table.append(
        (
            f"re-import {size} (unchanged)",
            f"{rows:,} rows",
            f"{sec:.1f}",
            f"{rows / sec:,.0f} rows/s",
            peak,
        )
    )
    # every membership, then every actor changed: updates of what is stored,
    # staged with their before-images
    changes = (
        ("membership", "memberships", memberships, _change_roles),
        ("actor", "actors", actors, _change_actors),
    )
    for what, sheet, count, change in changes:
        changed = tmp / f"book-{actors}-{sheet}-changed"
        change(folder, changed)

        async def do_update(changed: Path = changed) -> imports.ImportSummary:
            raw = workbook_files.read_path(changed)
            return await imports.import_raw(db, raw, changed.name, by="bench")

        sec, peak, summary = step(f"update (every {what} changed)", do_update)
        assert summary.updated[sheet] == count, summary.lines()
        table.append(
            (
                f"update {size} (every {what} changed)",
                f"{count:,} rows",
                f"{sec:.1f}",
                f"{count / sec:,.0f} rows/s",
                peak,
            )
        )
        shutil.rmtree(changed)
    n = run(elements(db))
    # GraphML again: the first export after the server starts also pays for
    # the JVM compiling its code paths; the second shows a warm server
    for fmt, name in (("graphml", "graphml"), ("csv", "csv"), ("graphml", "graphml again")):
        path = tmp / f"export.{fmt}"

        async def do_export(fmt: str = fmt, path: Path = path) -> int:
            return await export_to(db, fmt, path)

        sec, peak, nbytes = step(f"export {name}", do_export)
        table.append(
            (
                f"export {name} {size}",
                f"{n:,} elements",
                f"{sec:.1f}",
                f"{n / sec:,.0f} elements/s",
                peak,
            )
        )
        path.unlink()
    # the same import into an emptied graph: the first one on a young server
    # also pays for the JVM compiling its code paths, as the first export does
    run(wipe(db))
    sec, peak, summary = step("import again", do_import)
    assert summary.changed == rows, summary.lines()
    table.append(
        (f"import again {size}", f"{rows:,} rows", f"{sec:.1f}", f"{rows / sec:,.0f} rows/s", peak)
    )
    shutil.rmtree(folder)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--memberships", type=int, default=300_000)
    parser.add_argument(
        "--sizes",
        type=float,
        nargs="+",
        default=[0.5, 1.0],
        help="fractions of the full size to run (default 0.5 1.0)",
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    heap = os.environ.get("GRAPHMAP_NEO4J_HEAP", "1g")
    tmp = Path(tempfile.mkdtemp(prefix="graphmap-bench-io-"))
    server = None
    uri = os.environ.get("NEO4J_URI")
    try:
        if not uri:
            from graphmap.neo4j_local import LocalNeo4j, ensure_built

            ensure_built()
            server = LocalNeo4j(tmp / "neo4j", heap=heap, pagecache="512m")
            uri = server.start()
            print(f"embedded Neo4j at {uri}, heap {heap}", flush=True)
        else:
            print(f"Neo4j at {uri} (its heap is its own setting)", flush=True)
        asyncio.set_event_loop(asyncio.new_event_loop())
        db = Database.connect(settings, uri)
        run(migrate(db))
        table: list[tuple[str, ...]] = []
        for frac in args.sizes:
            bench_size(db, tmp, int(args.actors * frac), int(args.memberships * frac), table)
        run(db.close())
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nNeo4j heap: {heap if server else 'external server'}; Python peak RSS per step.")
    print(
        "| step | size | seconds | rate | peak RSS MiB (growth in step) |\n| --- | ---: | ---: | ---: | ---: |"
    )
    for row in table:
        print("| " + " | ".join(row) + " |")
    print(
        f"\nreproduce: GRAPHMAP_NEO4J_HEAP={heap} .venv/bin/python bench/bench_io.py "
        f"--actors {args.actors} --memberships {args.memberships}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
