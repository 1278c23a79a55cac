"""Files as they come broken from the wild: each is refused with a report
naming the file (and the row, when there is one), never a traceback."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from graphmap.errors import InvalidInput
from graphmap.io import workbook_files
from graphmap.services import imports
from tests.archives import zipped

HEADER = b"id;name;kind;notes\n"


def _refused(data: bytes, name: str) -> list[str]:
    raw = workbook_files.read_bytes(data, name)
    with pytest.raises(InvalidInput) as refused:
        imports.validate(raw)
    return [str(e) for e in refused.value.errors]


def test_a_bad_cell_in_an_extra_column_is_reported_like_any_other() -> None:
    data = HEADER + f"a1;Foo;ASSOCIATION;{'x' * 6000}\n".encode()
    [error] = _refused(data, "actors.csv")
    assert error.startswith("actors.csv row 2, notes: is 6000 characters long; at most 5000")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf8", "utf8-bom"])
@pytest.mark.parametrize("char", ["\x00", "\x0b"], ids=["NUL", "VT"])
def test_a_control_character_is_named_with_its_line(bom: bytes, char: str) -> None:
    """Not "neither UTF-8 nor Windows-1252" (the file is UTF-8): which
    character, on which line."""
    data = bom + HEADER + f"a1;Foo;ASSOCIATION;x\na2;Bar;ASSOCIATION;x{char}y\n".encode()
    assert _refused(data, "actors.csv") == [
        f"actors.csv, file: actors.csv holds a control character (U+{ord(char):04X}) on line "
        "3, which is not text: remove it, or save the file again as 'CSV UTF-8'"
    ]


@pytest.mark.parametrize(
    "codec, word", [("mac_roman", "CafŽ"), ("cp850", "Caf‚")], ids=["mac", "dos"]
)
@pytest.mark.parametrize("newline", ["\n", "\r"], ids=["LF", "CR"])
def test_mac_and_dos_accents_are_not_read_as_windows_1252(
    codec: str, word: str, newline: str
) -> None:
    text = newline.join(["id;name;kind", "a1;Bio;ASSOCIATION", "a2;Café Société;COMPANY", ""])
    [error] = _refused(text.encode(codec), "actors.csv")
    assert f"read as Windows-1252 line 3 gives {word!r}: was it saved as" in error


def test_a_quote_never_closed_in_a_long_file_is_reported_not_a_crash() -> None:
    """csv refuses a cell over 128 KiB by default: the rest of a file after an
    unclosed quote is such a cell."""
    rows = b"".join(b"a%d;N;ASSOCIATION;%s\n" % (i, b"d" * 100) for i in range(2000))
    data = HEADER + b'a0;"Foo;ASSOCIATION;x\n' + rows
    errors = _refused(data, "actors.csv")
    assert any("row 2" in e and "quote that is never closed" in e for e in errors), errors


def _zip(entry: bytes = HEADER + b"a1;Foo;ASSOCIATION;x\n") -> bytearray:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("actors.csv", entry)
    return bytearray(buf.getvalue())


def test_a_damaged_zip_entry_is_reported() -> None:
    data = _zip(HEADER + b"a1;Foo;ASSOCIATION;" + b"x" * 200 + b"\n")
    data[60] ^= 0xFF  # inside the compressed data
    assert _refused(bytes(data), "book.zip") == [
        "book.zip:actors.csv, file: is damaged in the archive (its checksum or data does not hold)"
    ]


def test_an_unsupported_compression_is_reported() -> None:
    data = _zip()
    data[8:10] = struct.pack("<H", 9)  # Deflate64, which Windows may write
    central = data.find(b"PK\x01\x02")
    data[central + 10 : central + 12] = struct.pack("<H", 9)
    [error] = _refused(bytes(data), "book.zip")
    assert error.startswith("book.zip:actors.csv, file: is compressed with a method")


def test_a_password_protected_zip_is_reported() -> None:
    data = _zip()
    data[6] |= 1  # the "encrypted" flag, in the entry's header and the directory
    data[data.find(b"PK\x01\x02") + 8] |= 1
    assert _refused(bytes(data), "book.zip") == [
        "book.zip:actors.csv, file: is protected by a password: zip it again without one"
    ]


@pytest.mark.parametrize(
    "data, name, says",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "book.xls", "Excel 97-2003"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "locked.xlsx", "password"),
        (
            zipped(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                }
            ),
            "book.ods",
            "OpenDocument spreadsheet (.ods)",
        ),
        (zipped({"Index/Document.iwa": b"x"}), "book.numbers", "Apple Numbers"),
    ],
    ids=["xls", "encrypted-xlsx", "ods", "numbers"],
)
def test_other_spreadsheet_formats_say_how_to_save_them(data: bytes, name: str, says: str) -> None:
    [error] = _refused(data, name)
    assert error.startswith(f"{name}, file: is ") and says in error


def test_an_xlsx_without_a_sheet_to_import_is_refused() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "README"
    wb.active.append(["column", "meaning"])
    buf = io.BytesIO()
    wb.save(buf)
    [error] = _refused(buf.getvalue(), "book.xlsx")
    assert error.startswith("book.xlsx, file: holds no sheet to import: name them territories")


def test_an_empty_leftover_sheet_or_file_is_skipped_with_a_note() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name", "kind"])
    wb.active.append(["a1", "Alpha", "COMPANY"])
    wb.create_sheet("Feuil2")
    buf = io.BytesIO()
    wb.save(buf)
    raw = workbook_files.read_bytes(buf.getvalue(), "book.xlsx")
    assert raw.errors == [] and raw.notes == ["book.xlsx[Feuil2] is empty: skipped"]
    assert len(imports.validate(raw)) == 1
    # on its own, an empty file is an error: there is nothing else to import
    raw = workbook_files.read_bytes(b"", "actors.csv")
    assert [e.message for e in raw.errors] == ["is empty: nothing to import"]


@pytest.mark.parametrize("name", ["book.zip", "book.bin", "actors.csv"])
def test_binary_data_is_not_taken_for_text(name: str) -> None:
    data = bytes(range(256)) * 40  # NULs, and byte pairs that look like UTF-8 accents
    [error] = _refused(data, name)
    says = "is not a zip file" if name.endswith(".zip") else "is not a text file (binary data"
    assert says in error


def test_two_extra_columns_kept_as_one_property_are_refused() -> None:
    data = b"id;name;kind;extra col;Extra-Col\na1;Foo;ASSOCIATION;x;y\n"
    assert _refused(data, "actors.csv") == [
        "actors.csv row 1, extra-col: would be kept as 'extra_extra_col', as column "
        "'extra col' is: rename one"
    ]


@pytest.mark.parametrize(
    "column, why",
    [
        ("Name!", "would be kept as 'extra_name', as the 'name' column is known: rename it"),
        ("territory?", "would be kept as 'extra_territory', as the 'territory' column is known"),
        ("???", "has no letter or digit to name the property it would be kept as"),
    ],
)
def test_an_extra_column_that_the_export_could_not_write_back_is_refused(
    column: str, why: str
) -> None:
    """The workbook export writes extra_<x> back as column <x>: a second
    'name' column, or one without a name, would not import again."""
    data = f"id;name;kind;{column}\na1;Foo;ASSOCIATION;hello\n".encode()
    [error] = _refused(data, "actors.csv")
    assert error.startswith(f"actors.csv row 1, {column.lower()}: {why}")


@pytest.mark.parametrize("column", ["Été", "1st col", "notes internes"])
def test_extra_columns_keep_their_letters_and_come_back_as_they_went(column: str) -> None:
    from graphmap.io import export_workbook
    from graphmap.services.workbook import extra_property

    data = f"id;name;kind;{column}\na1;Foo;ASSOCIATION;hello\n".encode()
    [row] = imports.validate(workbook_files.read_bytes(data, "actors.csv")).rows["actors"]
    [prop] = [k for k in row.props if k.startswith("extra_")]
    assert row.props[prop] == "hello" and prop == extra_property(column.lower())
    written = export_workbook.header("actors", [prop])[-1]  # as the workbook export names it
    assert extra_property(written) == prop
