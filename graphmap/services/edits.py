"""What mappers do one object at a time (GraphQL mutations): create, update,
soft-delete, join and leave. Each is a one-row workbook written by
:mod:`graphmap.services.writer`, so the rules are those of an import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphmap.errors import NotFound
from graphmap.services import nodes, workbook, writer
from graphmap.services.workbook import KEY, LABEL, Sheet
from graphmap.store.database import Database, Tx, now

KIND_OF_SHEET: dict[Sheet, str] = {
    "actors": "actors",
    "initiatives": "initiatives",
    "alliances": "alliances",
    "territories": "territories",
}


async def create(db: Database, sheet: Sheet, values: Mapping[str, Any], *, by: str) -> nodes.Props:
    book = workbook.validate({sheet: [values]}, first_line=1)
    await writer.write(db, book, by=by, mode="create")
    return await _reload(db, sheet, book.rows[sheet][0].key)


async def update(
    db: Database, sheet: Sheet, key: str, values: Mapping[str, Any], *, by: str
) -> nodes.Props:
    """Change only the fields given; the others stay as they are. A deleted
    object is not found: updating must not bring it back silently."""
    if (await nodes.by_ids(db, KIND_OF_SHEET[sheet], [key]))[0] is None:
        raise NotFound(LABEL[sheet], key)
    book = workbook.validate({sheet: [{**values, KEY[sheet]: key}]}, partial=True, first_line=1)
    await writer.write(db, book, by=by, mode="update")
    return await _reload(db, sheet, key)


async def delete(db: Database, sheet: Sheet, key: str, *, by: str) -> str:
    label = LABEL[sheet]

    async def work(tx: Tx) -> str:
        stamp = now()
        rows = await db.run(tx, f"{sheet}.soft_delete", id=key, now=stamp)
        if not rows:
            raise NotFound(label, key)
        await db.run(
            tx,
            "history.record_many",
            changes=[{"op": "delete", "entity": label, "entityId": key, "data": None}],
            now=stamp,
            by=by,
        )
        return key

    return await db.write(work)


async def join(db: Database, values: Mapping[str, Any], *, by: str) -> dict[str, Any]:
    """Add (or update) one actor's membership of an alliance or initiative."""
    book = workbook.validate({"memberships": [values]}, first_line=1)
    await writer.write(db, book, by=by, mode="upsert")
    row = book.rows["memberships"][0]
    found = await nodes.grouped(db, "memberships.of_actors", [row.key])
    for m in found[0]:
        if m["node"]["id"] == row.target:
            return m
    raise NotFound("Membership", f"{row.key}->{row.target}")


async def leave(db: Database, actor: str, target: str, *, by: str) -> bool:
    async def work(tx: Tx) -> bool:
        stamp = now()
        rows = await db.run(tx, "memberships.remove", actor=actor, target=target, now=stamp)
        if not rows or rows[0]["removed"] == 0:
            raise NotFound("Membership", f"{actor}->{target}")
        await db.run(
            tx,
            "history.record_many",
            changes=[
                {
                    "op": "delete",
                    "entity": "Membership",
                    "entityId": f"{actor}->{target}",
                    "data": None,
                }
            ],
            now=stamp,
            by=by,
        )
        return True

    return await db.write(work)


async def _reload(db: Database, sheet: Sheet, key: str) -> nodes.Props:
    found = (await nodes.by_ids(db, KIND_OF_SHEET[sheet], [key]))[0]
    if found is None:
        raise NotFound(LABEL[sheet], key)
    return found
