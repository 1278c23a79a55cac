"""Soft deletes stay deleted, and end dates given as a year run to its end."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
import pytest

from tests.conftest import gql

pytestmark = pytest.mark.integration


def test_update_of_a_deleted_actor_is_not_found(demo_client: Any) -> None:
    gql(demo_client, 'mutation { deleteActor(id: "actor:le-rameau") { __typename } }')
    body = gql(
        demo_client,
        'mutation { updateActor(id: "actor:le-rameau", patch: {name: "x"}) '
        "{ __typename ... on NotFound { entity key } } }",
    )
    assert body["data"]["updateActor"] == {
        "__typename": "NotFound",
        "entity": "Actor",
        "key": "actor:le-rameau",
    }
    assert gql(demo_client, '{ actor(id: "actor:le-rameau") { id } }')["data"]["actor"] is None


def test_until_a_year_means_through_that_year(client: Any) -> None:
    gql(
        client,
        'mutation { createAlliance(input: {id: "al:x", name: "X", since: "2015", '
        'until: "2016"}) { __typename } }',
    )
    q = '{ alliances(filter: {activeAt: "%s"}) { totalCount } alliance(id: "al:x") { until } }'
    inside = gql(client, q % "2016-11-30")["data"]
    assert inside["alliances"]["totalCount"] == 1 and inside["alliance"]["until"] == "2016-12-31"
    assert gql(client, q % "2017-01-01")["data"]["alliances"]["totalCount"] == 0


def test_a_deleted_territory_is_gone_from_scopes_and_lists(client: Any) -> None:
    """The map, the lists' filters, the exports and the analysis agree: a
    deleted territory is no scope, no node lists it, and what lies under it
    is cut off from the territories above (R84 > area:m69 > 69123)."""
    for code, level, parents in (
        ("R84", "REGION", "[]"),
        ("area:m69", "AREA", '["R84"]'),
        ("69123", "COMMUNE", '["area:m69"]'),
    ):
        gql(
            client,
            f'mutation {{ createTerritory(input: {{code: "{code}", name: "{code}", '
            f"level: {level}, parents: {parents}}}) {{ __typename }} }}",
        )
    for actor, places in (("a1", '["69123"]'), ("a2", '["R84", "area:m69"]')):
        gql(
            client,
            f'mutation {{ createActor(input: {{id: "{actor}", name: "{actor}", '
            f"kind: ASSOCIATION, territories: {places}}}) {{ __typename }} }}",
        )
    gql(client, 'mutation { deleteTerritory(code: "area:m69") { __typename } }')
    q = """{ mapGraph(territory: "%s") { nodes { id territories } }
             actors(filter: {territory: "%s"}) { totalCount }
             territories(filter: {within: "%s"}) { totalCount } }"""
    gone = gql(client, q % (("area:m69",) * 3))["data"]
    assert gone["mapGraph"]["nodes"] == [] and gone["actors"]["totalCount"] == 0
    assert gone["territories"]["totalCount"] == 0
    assert client.get("/export/graphml?territory=area:m69").status_code == 404
    region = gql(client, q % (("R84",) * 3))["data"]
    assert region["mapGraph"]["nodes"] == [{"id": "a2", "territories": ["R84"]}]
    assert region["actors"]["totalCount"] == 1 and region["territories"]["totalCount"] == 0
    exported = nx.read_graphml(io.BytesIO(client.get("/export/graphml?territory=R84").content))
    assert set(exported.nodes) == {"a2", "R84"}
    run = gql(
        client,
        'mutation { runAnalysis(territory: "R84") { ... on AnalysisRun { summary { name value } } } }',
    )
    stats = {s["name"]: s["value"] for s in run["data"]["runAnalysis"]["summary"]}
    assert float(stats["actors"]) == 1
