"""mapGraphPacked is mapGraph as columns: same nodes, same ties, same values
(tie ends as node indices, dates as day numbers, floats to 4 significant
digits), and only the columns asked for."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import gql

pytestmark = pytest.mark.integration

NODE = (
    "id kind name actorKind world territories since until degree betweenness pagerank "
    "bridgeScore emergenceScore declaredFacilitator themes allianceType"
)
EDGE = "source target type role since until"
DATES = {"since", "until"}
FLOATS = {"degree", "betweenness", "pagerank", "bridgeScore", "emergenceScore"}
MAP_NODE_COLUMNS = (
    '["kind", "name", "world", "degree", "betweenness", "pagerank", "bridgeScore", "themes", '
    '"allianceType"]'
)


def _decode(key: str, value: Any) -> Any:
    if value is not None and key in DATES:
        return (date(1970, 1, 1) + timedelta(days=value)).isoformat()
    return value


def _same(key: str, packed: Any, typed: Any) -> bool:
    if key in FLOATS and packed is not None and typed is not None:
        return math.isclose(packed, typed, rel_tol=1e-3, abs_tol=1e-12)
    return bool(packed == typed)


@pytest.mark.parametrize("args", ["", '(territory: "R84")', '(asOf: "2015-06-01")'])
def test_packed_equals_typed(demo_client: Any, args: str) -> None:
    body = gql(
        demo_client,
        f"{{ mapGraph{args} {{ truncated nodes {{ {NODE} }} edges {{ {EDGE} }} }}"
        f" mapGraphPacked{args} }}",
    )
    assert "errors" not in body, body
    typed, packed = body["data"]["mapGraph"], body["data"]["mapGraphPacked"]
    assert packed["truncated"] == typed["truncated"]
    assert typed["nodes"], "the demo draws something"
    ids = packed["nodes"]["id"]
    assert ids == [n["id"] for n in typed["nodes"]]
    for i, row in enumerate(typed["nodes"]):
        for k in NODE.split():
            assert _same(k, _decode(k, packed["nodes"][k][i]), row[k]), (k, row)
    cols = packed["edges"]
    assert len(cols["source"]) == len(typed["edges"])
    for i, row in enumerate(typed["edges"]):
        assert ids[cols["source"][i]] == row["source"] and ids[cols["target"][i]] == row["target"]
        for k in ("type", "role", "since", "until"):
            assert _decode(k, cols[k][i]) == row[k], (k, row)
    starts = [n["since"] for n in typed["nodes"] if n["since"]]
    assert packed["earliestSince"] == (min(starts) if starts else None)


def test_only_the_columns_asked_for(demo_client: Any) -> None:
    body = gql(
        demo_client,
        f"{{ all: mapGraphPacked "
        f"map: mapGraphPacked(nodeColumns: {MAP_NODE_COLUMNS}, edgeColumns: []) }}",
    )
    assert "errors" not in body, body
    full, lean = body["data"]["all"], body["data"]["map"]
    assert set(lean["nodes"]) == {"id", *json_list(MAP_NODE_COLUMNS)}
    assert set(lean["edges"]) == {"source", "target"}
    for k, values in lean["nodes"].items():
        assert values == full["nodes"][k]
    assert lean["edges"]["source"] == full["edges"]["source"]
    assert lean["edges"]["target"] == full["edges"]["target"]
    assert lean["earliestSince"] == full["earliestSince"]
    assert all(isinstance(i, int) for i in lean["edges"]["target"])


def json_list(text: str) -> list[str]:
    names: list[str] = json.loads(text)
    return names


def test_unknown_columns_name_the_argument(demo_client: Any) -> None:
    body = gql(demo_client, '{ mapGraphPacked(nodeColumns: ["kind", "colour"]) }')
    assert "errors" in body and "nodeColumns" in body["errors"][0]["message"], body
    assert "colour" in body["errors"][0]["message"]
    body = gql(demo_client, '{ mapGraphPacked(edgeColumns: ["source"]) }')
    assert "errors" in body and "edgeColumns" in body["errors"][0]["message"], body
