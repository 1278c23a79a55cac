"""The GraphQL object types: actors, initiatives, alliances, territories and
the memberships between them. Nested fields go through the request's
DataLoaders, so a page of N objects costs a constant number of round trips."""

from __future__ import annotations

import base64
import binascii
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry

from graphmap import domain
from graphmap.api.context import Info
from graphmap.errors import FieldError, InvalidInput

ActorKind = strawberry.enum(domain.ActorKind, description="What kind of organisation an actor is.")
World = strawberry.enum(domain.World, description="The world (monde) of an actor, from its kind.")
CompanySize = strawberry.enum(domain.CompanySize)
AllianceType = strawberry.enum(domain.AllianceType, description="Le RAMEAU's four kinds.")
Horizon = strawberry.enum(domain.Horizon)
Role = strawberry.enum(domain.Role, description="An actor's role in an alliance or initiative.")
InitiativeForm = strawberry.enum(domain.InitiativeForm)
Stage = strawberry.enum(domain.Stage)
Theme = strawberry.enum(domain.Theme)
TerritoryLevel = strawberry.enum(domain.TerritoryLevel)
TerritoryFlag = strawberry.enum(domain.TerritoryFlag)
InnovationModel = strawberry.enum(domain.InnovationModel)

if TYPE_CHECKING:
    from graphmap.api.analysis import ActorMetrics, InitiativeMetrics, TerritoryIndicators

Props = dict[str, Any]
T = TypeVar("T")


def _opt(kind: Any, value: Any) -> Any:
    return None if value is None else kind(value)


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) and not isinstance(value, datetime) else None


@strawberry.type(description="Where a fact comes from and who entered it, when.")
class Provenance:
    source: str | None
    created_by: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, p: Props) -> Provenance:
        return cls(
            source=p.get("source"),
            created_by=p.get("createdBy"),
            created_at=p.get("createdAt"),
            updated_at=p.get("updatedAt"),
        )


@strawberry.type(description="An organisation or group: association, company, local authority...")
class Actor:
    id: strawberry.ID
    name: str
    kind: ActorKind  # type: ignore[valid-type]
    world: World  # type: ignore[valid-type]
    size: CompanySize | None  # type: ignore[valid-type]
    siren: str | None
    siret: str | None
    rna: str | None
    declared_roles: list[Role]  # type: ignore[valid-type]
    description: str | None
    website: str | None
    source: str | None
    provenance: Provenance

    @classmethod
    def of(cls, p: Props) -> Actor:
        return cls(
            id=strawberry.ID(p["id"]),
            name=p.get("name", ""),
            kind=domain.ActorKind(p["kind"]),
            world=domain.World(p["world"]),
            size=_opt(domain.CompanySize, p.get("size")),
            siren=p.get("siren"),
            siret=p.get("siret"),
            rna=p.get("rna"),
            declared_roles=[domain.Role(r) for r in p.get("declaredRoles") or []],
            description=p.get("description"),
            website=p.get("website"),
            source=p.get("source"),
            provenance=Provenance.of(p),
        )

    @strawberry.field(description="Where it is based or acts.")
    async def territories(self, info: Info) -> list[Territory]:
        return await _located(info, self.id)

    @strawberry.field(description="Every alliance and initiative it takes part in, with its role.")
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.memberships_of_actor.load(self.id)
        return [Membership.from_actor_side(self, r) for r in rows]

    @strawberry.field(description="The alliances it is a member of.")
    async def alliances(self, info: Info) -> list[Alliance]:
        rows = await info.context.loaders.memberships_of_actor.load(self.id)
        return [Alliance.of(r["node"]) for r in rows if r["label"] == "Alliance"]

    @strawberry.field(description="The initiatives it contributes to.")
    async def initiatives(self, info: Info) -> list[Initiative]:
        rows = await info.context.loaders.memberships_of_actor.load(self.id)
        return [Initiative.of(r["node"]) for r in rows if r["label"] == "Initiative"]

    @strawberry.field(description="Its metrics in the latest whole-graph analysis (null before).")
    async def metrics(
        self, info: Info
    ) -> Annotated[ActorMetrics, strawberry.lazy("graphmap.api.analysis")] | None:
        from graphmap.api.analysis import ActorMetrics

        found = await info.context.loaders.measures.load(self.id)
        return ActorMetrics.of(found) if found else None

    @strawberry.field(
        description="Why the latest analysis ranks it as a bridge (or not), in words."
    )
    async def bridge_reasons(self, info: Info) -> list[str]:
        found = await info.context.loaders.measures.load(self.id)
        return list((found or {}).get("bridgeReasons") or [])


@strawberry.type(description="Something done together: experiment, animation, partnership support.")
class Initiative:
    id: strawberry.ID
    name: str
    form: InitiativeForm | None  # type: ignore[valid-type]
    stage: Stage | None  # type: ignore[valid-type]
    themes: list[Theme]  # type: ignore[valid-type]
    started_on: date | None
    description: str | None
    website: str | None
    source: str | None
    provenance: Provenance

    @classmethod
    def of(cls, p: Props) -> Initiative:
        return cls(
            id=strawberry.ID(p["id"]),
            name=p.get("name", ""),
            form=_opt(domain.InitiativeForm, p.get("form")),
            stage=_opt(domain.Stage, p.get("stage")),
            themes=[domain.Theme(t) for t in p.get("themes") or []],
            started_on=_day(p.get("startedOn")),
            description=p.get("description"),
            website=p.get("website"),
            source=p.get("source"),
            provenance=Provenance.of(p),
        )

    @strawberry.field(description="Where it acts.")
    async def territories(self, info: Info) -> list[Territory]:
        return await _located(info, self.id)

    @strawberry.field(description="Who contributes, with which role.")
    async def contributors(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.members_of_group.load(self.id)
        return [Membership.from_group_side(self, r) for r in rows]

    @strawberry.field(description="The alliances that carry it.")
    async def alliances(self, info: Info) -> list[Alliance]:
        rows = await info.context.loaders.carried_by.load(self.id)
        return [Alliance.of(r["node"]) for r in rows]

    @strawberry.field(description="Its metrics in the latest whole-graph analysis (null before).")
    async def metrics(
        self, info: Info
    ) -> Annotated[InitiativeMetrics, strawberry.lazy("graphmap.api.analysis")] | None:
        from graphmap.api.analysis import InitiativeMetrics

        found = await info.context.loaders.measures.load(self.id)
        return InitiativeMetrics.of(found) if found else None

    @strawberry.field(description="Why the latest analysis finds it emerging (or not), in words.")
    async def emergence_reasons(self, info: Info) -> list[str]:
        found = await info.context.loaders.measures.load(self.id)
        return list((found or {}).get("emergenceReasons") or [])


@strawberry.type(description="A partnership between two or more actors.")
class Alliance:
    id: strawberry.ID
    name: str
    type: AllianceType | None  # type: ignore[valid-type]
    horizon: Horizon | None  # type: ignore[valid-type]
    since: date | None
    until: date | None
    evaluated: bool | None
    description: str | None
    source: str | None
    provenance: Provenance

    @classmethod
    def of(cls, p: Props) -> Alliance:
        return cls(
            id=strawberry.ID(p["id"]),
            name=p.get("name", ""),
            type=_opt(domain.AllianceType, p.get("type")),
            horizon=_opt(domain.Horizon, p.get("horizon")),
            since=_day(p.get("since")),
            until=_day(p.get("until")),
            evaluated=p.get("evaluated"),
            description=p.get("description"),
            source=p.get("source"),
            provenance=Provenance.of(p),
        )

    @strawberry.field(description="Where it acts.")
    async def territories(self, info: Info) -> list[Territory]:
        return await _located(info, self.id)

    @strawberry.field(description="Its members, with their roles.")
    async def members(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.members_of_group.load(self.id)
        return [Membership.from_group_side(self, r) for r in rows]

    @strawberry.field(description="The initiatives it carries.")
    async def initiatives(self, info: Info) -> list[Initiative]:
        rows = await info.context.loaders.carries.load(self.id)
        return [Initiative.of(r["node"]) for r in rows]


@strawberry.type(description="An actor's part in an alliance or an initiative.")
class Membership:
    actor: Actor
    alliance: Alliance | None
    initiative: Initiative | None
    role: Role | None  # type: ignore[valid-type]
    since: date | None
    until: date | None
    source: str | None

    @classmethod
    def from_actor_side(cls, actor: Actor, row: dict[str, Any]) -> Membership:
        rel, node = row["rel"], row["node"]
        is_alliance = row["label"] == "Alliance"
        return cls(
            actor=actor,
            alliance=Alliance.of(node) if is_alliance else None,
            initiative=None if is_alliance else Initiative.of(node),
            role=_opt(domain.Role, rel.get("role")),
            since=_day(rel.get("since")),
            until=_day(rel.get("until")),
            source=rel.get("source"),
        )

    @classmethod
    def from_group_side(cls, group: Alliance | Initiative, row: dict[str, Any]) -> Membership:
        rel = row["rel"]
        return cls(
            actor=Actor.of(row["node"]),
            alliance=group if isinstance(group, Alliance) else None,
            initiative=group if isinstance(group, Initiative) else None,
            role=_opt(domain.Role, rel.get("role")),
            since=_day(rel.get("since")),
            until=_day(rel.get("until")),
            source=rel.get("source"),
        )


@strawberry.type(description="A commune, EPCI, département, région, the country or a named area.")
class Territory:
    code: strawberry.ID
    name: str
    level: TerritoryLevel  # type: ignore[valid-type]
    population: int | None
    flags: list[TerritoryFlag]  # type: ignore[valid-type]
    innovation_model: InnovationModel | None  # type: ignore[valid-type]
    source: str | None

    @classmethod
    def of(cls, p: Props) -> Territory:
        return cls(
            code=strawberry.ID(p["id"]),
            name=p.get("name", ""),
            level=domain.TerritoryLevel(p["level"]),
            population=p.get("population"),
            flags=[domain.TerritoryFlag(f) for f in p.get("flags") or []],
            innovation_model=_opt(domain.InnovationModel, p.get("innovationModel")),
            source=p.get("source"),
        )

    @strawberry.field(description="Every territory it is directly part of.")
    async def parents(self, info: Info) -> list[Territory]:
        rows = await info.context.loaders.parents_of.load(self.code)
        return sorted((Territory.of(r["node"]) for r in rows), key=_level_rank)

    @strawberry.field(
        description="The nearest territory it is part of (an EPCI before a département)."
    )
    async def parent(self, info: Info) -> Territory | None:
        found = await self.parents(info)
        return found[0] if found else None

    @strawberry.field(description="How many territories are directly part of it.")
    async def children_count(self, info: Info) -> int:
        rows = await info.context.loaders.children_count.load(self.code)
        return int(rows[0]["total"]) if rows else 0

    @strawberry.field(description="What the latest whole-graph analysis says of it (null before).")
    async def indicators(
        self, info: Info
    ) -> Annotated[TerritoryIndicators, strawberry.lazy("graphmap.api.analysis")] | None:
        from graphmap.api.analysis import TerritoryIndicators

        found = await info.context.loaders.indicators.load(str(self.code))
        return TerritoryIndicators.of(found) if found else None

    @strawberry.field(description="The territories directly part of it, by code.")
    async def children(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Territory]:
        from graphmap.api import lists

        return await lists.territories(info, {"parent": str(self.code)}, first, after)


_RANK = {
    lvl: i for i, lvl in enumerate(["COMMUNE", "AREA", "EPCI", "DEPARTEMENT", "REGION", "COUNTRY"])
}


def _level_rank(t: Territory) -> int:
    return _RANK.get(str(t.level.value), 9)  # type: ignore[attr-defined]


async def _located(info: Info, node_id: str) -> list[Territory]:
    rows = await info.context.loaders.territories_of.load(node_id)
    return [Territory.of(r["node"]) for r in rows]


GraphNode = Annotated[
    Actor | Initiative | Alliance | Territory,
    strawberry.union("GraphNode", description="Any node of the ecosystem."),
]


# --- pagination --------------------------------------------------------------


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of results (Relay style) and the total count.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.count()


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        key = base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True)
        if not key:
            raise ValueError("empty cursor")
        return key.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidInput([FieldError("after", "is not a cursor of this list", cursor)]) from None


# --- results of mutations ----------------------------------------------------


@strawberry.type(description="One problem with one input value.")
class InputError:
    field: str
    message: str
    value: str | None
    file: str | None = None
    row: int | None = None


@strawberry.type(name="InvalidInput", description="The input breaks a rule; nothing was written.")
class InvalidInputError:
    message: str
    errors: list[InputError]

    @classmethod
    def of(cls, exc: InvalidInput, *, with_location: bool = False) -> InvalidInputError:
        """``with_location``: an import's errors name file and row; a
        mutation's input is one row of no file, and says none."""
        shown = exc.errors if with_location else [_unplaced(e) for e in exc.errors]
        return cls(
            message="; ".join(str(e) for e in shown),
            errors=[
                InputError(
                    field=e.field,
                    message=e.message,
                    value=e.value,
                    file=e.file if with_location else None,
                    row=e.row if with_location else None,
                )
                for e in exc.errors
            ],
        )


def _unplaced(error: FieldError) -> FieldError:
    return dataclasses.replace(error, file=None, row=None)


@strawberry.type(name="NotFound", description="The object named does not exist (or was deleted).")
class NotFoundError:
    message: str
    entity: str = strawberry.field(description="Actor, Initiative, Alliance, Territory...")
    key: str


@strawberry.type(description="A soft delete: the object is hidden, its history kept.")
class Deleted:
    id: strawberry.ID
