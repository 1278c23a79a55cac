"""The xlsx reader turns Excel's typed cells back into what the mapper meant."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook

from graphmap.io import workbook_files
from graphmap.io.xlsx_workbook import cell_value
from graphmap.services import imports


def _xlsx() -> bytes:
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
    readme = wb.create_sheet("README")
    readme.append(["anything"])
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


def test_xlsx_sheets_rows_lines_and_types() -> None:
    raw = workbook_files.read_bytes(_xlsx(), "book.xlsx")
    assert raw.errors == []
    assert set(raw.sheets) == {"actors", "alliances"}  # README skipped
    assert raw.lines["actors"] == [2, 4]  # empty rows skipped, trailing ones dropped
    assert raw.files["actors"] == "book.xlsx[Actors]"
    book = imports.validate(raw)
    a1 = book.rows["actors"][0]
    assert a1.props["siren"] == "552032534"  # not "552032534.0"
    assert a1.props["name"] == "Danone"
    assert a1.links["territories"] == ["69123"]
    assert book.rows["actors"][1].props["kind"] == "ASSOCIATION"
    al = book.rows["alliances"][0]
    assert al.props["since"] == date(2024, 3, 1) and al.props["evaluated"] is True


def test_damaged_xlsx_is_refused() -> None:
    raw = workbook_files.read_bytes(b"PK\x03\x04garbage", "book.xlsx")
    assert raw.errors and raw.errors[0].field == "file"
