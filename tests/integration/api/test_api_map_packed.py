"""mapGraphPacked is mapGraph as columns: same nodes, same ties, same values."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql

pytestmark = pytest.mark.integration

NODE = (
    "id kind name actorKind world territories since until degree betweenness pagerank "
    "bridgeScore emergenceScore declaredFacilitator themes allianceType"
)
EDGE = "source target type role since until"


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
    for part, fields in (("nodes", NODE), ("edges", EDGE)):
        cols = packed[part]
        rows = [
            {k: cols[k][i] for k in fields.split()}
            for i in range(len(cols["id" if part == "nodes" else "source"]))
        ]
        assert rows == typed[part]
    assert typed["nodes"], "the demo draws something"
