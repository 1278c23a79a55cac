"""A validated row's history text: the JSON the ``Change`` records keep."""

from __future__ import annotations

import json

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
    assert data["territories"] == []
    assert list(data) == sorted(data)
    [tie] = book.rows["memberships"]
    assert json.loads(tie.change()) == {
        "role": "PARTNER",
        "since": "2020-01-01",
        "until": None,
        "source": None,
    }
    assert tie.change() is tie.change()  # made once
