"""Reads of actors, initiatives, alliances and territories: pages with
filters, and batched lookups (one round trip per batch) that the API's
DataLoaders call, so nested fields never cost one query per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j.time import Date, DateTime

from graphmap.store.database import Database

Props = dict[str, Any]
LIST_LABELS = {
    "actors": "Actor",
    "initiatives": "Initiative",
    "alliances": "Alliance",
    "territories": "Territory",
}


def native(props: Props) -> Props:
    """Neo4j temporal values as Python ones (the API speaks ISO dates)."""
    out = {}
    for key, value in props.items():
        if isinstance(value, Date | DateTime):
            value = value.to_native()
        out[key] = value
    return out


@dataclass(frozen=True, slots=True)
class Page:
    nodes: list[Props]
    has_next: bool


async def page(
    db: Database, kind: str, *, first: int, after: str | None, filters: dict[str, Any]
) -> Page:
    """One page of ``kind`` (``actors``...), ordered by id, after the cursor id."""
    rows = await db.fetch(f"{kind}.page", after=after, limit=first + 1, **filters)
    nodes = [native(r["node"]) for r in rows]
    return Page(nodes[:first], len(nodes) > first)


async def count(db: Database, kind: str, *, filters: dict[str, Any]) -> int:
    rows = await db.fetch(f"{kind}.count", **filters)
    return int(rows[0]["total"]) if rows else 0


async def by_ids(db: Database, kind: str, ids: Sequence[str]) -> list[Props | None]:
    """Nodes in the order of ``ids`` (None where absent or deleted)."""
    rows = await db.fetch(f"{kind}.by_ids", ids=list(ids))
    found = {r["node"]["id"]: native(r["node"]) for r in rows}
    return [found.get(i) for i in ids]


async def grouped(db: Database, name: str, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    """Run a ``UNWIND $ids ... RETURN id, ...`` statement; rows per id, in order."""
    rows = await db.fetch(name, ids=list(ids))
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        item = {k: (native(v) if isinstance(v, dict) else v) for k, v in r.items() if k != "id"}
        by_id[r["id"]].append(item)
    return [by_id.get(i, []) for i in ids]
