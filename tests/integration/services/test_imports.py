"""Imports on a real Neo4j: all or nothing, every bad row reported,
idempotent (no new Change nodes on re-import), updates, references to ids
already in the database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from graphmap.errors import InvalidInput
from graphmap.services import imports

pytestmark = pytest.mark.integration

TERRITORIES = """code;name;level;parent
R84;Auvergne-Rhône-Alpes;REGION;
69;Rhône;DEPARTEMENT;84
69123;Lyon;COMMUNE;69
"""
ACTORS = """id;name;kind;territory;siren
a1;Alpha;ASSOCIATION;69123;
a2;Beta SA;COMPANY;69123;552032534
a3;Gamma;NETWORK;69;
"""
INITIATIVES = "id;name;stage;started_on\ni1;Lab;EMERGENCE;01/03/2024\n"
ALLIANCES = "id;name;type;carries;since\nal1;Pacte;SOCIETAL_INNOVATION;i1;2023\n"
MEMBERSHIPS = """actor;target;role
a1;al1;LEAD
a2;al1;
a2;i1;FUNDER
a3;i1;
"""


def _book(folder: Path, **sheets: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    defaults = {
        "territories": TERRITORIES,
        "actors": ACTORS,
        "initiatives": INITIATIVES,
        "alliances": ALLIANCES,
        "memberships": MEMBERSHIPS,
    }
    defaults.update(sheets)
    for name, text in defaults.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def _import(runner: asyncio.Runner, db: Any, path: Path, **kw: Any) -> imports.ImportSummary:
    return runner.run(imports.import_path(db, path, by="test", **kw))


def _count(runner: asyncio.Runner, db: Any, what: str) -> int:
    r = runner.run(db.fetch("graph.counts"))[0]
    assert what == "nodes"
    return int(r["actors"] + r["initiatives"] + r["alliances"] + r["territories"])


async def _changes(db: Any) -> int:
    async def work(tx: Any) -> int:
        result = await tx.run("MATCH (c:Change) RETURN count(c) AS n")
        return int((await result.single())["n"])

    return int(await db.read(work))


async def _prop(db: Any, query: str) -> Any:
    async def work(tx: Any) -> Any:
        result = await tx.run(query)
        return (await result.single())[0]

    return await db.read(work)


def test_import_creates_everything(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    s = _import(runner, db, _book(tmp_path / "b"))
    assert s.created == {
        "territories": 3,
        "actors": 3,
        "initiatives": 1,
        "alliances": 1,
        "memberships": 4,
    }
    assert sum(s.unchanged.values()) == 0 and s.rows == 12
    assert runner.run(_changes(db)) == 12
    assert (
        runner.run(_prop(db, "MATCH (:Actor {id:'a2'})-[r:MEMBER_OF]->() RETURN r.role"))
        == "PARTNER"
    )
    assert (
        runner.run(_prop(db, "MATCH (:Territory {id:'69'})-[:PART_OF]->(p) RETURN p.id")) == "R84"
    )


def test_all_or_nothing_reports_every_bad_row(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    bad_actors = ACTORS + "a4;Delta;PIRATE;69123;123\n;NoId;COMPANY;;\n"
    bad_members = MEMBERSHIPS + "a1;nowhere;LEAD\n"
    with pytest.raises(InvalidInput) as exc:
        _import(runner, db, _book(tmp_path / "b", actors=bad_actors, memberships=bad_members))
    errors = {(e.file, e.row, e.field, e.value) for e in exc.value.errors}
    assert ("actors.csv", 5, "kind", "PIRATE") in errors
    assert ("actors.csv", 5, "siren", "123") in errors
    assert ("actors.csv", 6, "id", None) in errors
    for e in exc.value.errors:
        assert e.message and e.file and e.row
    assert runner.run(_changes(db)) == 0
    assert _count(runner, db, "nodes") == 0
    # the validation passes but a reference does not hold: still nothing written
    with pytest.raises(InvalidInput) as exc:
        _import(runner, db, _book(tmp_path / "c", memberships=bad_members))
    assert [(e.file, e.row, e.field, e.value) for e in exc.value.errors] == [
        ("memberships.csv", 6, "target", "nowhere")
    ]
    assert _count(runner, db, "nodes") == 0


def test_reimport_is_a_no_op(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    folder = _book(tmp_path / "b")
    first = _import(runner, db, folder)
    changes = runner.run(_changes(db))
    stamp = runner.run(_prop(db, "MATCH (a:Actor {id:'a1'}) RETURN a.updatedAt"))
    again = _import(runner, db, folder)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert again.unchanged == first.created
    assert runner.run(_changes(db)) == changes  # zero new Change nodes
    assert runner.run(_prop(db, "MATCH (a:Actor {id:'a1'}) RETURN a.updatedAt")) == stamp
    assert again.revision == first.revision


def test_changed_rows_update_and_only_they(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    _import(runner, db, _book(tmp_path / "b"))
    before = runner.run(_changes(db))
    actors = ACTORS.replace("a1;Alpha;ASSOCIATION;69123;", "a1;Alpha bis;ASSOCIATION;69;")
    members = MEMBERSHIPS.replace("a2;i1;FUNDER", "a2;i1;PARTNER")
    s = _import(runner, db, _book(tmp_path / "c", actors=actors, memberships=members))
    assert s.updated["actors"] == 1 and s.unchanged["actors"] == 2
    assert s.updated["memberships"] == 1 and s.unchanged["memberships"] == 3
    assert runner.run(_changes(db)) == before + 2
    assert runner.run(_prop(db, "MATCH (a:Actor {id:'a1'})-[:LOCATED_IN]->(t) RETURN t.id")) == "69"


def test_references_to_ids_already_in_the_database(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    _import(runner, db, _book(tmp_path / "b"))
    later = tmp_path / "later"
    later.mkdir()
    (later / "actors.csv").write_text("id,name,kind,territory\na9,Nine,FUNDER,69123\n")
    (later / "memberships.csv").write_text("actor,target,role\na9,al1,FUNDER\na1,i1,\n")
    s = _import(runner, db, later)
    assert s.created["actors"] == 1 and s.created["memberships"] == 2


def test_dry_run_writes_nothing(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    s = _import(runner, db, _book(tmp_path / "b"), dry_run=True)
    assert s.dry_run and s.created["actors"] == 3
    assert _count(runner, db, "nodes") == 0 and runner.run(_changes(db)) == 0


def test_cp1252_file_is_imported_and_noted(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    folder = _book(tmp_path / "b", actors=None, initiatives=None, alliances=None, memberships=None)
    (folder / "territories.csv").write_bytes(TERRITORIES.encode("cp1252"))
    s = _import(runner, db, folder)
    assert s.notes == ["territories.csv was read as Windows-1252"]
    assert (
        runner.run(_prop(db, "MATCH (t:Territory {id:'R84'}) RETURN t.name"))
        == "Auvergne-Rhône-Alpes"
    )
