"""Test fixtures. Integration tests run on a real Neo4j, never a mock:

- ``NEO4J_URI`` set: that server (its database is wiped between tests!);
- ``GRAPHMAP_TEST_NEO4J=testcontainers``: a ``neo4j:5.26-community`` container;
- otherwise: the bundled embedded Neo4j on a free port, in a temp folder.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmap.config import Settings

TEST_PASSWORD = "graphmap-test"


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    if os.environ.get("GRAPHMAP_TEST_NEO4J") == "testcontainers":
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26-community", password=TEST_PASSWORD) as container:
            os.environ.setdefault("NEO4J_PASSWORD", TEST_PASSWORD)
            yield container.get_connection_url()
        return
    from graphmap.neo4j_local import LocalNeo4j, ensure_built

    ensure_built()
    server = LocalNeo4j(tmp_path_factory.mktemp("neo4j"), heap="1g", pagecache="128m")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def settings() -> Settings:
    # Starlette's TestClient addresses the app as "testserver"
    return dataclasses.replace(Settings.from_env(), allowed_hosts="testserver")


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    """An event loop for the test: ``runner.run(coroutine)``."""
    with asyncio.Runner() as r:
        yield r


async def _wipe(db: Any) -> None:
    while True:
        rows = await db.fetch_write("admin.delete_batch", batch=20000)
        if rows[0]["deleted"] == 0:
            return


@pytest.fixture(scope="session")
def _migrated(neo4j_uri: str, settings: Settings) -> None:
    from graphmap.store.database import Database
    from graphmap.store.schema import migrate

    async def main() -> None:
        db = Database.connect(settings, neo4j_uri)
        try:
            await migrate(db)
        finally:
            await db.close()

    asyncio.run(main())


@pytest.fixture
def db(
    neo4j_uri: str, settings: Settings, runner: asyncio.Runner, _migrated: None
) -> Iterator[Any]:
    """A connected ``Database`` on an empty graph (schema in place)."""
    from graphmap.store.database import Database

    database = Database.connect(settings, neo4j_uri)
    runner.run(_wipe(database))
    database.stats.round_trips = 0
    try:
        yield database
    finally:
        runner.run(database.close())


@pytest.fixture
def client(neo4j_uri: str, settings: Settings, db: Any) -> Iterator[Any]:
    """The whole app over HTTP (Starlette's TestClient), on an empty graph."""
    from starlette.testclient import TestClient

    from graphmap.web import create_app

    with TestClient(create_app(settings, neo4j_uri)) as c:
        yield c


@pytest.fixture
def demo_client(client: Any) -> Any:
    """The app with the demo ecosystem loaded."""
    from graphmap.services import loading

    async def load() -> None:
        await loading.load_demo(client.app.state.db)

    client.portal.call(load)
    return client


def gql(client: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST a GraphQL document; return the JSON body (errors included)."""
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


REPO = Path(__file__).resolve().parent.parent
