"""XLSX workbooks: one sheet per formats.md sheet, read with calamine (Rust),
or openpyxl when the workbook holds error cells.

Excel types its cells: numbers come back as floats (a SIREN typed as a number
is ``732829320.0``), dates as ``datetime``. Those are normalised here so the
validation sees what the mapper meant: whole floats become integers, midnight
datetimes become dates. A sheet named ``README`` (the template's) is skipped.

calamine reads the bench's 407k-row workbook in 2.0 s, openpyxl's read-only
mode in 27.3 s (more than the whole import of the same rows as CSV). But
calamine reads an error cell (``#N/A`` left by a failed VLOOKUP) as an empty
one (python-calamine issue #105), which would import a missing value without
a word; openpyxl reads it as its text, which the validation then refuses or
keeps visibly. So a workbook whose sheets hold an error cell (``t="e"`` in its
XML) is read with openpyxl.

Neither library can read a formula saved without its computed value (a file
written by a script, e.g. openpyxl's ``<f>…</f><v />``: nothing calculated
it). Both read it as empty, so the cell would import as a missing value; and
xlsxwriter (pandas' ``to_excel``) stores 0 as every formula's value, asking
for a recalculation on opening (``fullCalcOnLoad``). The same scan of the
worksheet XML finds those cells, and the book is refused, naming each one;
and merged cells below the header, whose value only the first cell holds.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from graphmap.errors import FieldError
from graphmap.io.csv_workbook import SheetData, fill, unneutralise

SKIPPED_SHEETS = {"readme", "lisez-moi", "lisezmoi"}
# a cell's type attribute, as Excel and LibreOffice write it (nothing else in a
# worksheet's XML has a t attribute of "e")
_ERROR_CELL = (b' t="e"', b" t='e'")
# A formula cell with no value after its formula: no <v>, or an empty one.
# An empty <v> in a cell typed t="str" is a formula whose result is the empty
# string (Excel and LibreOffice write it so): that one has its value.
_UNVALUED = re.compile(
    rb"<c\b([^>]*)>\s*<f\b(?:[^>]*/>|[^>]*>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_FORMULA = re.compile(rb"<c\b([^>]*)>\s*<f\b(?:[^>]*/>|[^>]*>([^<]*)</f>)")
# A workbook asking to be recalculated when opened (xlsxwriter, which pandas
# uses, sets it and stores 0 as every formula's value): no value is computed.
_RECALC = re.compile(rb"""<calcPr\b[^>]*\bfullCalcOnLoad=["'](?:1|true)["']""")
_REF = re.compile(rb"""\br=["']([A-Z]{1,3}[0-9]+)["']""")
_MERGED = re.compile(rb"""<mergeCell\s+ref=["']([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)["']""")
_STRING_TYPED = re.compile(rb"""\bt=["']str["']""")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MERGED = (
    "is in merged cells ({}): only the first of them holds the value, the others read "
    "as empty; unmerge them and fill in each cell"
)
UNVALUED = (
    "is a formula saved without its computed value (the program that wrote the file "
    "does not calculate): open the file in Excel or LibreOffice, save it, and import it again"
)


@dataclass(frozen=True, slots=True)
class Unvalued:
    """A formula cell saved without its value: its row, its column (0 for A)
    and its formula."""

    row: int
    column: int
    formula: str


@dataclass(frozen=True, slots=True)
class Merged:
    """Merged cells: the range, its first row and column (0 for A), its last row."""

    ref: str
    row: int
    column: int
    last_row: int


@dataclass(slots=True)
class Scan:
    """What the worksheets' XML holds that the readers cannot be trusted with,
    by sheet title."""

    error_cells: bool = False
    unvalued: dict[str, list[Unvalued]] = field(default_factory=dict)
    merged: dict[str, list[Merged]] = field(default_factory=dict)


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
    if isinstance(value, str):  # an exported cell the CSV export defused, opened and saved
        return (unneutralise(value) if value[:1] == "'" else value).strip()
    return value


def read_workbook(data: bytes | IO[bytes], file: str) -> list[SheetData]:
    """Every data sheet of an .xlsx file (bytes or a binary file object)."""
    raw = data if isinstance(data, bytes) else data.read()
    found = scan(raw)
    if found.error_cells:
        sheets = _read_openpyxl(raw, file)
    else:
        sheets = _read_calamine(raw, file)
    for sheet, title in sheets:
        for cell in found.unvalued.get(title, ()):
            sheet.errors.append(_unvalued(sheet, cell))
        for merge in found.merged.get(title, ()):
            if merge.last_row > sheet.header_line:  # a title above the header may be merged
                name = _column_name(sheet, merge.column)
                sheet.errors.append(
                    FieldError(name, MERGED.format(merge.ref), None, sheet.file, merge.row)
                )
    return [sheet for sheet, _ in sheets]


def scan(data: bytes) -> Scan:
    """Look through the worksheets' XML of the .xlsx ``data`` for error
    cells, formulas saved without their value and merged cells. A part is
    read by chunks; only one that holds a formula or a merge is read whole."""
    found = Scan()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        titles: dict[str, str] | None = None
        try:
            recalc = _RECALC.search(archive.read("xl/workbook.xml")) is not None
        except KeyError:
            recalc = False
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            formulas = merges = False
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    both = tail + chunk
                    found.error_cells = found.error_cells or any(m in both for m in _ERROR_CELL)
                    formulas = formulas or b"<f" in both
                    merges = merges or b"<mergeCell " in both
                    tail = chunk[-16:]
            if not (formulas or merges):
                continue
            xml = archive.read(name)
            titles = _titles(archive) if titles is None else titles
            title = titles.get(name, name)
            if formulas and (cells := _unvalued_cells(xml, every_formula=recalc)):
                found.unvalued[title] = cells
            if merges:
                found.merged[title] = [_span(m) for m in _MERGED.findall(xml)]
    return found


def _span(ref: bytes) -> Merged:
    first, _, last = ref.decode("ascii").partition(":")
    (row, column), (end, _) = _cell(first), _cell(last or first)
    return Merged(ref.decode("ascii"), row, column, end)


def _cell(ref: str) -> tuple[int, int]:
    """A cell reference (``D12``) as its row and column (0 for A)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters) - 1


def _unvalued_cells(xml: bytes, every_formula: bool = False) -> list[Unvalued]:
    """The formula cells of one worksheet's XML that hold no value (with
    ``every_formula``, all of them: their values were not computed)."""
    cells = []
    for match in (_FORMULA if every_formula else _UNVALUED).finditer(xml):
        attributes, formula = match.group(1), match.group(2) or b""
        ref = _REF.search(attributes)
        empty_string = _STRING_TYPED.search(attributes) and b"<v" in match.group(0)
        if ref is None or (empty_string and not every_formula):
            continue  # a cell without its address; or a formula whose value is ""
        row, column = _cell(ref.group(1).decode("ascii"))
        text = html.unescape(formula.decode("utf-8", "replace"))
        cells.append(Unvalued(row, column, f"={text}" if text else ""))
    return cells


def _titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet title, from the workbook and its relationships."""
    try:
        targets = {
            rel.get("Id"): rel.get("Target", "")
            for rel in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(
                f"{_RELS}Relationship"
            )
        }
        sheets = ET.fromstring(archive.read("xl/workbook.xml")).iter(f"{_MAIN}sheet")
    except (KeyError, ET.ParseError):
        return {}
    titles = {}
    for sheet in sheets:
        target = targets.get(sheet.get(_R_ID), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        titles[posixpath.normpath(part)] = sheet.get("name", "")
    return titles


def _unvalued(sheet: SheetData, cell: Unvalued) -> FieldError:
    return FieldError(
        _column_name(sheet, cell.column), UNVALUED, cell.formula or None, sheet.file, cell.row
    )


def _column_name(sheet: SheetData, column: int) -> str:
    """The header's name of a column (0 for A), else its letter."""
    from openpyxl.utils.cell import get_column_letter

    in_header = 0 <= column < len(sheet.header) and sheet.header[column]
    return sheet.header[column] if in_header else f"column {get_column_letter(column + 1)}"


def _read_calamine(data: bytes, file: str) -> list[tuple[SheetData, str]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        return [
            # from A1, as Excel numbers rows (not from the first used cell)
            (
                _sheet(m.name, file, wb.get_sheet_by_name(m.name).to_python(skip_empty_area=False)),
                m.name,
            )
            for m in wb.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet and _wanted(m.name)
        ]
    finally:
        wb.close()


def _read_openpyxl(data: bytes, file: str) -> list[tuple[SheetData, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            if _wanted(ws.title):
                # read every row, not only those of the sheet's <dimension>,
                # which programs other than Excel may leave stale
                ws.reset_dimensions()
                sheets.append((_sheet(ws.title, file, ws.iter_rows(values_only=True)), ws.title))
        return sheets
    finally:
        wb.close()


def _wanted(title: str) -> bool:
    return title.strip().lower() not in SKIPPED_SHEETS


def _sheet(title: str, file: str, cells: Iterable[Sequence[Any]]) -> SheetData:
    """One worksheet's rows, its cells normalised."""
    sheet = SheetData(name=title.strip().lower(), file=f"{file}[{title}]")
    fill(sheet, _rows(iter(cells)))
    return sheet


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
