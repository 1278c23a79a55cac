"""CSV workbooks: a folder (or a zip) of one CSV file per sheet, as spreadsheet
software really saves them.

Pure functions over bytes and text, no database. Reading is forgiving where
spreadsheets vary (UTF-8 with or without BOM, Windows-1252, ``;`` or ``,``
delimiters, header case, trailing spaces, empty rows) and strict where a guess
would corrupt data: a file that is neither UTF-8 nor Windows-1252 is refused
with a message saying how to save it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from graphmap.errors import FieldError

DELIMITERS = (";", ",", "\t")
# csv refuses a cell over 128 KiB with an exception; a quote never closed
# makes one of the rest of the file, which _unclosed_quote then reports. Cells
# are held to their own limits by the validation.
csv.field_size_limit(max(csv.field_size_limit(), (1 << 31) - 1))
# Control characters that never appear in a real text export (tab, CR, LF allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Mac Roman (CSV Macintosh) and DOS (CP850) accents read as Windows-1252:
# CafŽ, Soci‚t‚, Fran‡ais, bibliothŠque, voilˆ. Next to a lowercase letter,
# these signs are never written on purpose.
_OTHER_CODEPAGE = re.compile(r"[a-zà-ÿ][Žˆ‚‡Š]|[ˆ‚‡][a-zà-ÿ]")
# UTF-8 for what French text is made of (é, à, ç... as C3 xx; ’ – — … “ ” €
# œ Œ): in a file that is not all UTF-8, these mean that part of it is. In
# Windows-1252 they would read Ã©, â€™...: never written on purpose.
_UTF8_FRENCH = re.compile(
    rb"\xc3[\x80-\xbf]|\xe2\x80[\x93\x94\x98\x99\x9c\x9d\xa6]|\xe2\x82\xac|\xc5[\x92\x93]"
)
# A cell that ``neutralise`` defused on export: an apostrophe, then a formula start.
_NEUTRALISED = re.compile(r"'[=+\-@\t\r]")


@dataclass(slots=True)
class SheetData:
    """The raw rows of one sheet: ``rows[i]`` was read from spreadsheet row
    ``lines[i]`` (the header is row 1), so a report can point at it."""

    name: str
    file: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the column names, normalised
    header_line: int = 1


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    UTF-8 (BOM or not) first; UTF-16 when it has a BOM (Excel's "Unicode
    text"); else Windows-1252 when that decodes to text without control
    characters, and without the signs Mac Roman or DOS (CP850) accents turn
    into. Raises ``ValueError`` naming the file (and the line) otherwise.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _text(text, file), "UTF-8 (with BOM)"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    else:
        if data[:65536].count(b"\x00") > 4:  # a stray NUL is named below; binary has many
            raise ValueError(
                f"{file} is not a text file (binary data, or UTF-16 without its BOM): "
                "save the sheet as 'CSV UTF-8'"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _UTF8_FRENCH.search(data):
                line = _line_of(data.decode("cp1252", "replace"), exc.start)
                raise ValueError(
                    f"{file} mixes two encodings: it is UTF-8, but line {line} is not "
                    "(pasted from a file saved otherwise?); read as either one, some "
                    "accents would come out wrong. Save it again as 'CSV UTF-8'"
                ) from None
        else:
            return _text(text, file), "UTF-8"
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if not _CONTROL.search(text):
                if garbled := _OTHER_CODEPAGE.search(text):
                    line, word = _line_of(text, garbled.start()), _word_at(text, garbled.start())
                    raise ValueError(
                        f"{file} is not UTF-8, and read as Windows-1252 line {line} gives "
                        f"{word!r}: was it saved as 'CSV (Macintosh)' or 'CSV (MS-DOS)'? "
                        "Save it as 'CSV UTF-8'"
                    )
                return text, "Windows-1252"
    raise ValueError(
        f"{file} is neither UTF-8 nor Windows-1252 text (is it a spreadsheet saved in "
        "another format?); save it as 'CSV UTF-8'"
    )


def _line_of(text: str, at: int) -> int:
    """The line (1 for the first) of ``text`` holding position ``at``; lines
    end with LF, CRLF, or CR alone (old Mac files)."""
    return text.count("\n", 0, at) + 1 if "\n" in text else text.count("\r", 0, at) + 1


def _word_at(text: str, at: int) -> str:
    """The word around position ``at`` (up to a space or a delimiter)."""

    def inside(i: int) -> bool:
        return not text[i].isspace() and text[i] not in ";,\t"

    start, end = at, at
    while start > 0 and at - start < 40 and inside(start - 1):
        start -= 1
    while end < len(text) and end - at < 40 and inside(end):
        end += 1
    return text[start:end]


def _text(text: str, file: str) -> str:
    """``text`` read as UTF-8, refused when it holds a control character
    (a NUL, a vertical tab...), which no spreadsheet writes in a cell."""
    if found := _CONTROL.search(text):
        line = _line_of(text, found.start())
        raise ValueError(
            f"{file} holds a control character (U+{ord(found.group()):04X}) on line {line}, "
            "which is not text: remove it, or save the file again as 'CSV UTF-8'"
        )
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header: whichever of ``;``, ``,`` and tab the
    first line holding any of them holds most of, outside quotes (French
    Excel saves ``;``). Blank lines and a title above the header are passed
    over; data rows do not vote (lists in cells are ``;``-separated).
    ``,`` by default."""
    for line in text[:65536].splitlines()[:20]:
        counts = {d: line.count(d) for d in DELIMITERS}
        if any(counts.values()):
            unquoted = re.sub(r'"[^"]*"', "", line)
            counts = {d: unquoted.count(d) for d in DELIMITERS}
            best = max(DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def read_sheet(data: bytes, name: str, file: str) -> SheetData:
    """Read one CSV file (its bytes) as sheet ``name``."""
    sheet = SheetData(name=name, file=file)
    try:
        text, encoding = decode(data, file)
    except ValueError as exc:
        sheet.errors.append(FieldError("file", str(exc), None, file, None))
        return sheet
    if encoding not in ("UTF-8", "UTF-8 (with BOM)"):
        sheet.notes.append(f"{file} was read as {encoding}")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: Iterable[list[str]] = reader
    if _NEUTRALISED.search(text):  # else no cell needs it: 0.3 s of 1 s for 400k rows
        records = ([unneutralise(c) for c in r] for r in reader)
    read = fill(sheet, records, strings=True)
    if reader.line_num > read:  # more lines than records: some cell spans lines
        _unclosed_quote(sheet, text, delimiter)
    return sheet


def _unclosed_quote(sheet: SheetData, text: str, delimiter: str) -> None:
    """A quote opened in a cell and never closed swallows the lines after it
    into that cell, up to the next quote or the end of the file, and their
    rows vanish: say so. Such a cell holds a line break and, after it, a
    whole row's worth of delimiters; or it is the last row's, and a strict
    parse fails on that row. (A stray quote inside a cell, ``"Bio" Coop``,
    is read leniently, and is not this.)"""
    if '"' not in text or not sheet.rows:
        return
    width = max(len(sheet.header) - 1, 1)
    last = len(sheet.rows) - 1
    for index, row in enumerate(sheet.rows):
        for value in row.values():
            if type(value) is not str or ("\n" not in value and "\r" not in value):
                continue
            first, *rest = value.splitlines()
            swallowed = any(line.count(delimiter) >= width for line in rest)
            line = sheet.lines[index]
            if swallowed or (index == last and _strict_fails_at(text, delimiter) == line):
                sheet.errors.append(
                    FieldError(
                        "file",
                        "has a quote that is never closed: the lines after it were read into "
                        'this one cell and their rows lost (a cell starting with " must end '
                        'with ")',
                        _shown(first),
                        sheet.file,
                        line,
                    )
                )
                return


def _strict_fails_at(text: str, delimiter: str) -> int | None:
    """The record (1 for the first line's) where a strict parse fails."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    done = 0
    try:
        for _ in records:
            done += 1
    except csv.Error:
        return done + 1
    return None


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise`, so an exported workbook imports back as it was."""
    if cell[:1] == "'" and (
        cell[1:2] in _FORMULA_CHARS or (cell[1:2] == "'" and cell[2:3] in _FORMULA_CHARS)
    ):
        return cell[1:]
    return cell


MAX_TITLES = 10  # title rows skipped above a header at most (logo, title, date...)


def fill(sheet: SheetData, records: Iterable[Sequence[Any]], *, strings: bool = False) -> int:
    """Turn header + records into rows (shared with the xlsx reader).

    Column names are stripped and lower-cased; string cells stripped; rows
    whose cells are all empty are skipped (their line numbers are not reused),
    and so are rows of one cell above the header (titles: a header has at
    least two columns in every sheet).
    ``strings``: every cell is a ``str`` (CSV), which allows a fast path for
    the common row, as wide as a header whose columns all have a name.
    Returns how many records were read.
    """
    it: Iterator[Sequence[Any]] = iter(records)
    header: list[str] | None = None
    titles: list[str] = []  # notes about the rows skipped as titles
    width = -1  # the fast path's row width; -1: no fast path
    line = 0
    for line, record in enumerate(it, start=1):
        if header is None:
            if _empty(record):
                continue
            filled = [c for c in record if not _empty((c,))]
            if len(filled) == 1:  # every header has 2 columns: a title
                if len(titles) == MAX_TITLES:  # no header: another delimiter?
                    break
                titles.append(f"{sheet.file}: row {line} ({_shown(filled[0])}) skipped as a title")
                continue
            sheet.notes.extend(titles)
            header = sheet.header = [_name(c) for c in record]
            sheet.header_line = line
            seen: set[str] = set()
            for col in header:
                if col and col in seen:
                    sheet.errors.append(
                        FieldError(col, "appears twice in the header", col, sheet.file, line)
                    )
                seen.add(col)
            if strings and all(header):
                width = len(header)
            continue
        if len(record) == width:
            values = [c.strip() for c in record]
            if any(values):
                sheet.rows.append(dict(zip(header, values, strict=True)))
                sheet.lines.append(line)
            continue
        if _empty(record):
            continue
        row: dict[str, Any] = {}
        for i, cell in enumerate(record):
            col = header[i] if i < len(header) else ""
            value = cell.strip() if isinstance(cell, str) else cell
            if not col:
                if value not in (None, ""):
                    sheet.errors.append(
                        FieldError(
                            f"column {i + 1}",
                            "has a value but no column name",
                            _shown(value),
                            sheet.file,
                            line,
                        )
                    )
                continue
            row[col] = value
        sheet.rows.append(row)
        sheet.lines.append(line)
    if header is None and titles:  # one cell a row: no header, or another delimiter
        sheet.errors.append(
            FieldError(
                "header",
                "is missing: every row holds one cell (columns are separated by ; , or tab)",
                None,
                sheet.file,
                None,
            )
        )
    return line


def _name(cell: Any) -> str:
    return "" if cell is None else str(cell).replace("\ufeff", "").strip().lower()


def _empty(record: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in record)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --- writing -----------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset("".join(_FORMULA_START))


def neutralise(value: str) -> str:
    """Defuse CSV injection: a cell a spreadsheet would run as a formula gets
    a leading apostrophe (OWASP's advice); so does one that starts with an
    apostrophe and a formula start, which ``unneutralise`` would otherwise
    shorten on the way back. Other cells are unchanged."""
    if value.startswith(_FORMULA_START) or (value[:1] == "'" and value[1:2] in _FORMULA_CHARS):
        return "'" + value
    return value


def write_rows(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a UTF-8 CSV (``,``-delimited; the caller opens ``out``)."""
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
