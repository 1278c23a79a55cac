"""Side-by-side comparison of JVM flag sets for the embedded Neo4j, on the
import of bench_io's generated workbook.

    .venv/bin/python bench/jvm_flags.py [--reps 3] [--actors 100000] \\
        [--memberships 300000] ["name=flags" ...]

Not part of ``make bench`` (about 2.5 minutes a run). Each run starts a fresh
server with graphmap's own flags followed by the variant's (the JVM takes the
last of a repeated flag), imports the half-size workbook, then the full one
(as bench_io does; ``--cold``: the full one alone, as a server started for
one import sees it), and reports the full import's rows/s with where the JVM's
CPU went: query workers, the JIT compilers, the garbage collector (from
/proc, per thread). Variants alternate within each repetition, so a noisy
host slows them alike; compare the medians.

With no variant given, it compares graphmap's flags with the whole heap
from the start, half of it young (``-Xms<heap> -XX:NewRatio=1``), which was
tried and not adopted (see ``graphmap/neo4j_local.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_io import generate, wipe  # noqa: E402
from graphmap.config import Settings  # noqa: E402
from graphmap.io import workbook_files  # noqa: E402
from graphmap.neo4j_local import LocalNeo4j, heap_from_env  # noqa: E402
from graphmap.services import imports  # noqa: E402
from graphmap.store.database import Database  # noqa: E402
from graphmap.store.schema import migrate  # noqa: E402

DEFAULT_VARIANTS = ["graphmap=", f"young-half=-Xms{heap_from_env()} -XX:NewRatio=1"]
TICK = os.sysconf("SC_CLK_TCK")
GROUPS = (("C2 Compiler", "jit"), ("C1 Compiler", "jit"), ("GC Thread", "gc"), ("Bolt", "queries"))


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the JVM's threads, grouped (queries, jit, gc, other)."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:  # the thread ended meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        group = next((g for prefix, g in GROUPS if prefix in name), "other")
        out[group] = out.get(group, 0.0) + seconds
    return out


async def one_run(flags: list[str], books: list[Path]) -> tuple[float, dict[str, float], float]:
    """Rows/s of the last book's import, the JVM CPU it took per group, and
    the rows/s of importing that book again (a no-op: one long transaction
    of lookups)."""
    tmp = Path(tempfile.mkdtemp(prefix="graphmap-jvm-"))
    server = LocalNeo4j(tmp / "neo4j", heap=heap_from_env(), jvm_flags=flags)
    try:
        uri = server.start()
        db = Database.connect(Settings.from_env(), uri)
        try:
            await migrate(db)
            rate, cpu = 0.0, {}
            for book in books:
                await wipe(db)
                raw = workbook_files.read_path(book)
                assert server.pid is not None
                before = thread_cpu(server.pid)
                start = time.perf_counter()
                summary = await imports.import_raw(db, raw, book.name, by="bench")
                rate = summary.rows / (time.perf_counter() - start)
                after = thread_cpu(server.pid)
                cpu = {k: after[k] - before.get(k, 0.0) for k in after}
            start = time.perf_counter()
            summary = await imports.import_raw(db, raw, books[-1].name, by="bench")
            again = summary.rows / (time.perf_counter() - start)
            return rate, cpu, again
        finally:
            await db.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="*", help='"name=flags", flags space-separated')
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--memberships", type=int, default=300_000)
    parser.add_argument(
        "--cold", action="store_true", help="import the full book first thing (no half-size one)"
    )
    args = parser.parse_args(argv)
    variants = {}
    for spec in args.variants or DEFAULT_VARIANTS:
        name, _, flags = spec.partition("=")
        variants[name] = flags.split()
    work = Path(tempfile.mkdtemp(prefix="graphmap-jvm-books-"))
    try:
        half, full = work / "half", work / "full"
        generate(half, args.actors // 2, args.memberships // 2)
        rows = generate(full, args.actors, args.memberships)
        print(f"{rows:,} rows; heap {heap_from_env()}; {args.reps} reps, variants alternating")
        results: dict[str, list[tuple[float, dict[str, float], float]]] = {n: [] for n in variants}
        for rep in range(args.reps):
            for name, flags in variants.items():
                books = [full] if args.cold else [half, full]
                rate, cpu, again = asyncio.run(one_run(flags, books))
                results[name].append((rate, cpu, again))
                shown = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(cpu.items()))
                print(
                    f"  rep {rep + 1} {name:>10}: {rate:8,.0f} rows/s (JVM CPU: {shown}); "
                    f"re-import {again:,.0f} rows/s",
                    flush=True,
                )
        groups = " / ".join(_GROUP_NAMES)
        print(
            f"\n| flags | import rows/s, median (range) | JVM CPU s: {groups} "
            "| re-import (no-op) rows/s |"
        )
        print("| --- | --- | --- | --- |")
        for name, runs in results.items():
            rates = [r for r, _, _ in runs]
            agains = [a for _, _, a in runs]
            cpus = " / ".join(
                f"{statistics.median(c.get(g, 0.0) for _, c, _ in runs):.1f}" for g in _GROUP_NAMES
            )
            label = " ".join(variants[name]) or "(graphmap's)"
            print(
                f"| {name}: `{label}` | {statistics.median(rates):,.0f} "
                f"({min(rates):,.0f}-{max(rates):,.0f}) | {cpus} | "
                f"{statistics.median(agains):,.0f} ({min(agains):,.0f}-{max(agains):,.0f}) |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


_GROUP_NAMES = ("queries", "jit", "gc", "other")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
