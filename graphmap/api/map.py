"""``mapGraph``: the web map's compact query, one request for a whole scope.

Flat, short rows (only what the map draws, filters and sizes by), so the
20,000-node view stays one response; the map fetches details on click
through the ordinary ``actor``/``initiative``/``alliance`` queries.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from graphmap import domain
from graphmap.api.context import Info
from graphmap.api.types import ActorKind, AllianceType, Role, Theme, World
from graphmap.services import maplayout, mapview


@strawberry.enum(description="What a map node is.")
class MapNodeKind(Enum):
    ACTOR = "ACTOR"
    INITIATIVE = "INITIATIVE"
    ALLIANCE = "ALLIANCE"


@strawberry.enum(description="The participation tie a map edge draws.")
class MapEdgeType(Enum):
    MEMBER_OF = "MEMBER_OF"
    CONTRIBUTES_TO = "CONTRIBUTES_TO"
    CARRIES = "CARRIES"


@strawberry.type(description="One node of the map, with the metrics of the newest analysis run.")
class MapNode:
    id: strawberry.ID
    kind: MapNodeKind
    name: str
    actor_kind: ActorKind | None  # type: ignore[valid-type]
    world: World | None  # type: ignore[valid-type]
    territories: list[str] = strawberry.field(description="Codes of the territories it is in.")
    since: date | None = strawberry.field(
        description="When it starts: alliance since, initiative startedOn, first membership."
    )
    until: date | None
    degree: float | None
    betweenness: float | None
    pagerank: float | None
    bridge_score: float | None
    emergence_score: float | None
    declared_facilitator: bool | None = strawberry.field(
        description="Actors: declares a FACILITATOR role."
    )
    themes: list[Theme] | None = strawberry.field(  # type: ignore[valid-type]
        description="Initiatives: their themes (the map's theme filter)."
    )
    alliance_type: AllianceType | None = strawberry.field(  # type: ignore[valid-type]
        description="Alliances: their type (the map's alliance-type filter)."
    )


@strawberry.type(description="One participation tie between two map nodes.")
class MapEdge:
    source: strawberry.ID
    target: strawberry.ID
    type: MapEdgeType
    role: Role | None  # type: ignore[valid-type]
    since: date | None
    until: date | None


@strawberry.type(description="A whole scope for the map: its nodes and the ties between them.")
class MapGraph:
    nodes: list[MapNode]
    edges: list[MapEdge]
    truncated: bool = strawberry.field(description="True when `limit` cut the nodes.")


def _enum(kind: Any, value: Any) -> Any:
    return None if value is None else kind(value)


def _map_node(n: mapview.MapNode) -> MapNode:
    return MapNode(
        id=strawberry.ID(n.id),
        kind=MapNodeKind(n.kind),
        name=n.name,
        actor_kind=_enum(domain.ActorKind, n.actor_kind),
        world=_enum(domain.World, n.world),
        territories=n.territories,
        since=n.since,
        until=n.until,
        degree=n.degree,
        betweenness=n.betweenness,
        pagerank=n.pagerank,
        bridge_score=n.bridge_score,
        emergence_score=n.emergence_score,
        declared_facilitator=n.declared_facilitator,
        themes=None if n.themes is None else [domain.Theme(t) for t in n.themes],
        alliance_type=_enum(domain.AllianceType, n.alliance_type),
    )


def _map_edge(e: mapview.MapEdge) -> MapEdge:
    return MapEdge(
        source=strawberry.ID(e.source),
        target=strawberry.ID(e.target),
        type=MapEdgeType(e.type),
        role=_enum(domain.Role, e.role),
        since=e.since,
        until=e.until,
    )


async def _scope(
    info: Info,
    territory: str | None,
    as_of: str | None,
    include: list[MapNodeKind] | None,
    limit: int,
    positions: bool = False,
) -> mapview.MapGraph:
    kinds = None if include is None else [k.value for k in include]
    return await mapview.map_graph(
        info.context.db,
        territory=territory,
        as_of=as_of,
        include=kinds,
        limit=limit,
        layouts=info.context.layouts if positions else None,
    )


_NODE_COLS = (
    f"Node columns besides `id`, among {', '.join(mapview.NODE_COLUMNS)}; null: all. "
    f"`x`/`y` (positions) come only for scopes of more than {maplayout.BIG_SCOPE} nodes."
)
_EDGE_COLS = (
    f"Tie columns besides `source`/`target`, among {', '.join(mapview.EDGE_COLUMNS)}; null: all."
)


@strawberry.type
class MapQuery:
    @strawberry.field(
        description="The map's whole scope in one request: actors, initiatives and alliances "
        "located in `territory` or its sub-territories (groups also when an in-scope actor "
        "takes part), as of `asOf`, with the newest analysis run's metrics."
    )
    async def map_graph(
        self,
        info: Info,
        territory: str | None = None,
        as_of: str | None = None,
        include: list[MapNodeKind] | None = None,
        limit: int = 50_000,
    ) -> MapGraph:
        graph = await _scope(info, territory, as_of, include, limit)
        return MapGraph(
            nodes=[_map_node(n) for n in graph.nodes],
            edges=[_map_edge(e) for e in graph.edges],
            truncated=graph.truncated,
        )

    @strawberry.field(
        description="The same scope as `mapGraph`, packed for large maps: one JSON object "
        "{truncated, earliestSince, nodes: {id: [...], column: [...]}, edges: {source: [...], "
        "target: [...], column: [...]}}. Nodes always carry `id`; `source`/`target` are indices "
        "into it. Other columns are those of MapNode and MapEdge (camelCase) listed in "
        "`nodeColumns`/`edgeColumns` (null: all of them); dates are day numbers since "
        "1970-01-01, floats are rounded to 4 significant digits. `earliestSince` is the "
        "earliest node `since` (ISO date or null). Serialising 100k typed objects costs "
        "seconds; columns cost milliseconds, and a client asks only for what it draws. "
        f"A scope of more than {maplayout.BIG_SCOPE} nodes also has the node columns `x` and "
        "`y`, when asked for: positions laid out by the server (the same for every `asOf` of "
        "the scope, recomputed after a write), so the client need not lay it out."
    )
    async def map_graph_packed(
        self,
        info: Info,
        territory: str | None = None,
        as_of: str | None = None,
        include: list[MapNodeKind] | None = None,
        limit: int = 50_000,
        node_columns: Annotated[
            list[str] | None, strawberry.argument(description=_NODE_COLS)
        ] = None,
        edge_columns: Annotated[
            list[str] | None, strawberry.argument(description=_EDGE_COLS)
        ] = None,
    ) -> JSON:
        node_cols, _ = mapview.packed_columns(node_columns, edge_columns)  # fail before the read
        positions = any(c in mapview.LAYOUT_COLUMNS for c in node_cols)
        graph = await _scope(info, territory, as_of, include, limit, positions)
        return mapview.packed(graph, node_columns, edge_columns)  # type: ignore[return-value]
