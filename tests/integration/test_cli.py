"""The command line on the real Neo4j: ``graphmap import`` and ``graphmap
export`` as a mapper and an analyst run them (``NEO4J_URI`` points the CLI at
the test server, as it would at a production one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from graphmap import cli
from tests.integration.services.workbooks import ACTORS, write_book

pytestmark = pytest.mark.integration


@pytest.fixture
def run(neo4j_uri: str, db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)

    return invoke


def test_import_then_export_graphml(run: Any, tmp_path: Path) -> None:
    done = run("import", str(write_book(tmp_path / "book")))
    assert done.exit_code == 0, done.output
    assert "Imported book: 12 rows" in done.output
    assert "actors              3 created" in done.output
    again = run("import", str(tmp_path / "book"))
    assert "0 created        0 updated        3 unchanged" in again.output

    target = tmp_path / "out" / "graph.graphml"
    target.parent.mkdir()
    done = run("export", "--format", "graphml", "-o", str(target))
    assert done.exit_code == 0, done.output
    assert "exporting" in done.output  # the progress bar (stderr is mixed in)
    graph = nx.read_graphml(target)
    assert {"a1", "a2", "a3", "69123"} <= set(graph.nodes)
    assert [p.name for p in target.parent.iterdir()] == ["graph.graphml"]


def test_a_read_note_is_shown_once(run: Any, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book")
    (book / "actors.csv").write_bytes(ACTORS.replace("Beta SA", "Bêta SA").encode("cp1252"))
    done = run("import", str(book))
    assert done.exit_code == 0, done.output
    assert done.output.count("actors.csv was read as Windows-1252") == 1


def test_a_bad_workbook_is_reported_and_nothing_written(run: Any, tmp_path: Path) -> None:
    book = write_book(tmp_path / "bad", actors=ACTORS + "a4;Delta;PIRATE;69123;\n")
    done = run("import", str(book))
    assert done.exit_code == 1
    assert "Nothing was imported: 1 problem(s)." in done.output
    assert "actors.csv row 5, kind: is not one of" in done.output
    target = tmp_path / "graph.gexf"
    done = run("export", "--format", "gexf", "--territory", "nowhere", "-o", str(target))
    assert done.exit_code != 0
    assert "nowhere" in done.output
    assert list(tmp_path.glob("graph.gexf*")) == []  # no half-written file left


def test_export_paths_that_cannot_be_written_are_refused_and_nothing_is_clobbered(
    run: Any, tmp_path: Path
) -> None:
    """A workbook exported as a folder went through NAME.zip, deleting a
    file the user owned by that name; bad paths gave tracebacks."""
    assert run("import", str(write_book(tmp_path / "book"))).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.zip").write_text("precious")
    done = run("export", "--format", "workbook", "-o", str(out / "keep"))
    assert done.exit_code == 0, done.output
    assert (out / "keep.zip").read_text() == "precious"
    assert sorted(p.name for p in (out / "keep").iterdir()) == [
        "actors.csv",
        "alliances.csv",
        "initiatives.csv",
        "memberships.csv",
        "territories.csv",
    ]
    (out / "afile").write_text("x")
    for args, says in [
        (["--format", "json", "-o", str(out)], "is a folder: name a file"),
        (["-o", str(tmp_path / "nowhere" / "x.json")], "is not a folder"),
        (["--format", "workbook", "-o", str(out / "keep")], "is a folder that is not empty"),
        (["--format", "workbook", "-o", str(out / "afile")], "is a file"),
        (["--format", "workbook", "--projection", "actors"], "the workbook holds the full graph"),
    ]:
        done = run("export", *args)
        assert done.exit_code == 2 and says in done.output, (args, done.output)
    assert sorted(p.name for p in out.iterdir()) == ["afile", "keep", "keep.zip"]


def test_an_interrupted_import_says_it_wrote_nothing(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during an import: the writer undoes it; the command says so
    (it printed only "Aborted!")."""
    import os
    import signal

    from graphmap import cli
    from graphmap.services import writer

    monkeypatch.setattr(writer, "STAGE_ABOVE", 0)
    monkeypatch.setattr(writer, "STAGE_TX_ROWS", 2)
    counted = cli._Bar.__call__
    seen: list[str] = []

    def interrupt(self: Any, what: str, n: int) -> None:  # after a part was committed
        seen.append(what)
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(cli._Bar, "__call__", interrupt)
    done = run("import", str(write_book(tmp_path / "book")))
    assert done.exit_code == 130 and "Interrupted: nothing was imported" in done.output
    assert seen  # something had been written
    monkeypatch.setattr(cli._Bar, "__call__", counted)
    listed = run("export", "--format", "json", "-o", str(tmp_path / "g.json"))
    graph = json.loads((tmp_path / "g.json").read_text())
    assert listed.exit_code == 0 and graph["nodes"] == graph["edges"] == []  # undone


def test_template_does_not_overwrite_a_workbook_being_filled_in(run: Any, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book")
    done = run("template", str(book))
    assert done.exit_code == 1 and "already exist(s): nothing written" in done.output
    assert (book / "actors.csv").read_text(encoding="utf-8") == ACTORS
    done = run("template", str(book), "--force")
    assert done.exit_code == 0 and (book / "README.md").exists()
    assert (book / "actors.csv").read_text(encoding="utf-8-sig").count("\n") == 1
