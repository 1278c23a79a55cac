"""The write side of the API. Expected failures are typed results naming the
field (``InvalidInput``, ``NotFound``); nothing is half-written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from graphmap.api.context import Info
from graphmap.api.inputs import (
    ActorInput,
    ActorPatch,
    AllianceInput,
    AlliancePatch,
    InitiativeInput,
    InitiativePatch,
    MembershipInput,
    TerritoryInput,
    TerritoryPatch,
    to_row,
)
from graphmap.api.types import (
    Actor,
    Alliance,
    Deleted,
    Initiative,
    InvalidInputError,
    Membership,
    NotFoundError,
    Territory,
)
from graphmap.errors import InvalidInput, NotFound
from graphmap.services import edits

ActorResult = Annotated[Actor | InvalidInputError | NotFoundError, strawberry.union("ActorResult")]
InitiativeResult = Annotated[
    Initiative | InvalidInputError | NotFoundError, strawberry.union("InitiativeResult")
]
AllianceResult = Annotated[
    Alliance | InvalidInputError | NotFoundError, strawberry.union("AllianceResult")
]
TerritoryResult = Annotated[
    Territory | InvalidInputError | NotFoundError, strawberry.union("TerritoryResult")
]
MembershipResult = Annotated[
    Membership | InvalidInputError | NotFoundError, strawberry.union("MembershipResult")
]
DeleteResult = Annotated[Deleted | NotFoundError, strawberry.union("DeleteResult")]


async def _guard(call: Callable[[], Awaitable[Any]]) -> Any:
    """Turn the expected failures into typed results."""
    try:
        return await call()
    except InvalidInput as exc:
        return InvalidInputError.of(exc)
    except NotFound as exc:
        return NotFoundError(message=str(exc), entity=exc.kind, key=exc.key)


@strawberry.type
class Mutation:
    # --- actors ---
    @strawberry.mutation(description="Create an actor; its world follows from its kind.")
    async def create_actor(self, info: Info, input: ActorInput) -> ActorResult:
        return await _create(info, "actors", input, Actor.of)

    @strawberry.mutation(description="Change some fields of an actor.")
    async def update_actor(self, info: Info, id: strawberry.ID, patch: ActorPatch) -> ActorResult:
        return await _update(info, "actors", id, patch, Actor.of)

    @strawberry.mutation(description="Soft-delete an actor (its history is kept).")
    async def delete_actor(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, "actors", id)

    # --- initiatives ---
    @strawberry.mutation
    async def create_initiative(self, info: Info, input: InitiativeInput) -> InitiativeResult:
        return await _create(info, "initiatives", input, Initiative.of)

    @strawberry.mutation
    async def update_initiative(
        self, info: Info, id: strawberry.ID, patch: InitiativePatch
    ) -> InitiativeResult:
        return await _update(info, "initiatives", id, patch, Initiative.of)

    @strawberry.mutation
    async def delete_initiative(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, "initiatives", id)

    # --- alliances ---
    @strawberry.mutation
    async def create_alliance(self, info: Info, input: AllianceInput) -> AllianceResult:
        return await _create(info, "alliances", input, Alliance.of)

    @strawberry.mutation
    async def update_alliance(
        self, info: Info, id: strawberry.ID, patch: AlliancePatch
    ) -> AllianceResult:
        return await _update(info, "alliances", id, patch, Alliance.of)

    @strawberry.mutation
    async def delete_alliance(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, "alliances", id)

    # --- territories ---
    @strawberry.mutation(description="Create a territory (a named area, or a missing commune).")
    async def create_territory(self, info: Info, input: TerritoryInput) -> TerritoryResult:
        return await _create(info, "territories", input, Territory.of)

    @strawberry.mutation
    async def update_territory(
        self, info: Info, code: strawberry.ID, patch: TerritoryPatch
    ) -> TerritoryResult:
        return await _update(info, "territories", code, patch, Territory.of)

    @strawberry.mutation
    async def delete_territory(self, info: Info, code: strawberry.ID) -> DeleteResult:
        return await _delete(info, "territories", code)

    # --- memberships ---
    @strawberry.mutation(
        description="Add an actor to an alliance or initiative, or change the fields "
        "given of its membership (the others stay as they are)."
    )
    async def add_membership(self, info: Info, input: MembershipInput) -> MembershipResult:
        ctx = info.context

        async def call() -> Membership:
            row = await edits.join(ctx.db, to_row(input), by=ctx.user)
            actor = await ctx.loaders.actor.load(str(input.actor))
            if actor is None:
                raise NotFound("Actor", str(input.actor))
            return Membership.from_actor_side(Actor.of(actor), row)

        return await _guard(call)

    @strawberry.mutation(description="Remove an actor from an alliance or initiative.")
    async def remove_membership(
        self, info: Info, actor: strawberry.ID, target: strawberry.ID
    ) -> DeleteResult:
        ctx = info.context

        async def call() -> Deleted:
            await edits.leave(ctx.db, str(actor), str(target), by=ctx.user)
            return Deleted(id=strawberry.ID(f"{actor}->{target}"))

        return await _guard(call)


async def _create(info: Info, sheet: Any, input: Any, build: Callable[[Any], Any]) -> Any:
    ctx = info.context
    return await _guard(
        lambda: _node(edits.create(ctx.db, sheet, to_row(input), by=ctx.user), build)
    )


async def _update(
    info: Info, sheet: Any, key: strawberry.ID, patch: Any, build: Callable[[Any], Any]
) -> Any:
    ctx = info.context
    return await _guard(
        lambda: _node(edits.update(ctx.db, sheet, str(key), to_row(patch), by=ctx.user), build)
    )


async def _node(pending: Awaitable[dict[str, Any]], build: Callable[[dict[str, Any]], Any]) -> Any:
    return build(await pending)


async def _delete(info: Info, sheet: Any, key: strawberry.ID) -> Any:
    ctx = info.context

    async def call() -> Deleted:
        await edits.delete(ctx.db, sheet, str(key), by=ctx.user)
        return Deleted(id=key)

    return await _guard(call)
