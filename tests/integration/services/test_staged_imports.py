"""What only staged imports (workbooks over ``writer.STAGE_ABOVE`` rows,
written in several transactions) have, on a real Neo4j: the Import record
and lock, undo when the graph changes mid-import, refusal while another
import is alive, and undo of an abandoned one. Here every workbook is staged,
two rows per transaction; test_imports.py runs the common behaviour both ways."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

from graphmap.errors import InvalidInput
from graphmap.services import writer
from tests.integration.services.workbooks import (
    count_nodes,
    history_entries,
    records,
    run_import,
    scalar,
    write_book,
)

pytestmark = pytest.mark.integration

IMPORTS = (
    "MATCH (i:Import) RETURN i.id AS id, i.status AS status, i.running AS running, "
    "i.error AS error ORDER BY i.startedAt"
)


@pytest.fixture(autouse=True)
def staged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "STAGE_ABOVE", 0)
    monkeypatch.setattr(writer, "STAGE_TX_ROWS", 2)


def test_a_staged_import_is_recorded_and_releases_the_lock(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    run_import(runner, db, write_book(tmp_path / "b"))
    [record] = records(runner, db, IMPORTS)
    assert record["status"] == "done" and record["running"] is None
    tagged = scalar(runner, db, "MATCH (a:Actor) RETURN collect(DISTINCT a.importId)")
    assert tagged == [record["id"]]


def test_graph_changed_mid_import_undoes_everything(
    db: Any, runner: asyncio.Runner, tmp_path: Path, neo4j_uri: str
) -> None:
    """A mapper creates actor a3 while the import runs (after its first
    transaction): the import's own CREATE of a3 fails, and everything the
    import had committed is taken back; the mapper's a3 stays."""
    seen: list[str] = []

    def mapper_writes(sheet: str, n: int) -> None:
        if not seen:
            with GraphDatabase.driver(neo4j_uri, auth=("neo4j", "x")) as driver:
                driver.execute_query("CREATE (:Actor {id: 'a3', name: 'Gamma, by a mapper'})")
        seen.append(sheet)

    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "b"), progress=mapper_writes)
    # territories and the initiative were committed, then a3 failed
    assert "initiatives" in seen and "alliances" not in seen
    assert "the graph changed during the import" in str(exc.value)
    r = runner.run(db.fetch("graph.counts"))[0]
    assert (r["actors"], r["initiatives"], r["alliances"], r["territories"]) == (1, 0, 0, 0)
    assert history_entries(runner, db) == 0
    [record] = records(runner, db, IMPORTS)
    assert record["status"] == "failed" and record["running"] is None
    assert "ConstraintError" in record["error"]


def _begin(runner: asyncio.Runner, db: Any, import_id: str, at: datetime) -> None:
    """Another process's import, begun at ``at``, which created one actor."""
    runner.run(db.fetch_write("imports.begin", id=import_id, by="other", file="x", now=at))
    runner.run(
        db.fetch_write(
            "actors.create_many",
            ids=[f"ghost-{import_id}"],
            props=[{"name": "half-written"}],
            sources=[None],
            territories=[[]],
            now=at,
            by="other",
            **{"import": import_id},
        )
    )


def test_a_live_import_holds_the_lock(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    _begin(runner, db, "alive", datetime.now(UTC))
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "b"))
    assert "other is importing 'x'" in str(exc.value)
    assert count_nodes(runner, db) == 1  # the live import's own node, untouched


def test_an_abandoned_import_is_undone_by_the_next(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    _begin(runner, db, "crashed", datetime.now(UTC) - writer.STALE_IMPORT - timedelta(minutes=1))
    s = run_import(runner, db, write_book(tmp_path / "b"))
    assert s.created["actors"] == 3
    assert "ghost-crashed" not in scalar(runner, db, "MATCH (a:Actor) RETURN collect(a.id)")
    states = {r["id"]: (r["status"], r["running"]) for r in records(runner, db, IMPORTS)}
    assert states["crashed"] == ("abandoned", None)


def test_an_undone_import_keeps_the_nodes_a_mapper_edited_meanwhile(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """A node the import created, then a mapper edited (or tied to an
    alliance of theirs) through the API, recorded in the history: the undo
    keeps it, with the edit; the others go."""
    at = datetime.now(UTC) - writer.STALE_IMPORT - timedelta(minutes=1)
    runner.run(db.fetch_write("imports.begin", id="crashed", by="other", file="x", now=at))
    ids = ["untouched", "edited", "joined"]
    runner.run(
        db.fetch_write(
            "actors.create_many",
            ids=ids,
            props=[{"name": i} for i in ids],
            sources=[None] * 3,
            territories=[[]] * 3,
            now=at,
            by="other",
            **{"import": "crashed"},
        )
    )
    edits = (
        "MATCH (a:Actor {id: 'edited'}) SET a.description = 'by a mapper', a.updatedAt = datetime()",
        "MATCH (a:Actor {id: 'joined'}) CREATE (a)-[:MEMBER_OF {createdAt: datetime(), "
        "updatedAt: datetime()}]->(:Alliance {id: 'al-m', name: 'M', createdAt: datetime()})",
    )
    for edit in edits:

        async def work(tx: Any, edit: str = edit) -> None:
            await tx.run(edit)

        runner.run(db.write(work))
    run_import(runner, db, write_book(tmp_path / "b"))  # undoes the abandoned one first
    kept = records(
        runner,
        db,
        "MATCH (a:Actor) WHERE a.id IN ['untouched', 'edited', 'joined'] "
        "RETURN a.id AS id, a.importId AS tag",
    )
    assert sorted((r["id"], r["tag"]) for r in kept) == [("edited", None), ("joined", None)]
    assert (
        scalar(runner, db, "MATCH (:Actor {id: 'joined'})-[r:MEMBER_OF]->() RETURN count(r)") == 1
    )


def test_a_tie_to_a_node_deleted_mid_import_undoes_everything(
    db: Any, runner: asyncio.Runner, tmp_path: Path, neo4j_uri: str
) -> None:
    """The CREATE statements find stored nodes by handle (element id). When
    an initiative the import ties to is hard-deleted after the check (here
    once the ties to the alliance are made), its ties cannot be made: the
    import fails as "graph changed" and takes back what it had committed,
    instead of dropping the ties."""
    run_import(runner, db, write_book(tmp_path / "first", actors=None, memberships=None))
    before = count_nodes(runner, db)
    deleted: list[str] = []

    def admin_deletes(sheet: str, n: int) -> None:
        if sheet == "memberships" and not deleted:
            with GraphDatabase.driver(neo4j_uri, auth=("neo4j", "x")) as driver:
                driver.execute_query("MATCH (i:Initiative {id: 'i1'}) DETACH DELETE i")
            deleted.append("i1")

    book = write_book(tmp_path / "second", territories=None, initiatives=None, alliances=None)
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, book, progress=admin_deletes)
    assert "the graph changed during the import" in str(exc.value)
    assert "memberships.create_initiative_many: 0 of 2 ties" in str(exc.value)
    assert count_nodes(runner, db) == before - 1  # the actors taken back, i1 gone
    assert scalar(runner, db, "MATCH (a:Actor) RETURN count(a)") == 0
    assert scalar(runner, db, "MATCH ()-[r:MEMBER_OF]->() RETURN count(r)") == 0
    [_, record] = records(runner, db, IMPORTS)
    assert record["status"] == "failed" and "_StaleHandle" in record["error"]


def test_memberships_validated_while_nodes_are_created(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """A large import validates memberships in a thread while it creates the
    other sheets' nodes: a bad membership still writes nothing (the nodes
    are taken back), and reference problems of every sheet are reported
    together, as when everything is checked at once."""
    bad_date = "actor;target;since\na1;al1;2023\na2;al1;someday\n"
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "a", memberships=bad_date))
    assert [(e.file, e.row, e.field) for e in exc.value.errors] == [("memberships.csv", 3, "since")]
    assert count_nodes(runner, db) == 0 and history_entries(runner, db) == 0
    unknown_both = "actor;target\na1;al1\nghost;al1\n"
    bad_place = "id;name;kind;territory\na1;Alpha;ASSOCIATION;99999\n"
    with pytest.raises(InvalidInput) as exc:
        book = write_book(tmp_path / "b", actors=bad_place, memberships=unknown_both)
        run_import(runner, db, book)
    assert {(e.file, e.row, e.field) for e in exc.value.errors} == {
        ("actors.csv", 2, "territory"),
        ("memberships.csv", 3, "actor"),
    }
    assert count_nodes(runner, db) == 0


GRAPH = (
    "MATCH (n) WHERE NOT n:Import "
    "OPTIONAL MATCH (n)-[r]->(m) "
    "RETURN labels(n) AS labels, n {.*} AS node, type(r) AS type, r {.*} AS tie, m.id AS to"
)


def ctrl_c() -> None:
    """What Ctrl-C does to ``graphmap import``: asyncio's runner cancels the
    import's task, then raises KeyboardInterrupt."""
    os.kill(os.getpid(), signal.SIGINT)


def graph(runner: asyncio.Runner, db: Any) -> list[dict[str, Any]]:
    """Every node but the Import records, with its ties, in a stable order."""
    rows = records(runner, db, GRAPH)
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


CHANGED_TIES = (
    "actor;target;role;source\na1;al1;FUNDER;rapport 2024\na2;al1;\na2;i1;LEAD\na3;al1;\n"
)


def test_tie_updates_are_staged_and_undone_with_their_before_images(
    db: Any, runner: asyncio.Runner, tmp_path: Path, neo4j_uri: str
) -> None:
    """Ties between stored nodes are updated in transactions of their own (a
    1 GiB heap held 250k updated ties in one): when the import stops after
    some of them, each tie gets its properties back, a tie it created is
    deleted, and one a mapper edited meanwhile keeps the mapper's edit."""
    run_import(runner, db, write_book(tmp_path / "first"))
    before = graph(runner, db)
    calls: list[str] = []

    def interrupted(sheet: str, n: int) -> None:
        calls.append(sheet)
        if calls.count("memberships") == 2:  # two ties updated, committed
            with GraphDatabase.driver(neo4j_uri, auth=("neo4j", "x")) as driver:
                driver.execute_query(
                    "MATCH (:Actor {id: 'a2'})-[r:CONTRIBUTES_TO]->() SET r.role = 'FUNDER', "
                    "r.updatedAt = datetime(), r.note = 'by a mapper'"
                )
            ctrl_c()

    book = write_book(tmp_path / "second", memberships=CHANGED_TIES)
    with pytest.raises(KeyboardInterrupt):
        run_import(runner, db, book, progress=interrupted)
    after = graph(runner, db)
    edited = [r for r in after if r["tie"] and r["tie"].get("note")]
    assert [(e["to"], e["tie"]["role"]) for e in edited] == [("i1", "FUNDER")]
    assert [r for r in after if r not in edited] == [
        r for r in before if not (r["node"].get("id") == "a2" and r["to"] == "i1")
    ]
    assert scalar(runner, db, "MATCH (u:ImportUndo) RETURN count(u)") == 0
    [_, record] = records(runner, db, IMPORTS)
    assert record["status"] == "failed"

    s = run_import(runner, db, book)
    assert (s.created["memberships"], s.updated["memberships"]) == (1, 2)
    assert scalar(runner, db, "MATCH (u:ImportUndo) RETURN count(u)") == 0
    role = "MATCH (:Actor {id: 'a1'})-[r:MEMBER_OF]->() RETURN [r.role, r.source]"
    assert scalar(runner, db, role) == ["FUNDER", "rapport 2024"]


def test_an_abandoned_import_gets_its_ties_restored(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    run_import(runner, db, write_book(tmp_path / "first"))
    before = graph(runner, db)
    at = datetime.now(UTC) - writer.STALE_IMPORT - timedelta(minutes=1)
    runner.run(db.fetch_write("imports.begin", id="crashed", by="other", file="x", now=at))
    rows = [{"actor": "a1", "target": "al1", "props": {"role": "FUNDER"}}]
    runner.run(
        db.fetch_write(
            "memberships.upsert_alliance_many", rows=rows, undo="crashed", now=at, by="other"
        )
    )
    assert scalar(runner, db, "MATCH (u:ImportUndo) RETURN count(u)") == 1
    s = run_import(runner, db, write_book(tmp_path / "first"))  # the same book: no change
    assert s.changed == 0
    assert graph(runner, db) == before
    assert scalar(runner, db, "MATCH (u:ImportUndo) RETURN count(u)") == 0


def test_node_updates_are_staged_and_undone_with_their_before_images(
    db: Any, runner: asyncio.Runner, tmp_path: Path, neo4j_uri: str
) -> None:
    """Changed actors, initiatives, alliances and territories are written in
    transactions of their own too: when the import stops after them, each
    node gets back its properties (a revived actor is deleted again) and
    its links, with their provenance: those the import removed come back,
    those it made go; a node a mapper edited meanwhile keeps the edit."""
    first = write_book(
        tmp_path / "first",
        territories="code;name;level;parent;source\n"
        "R84;Auvergne-Rhône-Alpes;REGION;;insee\n"
        "69;Rhône;DEPARTEMENT;R84;insee\n"
        "69123;Lyon;COMMUNE;69;insee\n"
        "69381;Lyon 1er;COMMUNE;69123;insee\n",
        initiatives="id;name\ni1;Lab\ni2;Atelier\n",
    )
    run_import(runner, db, first)
    runner.run(db.fetch_write("actors.soft_delete", id="a3", now=datetime.now(UTC)))
    before = graph(runner, db)
    territories = (
        "code;name;level;parent\n"
        "69123;Lyon (ville);COMMUNE;R84\n"  # renamed, under the region instead
        "69382;Lyon 2e;COMMUNE;69123\n"  # new
    )
    changed = write_book(
        tmp_path / "second",
        territories=territories,
        actors="id;name;kind;territory\na1;Alpha bis;ASSOCIATION;69\n"
        "a3;Gamma;NETWORK;69382\na4;Delta;COMPANY;69382\n",
        initiatives="id;name\ni1;Lab 2\n",
        alliances="id;name;type;carries;territory\nal1;Pacte;SOCIETAL_INNOVATION;i2;69\n",
        memberships="actor;target;role\na1;al1;FUNDER\na4;al1;\n",
    )
    calls: list[str] = []

    def interrupted(sheet: str, n: int) -> None:
        calls.append(sheet)
        if calls.count("memberships") == 2:  # the stored nodes are all written
            with GraphDatabase.driver(neo4j_uri, auth=("neo4j", "x")) as driver:
                driver.execute_query(
                    "MATCH (i:Initiative {id: 'i1'}) "
                    "SET i.name = 'Lab, by a mapper', i.updatedAt = datetime()"
                )
            ctrl_c()

    with pytest.raises(KeyboardInterrupt):
        run_import(runner, db, changed, progress=interrupted)
    assert calls[-5:] == ["territories", "initiatives", "actors", "alliances", "memberships"]
    after = graph(runner, db)
    edited = [r for r in after if r["node"].get("name") == "Lab, by a mapper"]
    assert len(edited) == 1
    assert [r for r in after if r not in edited] == [
        r for r in before if r["node"].get("id") != "i1"
    ]
    assert scalar(runner, db, "MATCH (u:ImportUndo) RETURN count(u)") == 0
    assert scalar(runner, db, "MATCH ()-[k:UNDO_LINK]->() RETURN count(k)") == 0

    s = run_import(runner, db, changed)
    assert s.updated == {
        "territories": 1,
        "actors": 2,
        "initiatives": 1,
        "alliances": 1,
        "memberships": 1,
    }
    assert scalar(runner, db, "MATCH (u:ImportUndo) RETURN count(u)") == 0
    places = (
        "MATCH (t:Territory {id: '69123'})-[r:PART_OF]->(p) "
        "WITH t, collect(p.id) AS parents, collect(r.createdBy) AS makers "
        "RETURN [t.name, parents, makers]"
    )
    assert scalar(runner, db, places) == ["Lyon (ville)", ["R84"], ["test"]]
    carries = "MATCH (:Alliance {id: 'al1'})-[:CARRIES]->(i) RETURN collect(i.id)"
    assert scalar(runner, db, carries) == ["i2"]


def test_a_mostly_unchanged_step_is_updated_two_transactions_at_a_time(
    db: Any, runner: asyncio.Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-import: the first transaction of the actors changed none of its
    rows, so the others run side by side (reads of unchanged rows do not
    contend), and the report still counts every row once."""
    actors = "id;name;kind;territory\n" + "".join(
        f"m{i};Membre {i};ASSOCIATION;69123\n" for i in range(10)
    )
    run_import(runner, db, write_book(tmp_path / "first", actors=actors, memberships=None))
    in_flight: list[int] = [0, 0, 0]  # now, most, actor parts seen
    apply = writer._apply
    together = asyncio.Event()

    async def counted(*args: Any) -> Any:
        """Hold each actor part after the first until another one runs
        beside it (for at most 5 s: one at a time, none comes)."""
        in_flight[0] += 1
        in_flight[1] = max(in_flight[:2])
        if in_flight[0] == 2:
            together.set()
        try:
            if args[2].sheet == "actors":
                in_flight[2] += 1
                if in_flight[2] > 1:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(together.wait(), 5)
            return await apply(*args)
        finally:
            in_flight[0] -= 1

    monkeypatch.setattr(writer, "_apply", counted)
    changed = actors.replace("Membre 8", "Membre huit").replace("Membre 9", "Membre neuf")
    s = run_import(runner, db, write_book(tmp_path / "second", actors=changed, memberships=None))
    assert (s.updated["actors"], s.unchanged["actors"]) == (2, 8)
    assert in_flight[1] == 2
    names = "MATCH (a:Actor) WHERE a.id IN ['m8', 'm9'] RETURN collect(a.name)"
    assert sorted(scalar(runner, db, names)) == ["Membre huit", "Membre neuf"]
