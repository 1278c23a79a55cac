"""``mapGraph``: the web map's one-request scope, on the demo in a real Neo4j."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql

pytestmark = pytest.mark.integration

MAP = """
query($territory: String, $asOf: String, $include: [MapNodeKind!], $limit: Int! = 50000) {
  mapGraph(territory: $territory, asOf: $asOf, include: $include, limit: $limit) {
    truncated
    nodes { id kind name actorKind world territories since until degree betweenness pagerank
            bridgeScore emergenceScore declaredFacilitator themes allianceType }
    edges { source target type role since until }
  }
}
"""


def _map(client: Any, **variables: Any) -> dict[str, Any]:
    body = gql(client, MAP, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["mapGraph"]
    return result


def _ids(result: dict[str, Any], kind: str | None = None) -> set[str]:
    return {n["id"] for n in result["nodes"] if kind is None or n["kind"] == kind}


def test_whole_demo_in_one_request(demo_client: Any) -> None:
    result = _map(demo_client)
    assert not result["truncated"]
    assert len(_ids(result, "ACTOR")) == 52
    assert len(_ids(result, "INITIATIVE")) == 21
    assert len(_ids(result, "ALLIANCE")) == 23
    ids = _ids(result)
    assert result["edges"], "the demo has ties"
    assert all(e["source"] in ids and e["target"] in ids for e in result["edges"])
    assert {e["type"] for e in result["edges"]} == {"MEMBER_OF", "CONTRIBUTES_TO", "CARRIES"}
    rameau = next(n for n in result["nodes"] if n["id"] == "actor:le-rameau")
    assert rameau["world"] == "INTERMEDIARY" and rameau["actorKind"] == "NETWORK"
    assert rameau["declaredFacilitator"] is True and rameau["territories"] == ["FR"]
    # No analysis run yet: metrics are null, not zero.
    assert all(n["pagerank"] is None and n["bridgeScore"] is None for n in result["nodes"])
    alliance = next(n for n in result["nodes"] if n["id"] == "alliance:fnce-rameau")
    assert alliance["since"] == "2013-01-01" and alliance["allianceType"] == "SOCIETAL_INNOVATION"
    initiative = next(n for n in result["nodes"] if n["kind"] == "INITIATIVE")
    assert initiative["themes"], "initiatives carry their themes for the theme filter"


def test_territory_scope_includes_sub_territories(demo_client: Any) -> None:
    # Rhône (69) holds Lyon (69123): Lyon's actors are in, Paris's are not.
    rhone = _map(demo_client, territory="69")
    actors = _ids(rhone, "ACTOR")
    assert {"actor:fondation-caisse-epargne", "actor:universite-catholique-de-lyon"} <= actors
    assert "actor:le-rameau" not in actors  # located in FR, above the scope
    assert "actor:entreprises-verrieres-vannes-le-chatel" not in actors
    ids = _ids(rhone)
    assert all(e["source"] in ids and e["target"] in ids for e in rhone["edges"])
    # The région contains the département, so it contains at least as much.
    region = _map(demo_client, territory="R84")
    assert actors <= _ids(region, "ACTOR")
    # Groups come with their in-scope members.
    member_groups = {e["target"] for e in rhone["edges"] if e["source"] in actors}
    assert member_groups <= ids


def test_as_of_keeps_what_ran_at_that_date(demo_client: Any) -> None:
    diag = "alliance:caisses-epargne-rameau-diagnostics"  # 2015 → 2016
    assert diag not in _ids(_map(demo_client, asOf="2014-06-01"))
    during = _map(demo_client, asOf="2015-06")
    assert diag in _ids(during)
    assert any(e["target"] == diag for e in during["edges"])
    assert diag not in _ids(_map(demo_client, asOf="2018"))
    early = _map(demo_client, asOf="2000")
    assert len(early["nodes"]) < len(_map(demo_client)["nodes"])
    # An actor whose every tie is dated after the date is not drawn yet.
    for node in early["nodes"]:
        if node["since"]:
            assert node["since"] <= "2000-01-01"


def test_include_and_limit(demo_client: Any) -> None:
    actors_only = _map(demo_client, include=["ACTOR"])
    assert {n["kind"] for n in actors_only["nodes"]} == {"ACTOR"}
    assert actors_only["edges"] == []
    small = _map(demo_client, limit=5)
    assert small["truncated"] and len(small["nodes"]) == 5
    ids = _ids(small)
    assert all(e["source"] in ids and e["target"] in ids for e in small["edges"])


def test_bad_arguments_name_the_field(demo_client: Any) -> None:
    body = gql(demo_client, MAP, {"asOf": "not a date"})
    assert "errors" in body and "asOf" in body["errors"][0]["message"]
    body = gql(demo_client, MAP, {"limit": 0})
    assert "errors" in body and "limit" in body["errors"][0]["message"]


def test_metrics_come_from_the_newest_done_whole_graph_run(demo_client: Any) -> None:
    async def plant() -> None:
        db = demo_client.app.state.db
        await db.driver.execute_query(
            """
            CREATE (old:AnalysisRun {id: 'run:old', scopeKey: '*|*', status: 'done',
                                     createdAt: datetime('2024-01-01T00:00:00Z')})
            CREATE (new:AnalysisRun {id: 'run:new', scopeKey: '*|*', status: 'done',
                                     createdAt: datetime('2025-01-01T00:00:00Z')})
            CREATE (busy:AnalysisRun {id: 'run:busy', scopeKey: '*|*', status: 'running',
                                      createdAt: datetime('2026-01-01T00:00:00Z')})
            CREATE (local:AnalysisRun {id: 'run:local', scopeKey: '69|*', status: 'done',
                                       createdAt: datetime('2026-01-01T00:00:00Z')})
            WITH old, new, busy, local
            MATCH (a:Actor {id: 'actor:le-rameau'}), (i:Initiative {id: 'init:rencontres-des-pionniers'})
            CREATE (old)-[:MEASURED {degree: 1.0, betweenness: 0.1, pagerank: 0.01, bridgeScore: 0.1}]->(a)
            CREATE (new)-[:MEASURED {degree: 9.0, betweenness: 0.5, pagerank: 0.2, bridgeScore: 0.8,
                                     community: 3}]->(a)
            CREATE (busy)-[:MEASURED {degree: 99.0, pagerank: 0.9}]->(a)
            CREATE (local)-[:MEASURED {degree: 77.0, pagerank: 0.7}]->(a)
            CREATE (new)-[:MEASURED {degree: 2.0, pagerank: 0.05, emergenceScore: 0.66}]->(i)
            """,
            database_=db.database,
        )

    demo_client.portal.call(plant)
    result = _map(demo_client)
    by_id = {n["id"]: n for n in result["nodes"]}
    rameau = by_id["actor:le-rameau"]
    assert rameau["degree"] == 9.0 and rameau["pagerank"] == pytest.approx(0.2)
    assert rameau["betweenness"] == pytest.approx(0.5) and rameau["bridgeScore"] == pytest.approx(
        0.8
    )
    initiative = by_id["init:rencontres-des-pionniers"]
    assert initiative["emergenceScore"] == pytest.approx(0.66) and initiative["degree"] == 2.0
    assert by_id["actor:fnce"]["pagerank"] is None  # measured by no run
    # The runs are not map nodes, and nothing is duplicated.
    assert len(result["nodes"]) == len(by_id) == 52 + 21 + 23
