"""Applies ``cypher/schema.cypher`` (constraints and indexes), idempotently."""

from __future__ import annotations

from graphmap.store import queries
from graphmap.store.database import Database


async def migrate(db: Database) -> list[str]:
    """Run every statement of schema.cypher in file order; return their names.

    Schema statements cannot share a transaction with writes, so each runs in
    its own auto-commit session call; ``IF NOT EXISTS`` makes reruns no-ops.
    """
    names = [n for n in queries.registry() if n.startswith("schema.")]
    names.sort(key=lambda n: queries.get(n).line)
    async with db.driver.session(database=db.database) as session:
        for name in names:
            q = queries.get(name)
            result = await session.run(q.text)
            await result.consume()
            db.stats.round_trips += 1
    return names
