"""Imports on a real Neo4j: all or nothing, every bad row reported,
idempotent (no new history on re-import), updates, references to ids
already in the database; each test both in one transaction and staged
(several transactions, as for workbooks over ``writer.STAGE_ABOVE`` rows),
plus what only staging has: undo when the graph changes mid-import, the lock,
recovery of an abandoned import."""

from __future__ import annotations

import asyncio
import io
import threading
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graphmap.errors import InvalidInput
from graphmap.io import workbook_files
from graphmap.services import edits, imports, workbook, writer
from tests.integration.services.workbooks import (
    ACTORS,
    ALLIANCES,
    INITIATIVES,
    MEMBERSHIPS,
    TERRITORIES,
    count_nodes,
    history_entries,
    run_import,
    scalar,
    write_book,
)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True, params=["one transaction", "staged"])
def staging(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Staged: every workbook is staged, two rows per transaction."""
    staged = request.param == "staged"
    if staged:
        monkeypatch.setattr(writer, "STAGE_ABOVE", 0)
        monkeypatch.setattr(writer, "STAGE_TX_ROWS", 2)
    return staged


def test_import_creates_everything(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    s = run_import(runner, db, write_book(tmp_path / "b"))
    assert s.created == {
        "territories": 3,
        "actors": 3,
        "initiatives": 1,
        "alliances": 1,
        "memberships": 4,
    }
    assert sum(s.unchanged.values()) == 0 and s.rows == 12
    assert history_entries(runner, db) == 12
    assert (
        scalar(runner, db, "MATCH (:Actor {id:'a2'})-[r:MEMBER_OF]->() RETURN r.role") == "PARTNER"
    )
    assert scalar(runner, db, "MATCH (:Territory {id:'69'})-[:PART_OF]->(p) RETURN p.id") == "R84"


def test_membership_dates_are_stored_as_dates(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    ties = "actor;target;since;until\na1;al1;01/03/2021;2023\na2;i1;;\n"
    run_import(runner, db, write_book(tmp_path / "b", memberships=ties))
    dated = "MATCH (:Actor {id:'a1'})-[r:MEMBER_OF]->() RETURN [r.since, r.until]"
    assert [d.to_native() for d in scalar(runner, db, dated)] == [
        date(2021, 3, 1),
        date(2023, 12, 31),
    ]
    undated = "MATCH (:Actor {id:'a2'})-[r]->(:Initiative) RETURN keys(r)"
    assert not {"since", "until"} & set(scalar(runner, db, undated))


def test_membership_extra_columns_are_kept(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    ties = "actor;target;role;Note interne\na1;al1;LEAD;à suivre\na2;i1;;\n"
    run_import(runner, db, write_book(tmp_path / "b", memberships=ties))
    noted = "MATCH (:Actor {id:'a1'})-[r:MEMBER_OF]->() RETURN [r.role, r.extra_note_interne]"
    assert scalar(runner, db, noted) == ["LEAD", "à suivre"]
    plain = "MATCH (:Actor {id:'a2'})-[r]->(:Initiative) RETURN r.role + ':' + coalesce(r.extra_note_interne, '-')"
    assert scalar(runner, db, plain) == "PARTNER:-"


def test_all_or_nothing_reports_every_bad_row(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    bad_actors = ACTORS + "a4;Delta;PIRATE;69123;123\n;NoId;COMPANY;;\n"
    bad_members = MEMBERSHIPS + "a1;nowhere;LEAD\n"
    with pytest.raises(InvalidInput) as exc:
        run_import(
            runner,
            db,
            write_book(
                tmp_path / "b", actors=bad_actors, memberships=bad_members + "a4;al1;LEAD\n"
            ),
        )
    errors = [(e.file, e.row, e.field, e.value) for e in exc.value.errors]
    assert set(errors) == {
        ("actors.csv", 5, "kind", "PIRATE"),
        ("actors.csv", 5, "siren", "123"),
        ("actors.csv", 6, "id", None),
        # the rows that passed are checked too: one report for every bad row;
        # a4's bad row is reported, not again the membership pointing to it
        ("memberships.csv", 6, "target", "nowhere"),
    }
    for e in exc.value.errors:
        assert e.message and e.file and e.row
    assert history_entries(runner, db) == 0
    assert count_nodes(runner, db) == 0
    # the validation passes but a reference does not hold: still nothing written
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "c", memberships=bad_members))
    assert [(e.file, e.row, e.field, e.value) for e in exc.value.errors] == [
        ("memberships.csv", 6, "target", "nowhere")
    ]
    assert count_nodes(runner, db) == 0


def test_territories_actors_initiatives_and_alliances_share_one_id_space(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """Exports, the map and the analysis key nodes by id alone: an actor
    69123 beside Lyon's code would merge the two."""
    actors = ACTORS + "69123;Lyon Asso;ASSOCIATION;69123;\n"
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "b", actors=actors))
    [e] = exc.value.errors
    assert (e.file, e.row, e.field, e.value) == ("actors.csv", 5, "id", "69123")
    assert e.message.startswith("is also the id of territories.csv row 4: territories, actors")
    # against the database, both ways
    run_import(runner, db, write_book(tmp_path / "c"))
    with pytest.raises(InvalidInput) as exc:
        only = {"territories": None, "initiatives": None, "alliances": None, "memberships": None}
        run_import(
            runner, db, write_book(tmp_path / "d", actors="id;name;kind\n69;R;STATE_BODY\n", **only)
        )
    assert [(e.field, e.value, e.message.split(":")[0]) for e in exc.value.errors] == [
        ("id", "69", "is also the id of a territory")
    ]
    area = "code;name;level\nal1;Aire;AREA\n"
    with pytest.raises(InvalidInput) as exc:
        only = {"actors": None, "initiatives": None, "alliances": None, "memberships": None}
        run_import(runner, db, write_book(tmp_path / "e", territories=area, **only))
    assert [(e.field, e.value, e.message.split(":")[0]) for e in exc.value.errors] == [
        ("code", "al1", "is also the id of an Alliance")
    ]
    assert count_nodes(runner, db) == 3 + 3 + 1 + 1


def test_an_id_another_write_creates_meanwhile_is_a_clear_refusal(
    db: Any, runner: asyncio.Runner, tmp_path: Path, staging: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports creating the same new id at once: the one that loses meets
    Neo4j's uniqueness constraint; it is told the graph changed, nothing
    written, instead of getting Neo4j's raw refusal (or, through GraphQL,
    an "Internal error")."""
    if staging:
        pytest.skip("the staged path has its own test (test_staged_imports)")
    checked = writer._check

    async def check_then_race(*args: Any, **kw: Any) -> Any:
        known = await checked(*args, **kw)
        await db.fetch_write(
            "actors.create_many",
            ids=["a1"],
            props=[{"name": "Other", "kind": "COMPANY", "world": "ECONOMIC"}],
            sources=[None],
            territories=[[]],
            now=None,
            by="race",
            **{"import": None},
        )
        return known

    monkeypatch.setattr(writer, "_check", check_then_race)
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "b"))
    [e] = exc.value.errors
    assert (e.field, e.file) == ("file", "b")
    assert e.message.startswith("was not imported: the graph changed during the import")
    assert e.message.endswith("nothing was written: import it again")
    assert count_nodes(runner, db) == 1  # the other write's actor only


def test_reference_problems_name_the_file_and_sheet_they_are_in(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """In an .xlsx, a reference problem names the workbook and its sheet, as
    a bad cell does, not a CSV file that does not exist."""
    from graphmap.io.xlsx_workbook import write_workbook

    def sheet(title: str, text: str) -> tuple[str, list[str], list[list[str]]]:
        header, *rows = [line.split(";") for line in text.strip().split("\n")]
        return title, header, rows

    path = tmp_path / "carto.xlsx"
    write_workbook(
        str(path),
        [
            sheet("Territories", TERRITORIES.replace("DEPARTEMENT;84", "DEPARTEMENT;99")),
            sheet("Actors", ACTORS + "a4;Delta;COMPANY;99999;\n"),
            sheet("Initiatives", INITIATIVES),
            sheet("Alliances", ALLIANCES),
            sheet("Memberships", MEMBERSHIPS + "a2;nowhere;\n"),
        ],
    )
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, path)
    assert {(e.file, e.row, e.field, e.value) for e in exc.value.errors} == {
        ("carto.xlsx[Territories]", 3, "parent", "R99"),  # a département under a region
        ("carto.xlsx[Actors]", 5, "territory", "99999"),
        ("carto.xlsx[Memberships]", 6, "target", "nowhere"),
    }
    assert count_nodes(runner, db) == 0


def test_progress_counts_each_row_once(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    """The CLI's bar runs to the number of rows: territories' parent links,
    written by a step of their own, were counted again (17 rows shown as 20)."""
    seen: list[int] = []
    s = run_import(runner, db, write_book(tmp_path / "b"), progress=lambda sheet, n: seen.append(n))
    assert sum(seen) == s.rows == 12


def test_a_bad_membership_cell_and_every_reference_are_reported_together(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    # staged, memberships are validated in a thread while the nodes are written
    actors = ACTORS + "a4;Delta;COMPANY;99999;\n"
    members = MEMBERSHIPS + "a1;i1;KING\na2;nowhere;\na4;al1;\n"
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "b", actors=actors, memberships=members))
    assert {(e.file, e.row, e.field, e.value) for e in exc.value.errors} == {
        ("actors.csv", 5, "territory", "99999"),
        ("memberships.csv", 6, "role", "KING"),
        ("memberships.csv", 7, "target", "nowhere"),
    }
    assert count_nodes(runner, db) == 0
    assert history_entries(runner, db) == 0
    # the nodes are fine: the memberships fail after the nodes were created
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, write_book(tmp_path / "c", memberships=members))
    assert {(e.row, e.field, e.value) for e in exc.value.errors} == {
        (6, "role", "KING"),
        (7, "target", "nowhere"),
        (8, "actor", "a4"),
    }
    assert count_nodes(runner, db) == 0


def test_reimport_is_a_no_op(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    folder = write_book(tmp_path / "b")
    first = run_import(runner, db, folder)
    changes = history_entries(runner, db)
    stamp = scalar(runner, db, "MATCH (a:Actor {id:'a1'}) RETURN a.updatedAt")
    again = run_import(runner, db, folder)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert again.unchanged == first.created
    assert history_entries(runner, db) == changes  # zero new Change nodes
    assert scalar(runner, db, "MATCH (a:Actor {id:'a1'}) RETURN a.updatedAt") == stamp
    assert again.revision == first.revision


def test_changed_rows_update_and_only_they(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    run_import(runner, db, write_book(tmp_path / "b"))
    before = history_entries(runner, db)
    actors = ACTORS.replace("a1;Alpha;ASSOCIATION;69123;", "a1;Alpha bis;ASSOCIATION;69;")
    members = MEMBERSHIPS.replace("a2;i1;FUNDER", "a2;i1;PARTNER")
    s = run_import(runner, db, write_book(tmp_path / "c", actors=actors, memberships=members))
    assert s.updated["actors"] == 1 and s.unchanged["actors"] == 2
    assert s.updated["memberships"] == 1 and s.unchanged["memberships"] == 3
    assert history_entries(runner, db) == before + 2
    assert scalar(runner, db, "MATCH (a:Actor {id:'a1'})-[:LOCATED_IN]->(t) RETURN t.id") == "69"


def test_a_column_the_sheet_lacks_keeps_the_stored_value(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """An empty cell clears a value ("not known"); a column the sheet does
    not have leaves it as it is: a sheet of names alone does not erase the
    SIRENs, territories or roles entered elsewhere (by the API, another sheet)."""
    run_import(runner, db, write_book(tmp_path / "b"))
    alone = dict.fromkeys(("territories", "initiatives", "alliances"))  # no such files
    names = write_book(
        tmp_path / "names",
        actors="id;name;kind\na2;Beta SAS;COMPANY\na4;Delta;FUNDER\n",
        memberships="actor;target\na1;al1\na4;al1\n",
        **alone,
    )
    s = run_import(runner, db, names)
    assert (s.updated["actors"], s.created["actors"]) == (1, 1)
    assert (s.unchanged["memberships"], s.created["memberships"]) == (1, 1)
    a2 = "MATCH (a:Actor {id: 'a2'}) RETURN [a.siren, [(a)-[:LOCATED_IN]->(t) | t.id]]"
    assert scalar(runner, db, a2) == ["552032534", ["69123"]]
    roles = "MATCH (a:Actor)-[r:MEMBER_OF]->() WHERE a.id IN ['a1', 'a4'] RETURN collect([a.id, r.role])"
    assert sorted(scalar(runner, db, roles)) == [["a1", "LEAD"], ["a4", "PARTNER"]]
    (names / "actors.csv").write_text("id;name;kind;siren;territory\na2;Beta SAS;COMPANY;;\n")
    assert run_import(runner, db, names).updated["actors"] == 1
    assert scalar(runner, db, a2) == [None, []]


def test_a_reference_to_a_deleted_node_says_how_to_restore_it(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    run_import(runner, db, write_book(tmp_path / "b"))
    for sheet, key in (("actors", "a3"), ("alliances", "al1"), ("territories", "69123")):
        runner.run(edits.delete(db, sheet, key, by="mapper"))  # type: ignore[arg-type]
    later = write_book(
        tmp_path / "later",
        actors="id;name;kind;territory\na9;Nine;FUNDER;69123\n",
        memberships="actor;target\na3;i1\na1;al1\na1;nowhere\n",
        **dict.fromkeys(("territories", "initiatives", "alliances")),
    )
    with pytest.raises(InvalidInput) as exc:
        run_import(runner, db, later)
    assert sorted((e.field, e.value, e.message) for e in exc.value.errors) == [
        ("actor", "a3", "is the id of a deleted actor: its row in the actors sheet restores it"),
        (
            "target",
            "al1",
            "is the id of a deleted alliance: its row in the alliances sheet restores it",
        ),
        ("target", "nowhere", "is not a known alliance or initiative id"),
        (
            "territory",
            "69123",
            "is the code of a deleted territory: its row in the territories sheet restores it",
        ),
    ]


def test_references_to_ids_already_in_the_database(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    run_import(runner, db, write_book(tmp_path / "b"))
    later = tmp_path / "later"
    later.mkdir()
    (later / "actors.csv").write_text("id,name,kind,territory\na9,Nine,FUNDER,69123\n")
    (later / "memberships.csv").write_text("actor,target,role\na9,al1,FUNDER\na1,i1,\n")
    s = run_import(runner, db, later)
    assert s.created["actors"] == 1 and s.created["memberships"] == 2


def test_dry_run_writes_nothing(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    s = run_import(runner, db, write_book(tmp_path / "b"), dry_run=True)
    assert s.dry_run and s.created["actors"] == 3 and s.revision == 0
    assert count_nodes(runner, db) == 0 and history_entries(runner, db) == 0


def test_dry_run_of_changes_reports_what_the_import_does(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """Staged, each part is rehearsed in a transaction rolled back."""
    revision = run_import(runner, db, write_book(tmp_path / "first")).revision
    before = runner.run(db.fetch("admin.dump"))
    changed = write_book(
        tmp_path / "second",
        actors="id;name;kind;territory;siren\n"
        "a1;Alpha bis;ASSOCIATION;69;\na2;Beta SA;COMPANY;69123;552032534\n",
        memberships="actor;target;role\na1;al1;FUNDER\na2;al1;\na3;al1;\n",
    )
    rehearsed = run_import(runner, db, changed, dry_run=True)
    assert rehearsed.revision == revision  # the revision the graph keeps
    assert runner.run(db.fetch("admin.dump")) == before
    assert history_entries(runner, db) == 12  # the first import's rows
    done = run_import(runner, db, changed)
    assert rehearsed.dry_run and not done.dry_run
    for counts in ("created", "updated", "unchanged"):
        assert getattr(rehearsed, counts) == getattr(done, counts), counts
    assert (done.updated["actors"], done.unchanged["actors"]) == (1, 1)
    assert (done.created["memberships"], done.updated["memberships"]) == (1, 1)


def test_an_upload_is_read_and_checked_off_the_event_loop(
    db: Any, runner: asyncio.Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's event loop keeps answering (the map, other mappers)
    while an uploaded workbook is read and validated: both run in threads."""
    on_loop: dict[str, bool] = {}

    def watched(module: Any, name: str) -> None:
        real = getattr(module, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            on_loop[name] = on_loop.get(name, False) or threading.current_thread() is (
                threading.main_thread()
            )
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    watched(workbook_files, "read_bytes")
    watched(workbook, "validate")
    folder = write_book(tmp_path / "b")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for csv_file in folder.iterdir():
            archive.write(csv_file, csv_file.name)
    s = runner.run(imports.import_bytes(db, data.getvalue(), "book.zip", by="test"))
    assert s.created["actors"] == 3
    assert on_loop == {"read_bytes": False, "validate": False}


def test_cp1252_file_is_imported_and_noted(db: Any, runner: asyncio.Runner, tmp_path: Path) -> None:
    folder = write_book(
        tmp_path / "b", actors=None, initiatives=None, alliances=None, memberships=None
    )
    (folder / "territories.csv").write_bytes(TERRITORIES.encode("cp1252"))
    s = run_import(runner, db, folder)
    assert s.notes == ["territories.csv was read as Windows-1252"]
    assert (
        scalar(runner, db, "MATCH (t:Territory {id:'R84'}) RETURN t.name") == "Auvergne-Rhône-Alpes"
    )


def test_codes_a_spreadsheet_stored_as_numbers_get_their_zero_back(
    db: Any, runner: asyncio.Runner, tmp_path: Path
) -> None:
    """Excel turns 01053 into 1053 and 01 into 1: no INSEE code has that
    shape, so the zero is put back, in the book and in references to the
    database."""
    from openpyxl import Workbook

    xlsx = tmp_path / "ain.xlsx"
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in {
        "territories": [
            ("code", "name", "level", "parent"),
            (84, "Auvergne-Rhône-Alpes", "REGION", None),
            (1, "Ain", "DEPARTEMENT", 84),
            (1053, "Bourg-en-Bresse", "COMMUNE", 1),
        ],
        "actors": [("id", "name", "kind", "territory"), ("b1", "Bresse Asso", "ASSOCIATION", 1053)],
    }.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(xlsx)
    s = run_import(runner, db, xlsx)
    assert s.created["territories"] == 3 and s.created["actors"] == 1
    query = "MATCH (:Actor {id:'b1'})-[:LOCATED_IN]->(c)-[:PART_OF]->(d) RETURN [c.id, d.id]"
    assert scalar(runner, db, query) == ["01053", "01"]
    assert scalar(runner, db, "MATCH (:Territory {id:'01'})-[:PART_OF]->(r) RETURN r.id") == "R84"
    later = tmp_path / "later"
    later.mkdir()
    (later / "actors.csv").write_text("id,name,kind,territory\nb2,Bresse Coop,COMPANY,1053;1\n")
    assert run_import(runner, db, later).created["actors"] == 1
    query = "MATCH (:Actor {id:'b2'})-[:LOCATED_IN]->(c) WITH c ORDER BY c.id RETURN collect(c.id)"
    assert scalar(runner, db, query) == ["01", "01053"]
