"""The write side of the API on the real Neo4j: create, update, soft delete,
memberships, provenance and history."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

pytestmark = pytest.mark.integration

USER = "mapper@lyon"


def call(
    client: Any, query: str, variables: dict[str, Any] | None = None, user: str = USER
) -> dict[str, Any]:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"X-Graphmap-User": user},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def history(runner: Any, db: Any, entity_id: str) -> list[dict[str, Any]]:
    rows = runner.run(db.fetch("history.of_entity", id=entity_id, limit=10))
    return [r["change"] for r in rows]


PROV = "provenance { createdBy createdAt updatedAt source }"
ERRORS = (
    "... on InvalidInput { message errors { field message value } } ... on NotFound { message key }"
)

TERRITORY = f"""mutation($input: TerritoryInput!) {{ createTerritory(input: $input) {{
  __typename ... on Territory {{ code name level population flags parents {{ code }} }} {ERRORS} }} }}"""
ACTOR = f"""mutation($input: ActorInput!) {{ createActor(input: $input) {{
  __typename ... on Actor {{ id name kind world siren declaredRoles description website
                             territories {{ code }} {PROV} }} {ERRORS} }} }}"""
UPDATE_ACTOR = f"""mutation($id: ID!, $patch: ActorPatch!) {{ updateActor(id: $id, patch: $patch) {{
  __typename ... on Actor {{ id name kind world siren description website
                             territories {{ code }} {PROV} }} {ERRORS} }} }}"""
INITIATIVE = f"""mutation($input: InitiativeInput!) {{ createInitiative(input: $input) {{
  __typename ... on Initiative {{ id name form stage themes startedOn territories {{ code }} {PROV} }}
  {ERRORS} }} }}"""
ALLIANCE = f"""mutation($input: AllianceInput!) {{ createAlliance(input: $input) {{
  __typename ... on Alliance {{ id name type horizon since until evaluated
                                initiatives {{ id }} territories {{ code }} {PROV} }} {ERRORS} }} }}"""
MEMBERSHIP = f"""mutation($input: MembershipInput!) {{ addMembership(input: $input) {{
  __typename ... on Membership {{ role since until actor {{ id }} alliance {{ id }} initiative {{ id }} }}
  {ERRORS} }} }}"""


def setup_territories(client: Any) -> None:
    for row in (
        {"code": "R84", "name": "Auvergne-Rhône-Alpes", "level": "REGION"},
        {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parents": ["R84"]},
        {
            "code": "69123",
            "name": "Lyon",
            "level": "COMMUNE",
            "parents": ["69"],
            "population": 522250,
            "flags": ["URBAN"],
        },
    ):
        result = call(client, TERRITORY, {"input": row})["createTerritory"]
        assert result["__typename"] == "Territory", result


def test_territory_create_update_delete(client: Any, db: Any, runner: Any) -> None:
    setup_territories(client)
    lyon = call(
        client,
        '{ territory(code: "69123") { code name level population flags '
        "parent { code parent { code } } } }",
    )["territory"]
    assert lyon == {
        "code": "69123",
        "name": "Lyon",
        "level": "COMMUNE",
        "population": 522250,
        "flags": ["URBAN"],
        "parent": {"code": "69", "parent": {"code": "R84"}},
    }
    updated = call(
        client,
        """mutation { updateTerritory(code: "69123", patch: {population: 523000}) {
        __typename ... on Territory { code name population flags } } }""",
    )["updateTerritory"]
    assert updated == {
        "__typename": "Territory",
        "code": "69123",
        "name": "Lyon",
        "population": 523000,
        "flags": ["URBAN"],
    }
    assert (
        call(client, '{ territory(code: "69") { childrenCount } }')["territory"]["childrenCount"]
        == 1
    )
    deleted = call(
        client, 'mutation { deleteTerritory(code: "69123") { __typename ... on Deleted { id } } }'
    )
    assert deleted["deleteTerritory"] == {"__typename": "Deleted", "id": "69123"}
    assert call(client, '{ territory(code: "69123") { code } }')["territory"] is None
    assert (
        call(client, '{ territory(code: "69") { childrenCount } }')["territory"]["childrenCount"]
        == 0
    )
    ops = [c["op"] for c in history(runner, db, "69123")]
    assert ops == ["delete", "update", "create"]


def test_actor_create_provenance_and_history(client: Any, db: Any, runner: Any) -> None:
    setup_territories(client)
    before = datetime.now().astimezone()
    actor = call(
        client,
        ACTOR,
        {
            "input": {
                "id": "actor:ville-de-lyon",
                "name": "Ville de Lyon",
                "kind": "LOCAL_AUTHORITY",
                "territories": ["69123"],
                "siren": "216901231",
                "source": "test",
            }
        },
    )["createActor"]
    assert actor["__typename"] == "Actor", actor
    assert actor["world"] == "PUBLIC" and actor["siren"] == "216901231"
    assert [t["code"] for t in actor["territories"]] == ["69123"]
    prov = actor["provenance"]
    assert prov["createdBy"] == USER and prov["source"] == "test"
    created = datetime.fromisoformat(prov["createdAt"])
    assert created.tzinfo is not None and created >= before.replace(microsecond=0)
    assert prov["updatedAt"] == prov["createdAt"]

    changes = history(runner, db, "actor:ville-de-lyon")
    assert len(changes) == 1
    change = changes[0]
    assert change["op"] == "create" and change["entity"] == "Actor" and change["by"] == USER
    assert json.loads(change["data"])["name"] == "Ville de Lyon"
    # the actor is found by the lists, with its territory and its sub-territory filter
    found = call(
        client, '{ actors(filter: {territory: "R84"}) { totalCount edges { node { id } } } }'
    )
    assert found["actors"]["totalCount"] == 1


def test_actor_update_changes_only_given_fields(client: Any, db: Any, runner: Any) -> None:
    setup_territories(client)
    created = call(
        client,
        ACTOR,
        {
            "input": {
                "id": "a1",
                "name": "Habitat et Humanisme",
                "kind": "ASSOCIATION",
                "territories": ["69123"],
                "description": "Logement",
                "website": "https://example.org",
            }
        },
    )["createActor"]
    updated = call(
        client,
        UPDATE_ACTOR,
        {"id": "a1", "patch": {"name": "Habitat & Humanisme"}},
        user="someone-else",
    )["updateActor"]
    assert updated["__typename"] == "Actor", updated
    assert updated["name"] == "Habitat & Humanisme"
    assert updated["description"] == "Logement" and updated["website"] == "https://example.org"
    assert updated["kind"] == "ASSOCIATION" and [t["code"] for t in updated["territories"]] == [
        "69123"
    ]
    assert updated["provenance"]["createdBy"] == USER  # creation stays with its author
    assert updated["provenance"]["createdAt"] == created["provenance"]["createdAt"]
    assert updated["provenance"]["updatedAt"] > created["provenance"]["updatedAt"]
    # kind drives world; null empties a field; territories are replaced when given
    again = call(
        client,
        UPDATE_ACTOR,
        {
            "id": "a1",
            "patch": {"kind": "SOCIAL_ENTERPRISE", "description": None, "territories": ["69"]},
        },
    )["updateActor"]
    assert again["world"] == "SOCIAL_ECONOMY" and again["description"] is None
    assert again["name"] == "Habitat & Humanisme"
    assert [t["code"] for t in again["territories"]] == ["69"]
    changes = history(runner, db, "a1")
    assert [c["op"] for c in changes] == ["update", "update", "create"]
    assert {c["by"] for c in changes} == {USER, "someone-else"}
    assert json.loads(changes[1]["data"]) == {"name": "Habitat & Humanisme"}
    missing = call(client, UPDATE_ACTOR, {"id": "nobody", "patch": {"name": "X"}})["updateActor"]
    assert missing["__typename"] == "NotFound" and missing["key"] == "nobody"


def test_actor_soft_delete_hides_everywhere_but_keeps_the_node(
    client: Any, db: Any, runner: Any
) -> None:
    setup_territories(client)
    for aid in ("a1", "a2"):
        call(
            client,
            ACTOR,
            {
                "input": {
                    "id": aid,
                    "name": f"Partenaire {aid}",
                    "kind": "COMPANY",
                    "territories": ["69123"],
                }
            },
        )
    call(client, ALLIANCE, {"input": {"id": "al1", "name": "Alliance lyonnaise"}})
    for aid in ("a1", "a2"):
        call(client, MEMBERSHIP, {"input": {"actor": aid, "target": "al1"}})
    result = call(client, 'mutation { deleteActor(id: "a1") { __typename ... on Deleted { id } } }')
    assert result["deleteActor"] == {"__typename": "Deleted", "id": "a1"}
    reads = call(
        client,
        """{
      actor(id: "a1") { id }
      actors { totalCount edges { node { id } } }
      alliance(id: "al1") { members { actor { id } } }
      search(text: "Partenaire") { ... on Actor { id } }
      neighbourhood(id: "al1", depth: 1) { nodes { ... on Actor { id } } }
    }""",
    )
    assert reads["actor"] is None
    assert reads["actors"]["totalCount"] == 1
    assert [e["node"]["id"] for e in reads["actors"]["edges"]] == ["a2"]
    assert [m["actor"]["id"] for m in reads["alliance"]["members"]] == ["a2"]
    assert {h.get("id") for h in reads["search"]} == {"a2"}
    assert "a1" not in {n.get("id") for n in reads["neighbourhood"]["nodes"]}
    # still in the database, marked deleted, with its history
    kept = runner.run(db.fetch("history.of_entity", id="a1", limit=10))
    assert [c["change"]["op"] for c in kept] == ["delete", "create"]
    raw = runner.run(db.fetch("admin.dump"))
    node = next(n for n in raw[0]["nodes"] if n["props"].get("id") == "a1")
    assert node["props"]["deletedAt"] is not None and node["props"]["name"] == "Partenaire a1"
    again = call(
        client, 'mutation { deleteActor(id: "a1") { __typename ... on NotFound { key } } }'
    )
    assert again["deleteActor"] == {"__typename": "NotFound", "key": "a1"}


def test_initiative_create_update_delete(client: Any, db: Any, runner: Any) -> None:
    setup_territories(client)
    ini = call(
        client,
        INITIATIVE,
        {
            "input": {
                "id": "i1",
                "name": "Pôle d'accompagnement des PME",
                "form": "TERRITORIAL_ANIMATION",
                "stage": "EMERGENCE",
                "themes": ["EMPLOYMENT", "ECONOMIC_DEVELOPMENT"],
                "territories": ["69123"],
                "startedOn": "2016-02",
            }
        },
    )["createInitiative"]
    assert ini["__typename"] == "Initiative", ini
    assert ini["startedOn"] == "2016-02-01" and ini["themes"] == [
        "EMPLOYMENT",
        "ECONOMIC_DEVELOPMENT",
    ]
    assert ini["provenance"]["createdBy"] == USER
    updated = call(
        client,
        """mutation { updateInitiative(id: "i1", patch: {stage: CONSOLIDATION}) {
        ... on Initiative { name stage form themes startedOn territories { code } } } }""",
    )
    assert updated["updateInitiative"] == {
        "name": "Pôle d'accompagnement des PME",
        "stage": "CONSOLIDATION",
        "form": "TERRITORIAL_ANIMATION",
        "themes": ["EMPLOYMENT", "ECONOMIC_DEVELOPMENT"],
        "startedOn": "2016-02-01",
        "territories": [{"code": "69123"}],
    }
    call(client, 'mutation { deleteInitiative(id: "i1") { ... on Deleted { id } } }')
    assert call(client, '{ initiative(id: "i1") { id } initiatives { totalCount } }') == {
        "initiative": None,
        "initiatives": {"totalCount": 0},
    }
    assert [c["op"] for c in history(runner, db, "i1")] == ["delete", "update", "create"]


def test_alliance_and_memberships(client: Any, db: Any, runner: Any) -> None:
    setup_territories(client)
    call(client, INITIATIVE, {"input": {"id": "i1", "name": "Réhabilitation de la prison"}})
    for aid, kind in (("a1", "ACADEMIC"), ("a2", "COMPANY"), ("a3", "ASSOCIATION")):
        call(client, ACTOR, {"input": {"id": aid, "name": aid, "kind": kind}})
    alliance = call(
        client,
        ALLIANCE,
        {
            "input": {
                "id": "al1",
                "name": "Ancienne prison",
                "type": "ECONOMIC_COOPERATION",
                "horizon": "OPERATIONAL",
                "since": "2012",
                "until": "2016-06-30",
                "carries": ["i1"],
                "territories": ["69123"],
                "evaluated": True,
            }
        },
    )["createAlliance"]
    assert alliance["__typename"] == "Alliance", alliance
    assert alliance["since"] == "2012-01-01" and alliance["until"] == "2016-06-30"
    assert alliance["initiatives"] == [{"id": "i1"}] and alliance["evaluated"] is True
    assert alliance["provenance"]["createdBy"] == USER

    joined = call(
        client,
        MEMBERSHIP,
        {"input": {"actor": "a1", "target": "al1", "role": "LEAD", "since": "2012-03"}},
    )["addMembership"]
    assert joined == {
        "__typename": "Membership",
        "role": "LEAD",
        "since": "2012-03-01",
        "until": None,
        "actor": {"id": "a1"},
        "alliance": {"id": "al1"},
        "initiative": None,
    }
    default = call(client, MEMBERSHIP, {"input": {"actor": "a2", "target": "al1"}})["addMembership"]
    assert default["role"] == "PARTNER"
    contrib = call(
        client, MEMBERSHIP, {"input": {"actor": "a3", "target": "i1", "role": "BENEFICIARY"}}
    )["addMembership"]
    assert contrib["initiative"] == {"id": "i1"} and contrib["alliance"] is None
    # changing the role of an existing membership
    changed = call(
        client, MEMBERSHIP, {"input": {"actor": "a2", "target": "al1", "role": "FUNDER"}}
    )["addMembership"]
    assert changed["role"] == "FUNDER"
    # the fields left out stay as they are: a1's since is kept
    kept = call(
        client, MEMBERSHIP, {"input": {"actor": "a1", "target": "al1", "role": "FACILITATOR"}}
    )["addMembership"]
    assert (kept["role"], kept["since"]) == ("FACILITATOR", "2012-03-01")
    call(client, MEMBERSHIP, {"input": {"actor": "a1", "target": "al1", "role": "LEAD"}})
    members = call(client, '{ alliance(id: "al1") { members { role actor { id } } } }')
    assert sorted((m["actor"]["id"], m["role"]) for m in members["alliance"]["members"]) == [
        ("a1", "LEAD"),
        ("a2", "FUNDER"),
    ]

    removed = call(
        client,
        """mutation { removeMembership(actor: "a2", target: "al1") {
        __typename ... on Deleted { id } ... on NotFound { key } } }""",
    )["removeMembership"]
    assert removed == {"__typename": "Deleted", "id": "a2->al1"}
    members = call(
        client,
        '{ alliance(id: "al1") { members { actor { id } } } actor(id: "a2") { alliances { id } } }',
    )
    assert [m["actor"]["id"] for m in members["alliance"]["members"]] == ["a1"]
    assert members["actor"]["alliances"] == []
    again = call(
        client,
        """mutation { removeMembership(actor: "a2", target: "al1") {
        __typename ... on NotFound { key } } }""",
    )["removeMembership"]
    assert again["__typename"] == "NotFound"
    assert [c["op"] for c in history(runner, db, "a2->al1")] == ["delete", "upsert", "upsert"]
    # rejoining after leaving works (the soft-deleted tie comes back)
    back = call(client, MEMBERSHIP, {"input": {"actor": "a2", "target": "al1"}})["addMembership"]
    assert back["__typename"] == "Membership"

    upd = call(
        client,
        """mutation { updateAlliance(id: "al1", patch: {until: null, carries: []}) {
        ... on Alliance { name type since until initiatives { id } } } }""",
    )["updateAlliance"]
    assert upd == {
        "name": "Ancienne prison",
        "type": "ECONOMIC_COOPERATION",
        "since": "2012-01-01",
        "until": None,
        "initiatives": [],
    }
    call(client, 'mutation { deleteAlliance(id: "al1") { ... on Deleted { id } } }')
    after = call(client, '{ alliance(id: "al1") { id } actor(id: "a1") { alliances { id } } }')
    assert after == {"alliance": None, "actor": {"alliances": []}}
    assert [c["op"] for c in history(runner, db, "al1")] == ["delete", "update", "create"]


@pytest.mark.parametrize(
    ("mutation", "input_"),
    [
        (ACTOR, {"id": "x1", "name": "Doublon", "kind": "COMPANY"}),
        (INITIATIVE, {"id": "x1", "name": "Doublon"}),
        (ALLIANCE, {"id": "x1", "name": "Doublon"}),
        (TERRITORY, {"code": "x1", "name": "Doublon", "level": "AREA"}),
    ],
)
def test_creating_an_existing_id_is_invalid_input(
    client: Any, mutation: str, input_: dict[str, Any]
) -> None:
    first = call(client, mutation, {"input": input_})
    assert next(iter(first.values()))["__typename"] != "InvalidInput", first
    second = next(iter(call(client, mutation, {"input": {**input_, "name": "Autre"}}).values()))
    assert second["__typename"] == "InvalidInput", second
    fields = {e["field"] for e in second["errors"]}
    assert fields & {"id", "code"}
    assert any(e["value"] == "x1" for e in second["errors"])
    assert ".csv" not in second["message"] and "row" not in second["message"]  # no file here
