"""The Neo4j driver's lifecycle and the one place Cypher is sent.

Every statement goes through :func:`run`, addressed by its registry name, with
its parameters checked against the statement. ``Database`` counts the
round trips it makes (``stats.round_trips``): the N+1 test reads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncTransaction,
    Record,
)
from neo4j.exceptions import DriverError, Neo4jError, TransientError

from graphmap.config import Settings
from graphmap.errors import TooLarge
from graphmap.store import queries

T = TypeVar("T")
Tx = AsyncManagedTransaction
# How long a write transaction is retried after a transient error (deadlock,
# lost connection): the driver's own default.
RETRY_SECONDS = 30.0


class _Rows(list[Any]):
    """A long list parameter, shown in short: the driver builds the repr of
    every statement's parameters for a debug log line even when nothing
    logs at that level, which cost a 400k-row import 0.6 s of the GIL."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} items>"


def _quiet(params: dict[str, Any]) -> dict[str, Any]:
    return {k: _Rows(v) if type(v) is list and len(v) > 16 else v for k, v in params.items()}


@dataclass(slots=True)
class Stats:
    round_trips: int = 0


class Database:
    """One driver for the app's lifetime (opened in the Starlette lifespan)."""

    def __init__(self, driver: AsyncDriver, database: str | None = None) -> None:
        self.driver = driver
        self.database = database
        self.stats = Stats()

    @classmethod
    def connect(cls, settings: Settings, uri: str | None = None) -> Database:
        target = uri or settings.neo4j_uri
        if not target:
            raise ValueError("no Neo4j URI: set NEO4J_URI or start the embedded server")
        driver = AsyncGraphDatabase.driver(
            target,
            auth=(settings.neo4j_user, str(settings.neo4j_password)),
            max_connection_pool_size=20,
            # Cypher notifications ("property deletedAt does not exist" on a
            # young graph) are noise for users; the statements are tested.
            notifications_min_severity="OFF",
        )
        return cls(driver, settings.neo4j_database)

    async def close(self) -> None:
        await self.driver.close()

    async def read(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        async with self.driver.session(database=self.database) as session:
            return await session.execute_read(_sized(work))

    async def write(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in a write transaction and commit it, retried as the
        driver's ``execute_write`` would (transient errors, a lost
        connection; for up to ``RETRY_SECONDS``), except a transaction over
        the per-transaction memory limit, raised as :class:`TooLarge` at
        once, whether Neo4j refuses it while it runs or when it commits (the
        driver's own loop cannot see the latter)."""
        delay, deadline = 0.5, time.monotonic() + RETRY_SECONDS
        while True:
            try:
                # on any error, closing the session rolls the transaction back
                async with self.driver.session(database=self.database) as session:
                    tx = await session.begin_transaction()
                    result = await work(cast(Tx, tx))
                    await tx.commit()
                    return result
            except (DriverError, Neo4jError) as exc:
                _raise_if_too_large(exc)
                if not exc.is_retryable() or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, 8.0)

    async def run(self, tx: Tx, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the registered statement ``name`` in ``tx``; rows as dicts."""
        query = queries.get(name)
        query.check(params)
        self.stats.round_trips += 1
        result = await tx.run(query.text, _quiet(params))
        return [record.data() async for record in result]

    @contextlib.asynccontextmanager
    async def reading(self, fetch_size: int = 10000) -> AsyncIterator[AsyncTransaction]:
        """One explicit read transaction for several streamed statements
        (exports). Neo4j isolates it read-committed: each statement sees
        what was committed when it ran, not one snapshot for all of them."""
        async with self.driver.session(
            database=self.database, default_access_mode=READ_ACCESS, fetch_size=fetch_size
        ) as session:
            tx = await session.begin_transaction()
            try:
                yield tx
            finally:
                await tx.close()

    async def stream(
        self, tx: AsyncTransaction | Tx, name: str, **params: Any
    ) -> AsyncIterator[Record]:
        """Run ``name`` and yield its records as the driver pulls them, in
        batches of the session's fetch size: never the whole result at once."""
        query = queries.get(name)
        query.check(params)
        self.stats.round_trips += 1
        result = await tx.run(query.text, _quiet(params))
        async for record in result:
            yield record

    async def fetch(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """One read statement in its own read transaction."""

        async def work(tx: Tx) -> list[dict[str, Any]]:
            return await self.run(tx, name, **params)

        return await self.read(work)

    async def fetch_write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """One write statement in its own write transaction."""

        async def work(tx: Tx) -> list[dict[str, Any]]:
            return await self.run(tx, name, **params)

        return await self.write(work)

    async def ping(self) -> bool:
        try:
            rows = await self.fetch("admin.ping")
        except Exception:
            return False
        return rows == [{"ok": 1}]


def now() -> datetime:
    """Timestamps are UTC, with time zone (Neo4j DateTime)."""
    return datetime.now(UTC)


# Neo4j's answer to a transaction over its memory limit. The driver counts it
# as transient and retries the whole transaction for 30 s: right when the pool
# shared by all transactions was full (others will finish), wasted when this
# transaction alone is over the per-transaction limit, whose setting the
# message names.
_OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
_ONE_TRANSACTION = "db.memory.transaction.max"


def _sized(work: Callable[[Tx], Awaitable[T]]) -> Callable[[Tx], Awaitable[T]]:
    """``work``, with Neo4j's refusal of a transaction over the
    per-transaction memory limit raised as :class:`TooLarge` (not retried)."""

    async def guarded(tx: Tx) -> T:
        try:
            return await work(tx)
        except TransientError as exc:
            _raise_if_too_large(exc)
            raise

    return guarded


def _raise_if_too_large(exc: Exception) -> None:
    if (
        isinstance(exc, TransientError)
        and exc.code == _OUT_OF_MEMORY
        and _ONE_TRANSACTION in (exc.message or "")
    ):
        raise TooLarge(exc.message or "") from exc
