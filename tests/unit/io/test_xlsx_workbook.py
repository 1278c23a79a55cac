"""The xlsx reader turns Excel's typed cells back into what the mapper meant."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from graphmap.io import workbook_files
from graphmap.io.xlsx_workbook import cell_value, has_error_cells
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


@pytest.mark.parametrize("error_cell", [False, True], ids=["calamine", "openpyxl"])
def test_xlsx_sheets_rows_lines_and_types(error_cell: bool) -> None:
    data = _xlsx(error_cell)
    assert has_error_cells(data) is error_cell
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
