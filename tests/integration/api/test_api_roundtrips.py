"""No N+1: a page of actors with their territories, alliances and the members
of those alliances costs a small constant number of Cypher round trips, the
same for 10 actors as for 100 (design.md, "API")."""

from __future__ import annotations

from typing import Any

import pytest

from graphmap.services import workbook, writer
from tests.conftest import gql

pytestmark = pytest.mark.integration

ACTORS = 100
GROUP = 4  # members per alliance
MAX_ROUND_TRIPS = 8

QUERY = """query($first: Int!) { actors(first: $first) { totalCount edges { node {
  id name territories { code }
  alliances { id name members { role actor { id name } } } } } } }"""


def ecosystem() -> dict[str, list[dict[str, Any]]]:
    """100 actors, each in exactly 2 alliances of 4 members (50 alliances)."""
    half = ACTORS // GROUP
    territories = [
        {"code": "R84", "name": "Auvergne-Rhône-Alpes", "level": "REGION"},
        {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": "R84"},
    ]
    territories += [
        {"code": f"691{n:02d}", "name": f"Commune {n}", "level": "COMMUNE", "parent": "69"}
        for n in range(5)
    ]
    actors = [
        {
            "id": f"a{i:03d}",
            "name": f"Acteur {i}",
            "kind": "COMPANY",
            "territory": f"691{i % 5:02d}",
        }
        for i in range(ACTORS)
    ]
    alliances = [{"id": f"al{k:03d}", "name": f"Alliance {k}"} for k in range(2 * half)]
    memberships = []
    for i in range(ACTORS):
        memberships.append({"actor": f"a{i:03d}", "target": f"al{i // GROUP:03d}", "role": "LEAD"})
        memberships.append({"actor": f"a{i:03d}", "target": f"al{half + i % half:03d}"})
    return {
        "territories": territories,
        "actors": actors,
        "alliances": alliances,
        "memberships": memberships,
    }


def round_trips(client: Any, first: int) -> tuple[int, dict[str, Any]]:
    stats = client.app.state.db.stats
    before = stats.round_trips
    body = gql(client, QUERY, {"first": first})
    assert "errors" not in body, body
    return stats.round_trips - before, body["data"]["actors"]


def test_a_page_of_actors_costs_a_constant_number_of_round_trips(client: Any) -> None:
    book = workbook.validate(ecosystem())

    async def load() -> None:
        await writer.write(client.app.state.db, book, by="test")

    client.portal.call(load)

    small, page10 = round_trips(client, 10)
    large, page100 = round_trips(client, 100)
    print(f"round trips: first=10 -> {small}, first=100 -> {large}")

    assert page100["totalCount"] == ACTORS == len(page100["edges"])
    assert len(page10["edges"]) == 10
    for edge in page100["edges"]:
        node = edge["node"]
        assert len(node["territories"]) == 1
        assert len(node["alliances"]) == 2
        for alliance in node["alliances"]:
            members = alliance["members"]
            assert len(members) == GROUP
            assert node["id"] in {m["actor"]["id"] for m in members}
    assert small == large, f"round trips grow with the page: {small} for 10, {large} for 100"
    assert large <= MAX_ROUND_TRIPS, f"{large} round trips for 100 actors"
