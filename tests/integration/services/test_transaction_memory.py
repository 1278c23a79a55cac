"""An import too large for one transaction of the database's memory, on a
real embedded Neo4j whose per-transaction limit is small (4 MiB): Neo4j
refuses it, graphmap says so without retrying it for 30 s, names what to do,
and nothing is written (staged imports undo what they created)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmap.config import Settings
from graphmap.errors import InvalidInput
from graphmap.services import writer
from tests.integration.services.workbooks import count_nodes, records, run_import, write_book

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def small_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own: the transaction limit is set when it starts."""
    if os.environ.get("NEO4J_URI") or os.environ.get("GRAPHMAP_TEST_NEO4J"):
        pytest.skip("needs the bundled server (its transaction memory is set at start)")
    from graphmap.neo4j_local import LocalNeo4j

    server = LocalNeo4j(
        tmp_path_factory.mktemp("small-tx"), heap="512m", pagecache="64m", tx_memory="4m"
    )
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def small_db(small_uri: str, runner: asyncio.Runner) -> Iterator[Any]:
    from graphmap.store.database import Database
    from graphmap.store.schema import migrate

    database = Database.connect(Settings.from_env(), small_uri)
    runner.run(migrate(database))
    runner.run(database.fetch_write("admin.delete_batch", batch=100_000))
    try:
        yield database
    finally:
        runner.run(database.close())


def _many_actors(n: int) -> str:
    rows = "".join(f"m{i};Membre {i} de l'association;ASSOCIATION;69123;\n" for i in range(n))
    return "id;name;kind;territory;siren\n" + rows


def test_a_small_import_fits(small_db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    summary = run_import(runner, small_db, write_book(tmp_path / "b"))
    assert summary.created["actors"] == 3


@pytest.mark.parametrize("staged", [False, True])
def test_too_large_for_one_transaction_writes_nothing_and_says_what_to_do(
    small_db: Any,
    runner: asyncio.Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    staged: bool,
) -> None:
    run_import(runner, small_db, write_book(tmp_path / "small"))
    before = count_nodes(runner, small_db)
    if staged:  # creates of 20,000 rows a transaction: the first one is refused
        monkeypatch.setattr(writer, "STAGE_ABOVE", 0)
        monkeypatch.setattr(writer, "STAGE_TX_ROWS", 20_000)
    big = write_book(tmp_path / "big", actors=_many_actors(8000))
    with pytest.raises(InvalidInput) as caught:
        run_import(runner, small_db, big)
    [error] = caught.value.errors
    assert error.field == "file"
    assert "more memory than the database allows one transaction (4.0 MiB)" in error.message
    assert "nothing was written" in error.message and "GRAPHMAP_NEO4J_HEAP" in error.message
    assert ("(up to 20000 new rows)" if staged else "(all 8009 rows)") in error.message
    assert count_nodes(runner, small_db) == before
    if staged:  # the import lock is free again, the import recorded as failed
        found = records(runner, small_db, "MATCH (i:Import) RETURN i.status AS s, i.running AS r")
        assert [(r["s"], r["r"]) for r in found] == [("failed", None)]


def test_updates_of_stored_nodes_and_ties_are_staged(
    small_db: Any, runner: asyncio.Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3,000 changed ties need about 5.7 MB of transaction memory, 3,000
    moved actors more: both over the 4 MiB allowed. Written in transactions
    of 200 ties or 50 actors, each with its before-images, they go through;
    written in one transaction, the actors are refused and nothing changes."""
    monkeypatch.setattr(writer, "STAGE_ABOVE", 0)
    monkeypatch.setattr(writer, "STAGE_TX_ROWS", 200)
    n = 3000
    ties = "actor;target;role\n" + "".join(f"m{i};al1;PARTNER\n" for i in range(n))
    run_import(
        runner, small_db, write_book(tmp_path / "a", actors=_many_actors(n), memberships=ties)
    )
    changed = write_book(tmp_path / "b", actors=None, memberships=ties.replace("PARTNER", "FUNDER"))
    summary = run_import(runner, small_db, changed)
    assert summary.updated["memberships"] == n
    moved = write_book(
        tmp_path / "c", actors=_many_actors(n).replace("69123", "69"), memberships=None
    )
    where = "MATCH (:Actor {id: 'm1'})-[:LOCATED_IN]->(t) RETURN t.id AS id"
    monkeypatch.setattr(writer, "STAGE_TX_ROWS", n)
    with pytest.raises(InvalidInput) as caught:
        run_import(runner, small_db, moved)
    [error] = caught.value.errors
    assert "(up to 3000 rows about what is already in the graph)" in error.message
    assert records(runner, small_db, where) == [{"id": "69123"}]
    monkeypatch.setattr(writer, "STAGE_TX_ROWS", 50)  # a changed actor needs more than a tie
    rehearsed = run_import(runner, small_db, moved, dry_run=True)  # rehearsed the same way
    assert rehearsed.updated["actors"] == n
    assert records(runner, small_db, where) == [{"id": "69123"}]
    summary = run_import(runner, small_db, moved)
    assert summary.updated["actors"] == n
    assert records(runner, small_db, where) == [{"id": "69"}]
    left = records(runner, small_db, "MATCH (u:ImportUndo) RETURN count(u) AS n")
    assert left == [{"n": 0}]
