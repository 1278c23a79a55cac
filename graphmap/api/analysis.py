"""The analysis side of the API: facilitator bridges, discreet emerging
initiatives, territory indicators and analysis runs, read from the stored
runs (computed on demand only when a scope has never been analysed)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from graphmap.analysis.emergence import EmergenceWeights
from graphmap.api.context import Info
from graphmap.api.types import Actor, Initiative, InvalidInputError, World
from graphmap.errors import FieldError, InvalidInput
from graphmap.services import analysis as service
from graphmap.services import fields
from graphmap.services.nodes import native

_DEFAULT = EmergenceWeights()
COMPONENTS = ("youth", "low_visibility", "growth", "diversity", "bridge_proximity")


@strawberry.type(description="Centralities and brokerage of an actor in the actor graph.")
class ActorMetrics:
    degree: float | None
    weighted_degree: float | None
    betweenness: float | None
    cross_world_betweenness: float | None
    pagerank: float | None
    eigenvector: float | None
    harmonic: float | None
    constraint: float | None = strawberry.field(description="Burt's constraint (low: brokers).")
    effective_size: float | None
    community: int | None
    local_bridges: float | None
    bridge_score: float | None
    bridge_rank: int | None
    bridge_detected: bool | None
    coordinator: float | None
    consultant: float | None
    gatekeeper: float | None
    representative: float | None
    liaison: float | None

    @classmethod
    def of(cls, m: dict[str, Any]) -> ActorMetrics:
        def get(k: str) -> Any:
            return m.get(k)

        return cls(
            degree=get("degree"), weighted_degree=get("weightedDegree"),
            betweenness=get("betweenness"), cross_world_betweenness=get("crossWorldBetweenness"),
            pagerank=get("pagerank"), eigenvector=get("eigenvector"), harmonic=get("harmonic"),
            constraint=get("constraint"), effective_size=get("effectiveSize"),
            community=get("community"), local_bridges=get("localBridges"),
            bridge_score=get("bridgeScore"), bridge_rank=get("bridgeRank"),
            bridge_detected=get("bridgeDetected"), coordinator=get("coordinator"),
            consultant=get("consultant"), gatekeeper=get("gatekeeper"),
            representative=get("representative"), liaison=get("liaison"),
        )  # fmt: skip


@strawberry.type(description="Visibility and emergence of an initiative.")
class InitiativeMetrics:
    degree: float | None = strawberry.field(description="Number of contributors.")
    pagerank: float | None
    emergence_score: float | None
    youth: float | None
    low_visibility: float | None
    growth: float | None
    diversity: float | None
    bridge_proximity: float | None

    @classmethod
    def of(cls, m: dict[str, Any]) -> InitiativeMetrics:
        return cls(
            degree=m.get("degree"), pagerank=m.get("pagerank"),
            emergence_score=m.get("emergenceScore"), youth=m.get("c_youth"),
            low_visibility=m.get("c_low_visibility"), growth=m.get("c_growth"),
            diversity=m.get("c_diversity"), bridge_proximity=m.get("c_bridge_proximity"),
        )  # fmt: skip


@strawberry.type(description="An actor ranked as a facilitator bridge, with its reasons.")
class BridgeRanking:
    rank: int
    actor: Actor
    score: float
    reasons: list[str]
    declared: bool = strawberry.field(description="It declares a facilitator role.")
    detected: bool = strawberry.field(description="The graph shows it as a bridge.")


@strawberry.type(description="An initiative ranked as discreet and emerging, with its reasons.")
class EmergenceRanking:
    rank: int
    initiative: Initiative
    score: float
    reasons: list[str]
    components: InitiativeMetrics


@strawberry.input(description="Weights of the emergence score (defaults shown); any scale.")
class EmergenceWeightsInput:
    youth: float = _DEFAULT.youth
    low_visibility: float = _DEFAULT.low_visibility
    growth: float = _DEFAULT.growth
    diversity: float = _DEFAULT.diversity
    bridge_proximity: float = _DEFAULT.bridge_proximity

    def as_dict(self) -> dict[str, float]:
        return {k: float(getattr(self, k)) for k in COMPONENTS}


@strawberry.type(description="Ties between the worlds of a territory: which worlds do not talk.")
class WorldMatrix:
    worlds: list[World]  # type: ignore[valid-type]
    counts: list[list[int]] = strawberry.field(description="Ties, row world × column world.")
    actors: list[int] = strawberry.field(description="Actors per world, in `worlds` order.")
    missing_pairs: list[list[World]] = strawberry.field(  # type: ignore[valid-type]
        description="Pairs of present worlds with no tie at all."
    )


@strawberry.type(description="What the latest analysis says of a territory.")
class TerritoryIndicators:
    actors: int
    ties: int
    cross_world_share: float | None = strawberry.field(
        description="Share of ties joining two different worlds."
    )
    bridges: int = strawberry.field(description="Detected facilitator bridges located there.")
    world_matrix: WorldMatrix

    @classmethod
    def of(cls, x: dict[str, Any]) -> TerritoryIndicators:
        worlds = list(x.get("worlds") or [])
        per_world = json.loads(x.get("actorsPerWorld") or "{}")
        return cls(
            actors=int(x.get("actors", 0)),
            ties=int(x.get("ties", 0)),
            cross_world_share=x.get("crossWorldShare"),
            bridges=int(x.get("bridges", 0)),
            world_matrix=WorldMatrix(
                worlds=worlds,
                counts=json.loads(x.get("counts") or "[]"),
                actors=[int(per_world.get(w, 0)) for w in worlds],
                missing_pairs=json.loads(x.get("missingPairs") or "[]"),
            ),
        )


@strawberry.type
class Timing:
    stage: str
    seconds: float


@strawberry.type
class Stat:
    name: str
    value: str


@strawberry.type(description="One analysis of one scope at one graph revision.")
class AnalysisRun:
    id: strawberry.ID
    scope_key: str
    territory: str | None
    as_of: date | None
    revision: str
    status: str
    created_at: datetime | None
    finished_at: datetime | None
    parameters: str = strawberry.field(description="The run's parameters, as JSON.")
    timings: list[Timing]
    summary: list[Stat]
    reused: bool = strawberry.field(
        default=False, description="True when an identical run on this revision was returned."
    )

    @classmethod
    def of(cls, r: dict[str, Any]) -> AnalysisRun:
        timings = json.loads(r.get("timings") or "{}")
        summary = json.loads(r.get("summary") or "{}")
        as_of = r.get("asOf")
        return cls(
            id=strawberry.ID(r["id"]), scope_key=r["scopeKey"], territory=r.get("territory"),
            as_of=as_of if isinstance(as_of, date) else None, revision=str(r.get("revision")),
            status=r.get("status", ""), created_at=r.get("createdAt"),
            finished_at=r.get("finishedAt"), parameters=r.get("parameters") or "{}",
            timings=[Timing(stage=k, seconds=float(v)) for k, v in timings.items()],
            summary=[Stat(name=k, value=str(v)) for k, v in summary.items()],
            reused=bool(r.get("reused", False)),
        )  # fmt: skip


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return fields.parse_date(value)
    except ValueError as exc:
        raise InvalidInput([FieldError("asOf", str(exc), value)]) from None


async def scoped_run(info: Info, territory: str | None, as_of: str | None) -> dict[str, Any]:
    """The latest run of the scope; analysed now if the scope never was."""
    day = _as_of(as_of)
    key = service.scope_key(territory, day)
    cache: dict[str, Any] = info.context.extra.setdefault("runs", {})
    if key not in cache:
        found = await info.context.db.fetch("analysis.latest_run", scope_key=key)
        if found:
            cache[key] = native(found[0]["run"])
        else:
            cache[key] = await service.run(
                info.context.db, service.RunRequest(territory, day), by=info.context.user
            )
    return cache[key]


def _limit(limit: int) -> int:
    if not 1 <= limit <= 500:
        raise InvalidInput([FieldError("limit", "must be between 1 and 500", str(limit))])
    return limit


async def _bridges(
    info: Info, territory: str | None, as_of: str | None, limit: int, hidden: bool
) -> list[BridgeRanking]:
    run = await scoped_run(info, territory, as_of)
    rows = await info.context.db.fetch(
        "analysis.bridge_ranking", run=run["id"], hidden=hidden, limit=_limit(limit)
    )
    return [
        BridgeRanking(
            rank=int(r["measure"]["bridgeRank"]),
            actor=Actor.of(native(r["node"])),
            score=float(r["measure"].get("bridgeScore", 0.0)),
            reasons=list(r["measure"].get("bridgeReasons") or []),
            declared=bool(r["measure"].get("declaredFacilitator")),
            detected=bool(r["measure"].get("bridgeDetected")),
        )
        for r in rows
    ]


def rescore(measure: dict[str, Any], used: dict[str, float], wanted: dict[str, float]) -> float:
    """The emergence score under other weights, from the stored components.

    score = 100 · gate · Σ wₖcₖ / Σ wₖ; the gate (not young, one world, one
    partner) is recovered from the stored score and the weights it used."""
    comp = {k: float(measure.get(f"c_{k}", 0.0)) for k in COMPONENTS}
    base = sum(used[k] * comp[k] for k in COMPONENTS) / (sum(used.values()) or 1.0)
    if base <= 0:
        return 0.0
    gate = float(measure.get("emergenceScore", 0.0)) / (100.0 * base)
    total = sum(wanted.values())
    if total <= 0:
        raise InvalidInput([FieldError("weights", "must not all be zero", None)])
    return round(100.0 * gate * sum(wanted[k] * comp[k] for k in COMPONENTS) / total, 2)


@strawberry.type
class AnalysisQuery:
    @strawberry.field(description="Actors ranked by how much they connect worlds and territories.")
    async def facilitator_bridges(
        self, info: Info, territory: str | None = None, as_of: str | None = None, limit: int = 20
    ) -> list[BridgeRanking]:
        return await _bridges(info, territory, as_of, limit, hidden=False)

    @strawberry.field(description="Detected bridges that do not declare a facilitator role.")
    async def hidden_bridges(
        self, info: Info, territory: str | None = None, as_of: str | None = None, limit: int = 20
    ) -> list[BridgeRanking]:
        return await _bridges(info, territory, as_of, limit, hidden=True)

    @strawberry.field(
        description="Initiatives that are young, little visible, growing, diverse and close to a "
        "bridge; `weights` re-weighs the score's components."
    )
    async def emerging_initiatives(
        self,
        info: Info,
        territory: str | None = None,
        as_of: str | None = None,
        limit: int = 20,
        weights: EmergenceWeightsInput | None = None,
    ) -> list[EmergenceRanking]:
        _limit(limit)
        run = await scoped_run(info, territory, as_of)
        used = json.loads(run.get("parameters") or "{}").get(
            "emergence_weights", EmergenceWeights().as_dict()
        )
        wanted = weights.as_dict() if weights else used
        rows = await info.context.db.fetch("analysis.emergence_candidates", run=run["id"])
        scored = []
        for r in rows:
            m = r["measure"]
            score = rescore(m, used, wanted) if weights else float(m.get("emergenceScore", 0.0))
            if score > 0:
                scored.append((score, r))
        scored.sort(key=lambda t: (-t[0], t[1]["node"]["id"]))
        return [
            EmergenceRanking(
                rank=i,
                initiative=Initiative.of(native(r["node"])),
                score=score,
                reasons=list(r["measure"].get("emergenceReasons") or []),
                components=InitiativeMetrics.of(r["measure"]),
            )
            for i, (score, r) in enumerate(scored[:limit], start=1)
        ]

    @strawberry.field(description="The newest finished analysis of a scope (whole graph default).")
    async def latest_analysis(
        self, info: Info, territory: str | None = None, as_of: str | None = None
    ) -> AnalysisRun | None:
        key = service.scope_key(territory, _as_of(as_of))
        found = await info.context.db.fetch("analysis.latest_run", scope_key=key)
        return AnalysisRun.of(native(found[0]["run"])) if found else None

    @strawberry.field
    async def analysis_run(self, info: Info, id: strawberry.ID) -> AnalysisRun | None:
        found = await info.context.db.fetch("analysis.run_by_id", id=str(id))
        return AnalysisRun.of(native(found[0]["run"])) if found else None

    @strawberry.field(description="Finished runs, newest first: compare them over time.")
    async def analysis_runs(
        self,
        info: Info,
        territory: str | None = None,
        as_of: str | None = None,
        all_scopes: bool = False,
        limit: int = 20,
    ) -> list[AnalysisRun]:
        key = None if all_scopes else service.scope_key(territory, _as_of(as_of))
        rows = await info.context.db.fetch("analysis.runs", scope_key=key, limit=_limit(limit))
        return [AnalysisRun.of(native(r["run"])) for r in rows]


RunAnalysisResult = Annotated[
    AnalysisRun | InvalidInputError, strawberry.union("RunAnalysisResult")
]


@strawberry.type
class AnalysisMutation:
    @strawberry.mutation(
        description="Analyse a scope now and store the run (reused when the graph is unchanged)."
    )
    async def run_analysis(
        self,
        info: Info,
        territory: str | None = None,
        as_of: str | None = None,
        force: bool = False,
        weights: EmergenceWeightsInput | None = None,
    ) -> RunAnalysisResult:
        try:
            if territory is not None:
                known = await info.context.loaders.territory.load(territory)
                if known is None:
                    raise InvalidInput(
                        [FieldError("territory", "is not a known territory code", territory)]
                    )
            request = service.RunRequest(
                territory,
                _as_of(as_of),
                EmergenceWeights(**weights.as_dict()) if weights else None,
                force,
            )
            stored = await service.run(info.context.db, request, by=info.context.user)
        except InvalidInput as exc:
            return InvalidInputError.of(exc)
        return AnalysisRun.of(stored)
