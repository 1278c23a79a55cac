"""A validated row's history text: the JSON the ``Change`` records keep."""

from __future__ import annotations

import json

import pytest

from graphmap.errors import InvalidInput
from graphmap.services import workbook


def test_history_text_holds_props_links_and_iso_dates() -> None:
    book = workbook.validate(
        {
            "alliances": [
                {"id": "al-1", "name": "Pôle", "since": "01/03/2024", "carries": "i-1;i-2"},
            ],
            "memberships": [{"actor": "a-1", "target": "al-1", "since": "2020"}],
        }
    )
    [alliance] = book.rows["alliances"]
    data = json.loads(alliance.change())
    assert data["name"] == "Pôle"  # not escaped: readable in the database
    assert "Pôle" in alliance.change()
    assert data["since"] == "2024-03-01"
    assert data["carries"] == ["i-1", "i-2"]
    assert "territories" not in data and "until" not in data  # columns the sheet lacks
    assert list(data) == sorted(data)
    [tie] = book.rows["memberships"]
    assert json.loads(tie.change()) == {"since": "2020-01-01"}
    assert tie.change() is tie.change()  # made once


def test_spreadsheet_codes_get_their_leading_zero_back_when_it_fits() -> None:
    rows = [
        {"code": "1", "name": "Ain", "level": "DEPARTEMENT", "parent": "84"},
        {"code": "1053", "name": "Bourg", "level": "COMMUNE", "parent": "1"},
        {"code": "1004", "name": "Ambérieu", "level": "COMMUNE", "parent": "01"},
    ]
    book = workbook.validate({"territories": rows}, spreadsheet=True)
    assert [r.key for r in book.rows["territories"]] == ["01", "01053", "01004"]
    assert book.rows["territories"][0].links["parents"] == ["R84"]
    assert book.spreadsheet
    typo = [{"code": "6912", "name": "Lyon?", "level": "COMMUNE", "parent": "69"}]
    with pytest.raises(InvalidInput, match="6912"):  # 06912 would not be in the Rhône
        workbook.validate({"territories": typo}, spreadsheet=True)
    with pytest.raises(InvalidInput, match="1053"):  # typed, not a spreadsheet: no guess
        workbook.validate({"territories": rows[1:2]})


def test_actors_initiatives_and_alliances_share_their_ids() -> None:
    sheets = {
        "actors": [{"id": "x1", "name": "Acteur", "kind": "COMPANY"}],
        "alliances": [{"id": "x1", "name": "Alliance"}, {"id": "x2", "name": "Autre"}],
        "initiatives": [{"id": "x2", "name": "Initiative"}],
    }
    with pytest.raises(InvalidInput) as exc:
        workbook.validate(sheets)
    # initiatives are read before alliances: the alliance row is the one reported
    assert [(e.file, e.row, e.value) for e in exc.value.errors] == [
        ("alliances.csv", 2, "x1"),
        ("alliances.csv", 3, "x2"),
    ]
    assert exc.value.errors[0].message.startswith("is also the id of actors.csv row 2")
    assert exc.value.errors[1].message.startswith("is also the id of initiatives.csv row 2")
