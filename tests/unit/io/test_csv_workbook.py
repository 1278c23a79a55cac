"""The CSV reader copes with what spreadsheet software really saves."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from graphmap.errors import InvalidInput
from graphmap.io import csv_workbook, workbook_files
from graphmap.io.csv_workbook import neutralise, read_sheet, unneutralise
from graphmap.services import imports, workbook

ACTORS = "id;name;kind;territory\na1;Café des Pays;ASSOCIATION;69123\n"


def test_utf8_with_bom_is_read_and_header_cleaned() -> None:
    data = b"\xef\xbb\xbf" + "ID,Name,KIND\na1,Équipe,ASSOCIATION\n".encode()
    sheet = read_sheet(data, "actors", "actors.csv")
    assert sheet.rows == [{"id": "a1", "name": "Équipe", "kind": "ASSOCIATION"}]
    assert sheet.notes == [] and sheet.errors == []


def test_windows_1252_is_detected_and_said() -> None:
    sheet = read_sheet(ACTORS.encode("cp1252"), "actors", "actors.csv")
    assert sheet.rows[0]["name"] == "Café des Pays"
    assert sheet.notes == ["actors.csv was read as Windows-1252"]


def test_french_windows_1252_punctuation_is_not_taken_for_utf8() -> None:
    text = "id;name;kind\na1;«ÉTÉ» Œuvre – n° 2, l’€;ASSOCIATION\n"
    sheet = read_sheet(text.encode("cp1252"), "actors", "actors.csv")
    assert sheet.errors == [] and sheet.rows[0]["name"] == "«ÉTÉ» Œuvre – n° 2, l’€"


def test_a_file_half_utf8_half_windows_1252_is_refused_naming_the_line() -> None:
    """Rows pasted from a Windows-1252 file into a UTF-8 one: read as either,
    some accents would be garbled (Société read as SociÃ©tÃ©), silently."""
    data = ACTORS.encode() + "a2;Équipe;ASSOCIATION;69123\n".encode("cp1252")
    sheet = read_sheet(data, "actors", "actors.csv")
    assert sheet.rows == []
    assert sheet.errors[0].file == "actors.csv"
    assert "mixes two encodings: it is UTF-8, but line 3 is not" in sheet.errors[0].message


def test_neither_utf8_nor_cp1252_is_refused_clearly() -> None:
    data = b"id,name\n\x81\x8d\x00\x01binary"
    sheet = read_sheet(data, "actors", "actors.csv")
    assert sheet.rows == []
    assert "neither UTF-8 nor Windows-1252" in sheet.errors[0].message
    assert sheet.errors[0].file == "actors.csv"


@pytest.mark.parametrize(
    "above",
    ["\n", "Liste des acteurs\n", "\n \nListe des acteurs\n\n"],
    ids=["blank", "title", "both"],
)
def test_the_delimiter_is_the_headers_not_a_blank_or_title_lines(above: str) -> None:
    text = above + "id;name;kind;themes\na1;Foo, Bar;ASSOCIATION;HEALTH\n"
    sheet = read_sheet(text.encode(), "actors", "actors.csv")
    assert sheet.header == ["id", "name", "kind", "themes"]
    assert sheet.rows[0]["name"] == "Foo, Bar" and sheet.errors == []


def test_lists_in_cells_do_not_outvote_the_header() -> None:
    text = "id,name,themes\n" + "i1,Lab,HEALTH;EDUCATION;CULTURE;SPORT\n" * 4
    sheet = read_sheet(text.encode(), "initiatives", "initiatives.csv")
    assert sheet.rows[0]["themes"] == "HEALTH;EDUCATION;CULTURE;SPORT"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    text = f'id{delimiter}name{delimiter}kind\na1{delimiter}"A, B; C"{delimiter}COMPANY\n'
    sheet = read_sheet(text.encode(), "actors", "actors.csv")
    assert sheet.rows == [{"id": "a1", "name": "A, B; C", "kind": "COMPANY"}]


def test_trailing_spaces_and_empty_rows() -> None:
    text = "id ; Name ;kind\n a1 ; Alpha  ; COMPANY \n;;\n a2;Beta;COMPANY\n;;\n\n;;\n"
    sheet = read_sheet(text.encode(), "actors", "actors.csv")
    assert sheet.rows == [
        {"id": "a1", "name": "Alpha", "kind": "COMPANY"},
        {"id": "a2", "name": "Beta", "kind": "COMPANY"},
    ]
    assert sheet.lines == [2, 4]  # the empty row 3 keeps its number


def test_value_without_column_name_is_an_error() -> None:
    sheet = read_sheet(b"id,name\na1,A,surprise\n", "actors", "actors.csv")
    assert sheet.errors[0].field == "column 3" and sheet.errors[0].row == 2


def test_short_and_long_rows_beside_full_ones() -> None:
    text = "id,name,kind\na1,Alpha,COMPANY\na2,Beta\na3,Gamma,COMPANY,\n"
    sheet = read_sheet(text.encode(), "actors", "actors.csv")
    assert sheet.rows == [
        {"id": "a1", "name": "Alpha", "kind": "COMPANY"},
        {"id": "a2", "name": "Beta"},
        {"id": "a3", "name": "Gamma", "kind": "COMPANY"},
    ]
    assert sheet.errors == []


def test_defused_cells_read_back_and_apostrophes_kept() -> None:
    text = "id,name,description\na1,L'Atelier,'=SUM(A1)\na2,'Quote',' -x\n"
    sheet = read_sheet(text.encode(), "actors", "actors.csv")
    assert [r["name"] for r in sheet.rows] == ["L'Atelier", "'Quote'"]
    assert [r["description"] for r in sheet.rows] == ["=SUM(A1)", "' -x"]
    plain = read_sheet(b"id,name\na1,'Quote'\n", "actors", "actors.csv")
    assert plain.rows == [{"id": "a1", "name": "'Quote'"}]


def test_french_dates_and_line_numbers_reach_the_report(tmp_path: Path) -> None:
    (tmp_path / "alliances.csv").write_text(
        "id;name;since;until\nal1;A;01/03/2024;2023-01-01\n;;;\nal2;B;31/02/2024;\n",
        encoding="utf-8",
    )
    raw = workbook_files.read_path(tmp_path)
    with pytest.raises(InvalidInput) as exc:
        imports.validate(raw)
    found = {(e.file, e.row, e.field) for e in exc.value.errors}
    assert found == {("alliances.csv", 2, "until"), ("alliances.csv", 4, "since")}


def test_zip_of_csv_files_and_single_csv_upload() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("book/Actors.csv", ACTORS)
        z.writestr("__MACOSX/book/._Actors.csv", "junk")
    raw = workbook_files.read_bytes(buf.getvalue(), "book.zip")
    assert list(raw.sheets) == ["actors"] and raw.files["actors"] == "book.zip:Actors.csv"
    raw = workbook_files.read_bytes(ACTORS.encode(), "actors.csv")
    assert raw.sheets["actors"][0]["territory"] == "69123"


@pytest.mark.parametrize(
    "value", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx", "'=SUM(A1)", "'-5", "''+x"[1:]]
)
def test_neutralise_defuses_formulas_and_round_trips(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert unneutralise(neutralise(value)) == value


def test_plain_values_are_untouched() -> None:
    for value in ["Alpha", "'quoted", "12", ""]:
        assert neutralise(value) == value
        assert unneutralise(value) == value


def test_write_rows_then_read_back() -> None:
    out = io.StringIO()
    csv_workbook.write_rows(out, ["id", "name"], [["a1", "x;y"], ["a2", None]])
    sheet = read_sheet(out.getvalue().encode(), "actors", "actors.csv")
    assert sheet.rows == [{"id": "a1", "name": "x;y"}, {"id": "a2", "name": ""}]


def test_a_missing_required_column_is_reported_once_with_a_guess(tmp_path: Path) -> None:
    # a French header: every row would say "name is required"; one error says why
    (tmp_path / "actors.csv").write_text(
        "id;nom;kind;territoire\n" + "".join(f"a{i};Acteur {i};COMPANY;69123\n" for i in range(50)),
        encoding="utf-8",
    )
    (tmp_path / "alliances.csv").write_text("id;name;since\nal1;A;2024-13-01\n", encoding="utf-8")
    raw = workbook_files.read_path(tmp_path)
    assert "actors" not in raw.sheets
    with pytest.raises(InvalidInput) as exc:
        imports.validate(raw)
    errors = exc.value.errors
    assert [(e.file, e.row, e.field) for e in errors] == [
        ("actors.csv", 1, "name"),
        ("alliances.csv", 2, "since"),  # the other files' cells are still judged
    ]
    assert errors[0].message == (
        "column is missing from the header (is 'nom' meant to be it?); it is required"
    )
    # an optional column that looks like a known one is kept, with a note
    assert raw.notes == [
        "actors.csv: column 'territoire' is not one of the actors columns; it is kept "
        "as an extra property (did you mean 'territory'?)"
    ]


def test_header_typos_and_genuine_extra_columns() -> None:
    check = workbook.check_header("memberships", ["actor", "targte", "rolee", "note"], "m.csv")
    assert [(e.field, e.message) for e in check.errors] == [
        (
            "target",
            "column is missing from the header (is 'targte' meant to be it?); it is required",
        )
    ]
    assert check.notes == [
        "m.csv: column 'rolee' is not one of the memberships columns; it is kept as an extra "
        "property (did you mean 'role'?)"
    ]
    # a column beside the known one it looks like is a genuine extra
    check = workbook.check_header("actors", ["id", "name", "kind", "nom"], "a.csv")
    assert check.errors == [] and check.notes == []


def test_a_file_without_its_header_row_is_refused(tmp_path: Path) -> None:
    # the only line is data: read as a header, it would import nothing, silently
    (tmp_path / "actors.csv").write_text("a1;Alpha;ASSOCIATION;69123\n", encoding="utf-8")
    raw = workbook_files.read_path(tmp_path)
    with pytest.raises(InvalidInput) as exc:
        imports.validate(raw)
    [e] = exc.value.errors
    assert (e.file, e.row, e.field) == ("actors.csv", 1, "header")
    assert e.message.startswith("names none of the actors columns (it needs id, name, kind)")
    # a header alone is an empty sheet, and an empty file nothing at all: both fine
    (tmp_path / "actors.csv").write_text("id;name;kind\n", encoding="utf-8")
    (tmp_path / "alliances.csv").write_text("", encoding="utf-8")
    book = imports.validate(workbook_files.read_path(tmp_path))
    assert len(book) == 0


def test_an_unknown_sheet_names_its_file_and_what_was_meant(tmp_path: Path) -> None:
    (tmp_path / "Acteurs.csv").write_text("id;name;kind\na1;A;COMPANY\n", encoding="utf-8")
    (tmp_path / "membership.csv").write_text("actor;target\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x;y\n1;2\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        imports.validate(workbook_files.read_path(tmp_path))
    found = {(e.file, e.value): e.message for e in exc.value.errors}
    assert list(found) == [
        ("Acteurs.csv", "acteurs"),
        ("membership.csv", "membership"),
        ("notes.csv", "notes"),
    ]
    assert "(did you mean actors?)" in found["Acteurs.csv", "acteurs"]
    assert "(did you mean memberships?)" in found["membership.csv", "membership"]
    assert "did you mean" not in found["notes.csv", "notes"]


def test_several_title_rows_and_one_cell_rows_without_a_header() -> None:
    data = (
        b"Cartographie\nActeurs du territoire\nmars 2024\nversion 3\n\nid;name;kind\na1;A;COMPANY\n"
    )
    sheet = read_sheet(data, "actors", "actors.csv")
    assert sheet.errors == [] and sheet.header_line == 6 and len(sheet.notes) == 4
    # another delimiter: every row holds one cell, however many rows there are
    data = b"id|name|kind\n" + b"".join(b"a%d|A|COMPANY\n" % i for i in range(30))
    sheet = read_sheet(data, "actors", "actors.csv")
    assert [e.field for e in sheet.errors] == ["header"] and sheet.rows == []


def test_a_title_above_the_header_is_skipped_with_a_note() -> None:
    data = b"Liste des acteurs;;\n\nid;name;kind\na1;A;COMPANY\n"
    sheet = read_sheet(data, "actors", "actors.csv")
    assert sheet.header == ["id", "name", "kind"] and sheet.header_line == 3
    assert sheet.lines == [4] and sheet.rows[0]["id"] == "a1"
    assert sheet.notes == ["actors.csv: row 1 (Liste des acteurs) skipped as a title"]
    # rows of one cell only (another delimiter): an error, not an empty import
    sheet = read_sheet(b"id|name|kind\na1|A|COMPANY\n", "actors", "actors.csv")
    assert [e.field for e in sheet.errors] == ["header"] and not sheet.rows


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
def test_a_quote_never_closed_before_another_quote_loses_no_row_silently(newline: str) -> None:
    """The forgotten quote's cell runs to the next quote (here a later cell
    starting with one), swallowing row a2; CR-only files are old Mac Excel's."""
    lines = [
        "id;name;kind;description",
        'a1;Foo;ASSOCIATION;"Atelier',
        'a2;Bar;COMPANY;dit "le garage"',
        "a3;Baz;COMPANY;y",
    ]
    sheet = read_sheet(newline.join(lines).encode(), "actors", "actors.csv")
    [e] = sheet.errors
    assert (e.field, e.row, e.value) == ("file", 2, "Atelier")


def test_a_stray_quote_does_not_blame_a_good_multiline_cell() -> None:
    data = 'id;name;description\na1;"Bio" Coop;x\na2;Beta;"ligne 1\nligne 2"\n'
    sheet = read_sheet(data.encode(), "actors", "actors.csv")
    assert sheet.errors == []
    assert [r["description"] for r in sheet.rows] == ["x", "ligne 1\nligne 2"]


def test_a_quote_never_closed_is_reported_at_its_row() -> None:
    data = 'id;name;kind\na1;Alpha;COMPANY\na2;"Beta; the ""best"";COMPANY\na3;Gamma;COMPANY\n'
    sheet = read_sheet(data.encode(), "actors", "actors.csv")
    [e] = sheet.errors
    assert (e.field, e.row, e.value) == ("file", 3, 'Beta; the "best";COMPANY')
    assert e.message.startswith("has a quote that is never closed")
    # a cell over several lines, properly closed, is fine
    fine = 'id;name;description\na1;Alpha;"deux\nlignes"\n'
    assert read_sheet(fine.encode(), "actors", "actors.csv").errors == []
