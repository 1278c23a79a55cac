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


def test_only_names_of_this_server_are_answered(client: Any) -> None:
    """A page of another site that points its own name at 127.0.0.1 (DNS
    rebinding) would read the graph as same-origin: its requests name that
    site in Host, and are refused, on every route."""
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
        for path in ("/healthz", "/export/json", "/"):
            r = client.get(path, headers={"host": host})
            assert r.status_code == 403, (host, path)
            assert "GRAPHMAP_ALLOWED_HOSTS" in r.json()["errors"][0]["message"]
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST", "testserver"):
        assert client.get("/healthz", headers={"host": host}).status_code == 200, host


def test_allowed_hosts_and_the_listening_address_are_answered(
    neo4j_uri: str, settings: Any
) -> None:
    import dataclasses

    from starlette.testclient import TestClient

    from graphmap.web import create_app

    named = dataclasses.replace(
        settings, host="192.168.1.10", allowed_hosts="map.example.org, Other.example"
    )
    with TestClient(create_app(named, neo4j_uri)) as c:
        for host in ("map.example.org", "other.example:443", "192.168.1.10:8000"):
            assert c.get("/healthz", headers={"host": host}).status_code == 200, host
        assert c.get("/healthz", headers={"host": "testserver"}).status_code == 403
