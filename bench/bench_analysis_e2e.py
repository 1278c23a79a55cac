"""End-to-end analysis benchmark: read from Neo4j, project, compute every
metric, write back (issue #4's targets: 10k actors < 20 s with exact
betweenness; 100k actors < 3 min and < 8 GiB).

    .venv/bin/python bench/bench_analysis_e2e.py [--sizes 10000 100000] [--seed 1]

Starts the embedded Neo4j (heap GRAPHMAP_NEO4J_HEAP, default 4g here) on a
temp folder unless NEO4J_URI is set (that database is wiped!). The loading
of the generated ecosystem is timed apart: it is the import's figure, not the
analysis's. Peak memory = this Python process's max RSS + the JVM's max RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from graphmap.analysis.generate import generate_ecosystem
from graphmap.config import Settings
from graphmap.services import analysis, workbook, writer
from graphmap.store.database import Database
from graphmap.store.schema import migrate

CHUNK = 20_000


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def jvm_peak_mib(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


async def wipe(db: Database) -> None:
    while (await db.fetch_write("admin.delete_batch", batch=50_000))[0]["deleted"]:
        pass


async def load(db: Database, rows: dict[str, list[dict[str, Any]]]) -> float:
    """Sheet by sheet, in chunks (the bench is not about all-or-nothing)."""
    t0 = time.perf_counter()
    for sheet in workbook.SHEETS:
        data = rows[sheet]
        for start in range(0, len(data), CHUNK):
            book = workbook.validate({sheet: data[start : start + CHUNK]})
            await writer.write(db, book, by="bench", history=False, summary="bench")
    return time.perf_counter() - t0


async def one_size(db: Database, n: int, seed: int, pid: int | None) -> None:
    await wipe(db)
    t0 = time.perf_counter()
    eco = generate_ecosystem(n, seed=seed)
    gen = time.perf_counter() - t0
    loaded = await load(db, eco.rows())
    t1 = time.perf_counter()
    run = await analysis.run(db, analysis.RunRequest(as_of=eco.as_of, force=True), by="bench")
    total = time.perf_counter() - t1
    import json

    timings = json.loads(run["timings"])
    summary = json.loads(run["summary"])
    print(
        f"\n## {n:,} actors (seed {seed}): {int(summary['actors']):,} in the actor graph, "
        f"{int(summary['ties']):,} ties; betweenness {summary['betweenness_mode']}"
    )
    print(f"generate {gen:.1f} s, load into Neo4j {loaded:.1f} s (not part of the analysis)")
    print("| stage | seconds |\n| --- | ---: |")
    for k, v in timings.items():
        print(f"| {k} | {v:.2f} |")
    print(f"| **end to end (read → write back)** | **{total:.2f}** |")
    jvm = jvm_peak_mib(pid)
    print(f"peak RSS: python {rss_mib():,.0f} MiB" + (f", Neo4j JVM {jvm:,.0f} MiB" if jvm else ""))


async def main_async(sizes: list[int], seed: int, uri: str, pid: int | None) -> None:
    db = Database.connect(Settings.from_env(), uri)
    try:
        await migrate(db)
        for n in sizes:
            await one_size(db, n, seed, pid)
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"command: .venv/bin/python bench/bench_analysis_e2e.py --sizes "
        f"{' '.join(map(str, args.sizes))} --seed {args.seed}"
    )
    if os.environ.get("NEO4J_URI"):
        asyncio.run(main_async(args.sizes, args.seed, os.environ["NEO4J_URI"], None))
        return
    from graphmap.neo4j_local import LocalNeo4j, ensure_built

    ensure_built()
    heap = os.environ.get("GRAPHMAP_NEO4J_HEAP", "4g")
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalNeo4j(Path(tmp), heap=heap, pagecache="1g")
        uri = server.start()
        print(f"embedded Neo4j, heap {heap}, page cache 1g")
        try:
            asyncio.run(main_async(args.sizes, args.seed, uri, server.pid))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
