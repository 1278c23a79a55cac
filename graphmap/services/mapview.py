"""The web map's whole scope in one read: every node it draws (actors,
initiatives, alliances) with the metrics of the newest analysis run, and the
participation ties between them, as of a date.

Two statements in one read transaction (``map.nodes`` then ``map.edges``), so
the nodes and ties come from the same snapshot. Rows stay flat and short:
the map ships 20,000 nodes in one response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graphmap.errors import FieldError, InvalidInput
from graphmap.services.fields import parse_date
from graphmap.store.database import Database, Tx

KINDS = ("ACTOR", "INITIATIVE", "ALLIANCE")
MAX_LIMIT = 100_000
# Which node, when the limit cuts: actors first, then the groups, most
# central first (pagerank from the newest run), then by id for stability.
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class MapNode:
    id: str
    kind: str
    name: str
    actor_kind: str | None
    world: str | None
    territories: list[str]
    since: date | None
    until: date | None
    degree: float | None
    betweenness: float | None
    pagerank: float | None
    bridge_score: float | None
    emergence_score: float | None
    declared_facilitator: bool | None
    themes: list[str] | None
    alliance_type: str | None


@dataclass(frozen=True, slots=True)
class MapEdge:
    source: str
    target: str
    type: str
    role: str | None
    since: date | None
    until: date | None


@dataclass(slots=True)
class MapGraph:
    nodes: list[MapNode] = field(default_factory=list)
    edges: list[MapEdge] = field(default_factory=list)
    truncated: bool = False


_NODE_COLUMNS = (
    "kind",
    "id",
    "name",
    "actorKind",
    "world",
    "territories",
    "since",
    "until",
    "degree",
    "betweenness",
    "pagerank",
    "bridgeScore",
    "emergenceScore",
    "declaredFacilitator",
    "themes",
    "allianceType",
)
_EDGE_COLUMNS = ("source", "target", "type", "role", "since", "until")


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _node(row: dict[str, Any]) -> MapNode:
    return MapNode(
        id=row["id"],
        kind=row["kind"],
        name=row["name"] or row["id"],
        actor_kind=row["actorKind"],
        world=row["world"],
        territories=sorted(row["territories"] or []),
        since=_day(row["since"]),
        until=_day(row["until"]),
        degree=_float(row["degree"]),
        betweenness=_float(row["betweenness"]),
        pagerank=_float(row["pagerank"]),
        bridge_score=_float(row["bridgeScore"]),
        emergence_score=_float(row["emergenceScore"]),
        declared_facilitator=row["declaredFacilitator"],
        themes=row["themes"],
        alliance_type=row["allianceType"],
    )


def _check(
    as_of: str | None, include: Sequence[str] | None, limit: int
) -> tuple[date | None, list[str]]:
    errors: list[FieldError] = []
    day: date | None = None
    if as_of:
        try:
            day = parse_date(as_of)
        except ValueError as exc:
            errors.append(FieldError("asOf", str(exc), as_of))
    kinds = list(KINDS) if include is None else list(dict.fromkeys(include))
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        errors.append(FieldError("include", f"must be among {', '.join(KINDS)}", ", ".join(bad)))
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"must be between 1 and {MAX_LIMIT}", str(limit)))
    if errors:
        raise InvalidInput(errors)
    return day, kinds


async def map_graph(
    db: Database,
    *,
    territory: str | None = None,
    as_of: str | None = None,
    include: Sequence[str] | None = None,
    limit: int = 50_000,
) -> MapGraph:
    """The scope's nodes (at most ``limit``; ``truncated`` says when cut) and
    the ties whose two ends are drawn."""
    day, kinds = _check(as_of, include, limit)
    territory = territory or None

    async def work(tx: Tx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        found = await db.run(tx, "map.nodes", territory=territory, as_of=day, include=kinds)
        nodes = [dict(zip(_NODE_COLUMNS, r, strict=True)) for r in found[0]["rows"]]
        nodes.sort(key=lambda r: (_KIND_ORDER[r["kind"]], -(r["pagerank"] or 0.0), r["id"]))
        kept = nodes[:limit]
        actors = [r["id"] for r in kept if r["kind"] == "ACTOR"]
        alliances = [r["id"] for r in kept if r["kind"] == "ALLIANCE"]
        edges: list[dict[str, Any]] = []
        if actors or alliances:
            ties = await db.run(tx, "map.edges", actors=actors, alliances=alliances, as_of=day)
            edges = [dict(zip(_EDGE_COLUMNS, r, strict=True)) for r in ties[0]["rows"]]
        return nodes, edges

    rows, edge_rows = await db.read(work)
    out = MapGraph(truncated=len(rows) > limit)
    out.nodes = [_node(r) for r in rows[:limit]]
    drawn = {n.id for n in out.nodes}
    seen: set[tuple[str, str, str]] = set()
    for e in edge_rows:
        key = (e["source"], e["target"], e["type"])
        if e["target"] not in drawn or key in seen:
            continue
        seen.add(key)
        out.edges.append(
            MapEdge(
                e["source"], e["target"], e["type"], e["role"], _day(e["since"]), _day(e["until"])
            )
        )
    return out


_NODE_FIELDS = (
    ("id", "id"),
    ("kind", "kind"),
    ("name", "name"),
    ("actorKind", "actor_kind"),
    ("world", "world"),
    ("territories", "territories"),
    ("since", "since"),
    ("until", "until"),
    ("degree", "degree"),
    ("betweenness", "betweenness"),
    ("pagerank", "pagerank"),
    ("bridgeScore", "bridge_score"),
    ("emergenceScore", "emergence_score"),
    ("declaredFacilitator", "declared_facilitator"),
    ("themes", "themes"),
    ("allianceType", "alliance_type"),
)
_EDGE_FIELDS = (
    ("source", "source"),
    ("target", "target"),
    ("type", "type"),
    ("role", "role"),
    ("since", "since"),
    ("until", "until"),
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def packed(graph: MapGraph) -> dict[str, Any]:
    """The graph as columns (``{column: [values]}``), for ``mapGraphPacked``."""
    return {
        "truncated": graph.truncated,
        "nodes": {
            name: [_plain(getattr(n, attr)) for n in graph.nodes] for name, attr in _NODE_FIELDS
        },
        "edges": {
            name: [_plain(getattr(e, attr)) for e in graph.edges] for name, attr in _EDGE_FIELDS
        },
    }
