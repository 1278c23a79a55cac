"""The template is generated from the validation's own columns and enums."""

from __future__ import annotations

from pathlib import Path

from graphmap import domain
from graphmap.io import workbook_files
from graphmap.io.workbook_files import MEANINGS, readme_markdown, readme_rows, write_template
from graphmap.services.workbook import COLUMNS, SHEETS


def test_every_column_has_a_meaning_and_allowed_values() -> None:
    for sheet in SHEETS:
        assert set(MEANINGS[sheet]) == {c.name for c in COLUMNS[sheet]}, sheet
    rows = {(r[0], r[1]): r for r in readme_rows()}
    assert rows[("actors", "kind")][4] == "one of " + ", ".join(k.value for k in domain.ActorKind)
    assert rows[("actors", "id")][2] == "yes" and rows[("actors", "siren")][2] == "no"
    assert "ENVIRONMENT_ENERGY" in rows[("initiatives", "themes")][4]
    assert rows[("initiatives", "themes")][4].startswith("a list separated by ;")
    assert "01/03/2024" in rows[("alliances", "since")][4]


def test_csv_template_is_an_empty_importable_workbook(tmp_path: Path) -> None:
    written = write_template(tmp_path / "tpl")
    assert {p.name for p in written} == {f"{s}.csv" for s in SHEETS} | {"README.md"}
    header = (tmp_path / "tpl" / "actors.csv").read_text("utf-8-sig").strip()
    assert header == ",".join(c.name for c in COLUMNS["actors"])
    assert "| kind | yes |" in (tmp_path / "tpl" / "README.md").read_text("utf-8")
    raw = workbook_files.read_path(tmp_path / "tpl")
    assert raw.errors == [] and raw.rows == 0 and set(raw.sheets) == set(SHEETS)


def test_xlsx_template_has_a_readme_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    write_template(tmp_path / "tpl.xlsx")
    wb = load_workbook(tmp_path / "tpl.xlsx")
    assert wb.sheetnames == ["README", *SHEETS]
    assert [c.value for c in wb["memberships"][1]] == [c.name for c in COLUMNS["memberships"]]
    cells = [r for r in wb["README"].iter_rows(values_only=True)]
    assert ("memberships", "role") in {(r[0], r[1]) for r in cells}
    raw = workbook_files.read_path(tmp_path / "tpl.xlsx")
    assert raw.errors == [] and set(raw.sheets) == set(SHEETS)


def test_markdown_readme_lists_every_sheet() -> None:
    text = readme_markdown()
    for sheet in SHEETS:
        assert f"## {sheet}.csv" in text
