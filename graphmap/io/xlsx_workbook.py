"""XLSX workbooks: one sheet per formats.md sheet, read with openpyxl.

Excel types its cells: numbers come back as floats (a SIREN typed as a number
is ``732829320.0``), dates as ``datetime``. Those are normalised here so the
validation sees what the mapper meant: whole floats become integers, midnight
datetimes become dates. A sheet named ``README`` (the template's) is skipped.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from graphmap.io.csv_workbook import SheetData, fill

SKIPPED_SHEETS = {"readme", "lisez-moi", "lisezmoi"}


def cell_value(value: Any) -> Any:
    """One cell as the validation expects it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return value.strip()
    return value


def read_workbook(data: bytes | IO[bytes], file: str) -> list[SheetData]:
    """Every data sheet of an .xlsx file (bytes or a binary file object)."""
    from openpyxl import load_workbook

    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    wb = load_workbook(stream, read_only=True, data_only=True)
    try:
        sheets: list[SheetData] = []
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name in SKIPPED_SHEETS:
                continue
            sheet = SheetData(name=name, file=f"{file}[{ws.title}]")
            fill(sheet, _rows(ws.iter_rows(values_only=True)))
            sheets.append(sheet)
        return sheets
    finally:
        wb.close()


def _rows(rows: Iterator[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [cell_value(v) for v in row]


def write_workbook(
    out: IO[bytes] | str,
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]],
) -> None:
    """Write sheets ``(title, header, rows)`` to an .xlsx file (write-only
    mode: rows are streamed, not held by openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        cells = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        for row in rows:
            ws.append(list(row))
    wb.save(out)
