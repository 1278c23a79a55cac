"""GraphQL over HTTP: the media types and status codes clients rely on."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration
GQL = "application/graphql-response+json"


def test_plain_json_clients_get_json(client: Any) -> None:
    r = client.post("/graphql", json={"query": "{ actors { totalCount } }"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")


def test_graphql_response_media_type(client: Any) -> None:
    ok = client.post(
        "/graphql", json={"query": "{ actors { totalCount } }"}, headers={"accept": GQL}
    )
    assert ok.status_code == 200 and ok.headers["content-type"] == GQL
    assert ok.json()["data"]["actors"]["totalCount"] == 0
    for bad in ("{ actors { nope } }", "{ actors {"):
        r = client.post("/graphql", json={"query": bad}, headers={"accept": GQL})
        assert r.status_code == 400 and r.headers["content-type"] == GQL
        assert "data" not in r.json() and r.json()["errors"]


def test_execution_errors_keep_200_and_data(client: Any) -> None:
    r = client.post(
        "/graphql",
        json={"query": '{ actors(after: "%%%") { totalCount } }'},
        headers={"accept": GQL},
    )
    assert r.status_code == 200 and "data" in r.json() and r.json()["errors"][0]["path"]


def test_health_says_neo4j_is_reachable(client: Any) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["neo4j"] is True
    assert set(r.json()["counts"]) >= {"actors", "initiatives", "alliances", "territories"}


def test_graphiql_is_served_to_browsers(client: Any) -> None:
    r = client.get("/graphql", headers={"accept": "text/html"})
    assert r.status_code == 200 and "graphiql" in r.text.lower()
    assert "https://" not in r.text and "http://" not in r.text
