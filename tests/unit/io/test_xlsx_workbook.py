"""The xlsx reader turns Excel's typed cells back into what the mapper meant."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from graphmap.errors import InvalidInput
from graphmap.io import workbook_files
from graphmap.io.xlsx_workbook import UNVALUED, cell_value, scan
from graphmap.services import imports


def _xlsx(error_cell: bool = False) -> bytes:
    """``error_cell``: the README holds ``#N/A``, so openpyxl reads the book."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Actors"
    ws.append(["ID", "Name ", "kind", "SIREN", "territory"])
    ws.append(["a1", "Danone  ", "COMPANY", 552032534.0, 69123.0])
    ws.append([None, None, None, None, None])
    ws.append(["a2", "Other", "association", None, "69123"])
    for _ in range(5):
        ws.append([None, "", None, None, None])
    al = wb.create_sheet("alliances")
    al.append(["id", "name", "since", "evaluated"])
    al.append(["al1", "Pact", datetime(2024, 3, 1), True])
    initiatives = wb.create_sheet("initiatives")  # two empty rows, an empty column
    initiatives["B3"], initiatives["C3"] = "id", "name"
    initiatives["B4"], initiatives["C4"] = "i1", "Lab"
    readme = wb.create_sheet("README")
    readme.append(["anything", "#N/A" if error_cell else "x"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_cells_are_normalised() -> None:
    assert cell_value(732829320.0) == 732829320
    assert cell_value(12.5) == 12.5
    assert cell_value(datetime(2024, 3, 1)) == date(2024, 3, 1)
    assert cell_value(datetime(2024, 3, 1, 10, 30)) == datetime(2024, 3, 1, 10, 30)
    assert cell_value(True) is True
    assert cell_value("  x ") == "x"
    # the export's defused formula starts, as the CSV reader reads them back
    assert cell_value("'+33 1 23") == "+33 1 23" and cell_value("'-réunion") == "-réunion"
    assert cell_value("'quoted'") == "'quoted'"


@pytest.mark.parametrize("error_cell", [False, True], ids=["calamine", "openpyxl"])
def test_xlsx_sheets_rows_lines_and_types(error_cell: bool) -> None:
    data = _xlsx(error_cell)
    assert scan(data).error_cells is error_cell
    raw = workbook_files.read_bytes(data, "book.xlsx")
    assert raw.errors == []
    assert set(raw.sheets) == {"actors", "alliances", "initiatives"}  # README skipped
    assert raw.lines["actors"] == [2, 4]  # empty rows skipped, trailing ones dropped
    assert raw.lines["initiatives"] == [4]  # Excel's row, though the sheet starts lower
    assert raw.sheets["initiatives"] == [{"id": "i1", "name": "Lab"}]
    assert raw.files["actors"] == "book.xlsx[Actors]"
    book = imports.validate(raw)
    a1 = book.rows["actors"][0]
    assert a1.props["siren"] == "552032534"  # not "552032534.0"
    assert a1.props["name"] == "Danone"
    assert a1.links["territories"] == ["69123"]
    assert book.rows["actors"][1].props["kind"] == "ASSOCIATION"
    al = book.rows["alliances"][0]
    assert al.props["since"] == date(2024, 3, 1) and al.props["evaluated"] is True


def test_an_error_cell_is_read_as_its_text_not_as_empty() -> None:
    """A territory left as #N/A by a failed VLOOKUP must not import as "no
    territory" (calamine would read it as an empty cell)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    ws.append(["id", "name", "kind", "territory"])
    ws.append(["a1", "Alpha", "ASSOCIATION", "#N/A"])
    buf = io.BytesIO()
    wb.save(buf)
    raw = workbook_files.read_bytes(buf.getvalue(), "book.xlsx")
    assert raw.sheets["actors"][0]["territory"] == "#N/A"


def test_damaged_xlsx_is_refused() -> None:
    raw = workbook_files.read_bytes(b"PK\x03\x04garbage", "book.xlsx")
    assert raw.errors and raw.errors[0].field == "file"


def test_a_formula_saved_without_its_value_is_refused_naming_the_cell() -> None:
    """A script (openpyxl here) writes formulas without computing them; both
    readers would take the cell as empty, i.e. an actor with no territory."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Actors"
    ws.append(["id", "name", "kind", "territory"])
    ws.append(["a1", "Alpha", "ASSOCIATION", '=VLOOKUP("Lyon",Codes!A:B,2,0)'])
    ws.append(["a2", "Beta", "ASSOCIATION", "69123"])
    ws["F9"] = "=1&2"  # past the header: named by its letter
    codes = wb.create_sheet("territories")
    codes.append(["code", "name", "level"])
    codes.append(["69123", "Lyon", '=UPPER("commune")'])
    buf = io.BytesIO()
    wb.save(buf)
    raw = workbook_files.read_bytes(buf.getvalue(), "book.xlsx")
    found = {(e.file, e.row, e.field, e.value) for e in raw.errors if e.message == UNVALUED}
    assert found == {
        ("book.xlsx[Actors]", 2, "territory", '=VLOOKUP("Lyon",Codes!A:B,2,0)'),
        ("book.xlsx[Actors]", 9, "column F", "=1&2"),
        ("book.xlsx[territories]", 2, "level", '=UPPER("commune")'),
    }
    with pytest.raises(InvalidInput) as refused:
        imports.validate(raw)
    assert "book.xlsx[Actors] row 2, territory: is a formula saved without" in str(refused.value)


def _rewritten(data: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    """The .xlsx ``data`` with each part's bytes passed through ``edit(name, bytes)``."""
    original = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in original.infolist():
            z.writestr(item, edit(item.filename, original.read(item.filename)))
    return out.getvalue()


def _one_cell_book(cell: str, recalc: bool) -> bytes:
    """An .xlsx whose actors sheet holds ``cell`` (its XML); ``recalc``: the
    workbook asks to be recalculated on opening, as xlsxwriter's do."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="2"><c r="A2"><v>1</v></c>{cell}</row></sheetData></worksheet>'
    ).encode()
    buf = io.BytesIO()
    wb = Workbook()
    wb.active.title = "actors"
    wb.save(buf)

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml" and not recalc:  # openpyxl asks for it always
            return data.replace(b'fullCalcOnLoad="1"', b"")
        return sheet if name == "xl/worksheets/sheet1.xml" else data

    book = _rewritten(buf.getvalue(), edit)
    assert (
        b"fullCalcOnLoad" in zipfile.ZipFile(io.BytesIO(book)).read("xl/workbook.xml")
    ) is recalc
    return book


@pytest.mark.parametrize(
    "cell, unvalued",
    [
        ('<c r="B2"><f>1+1</f><v /></c>', True),
        ('<c r="B2"><f>1+1</f></c>', True),
        ('<c r="B2" s="1"><f t="shared" si="0" /></c>', True),
        ('<c r="B2"><f>1+1</f><v></v></c>', True),
        ('<c r="B2"><f>1+1</f><v>2</v></c>', False),
        ('<c r="B2" t="str"><f>IF(A2="","",A2)</f><v></v></c>', False),  # the empty string
        ('<c r="B2" t="e"><f>NA()</f><v>#N/A</v></c>', False),
        ('<c r="B2" t="inlineStr"><is><t>f</t></is></c>', False),
    ],
)
@pytest.mark.parametrize("recalc", [False, True], ids=["computed", "recalc-on-load"])
def test_which_formula_cells_have_no_value(cell: str, unvalued: bool, recalc: bool) -> None:
    """Asked to recalculate on opening, the file's values were not computed:
    every formula is refused, whatever value it holds (xlsxwriter's 0)."""
    found = scan(_one_cell_book(cell, recalc)).unvalued
    expected = unvalued or (recalc and "<f" in cell)
    assert (found.get("actors", []) != []) is expected
    if expected:
        assert [(c.row, c.column) for c in found["actors"]] == [(2, 1)]


def test_merged_cells_in_the_data_are_refused_a_merged_title_is_not() -> None:
    """Mappers merge a territory over the rows of its actors: only the first
    row would get it, the others none, without a word."""
    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    ws.append(["Acteurs du territoire"])
    ws.merge_cells("A1:D1")  # a title above the header
    ws.append(["id", "name", "kind", "territory"])
    ws.append(["a1", "Alpha", "ASSOCIATION", "69123"])
    ws.append(["a2", "Beta", "ASSOCIATION", None])
    ws.append(["a3", "Gamma", "ASSOCIATION", "69123"])
    ws.merge_cells("D3:D4")
    buf = io.BytesIO()
    wb.save(buf)
    raw = workbook_files.read_bytes(buf.getvalue(), "book.xlsx")
    assert [(e.file, e.row, e.field, e.message.split(": only")[0]) for e in raw.errors] == [
        ("book.xlsx[actors]", 3, "territory", "is in merged cells (D3:D4)")
    ]


def test_a_stale_dimension_does_not_hide_rows_from_openpyxl() -> None:
    """openpyxl (read for error cells) trusts the sheet's <dimension>, which
    programs other than Excel may leave short of the data."""
    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    ws.append(["id", "name", "kind", "description"])
    for i in range(1, 6):
        ws.append([f"a{i}", "N", "ASSOCIATION", "#N/A" if i == 1 else "ok"])
    buf = io.BytesIO()
    wb.save(buf)

    def stale(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C3"', data)
        return data

    book = _rewritten(buf.getvalue(), stale)
    raw = workbook_files.read_bytes(book, "book.xlsx")
    assert scan(book).error_cells
    assert [r["id"] for r in raw.sheets["actors"]] == ["a1", "a2", "a3", "a4", "a5"]
    assert raw.sheets["actors"][1]["description"] == "ok"
