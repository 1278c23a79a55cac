"""Where a workbook comes from (a folder, a zip, an .xlsx, one CSV, uploaded
bytes) and the empty template mappers start from.

Reading returns a :class:`RawWorkbook`: the raw rows of each sheet with their
spreadsheet line numbers, the file each came from, notes worth telling the
user (an encoding that was guessed) and errors that stop the import before
validation (an unreadable file). The template's README is generated from
:data:`graphmap.services.workbook.COLUMNS` and the enums, so it cannot drift
from what the import accepts.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import IO, Any

from graphmap.errors import FieldError
from graphmap.io import csv_workbook, xlsx_workbook
from graphmap.io.csv_workbook import SheetData
from graphmap.services import fields as f
from graphmap.services.workbook import COLUMNS, SHEETS, Column, check_header

MAX_UNZIPPED = 1 << 30  # a zip expanding beyond 1 GiB is refused (zip bombs)
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(slots=True)
class RawWorkbook:
    """Raw rows per sheet, ready for :func:`graphmap.services.workbook.validate`."""

    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

    def add(self, sheet: SheetData) -> None:
        self.notes.extend(sheet.notes)
        self.errors.extend(sheet.errors)
        if not sheet.header and not sheet.rows:
            if not sheet.errors:
                # a leftover "Feuil2", or a file saved empty: nothing to read,
                # and nothing wrong with what else the workbook holds
                self.notes.append(f"{sheet.file} is empty: skipped")
            return  # (or unreadable: its error says why, not its name)
        if sheet.name in self.sheets:
            self.errors.append(
                FieldError(
                    "sheet",
                    f"is given twice (also in {self.files[sheet.name]})",
                    sheet.name,
                    sheet.file,
                    None,
                )
            )
            return
        header = check_header(
            sheet.name, sheet.header, sheet.file, sheet.header_line, empty=not sheet.rows
        )
        self.notes.extend(header.notes)
        if header.errors:  # its rows would all fail the same way: not read
            self.errors.extend(header.errors)
            return
        self.sheets[sheet.name] = sheet.rows
        self.lines[sheet.name] = sheet.lines
        self.files[sheet.name] = sheet.file

    @property
    def rows(self) -> int:
        return sum(len(r) for r in self.sheets.values())


def read_path(path: Path) -> RawWorkbook:
    """A folder of CSV files, a .zip of them, an .xlsx workbook or one CSV."""
    if path.is_dir():
        book = RawWorkbook()
        for child in sorted(path.iterdir()):
            csv_file = child.suffix.lower() == ".csv" and not child.name.startswith(".")
            if child.is_file() and csv_file:
                book.add(
                    csv_workbook.read_sheet(child.read_bytes(), _sheet_name(child.name), child.name)
                )
        if not book.sheets and not book.errors:
            why = "holds only empty .csv files" if book.notes else "holds no .csv file"
            book.errors.append(FieldError("file", why, None, str(path), None))
        return book
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> RawWorkbook:
    """An uploaded file: .xlsx and .zip are recognised by content, else one CSV
    whose name (``actors.csv``) says which sheet it is."""
    book = RawWorkbook()
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            book.errors.append(
                FieldError("file", "is a damaged zip or xlsx file", None, filename, None)
            )
            return book
        names = archive.namelist()
        if other := _other_spreadsheet(names, filename):
            book.errors.append(FieldError("file", other, None, filename, None))
            return book
        if "[Content_Types].xml" in names or filename.lower().endswith(XLSX_SUFFIXES):
            archive.close()
            try:
                for sheet in xlsx_workbook.read_workbook(data, filename):
                    book.add(sheet)
            except Exception as exc:  # openpyxl raises many kinds on bad files
                book.errors.append(
                    FieldError(
                        "file", f"is not a readable .xlsx workbook ({exc})", None, filename, None
                    )
                )
            if not book.sheets and not book.errors:
                book.errors.append(
                    FieldError(
                        "file",
                        f"holds no sheet to import: name them {', '.join(SHEETS)}",
                        None,
                        filename,
                        None,
                    )
                )
            return book
        _read_zip(archive, filename, book)
        return book
    if data[:8] == _OLE2:
        why = (
            "is an Excel 97-2003 workbook (.xls), or a workbook protected by a password: "
            "save it as .xlsx (Excel Workbook), without a password, or as CSV UTF-8"
        )
        book.errors.append(FieldError("file", why, None, filename, None))
        return book
    if filename.lower().endswith(XLSX_SUFFIXES):
        book.errors.append(
            FieldError("file", "is not a readable .xlsx workbook", None, filename, None)
        )
        return book
    if filename.lower().endswith(".zip"):
        book.errors.append(FieldError("file", "is not a zip file", None, filename, None))
        return book
    book.add(csv_workbook.read_sheet(data, _sheet_name(filename), filename))
    if not book.sheets and not book.errors:  # one file, and it is empty
        book.errors.append(FieldError("file", "is empty: nothing to import", None, filename))
    return book


# the first bytes of an OLE2 file: .xls, and .xlsx encrypted with a password
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _other_spreadsheet(names: list[str], filename: str) -> str | None:
    """Why a zip-based file that is another program's spreadsheet cannot be
    read (LibreOffice's .ods, Apple's .numbers), or ``None``."""
    if ("mimetype" in names and "content.xml" in names) or filename.lower().endswith(".ods"):
        return (
            "is an OpenDocument spreadsheet (.ods): save it as .xlsx (Excel 2007-365) "
            "or as CSV UTF-8"
        )
    if any(n.startswith("Index/") for n in names) or filename.lower().endswith(".numbers"):
        return "is an Apple Numbers file: export it to Excel (.xlsx) or CSV"
    return None


def _read_zip(archive: zipfile.ZipFile, filename: str, book: RawWorkbook) -> None:
    entries = [
        i
        for i in archive.infolist()
        if not i.is_dir()
        and i.filename.lower().endswith(".csv")
        and "__MACOSX" not in i.filename
        and not Path(i.filename).name.startswith(".")
    ]
    if sum(i.file_size for i in entries) > MAX_UNZIPPED:
        book.errors.append(FieldError("file", "expands to more than 1 GiB", None, filename, None))
        return
    if not entries:
        book.errors.append(FieldError("file", "holds no .csv file", None, filename, None))
    for info in entries:
        name = Path(info.filename).name
        try:
            data = archive.read(info)
        except NotImplementedError:  # e.g. Deflate64, which Windows may write
            why = "is compressed with a method graphmap cannot read: zip it again (Deflate)"
        except RuntimeError:  # zipfile's word for an encrypted entry
            why = "is protected by a password: zip it again without one"
        except (zipfile.BadZipFile, zlib.error, EOFError):
            why = "is damaged in the archive (its checksum or data does not hold)"
        else:
            book.add(csv_workbook.read_sheet(data, _sheet_name(name), f"{filename}:{name}"))
            continue
        book.errors.append(FieldError("file", why, None, f"{filename}:{name}", None))


def _sheet_name(filename: str) -> str:
    return Path(filename).stem.strip().lower()


# --- the template ------------------------------------------------------------

MEANINGS: dict[str, dict[str, str]] = {
    "territories": {
        "code": "INSEE code (commune 69123, département 69, région R84), the EPCI's SIREN, "
        "or a free id for a named AREA",
        "name": "the territory's name",
        "level": "what kind of territory it is",
        "parent": "code(s) of the territory it is part of",
        "population": "inhabitants",
        "flags": "characteristics of the territory",
        "innovation_model": "innovation model of a low-density territory",
        "source": "where this information comes from",
    },
    "actors": {
        "id": "a stable id you choose; re-importing the same id updates the actor",
        "name": "the organisation's or group's name",
        "kind": "what kind of actor it is (its world follows from it)",
        "territory": "code(s) of the territories where it is based or acts",
        "siren": "company/association SIREN",
        "siret": "establishment SIRET",
        "rna": "association number in the RNA",
        "declared_roles": "roles the actor claims, e.g. FACILITATOR",
        "size": "company size",
        "description": "free text",
        "website": "its web site",
        "source": "where this information comes from",
    },
    "initiatives": {
        "id": "a stable id you choose",
        "name": "the initiative's name",
        "form": "the form the initiative takes",
        "stage": "how far along it is",
        "themes": "the themes it works on",
        "territory": "code(s) of the territories it covers",
        "started_on": "when it started",
        "description": "free text",
        "website": "its web site",
        "source": "where this information comes from",
    },
    "alliances": {
        "id": "a stable id you choose",
        "name": "the alliance's name",
        "type": "the kind of partnership",
        "horizon": "strategic or operational",
        "territory": "code(s) of the territories it covers",
        "since": "when it started",
        "until": "when it ended (empty: still running)",
        "carries": "ids of the initiatives it carries",
        "evaluated": "whether it has been evaluated",
        "description": "free text",
        "source": "where this information comes from",
    },
    "memberships": {
        "actor": "the actor's id",
        "target": "the id of the alliance or initiative it takes part in",
        "role": "its role there (empty: PARTNER)",
        "since": "when it joined",
        "until": "when it left (empty: still there)",
        "source": "where this information comes from",
    },
}

_SIMPLE: dict[Callable[[Any], Any], str] = {
    f.identifier: "an id: letters, digits and _ . : - / (start with a letter or digit)",
    f.parse_date: "a date: 2024-03-01, 2024-03, 2024, 01/03/2024 or 03/2024",
    f.boolean: "true or false (also oui/non, yes/no, 1/0)",
    f.url: "a web address starting with http:// or https://",
    f.siren: "9 digits with a valid Luhn checksum",
    f.siret: "14 digits with a valid Luhn checksum",
    f.rna: "W followed by 9 digits or letters",
}


def enum_of(parser: Callable[[Any], Any]) -> type[Enum] | None:
    """The enum a column's parser accepts, found in its closure."""
    for cell in getattr(parser, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, type) and issubclass(value, Enum):
            return value
        if callable(value):
            found = enum_of(value)
            if found is not None:
                return found
    return None


def allowed(col: Column) -> str:
    """What a cell of ``col`` may hold, in words, from its parser."""
    parser = col.parse
    is_list = parser.__qualname__.startswith("many.")
    item = parser
    if is_list:
        inner = [c.cell_contents for c in parser.__closure__ or () if callable(c.cell_contents)]
        item = inner[0] if inner else parser
    kind = enum_of(item)
    if kind is not None:
        text = "one of " + ", ".join(str(m.value) for m in kind)
    elif item in _SIMPLE:
        text = _SIMPLE[item]
    elif item.__qualname__.startswith("integer."):
        text = "a whole number"
    elif item.__qualname__.startswith("text."):
        cells = item.__closure__ or ()
        limit = [c.cell_contents for c in cells if isinstance(c.cell_contents, int)]
        text = f"text (at most {limit[0]} characters)" if limit else "text"
    else:
        text = "text"
    return f"a list separated by ; of: {text}" if is_list else text


def readme_rows() -> list[tuple[str, str, str, str, str]]:
    """(sheet, column, required, meaning, allowed values) for every column."""
    return [
        (
            sheet,
            col.name,
            "yes" if col.required else "no",
            MEANINGS[sheet].get(col.name, ""),
            allowed(col),
        )
        for sheet in SHEETS
        for col in COLUMNS[sheet]
    ]


README_INTRO = (
    "graphmap import workbook. One sheet (or CSV file) per kind of row; fill in the rows "
    "under the headers. Column names are case-insensitive, empty cells mean 'not known', "
    "extra columns are kept as extra properties. An import is all or nothing: one bad row "
    "writes nothing and the report names the file, row, column and reason of every bad row. "
    "Re-importing the same workbook changes nothing; an id already in the database can be "
    "referenced without repeating its row."
)


def readme_markdown() -> str:
    lines = ["# graphmap import workbook", "", README_INTRO, ""]
    for sheet in SHEETS:
        lines += [
            f"## {sheet}.csv",
            "",
            "| column | required | meaning | allowed values |",
            "| --- | --- | --- | --- |",
        ]
        for s, column, required, meaning, values in readme_rows():
            if s == sheet:
                lines.append(f"| {column} | {required} | {meaning} | {values} |")
        lines.append("")
    return "\n".join(lines)


def _template_headers() -> dict[str, list[str]]:
    return {sheet: [c.name for c in COLUMNS[sheet]] for sheet in SHEETS}


def write_template_xlsx(out: IO[bytes]) -> None:
    """The empty workbook as .xlsx: its README sheet first, then one sheet
    per CSV file, headers only (``graphmap template`` and the web app's
    download)."""
    headers = _template_headers()
    readme: list[tuple[str, ...]] = [(README_INTRO, "", "", "", "")]
    readme += readme_rows()
    sheets: list[tuple[str, list[str], Iterable[Any]]] = [
        ("README", ["sheet", "column", "required", "meaning", "allowed values"], readme)
    ]
    sheets += [(sheet, headers[sheet], []) for sheet in SHEETS]
    xlsx_workbook.write_workbook(out, sheets)  # type: ignore[arg-type]


def template_files(path: Path) -> list[Path]:
    """The files :func:`write_template` writes at ``path``."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return [path]
    return [path / f"{sheet}.csv" for sheet in SHEETS] + [path / "README.md"]


def write_template(path: Path) -> list[Path]:
    """An empty workbook at ``path``: an .xlsx (README sheet first) when the
    name ends in .xlsx, else a folder of CSV files with a README.md."""
    headers = _template_headers()
    if path.suffix.lower() in XLSX_SUFFIXES:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            write_template_xlsx(out)
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEETS:
        target = path / f"{sheet}.csv"
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            csv_workbook.write_rows(out, headers[sheet], [])
        written.append(target)
    (path / "README.md").write_text(readme_markdown(), encoding="utf-8")
    written.append(path / "README.md")
    return written
