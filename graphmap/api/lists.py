"""Relay-style connections over the services' pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graphmap.api.context import Info
from graphmap.api.types import (
    Actor,
    Alliance,
    Connection,
    Edge,
    Initiative,
    PageInfo,
    Territory,
    decode_cursor,
    encode_cursor,
)
from graphmap.errors import FieldError, InvalidInput
from graphmap.services import fields, nodes

T = TypeVar("T")

ACTOR_FILTERS = ("kinds", "worlds", "territory", "text", "declared_role")
INITIATIVE_FILTERS = ("forms", "stages", "themes", "territory", "text")
ALLIANCE_FILTERS = ("types", "horizons", "territory", "text", "active_at")
TERRITORY_FILTERS = ("levels", "parent", "within", "text")


async def connection(
    info: Info,
    kind: str,
    build: Callable[[dict[str, Any]], T],
    filters: dict[str, Any],
    first: int,
    after: str | None,
) -> Connection[T]:
    limit = info.context.settings.max_page_size
    if not 0 <= first <= limit:
        raise InvalidInput([FieldError("first", f"must be between 0 and {limit}", str(first))])
    db = info.context.db
    page = await nodes.page(db, kind, first=first, after=decode_cursor(after), filters=filters)
    edges = [Edge(node=build(p), cursor=encode_cursor(p["id"])) for p in page.nodes]

    async def count() -> int:
        return await nodes.count(db, kind, filters=filters)

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
        ),
        count=count,
    )


async def actors(
    info: Info, filters: dict[str, Any], first: int, after: str | None
) -> Connection[Actor]:
    return await connection(info, "actors", Actor.of, filters, first, after)


async def initiatives(
    info: Info, filters: dict[str, Any], first: int, after: str | None
) -> Connection[Initiative]:
    return await connection(info, "initiatives", Initiative.of, filters, first, after)


async def alliances(
    info: Info, filters: dict[str, Any], first: int, after: str | None
) -> Connection[Alliance]:
    if filters.get("active_at") is not None:
        try:
            filters = {**filters, "active_at": fields.parse_date(filters["active_at"])}
        except ValueError as exc:
            raise InvalidInput([FieldError("activeAt", str(exc), filters["active_at"])]) from None
    return await connection(info, "alliances", Alliance.of, filters, first, after)


async def territories(
    info: Info, filters: dict[str, Any], first: int, after: str | None
) -> Connection[Territory]:
    full = {**dict.fromkeys(TERRITORY_FILTERS), **filters}
    return await connection(info, "territories", Territory.of, full, first, after)
