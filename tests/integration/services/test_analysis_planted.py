"""The mission's check, end to end: an ecosystem with planted bridges and
emerging initiatives goes in through the import path (workbook → Neo4j), is
analysed from Neo4j, and the GraphQL rankings find what was planted, while
the decoys (a high-degree one-world hub, a declared facilitator tying only
its own world, young one-world projects, old projects, one-partner projects)
stay out of the top 10."""

from __future__ import annotations

from typing import Any

import pytest

from graphmap.analysis.generate import generate_ecosystem
from graphmap.services import workbook, writer
from tests.conftest import gql

pytestmark = pytest.mark.integration

SEED = 3
ACTORS = 1500


@pytest.fixture
def planted(client: Any) -> Any:
    eco = generate_ecosystem(ACTORS, seed=SEED)
    book = workbook.validate(eco.rows())

    async def load() -> None:
        await writer.write(client.app.state.db, book, by="test")

    client.portal.call(load)
    return eco


def test_planted_bridges_and_emerging_are_found(client: Any, planted: Any) -> None:
    as_of = planted.as_of.isoformat()
    run = gql(client, f'mutation {{ runAnalysis(asOf: "{as_of}") {{ __typename }} }}')
    assert run["data"]["runAnalysis"]["__typename"] == "AnalysisRun", run
    body = gql(
        client,
        f"""{{
      facilitatorBridges(asOf: "{as_of}", limit: 10) {{ actor {{ id }} reasons }}
      emergingInitiatives(asOf: "{as_of}", limit: 10) {{ initiative {{ id }} reasons }}
    }}""",
    )
    assert "errors" not in body, body
    bridges = [b["actor"]["id"] for b in body["data"]["facilitatorBridges"]]
    emerging = [e["initiative"]["id"] for e in body["data"]["emergingInitiatives"]]
    truth_b = set(planted.planted_bridges)
    truth_e = set(planted.planted_emerging)
    recall_b = len(truth_b & set(bridges)) / min(10, len(truth_b))
    recall_e = len(truth_e & set(emerging)) / min(10, len(truth_e))
    print(f"recall@10 bridges {recall_b:.2f}, emerging {recall_e:.2f}")
    assert recall_b >= 0.7, (bridges, sorted(truth_b))
    assert recall_e >= 0.7, (emerging, sorted(truth_e))
    decoys = {d for ids in planted.decoys.values() for d in ids}
    assert not decoys & set(bridges), decoys & set(bridges)
    assert not decoys & set(emerging), decoys & set(emerging)
    # every answer explains itself in words a person can check
    assert all(b["reasons"] for b in body["data"]["facilitatorBridges"])
    assert all(e["reasons"] for e in body["data"]["emergingInitiatives"])
