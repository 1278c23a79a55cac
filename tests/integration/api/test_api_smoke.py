"""The demo through the API, end to end on the real Neo4j."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql

pytestmark = pytest.mark.integration


def test_demo_actors_are_served(demo_client: Any) -> None:
    body = gql(
        demo_client, "{ actors(first: 100) { totalCount edges { node { id name world } } } }"
    )
    assert "errors" not in body, body
    names = {e["node"]["name"] for e in body["data"]["actors"]["edges"]}
    assert body["data"]["actors"]["totalCount"] >= 40
    assert any("RAMEAU" in n for n in names)
