"""packed(): columns, tie ends as node indices, compact dates and floats."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graphmap.errors import InvalidInput
from graphmap.services import mapview as mv


def node(id: str, kind: str = "ACTOR", **extra: Any) -> mv.MapNode:
    fields: dict[str, Any] = {f: None for f in mv.MapNode.__slots__}  # type: ignore[attr-defined]
    fields |= {"id": id, "kind": kind, "name": id.upper(), "territories": []} | extra
    return mv.MapNode(**fields)


GRAPH = mv.MapGraph(
    nodes=[
        node("a", world="ECONOMIC", since=date(2011, 3, 1), pagerank=0.123456789, degree=3.0),
        node("b", since=date(1970, 1, 2), territories=["69123"]),
        node("x", "ALLIANCE", alliance_type="PHILANTHROPY"),
    ],
    edges=[
        mv.MapEdge("a", "x", "MEMBER_OF", "PARTNER", date(2011, 3, 1), None),
        mv.MapEdge("b", "x", "MEMBER_OF", None, None, date(1969, 12, 31)),
    ],
    truncated=True,
)


FIELD_COLUMNS = [c for c in mv.NODE_COLUMNS if c not in mv.LAYOUT_COLUMNS]


def test_all_columns_by_default() -> None:
    p = mv.packed(GRAPH)
    assert p["truncated"] is True
    assert list(p["nodes"]) == ["id", *FIELD_COLUMNS], "no positions: no x, y"
    assert list(p["edges"]) == ["source", "target", *mv.EDGE_COLUMNS]
    assert p["nodes"]["id"] == ["a", "b", "x"]
    assert p["edges"]["source"] == [0, 1] and p["edges"]["target"] == [2, 2]
    assert p["nodes"]["since"] == [15034, 1, None]
    assert p["edges"]["since"] == [15034, None] and p["edges"]["until"] == [None, -1]
    assert p["nodes"]["pagerank"] == [0.1235, None, None]
    assert p["nodes"]["degree"] == [3, None, None] and isinstance(p["nodes"]["degree"][0], int)
    assert p["nodes"]["territories"] == [[], ["69123"], []]
    assert p["earliestSince"] == "1970-01-02"


def test_only_the_columns_asked_for() -> None:
    p = mv.packed(GRAPH, ["world", "allianceType", "world"], [])
    assert p["nodes"] == {
        "id": ["a", "b", "x"],
        "world": ["ECONOMIC", None, None],
        "allianceType": [None, None, "PHILANTHROPY"],
    }
    assert p["edges"] == {"source": [0, 1], "target": [2, 2]}
    assert p["earliestSince"] == "1970-01-02", "the slider's range is always there"


def test_empty_graph() -> None:
    p = mv.packed(mv.MapGraph(), [], [])
    assert p == {"truncated": False, "earliestSince": None, "nodes": {"id": []},
                 "edges": {"source": [], "target": []}}  # fmt: skip


def test_unknown_columns_are_refused() -> None:
    with pytest.raises(InvalidInput) as got:
        mv.packed_columns(["name", "colour", "id"], ["source", "role"])
    fields = {(e.field, e.value) for e in got.value.errors}
    assert fields == {("nodeColumns", "colour, id"), ("edgeColumns", "source")}


def test_positions_as_two_rounded_columns() -> None:
    at = {"a": (1234.5678, -0.000123456), "b": (-2.0, 3.14159), "x": (0.0, 1e-300)}
    graph = mv.MapGraph(nodes=GRAPH.nodes, edges=GRAPH.edges, positions=at)
    p = mv.packed(graph, ["name", "y", "x"], [])
    assert list(p["nodes"]) == ["id", "name", "y", "x"], "in the order asked for"
    assert p["nodes"]["x"] == [1235, -2, 0]
    assert p["nodes"]["y"] == [-0.0001235, 3.142, 1e-300]
    assert list(mv.packed(graph)["nodes"]) == ["id", *mv.NODE_COLUMNS]
    assert "x" not in mv.packed(graph, ["name"], [])["nodes"], "only when asked for"


def test_positions_columns_are_known_names() -> None:
    assert mv.packed_columns(["x", "y"], []) == (["x", "y"], [])
    assert set(mv.LAYOUT_COLUMNS) <= set(mv.NODE_COLUMNS)
