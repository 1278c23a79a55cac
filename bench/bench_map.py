"""The web map in Chromium: time to interactive, frames per second during a
scripted pan/zoom, bytes transferred, for the demo and for a generated
ecosystem of about 20,000 nodes and 100,000 ties (``make bench`` or
``python -m bench map``; ``BENCH_MAP_ACTORS`` changes the size).

Starts its own embedded Neo4j in a temp folder, the app with uvicorn in a
thread, and drives ``bench/bench_map.mjs`` with node.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from graphmap.analysis.generate import generate_ecosystem  # noqa: E402
from graphmap.config import Settings  # noqa: E402
from graphmap.neo4j_local import LocalNeo4j, ensure_built  # noqa: E402
from graphmap.services import loading, workbook, writer  # noqa: E402
from graphmap.store.database import Database  # noqa: E402
from graphmap.store.schema import migrate  # noqa: E402
from tests.e2e._frontend import live_app  # noqa: E402

N_ACTORS = int(os.environ.get("BENCH_MAP_ACTORS", "15000"))
TARGET_TIES = int(os.environ.get("BENCH_MAP_TIES", "100000"))


def big_sheets(seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """The generator's ecosystem, densified with random memberships up to TARGET_TIES."""
    eco = generate_ecosystem(N_ACTORS, seed=seed)
    sheets = {s: list(getattr(eco, s)) for s in workbook.SHEETS}
    rng = random.Random(seed)
    actors = [a["id"] for a in sheets["actors"]]
    groups = [g["id"] for g in sheets["alliances"]] + [i["id"] for i in sheets["initiatives"]]
    seen = {(m["actor"], m["target"]) for m in sheets["memberships"]}
    carries = sum(
        len([c for c in str(a.get("carries") or "").split(";") if c]) for a in sheets["alliances"]
    )
    while len(seen) + carries < TARGET_TIES:
        pair = (rng.choice(actors), rng.choice(groups))
        if pair not in seen:
            seen.add(pair)
            sheets["memberships"].append(
                {
                    "actor": pair[0],
                    "target": pair[1],
                    "role": "PARTNER",
                    "since": f"{rng.randint(2005, 2025)}-01-01",
                    "until": "",
                }
            )
    return sheets


def run_node(url: str, label: str) -> dict[str, Any]:
    done = subprocess.run(
        ["node", str(HERE / "bench_map.mjs"), url, label],
        capture_output=True,
        text=True,
        timeout=900,
    )
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not line:
        raise RuntimeError(done.stdout[-2000:] + done.stderr[-2000:])
    result: dict[str, Any] = json.loads(line[-1])
    return result


def time_map_query(url: str) -> float:
    """Seconds the API takes to answer the map's whole-scope query."""
    query = (
        "{ mapGraph { truncated nodes { id kind name actorKind world territories since until "
        "degree betweenness pagerank bridgeScore emergenceScore declaredFacilitator themes "
        "allianceType } edges { source target type role since until } } }"
    )
    req = urllib.request.Request(
        url + "graphql",
        headers={"content-type": "application/json"},
        data=json.dumps({"query": query}).encode(),
    )
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        r.read()
    return time.perf_counter() - t


def analyse(url: str) -> None:
    req = urllib.request.Request(
        url + "graphql",
        headers={"content-type": "application/json"},
        data=json.dumps({"query": "mutation { runAnalysis { __typename } }"}).encode(),
    )
    with urllib.request.urlopen(req, timeout=1800) as r:
        r.read()


def main() -> None:
    if not shutil.which("node") or not Path("/usr/bin/chromium").exists():
        print("skipped: node or /usr/bin/chromium missing")
        return
    settings = Settings.from_env()
    from graphmap.web import create_app

    ensure_built()
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalNeo4j(Path(tmp), heap="2g", pagecache="512m")
        uri = server.start()
        try:

            async def load(sheets: dict[str, list[dict[str, Any]]] | None) -> None:
                db = Database.connect(settings, uri)
                try:
                    await migrate(db)
                    if sheets is None:
                        await loading.load_demo(db)
                    else:
                        await writer.write(db, workbook.validate(sheets), by="bench")
                finally:
                    await db.close()

            rows = []
            asyncio.run(load(None))
            with live_app(create_app(settings, uri)) as url:
                analyse(url)
                api_s = time_map_query(url)
                rows.append(run_node(url, "demo") | {"apiSeconds": api_s})
            t = time.perf_counter()
            sheets = big_sheets()
            asyncio.run(load(sheets))
            print(f"(generated ecosystem loaded in {time.perf_counter() - t:.0f} s)", flush=True)
            with live_app(create_app(settings, uri)) as url:
                api_s = time_map_query(url)
                rows.append(run_node(url, "generated") | {"apiSeconds": api_s})
        finally:
            server.stop()
    print(
        f"{'view':<10} {'nodes':>7} {'edges':>8} {'ready ms':>9} {'fps':>6} {'worst ms':>9} "
        f"{'API bytes':>11} {'asset bytes':>12} {'API s':>6}"
    )
    for r in rows:
        print(
            f"{r['label']:<10} {r['nodes']:>7} {r['edges']:>8} {r['interactiveMs']:>9} {r['fps']:>6} "
            f"{r['worstFrameMs']:>9} {r['bytes']['api']:>11} {r['bytes']['assets']:>12} "
            f"{r['apiSeconds']:>6.1f}"
        )


if __name__ == "__main__":
    main()
