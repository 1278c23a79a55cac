"""The read side of the API."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graphmap.api import lists
from graphmap.api.context import Info
from graphmap.api.inputs import (
    ActorFilter,
    AllianceFilter,
    InitiativeFilter,
    TerritoryFilter,
    filter_values,
)
from graphmap.api.types import (
    Actor,
    Alliance,
    Connection,
    GraphNode,
    Initiative,
    Role,
    Territory,
)
from graphmap.services import graph

_BUILD = {
    "Actor": Actor.of,
    "Initiative": Initiative.of,
    "Alliance": Alliance.of,
    "Territory": Territory.of,
}


def graph_node(label: str, props: dict[str, Any]) -> Any:
    return _BUILD[label](props)


@strawberry.type(description="A participation tie: membership, contribution or carrying.")
class Tie:
    source: strawberry.ID
    target: strawberry.ID
    type: str = strawberry.field(description="MEMBER_OF, CONTRIBUTES_TO or CARRIES.")
    role: Role | None  # type: ignore[valid-type]


@strawberry.type(description="Nodes and ties around one node.")
class Neighbourhood:
    nodes: list[GraphNode]
    edges: list[Tie]
    truncated: bool = strawberry.field(description="True when the node cap cut the result.")


@strawberry.type(description="Who can introduce whom: a shortest chain between two actors.")
class IntroductionPath:
    nodes: list[GraphNode]
    edges: list[Tie]

    @strawberry.field(description="Number of ties in the chain.")
    def length(self) -> int:
        return len(self.edges)

    @strawberry.field(description="The actors along the chain, in order: the introducers.")
    def actors(self) -> list[Actor]:
        return [n for n in self.nodes if isinstance(n, Actor)]


def _ties(sub: graph.Subgraph) -> list[Tie]:
    return [
        Tie(
            source=strawberry.ID(e.source), target=strawberry.ID(e.target), type=e.type, role=e.role
        )
        for e in sub.edges
    ]


@strawberry.type
class Query:
    @strawberry.field(description="One actor by id.")
    async def actor(self, info: Info, id: strawberry.ID) -> Actor | None:
        found = await info.context.loaders.actor.load(str(id))
        return Actor.of(found) if found else None

    @strawberry.field(description="One initiative by id.")
    async def initiative(self, info: Info, id: strawberry.ID) -> Initiative | None:
        found = await info.context.loaders.initiative.load(str(id))
        return Initiative.of(found) if found else None

    @strawberry.field(description="One alliance by id.")
    async def alliance(self, info: Info, id: strawberry.ID) -> Alliance | None:
        found = await info.context.loaders.alliance.load(str(id))
        return Alliance.of(found) if found else None

    @strawberry.field(description="One territory by code (INSEE, SIREN for an EPCI, FR, area id).")
    async def territory(self, info: Info, code: strawberry.ID) -> Territory | None:
        found = await info.context.loaders.territory.load(str(code))
        return Territory.of(found) if found else None

    @strawberry.field(description="Actors, filtered, a page at a time, ordered by id.")
    async def actors(
        self,
        info: Info,
        filter: ActorFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Actor]:
        return await lists.actors(info, filter_values(filter, lists.ACTOR_FILTERS), first, after)

    @strawberry.field(description="Initiatives, filtered, a page at a time, ordered by id.")
    async def initiatives(
        self,
        info: Info,
        filter: InitiativeFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Initiative]:
        return await lists.initiatives(
            info, filter_values(filter, lists.INITIATIVE_FILTERS), first, after
        )

    @strawberry.field(description="Alliances, filtered, a page at a time, ordered by id.")
    async def alliances(
        self,
        info: Info,
        filter: AllianceFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Alliance]:
        return await lists.alliances(
            info, filter_values(filter, lists.ALLIANCE_FILTERS), first, after
        )

    @strawberry.field(description="Territories, filtered, a page at a time, ordered by code.")
    async def territories(
        self,
        info: Info,
        filter: TerritoryFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Territory]:
        return await lists.territories(
            info, filter_values(filter, lists.TERRITORY_FILTERS), first, after
        )

    @strawberry.field(description="Full-text search (French) over names and descriptions.")
    async def search(self, info: Info, text: str, first: int = 20) -> list[GraphNode]:
        hits = await graph.search(info.context.db, text, limit=min(first, 100))
        return [graph_node(label, props) for label, props, _ in hits]

    @strawberry.field(description="The nodes within `depth` participation ties of a node.")
    async def neighbourhood(self, info: Info, id: strawberry.ID, depth: int = 1) -> Neighbourhood:
        sub = await graph.neighbourhood(info.context.db, str(id), depth)
        return Neighbourhood(
            nodes=[graph_node(label, p) for label, p in sub.nodes],
            edges=_ties(sub),
            truncated=sub.truncated,
        )

    @strawberry.field(
        description="The shortest chain of alliances and initiatives between two actors "
        "(who can introduce whom); null when they are not connected."
    )
    async def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
    ) -> IntroductionPath | None:
        sub = await graph.introduction_path(info.context.db, str(from_), str(to))
        if sub is None:
            return None
        return IntroductionPath(
            nodes=[graph_node(label, p) for label, p in sub.nodes], edges=_ties(sub)
        )
