"""The columns a page statement returns are read from the property schema:
temporal keys go out as ISO text, a node's id apart."""

from __future__ import annotations

from graphmap.services.exports import Columns


def test_temporal_keys_are_sent_as_text_after_the_others() -> None:
    found = {
        "name": ["String"],
        "since": ["Date"],
        "createdAt": ["DateTime NOT NULL"],
        "population": ["Long", "Double"],
        "id": ["String"],
        "mixed": ["String", "Date"],  # text and dates: toString keeps the text
        "days": ["DateArray"],  # a list is sent as it is
    }
    node = Columns.of(found, ["degree"], node=True)
    assert node.keys == ("days", "name", "population")
    assert node.temporal == ("createdAt", "mixed", "since")
    assert node.names == ("days", "name", "population", "createdAt", "mixed", "since")
    assert node.params() == {
        "keys": ["days", "name", "population"],
        "temporal": ["createdAt", "mixed", "since"],
        "metrics": ["degree"],
    }
    edge = Columns.of({"id": ["String"], "role": ["String"]})
    assert edge.names == ("id", "role") and edge.metrics == ()
