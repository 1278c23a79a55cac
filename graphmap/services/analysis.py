"""Analysis runs: read a snapshot from Neo4j in bulk, run the pure analysis,
write the results back as an ``AnalysisRun`` (parameters, graph revision,
timings, per-node measures, per-territory indicators).

A run is keyed by its scope (territory, as-of date) and parameters; asking
again on an unchanged graph (same revision) returns the stored run.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphmap.analysis.emergence import EmergenceWeights
from graphmap.analysis.pipeline import AnalysisResult, analyze
from graphmap.analysis.snapshot import ActorRec, GroupRec, MembershipRec, Snapshot, ancestors
from graphmap.services.nodes import native
from graphmap.store.database import Database, Tx, now

Progress = Callable[[str, float], None]
WRITE_BATCH = 5000

# analysis metric name -> property on MEASURED (camelCase, as the API reads them)
ACTOR_MEASURES = {
    "degree": "degree", "weighted_degree": "weightedDegree", "pagerank": "pagerank",
    "eigenvector": "eigenvector", "harmonic": "harmonic", "betweenness": "betweenness",
    "cross_world_betweenness": "crossWorldBetweenness", "constraint": "constraint",
    "effective_size": "effectiveSize", "coordinator": "coordinator", "consultant": "consultant",
    "gatekeeper": "gatekeeper", "representative": "representative", "liaison": "liaison",
    "cross_world_brokerage": "crossWorldBrokerage", "local_bridges": "localBridges",
    "community": "community", "bridge_score": "bridgeScore",
}  # fmt: skip


def scope_key(territory: str | None, as_of: date | None) -> str:
    return f"{territory or '*'}|{as_of.isoformat() if as_of else '*'}"


@dataclass(frozen=True, slots=True)
class RunRequest:
    territory: str | None = None
    as_of: date | None = None
    weights: EmergenceWeights | None = None
    force: bool = False

    def parameters(self) -> dict[str, Any]:
        return {
            "territory": self.territory,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "emergence_weights": (self.weights or EmergenceWeights()).as_dict(),
        }

    def parameters_key(self) -> str:
        text = json.dumps(self.parameters(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


async def read_snapshot(db: Database) -> tuple[Snapshot, dict[str, str]]:
    """The whole live graph in four bulk reads (one record each), and the
    territories' names."""

    async def one(tx: Tx, name: str) -> list[list[Any]]:
        # the record's raw value: record.data() would walk every element again
        async for record in db.stream(tx, name):
            return list(record[0])
        return []

    async def work(tx: Tx) -> tuple[Snapshot, dict[str, str]]:
        rev = await db.run(tx, "history.revision")
        actors = tuple(
            ActorRec(i, n or i, k, w, tuple(ts), tuple(roles))
            for i, n, k, w, ts, roles in await one(tx, "analysis.snapshot_actors")
        )
        groups = tuple(
            GroupRec(
                i,
                g,
                n or i,
                type=ty,
                horizon=h,
                since=_day(s),
                until=_day(u),
                started_on=_day(st),
                stage=stage,
                territories=tuple(ts),
                carried_by=tuple(cb),
            )
            for i, g, n, ty, h, s, u, st, stage, ts, cb in await one(tx, "analysis.snapshot_groups")
        )
        memberships = tuple(
            MembershipRec(a, g, role, _day(s), _day(u))
            for a, g, role, s, u in await one(tx, "analysis.snapshot_memberships")
        )
        parents: dict[str, tuple[str, ...]] = {}
        names: dict[str, str] = {}
        for code, name, ps in await one(tx, "analysis.snapshot_territories"):
            names[code] = name
            if ps:
                parents[code] = tuple(ps)
        snapshot = Snapshot(actors, groups, memberships, parents, str(rev[0]["revision"]))
        return snapshot, names

    return await db.read(work)


async def run(
    db: Database, request: RunRequest, *, by: str = "graphmap", progress: Progress | None = None
) -> dict[str, Any]:
    """Compute (or reuse) the run for ``request``; returns the stored run."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if progress:
        progress("read", 0.0)
    snapshot, names = await read_snapshot(db)
    timings["read"] = time.perf_counter() - t0
    key = scope_key(request.territory, request.as_of)
    if not request.force:
        found = await db.fetch(
            "analysis.reusable_run",
            scope_key=key,
            revision=snapshot.revision,
            parameters_key=request.parameters_key(),
        )
        if found:
            stored = native(found[0]["run"])
            stored["reused"] = True
            return stored

    def stage(name: str, fraction: float) -> None:
        if progress:
            progress(name, fraction)

    result = analyze(
        snapshot,
        request.territory,
        request.as_of,
        progress=stage,
        emergence_weights=request.weights,
        territory_names=names,
    )
    timings.update(result.timings)
    t1 = time.perf_counter()
    stored = await _write(db, request, result, snapshot, by)
    timings["write"] = time.perf_counter() - t1
    stored = await _finish(db, stored["id"], result, timings)
    stored["reused"] = False
    return stored


async def _write(
    db: Database, request: RunRequest, result: AnalysisResult, snapshot: Snapshot, by: str
) -> dict[str, Any]:
    run_id = f"run:{uuid.uuid4()}"
    rows_actor = _actor_rows(result)
    rows_init = _initiative_rows(result)
    rows_terr = _indicator_rows(result, snapshot)

    async def work(tx: Tx) -> dict[str, Any]:
        await db.run(
            tx,
            "analysis.create_run",
            id=run_id,
            scope_key=scope_key(request.territory, request.as_of),
            territory=request.territory,
            as_of=request.as_of,
            parameters_key=request.parameters_key(),
            parameters=json.dumps(result.parameters, sort_keys=True),
            revision=result.revision,
            now=now(),
            by=by,
        )
        for name, rows in (
            ("analysis.write_actor_measures", rows_actor),
            ("analysis.write_initiative_measures", rows_init),
            ("analysis.write_indicators", rows_terr),
        ):
            for start in range(0, len(rows), WRITE_BATCH):
                await db.run(tx, name, run=run_id, rows=rows[start : start + WRITE_BATCH])
        return {"id": run_id}

    return await db.write(work)


async def _finish(
    db: Database, run_id: str, result: AnalysisResult, timings: dict[str, float]
) -> dict[str, Any]:
    rows = await db.fetch_write(
        "analysis.finish_run",
        run=run_id,
        now=now(),
        timings=json.dumps({k: round(v, 4) for k, v in timings.items()}),
        summary=json.dumps(result.summary, sort_keys=True),
        scope=json.dumps(result.parameters, sort_keys=True),
    )
    return native(rows[0]["run"])


def _actor_rows(result: AnalysisResult) -> list[dict[str, Any]]:
    reasons: dict[str, list[str]] = {}
    rank: dict[str, int] = {}
    ranked = sorted(
        ((m.get("bridge_score", 0.0), a) for a, m in result.actor_metrics.items()),
        key=lambda t: (-t[0], t[1]),
    )
    for i, (_, a) in enumerate(ranked, start=1):
        rank[a] = i
    for r in [*result.bridges, *result.hidden_bridges, *result.idle_declared]:
        reasons[r.actor_id] = list(r.reasons)
    rows = []
    for actor, m in result.actor_metrics.items():
        props: dict[str, Any] = {
            prop: m[name] for name, prop in ACTOR_MEASURES.items() if name in m
        }
        if "community" in props:
            props["community"] = int(props["community"])
        props["bridgeDetected"] = bool(m.get("bridge_detected", 0.0))
        props["declaredFacilitator"] = bool(m.get("declared_facilitator", 0.0))
        props["bridgeRank"] = rank[actor]
        props["bridgeReasons"] = reasons.get(actor, [])
        rows.append({"id": actor, "props": {k: v for k, v in props.items() if v is not None}})
    return rows


def _initiative_rows(result: AnalysisResult) -> list[dict[str, Any]]:
    reasons = {e.initiative_id: e.reasons for e in result.emerging}
    rows = []
    for init, m in result.initiative_metrics.items():
        props: dict[str, Any] = {
            "degree": m.get("members", 0.0),
            "pagerank": m.get("pagerank", 0.0),
            "emergenceScore": m.get("emergence_score", 0.0),
        }
        for k, v in m.items():
            if k.startswith("emergence_") and k != "emergence_score":
                props["c_" + k.removeprefix("emergence_")] = v
        props["emergenceReasons"] = list(reasons.get(init, []))
        rows.append({"id": init, "props": props})
    return rows


def _indicator_rows(result: AnalysisResult, snapshot: Snapshot) -> list[dict[str, Any]]:
    rows = []
    bridges_by_territory: dict[str, int] = {}
    located = {a.id: a.territories for a in snapshot.actors}
    cache: dict[str, set[str]] = {}
    for actor, m in result.actor_metrics.items():
        if not m.get("bridge_detected"):
            continue
        area: set[str] = set()
        for code in located.get(actor, ()):
            if code not in cache:
                cache[code] = ancestors(snapshot.territory_parents, code)
            area |= cache[code]
        for code in area:
            bridges_by_territory[code] = bridges_by_territory.get(code, 0) + 1
    for code, wm in result.world_matrices.items():
        if code == "*":
            continue
        worlds = list(wm.worlds)
        counts = [
            [
                wm.counts.get((a, b) if worlds.index(a) <= worlds.index(b) else (b, a), 0)
                for b in worlds
            ]
            for a in worlds
        ]
        ties = wm.ties
        rows.append(
            {
                "id": code,
                "props": {
                    "worlds": worlds,
                    "actorsPerWorld": json.dumps(wm.actors, sort_keys=True),
                    "counts": json.dumps(counts),
                    "missingPairs": json.dumps([list(p) for p in wm.missing]),
                    "actors": int(sum(wm.actors.values())),
                    "ties": int(ties),
                    "crossWorldShare": (wm.cross_world_ties / ties) if ties else None,
                    "bridges": bridges_by_territory.get(code, 0),
                },
            }
        )
    return rows
