"""Analysis through the API on the demo ecosystem: runs stored, reused,
bridges and emerging initiatives with reasons, territory indicators."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql

pytestmark = pytest.mark.integration

RUN = "mutation { runAnalysis { __typename ... on AnalysisRun { id reused revision timings { stage seconds } summary { name value } } } }"


def test_run_is_stored_then_reused(demo_client: Any) -> None:
    first = gql(demo_client, RUN)["data"]["runAnalysis"]
    assert first["__typename"] == "AnalysisRun" and first["reused"] is False
    stages = {t["stage"] for t in first["timings"]}
    assert {"read", "projection", "betweenness", "write"} <= stages
    again = gql(demo_client, RUN)["data"]["runAnalysis"]
    assert again["reused"] is True and again["id"] == first["id"]
    latest = gql(demo_client, "{ latestAnalysis { id } }")["data"]["latestAnalysis"]
    assert latest["id"] == first["id"]


def test_bridges_have_reasons_and_metrics(demo_client: Any) -> None:
    gql(demo_client, RUN)
    body = gql(
        demo_client,
        """{
      facilitatorBridges(limit: 5) { rank score reasons declared detected actor { id name } }
      hiddenBridges(limit: 5) { actor { id } declared detected }
      actor(id: "actor:le-rameau") { metrics { degree betweenness bridgeScore } bridgeReasons }
    }""",
    )
    assert "errors" not in body, body
    bridges = body["data"]["facilitatorBridges"]
    assert len(bridges) == 5 and [b["rank"] for b in bridges] == [1, 2, 3, 4, 5]
    assert all(b["reasons"] for b in bridges)
    assert bridges[0]["score"] >= bridges[-1]["score"]
    assert all(h["detected"] and not h["declared"] for h in body["data"]["hiddenBridges"])
    rameau = body["data"]["actor"]
    assert rameau["metrics"]["degree"] > 0 and rameau["bridgeReasons"]


def test_emerging_initiatives_and_weights(demo_client: Any) -> None:
    q = """query($w: EmergenceWeightsInput) { emergingInitiatives(limit: 10, weights: $w) {
             rank score reasons initiative { id name } components { youth diversity } } }"""
    base = gql(demo_client, q)["data"]["emergingInitiatives"]
    assert base and all(e["reasons"] for e in base)
    youth_only = gql(
        demo_client,
        q,
        {"w": {"youth": 1, "lowVisibility": 0, "growth": 0, "diversity": 0, "bridgeProximity": 0}},
    )
    ranked = youth_only["data"]["emergingInitiatives"]
    youths = [e["components"]["youth"] for e in ranked]
    assert youths == sorted(youths, reverse=True)


def test_territory_indicators_and_scoped_run(demo_client: Any) -> None:
    gql(demo_client, RUN)
    body = gql(
        demo_client,
        """{ territory(code: "FR") { indicators { actors ties bridges
             crossWorldShare worldMatrix { worlds counts actors missingPairs } } }
             facilitatorBridges(territory: "R84", limit: 3) { actor { id } } }""",
    )
    assert "errors" not in body, body
    ind = body["data"]["territory"]["indicators"]
    assert ind["actors"] > 10
    k = len(ind["worldMatrix"]["worlds"])
    assert len(ind["worldMatrix"]["counts"]) == k


def test_run_analysis_rejects_unknown_territory(demo_client: Any) -> None:
    body = gql(
        demo_client,
        'mutation { runAnalysis(territory: "nowhere") { __typename '
        "... on InvalidInput { errors { field value } } } }",
    )
    assert body["data"]["runAnalysis"]["errors"][0]["field"] == "territory"
