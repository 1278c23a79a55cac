"""Bad input never half-writes: each case gets a typed error naming the field
and the value, and the database is byte-for-byte what it was before (a full
dump of nodes and relationships, compared before and after)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graphmap.errors import FieldError, InvalidInput, NotFound
from graphmap.services import workbook, writer
from tests.conftest import gql
from tests.integration.services.workbooks import scalar

pytestmark = pytest.mark.integration

SIREN_OK = "732829320"
SIRET_OK = "73282932000074"

SEED: dict[str, list[dict[str, Any]]] = {
    "territories": [
        {"code": "R84", "name": "Auvergne-Rhône-Alpes", "level": "REGION"},
        {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": "R84"},
        {"code": "69123", "name": "Lyon", "level": "COMMUNE", "parent": "69"},
    ],
    "actors": [
        {
            "id": "a:existing",
            "name": "Acteur existant",
            "kind": "COMPANY",
            "siren": SIREN_OK,
            "territory": "69123",
        },
        {"id": "a:other", "name": "Autre acteur", "kind": "ASSOCIATION"},
    ],
    "initiatives": [{"id": "i:existing", "name": "Initiative existante"}],
    "alliances": [{"id": "al:existing", "name": "Alliance existante", "carries": "i:existing"}],
    "memberships": [{"actor": "a:existing", "target": "al:existing"}],
}


def dump(runner: Any, db: Any) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties, in a stable order."""
    row = runner.run(db.fetch("admin.dump"))[0]

    def canon(items: list[Any]) -> list[str]:
        return sorted(json.dumps(i, sort_keys=True, default=str) for i in items)

    return canon(row["nodes"]), canon(row["relationships"])


async def write(db: Any, sheets: dict[str, list[dict[str, Any]]], mode: Any = "upsert") -> Any:
    book = workbook.validate(sheets)
    return await writer.write(db, book, by="test", mode=mode)


@pytest.fixture
def seeded(db: Any, runner: Any) -> Any:
    runner.run(write(db, SEED))
    return db


def rejected(
    runner: Any, db: Any, sheets: dict[str, list[dict[str, Any]]], mode: str = "upsert"
) -> list[FieldError]:
    """Write ``sheets``; it must fail with InvalidInput and change nothing."""
    before = dump(runner, db)
    with pytest.raises(InvalidInput) as info:
        runner.run(write(db, sheets, mode))
    assert dump(runner, db) == before, "a rejected write changed the database"
    assert info.value.errors
    return info.value.errors


def names(errors: list[FieldError], field: str, value: str | None) -> FieldError:
    """The error about ``field`` showing ``value`` (its message mentions the rule)."""
    for e in errors:
        if e.field == field and (value is None or (e.value is not None and value in e.value)):
            assert e.message
            assert field in str(e) and (value is None or value in str(e))
            return e
    raise AssertionError(f"no error naming {field}={value!r} in {errors}")


def actor(**cells: Any) -> dict[str, list[dict[str, Any]]]:
    return {"actors": [{"id": "a:new", "name": "Nouvel acteur", "kind": "ASSOCIATION", **cells}]}


CASES = [
    # (case id, sheets, field, value shown)
    ("unknown kind", actor(kind="BANK"), "kind", "BANK"),
    (
        "unknown role",
        {"memberships": [{"actor": "a:other", "target": "al:existing", "role": "BOSS"}]},
        "role",
        "BOSS",
    ),
    (
        "unknown alliance type",
        {"alliances": [{"id": "al:new", "name": "N", "type": "LOVE"}]},
        "type",
        "LOVE",
    ),
    (
        "unknown theme",
        {"initiatives": [{"id": "i:new", "name": "N", "themes": "HEALTH;SPACE"}]},
        "themes",
        "SPACE",
    ),
    (
        "unknown level",
        {"territories": [{"code": "X1", "name": "X", "level": "CANTON"}]},
        "level",
        "CANTON",
    ),
    ("bad SIREN", actor(siren="732829321"), "siren", "732829321"),
    ("short SIREN", actor(siren="12345"), "siren", "12345"),
    ("bad SIRET", actor(siret="73282932000075"), "siret", "73282932000075"),
    ("bad RNA", actor(rna="W12345"), "rna", "W12345"),
    (
        "bad commune code",
        {"territories": [{"code": "6912", "name": "Lyon?", "level": "COMMUNE", "parent": "69"}]},
        "code",
        "6912",
    ),
    (
        "letters in commune code",
        {"territories": [{"code": "2C004", "name": "Ajaccio?", "level": "COMMUNE"}]},
        "code",
        "2C004",
    ),
    ("unknown territory on actor", actor(territory="69123;99999"), "territory", "99999"),
    (
        "unknown parent territory",
        {"territories": [{"code": "69124", "name": "X", "level": "COMMUNE", "parent": "68"}]},
        "parent",
        "68",
    ),
    (
        "unknown initiative carried",
        {"alliances": [{"id": "al:new", "name": "N", "carries": "i:existing;i:ghost"}]},
        "carries",
        "i:ghost",
    ),
    (
        "membership of unknown actor",
        {"memberships": [{"actor": "a:ghost", "target": "al:existing"}]},
        "actor",
        "a:ghost",
    ),
    (
        "membership to unknown target",
        {"memberships": [{"actor": "a:other", "target": "al:ghost"}]},
        "target",
        "al:ghost",
    ),
    ("empty name", actor(name="   "), "name", None),
    ("missing kind", {"actors": [{"id": "a:new", "name": "N"}]}, "kind", None),
    ("oversized name", actor(name="N" * 301), "name", "NNNNN"),
    (
        "impossible date",
        {"alliances": [{"id": "al:new", "name": "N", "since": "2024-13-45"}]},
        "since",
        "2024-13-45",
    ),
    (
        "words as date",
        {"memberships": [{"actor": "a:other", "target": "al:existing", "since": "next year"}]},
        "since",
        "next year",
    ),
    (
        "until before since",
        {"alliances": [{"id": "al:new", "name": "N", "since": "2020-05-01", "until": "2019"}]},
        "until",
        "2019",
    ),
    (
        "membership until before since",
        {
            "memberships": [
                {"actor": "a:other", "target": "al:existing", "since": "2020", "until": "2019-12"}
            ]
        },
        "until",
        "2019-12",
    ),
    ("duplicate SIREN", actor(siren=SIREN_OK), "siren", SIREN_OK),
    (
        "SIREN twice in one import",
        {
            "actors": [
                {"id": "a:n1", "name": "N1", "kind": "COMPANY", "siret": SIRET_OK},
                {"id": "a:n2", "name": "N2", "kind": "COMPANY", "siret": SIRET_OK},
            ]
        },
        "siret",
        SIRET_OK,
    ),
    (
        "id of an actor used for an alliance",
        {"alliances": [{"id": "a:existing", "name": "N"}]},
        "id",
        "a:existing",
    ),
    ("id of an initiative used for an actor", actor(id="i:existing"), "id", "i:existing"),
    ("bad id characters", actor(id="a new id"), "id", "a new id"),
    ("bad website", actor(website="javascript:alert(1)"), "website", "javascript:alert(1)"),
    (
        "bad boolean",
        {"alliances": [{"id": "al:new", "name": "N", "evaluated": "maybe"}]},
        "evaluated",
        "maybe",
    ),
    (
        "negative population",
        {"territories": [{"code": "X1", "name": "X", "level": "AREA", "population": "-3"}]},
        "population",
        "-3",
    ),
    (
        "duplicate row",
        {
            "actors": [
                {"id": "a:n", "name": "N", "kind": "COMPANY"},
                {"id": "a:n", "name": "N bis", "kind": "COMPANY"},
            ]
        },
        "id",
        "a:n",
    ),
]


@pytest.mark.parametrize(
    ("sheets", "field", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_row_is_rejected_and_nothing_written(
    seeded: Any, runner: Any, sheets: dict[str, list[dict[str, Any]]], field: str, value: str | None
) -> None:
    errors = rejected(runner, seeded, sheets)
    names(errors, field, value)


def test_create_with_an_existing_id_names_id(seeded: Any, runner: Any) -> None:
    errors = rejected(
        runner,
        seeded,
        {"actors": [{"id": "a:other", "name": "N", "kind": "COMPANY"}]},
        mode="create",
    )
    names(errors, "id", "a:other")
    errors = rejected(
        runner,
        seeded,
        {"territories": [{"code": "69", "name": "N", "level": "DEPARTEMENT"}]},
        mode="create",
    )
    names(errors, "code", "69")


def test_update_of_an_unknown_id_is_not_found(seeded: Any, runner: Any) -> None:
    before = dump(runner, seeded)
    book = workbook.validate({"actors": [{"id": "a:ghost", "name": "N"}]}, partial=True)
    with pytest.raises(NotFound):
        runner.run(writer.write(seeded, book, by="test", mode="update"))
    book = workbook.validate({"territories": [{"code": "01001", "name": "N"}]}, partial=True)
    with pytest.raises(NotFound):
        runner.run(writer.write(seeded, book, by="test", mode="update"))
    assert dump(runner, seeded) == before


GOOD: dict[str, list[dict[str, Any]]] = {
    "territories": [{"code": "69381", "name": "Lyon 1er", "level": "COMMUNE", "parent": "69123"}],
    "actors": [
        {"id": f"a:good{i}", "name": f"Bon acteur {i}", "kind": "COMPANY", "territory": "69381"}
        for i in range(5)
    ],
    "initiatives": [{"id": "i:good", "name": "Bonne initiative", "territory": "69"}],
    "alliances": [{"id": "al:good", "name": "Bonne alliance", "carries": "i:good"}],
    "memberships": [{"actor": f"a:good{i}", "target": "al:good"} for i in range(5)],
}


def with_rows(**extra: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {sheet: [*GOOD[sheet], *extra.get(sheet, [])] for sheet in GOOD}


def test_one_bad_row_among_good_ones_writes_nothing(seeded: Any, runner: Any) -> None:
    sheets = with_rows(actors=[{"id": "a:bad", "name": "Mauvais", "kind": "BANK"}])
    errors = rejected(runner, seeded, sheets)
    e = names(errors, "kind", "BANK")
    assert e.file == "actors.csv" and e.row == 2 + 5  # under the header, after 5 good rows
    assert len(errors) == 1
    # without the bad row, the same workbook is written
    runner.run(write(seeded, GOOD))
    assert runner.run(seeded.fetch("actors.by_ids", ids=["a:good0"]))


def test_one_dangling_reference_among_good_rows_writes_nothing(seeded: Any, runner: Any) -> None:
    sheets = with_rows(memberships=[{"actor": "a:good1", "target": "al:ghost"}])
    errors = rejected(runner, seeded, sheets)
    e = names(errors, "target", "al:ghost")
    assert e.file == "memberships.csv" and e.row == 2 + 5


def test_every_bad_row_is_reported(seeded: Any, runner: Any) -> None:
    sheets = with_rows(
        actors=[
            {"id": "a:bad1", "name": "Mauvais 1", "kind": "BANK"},
            {"id": "a:bad2", "name": "Mauvais 2", "kind": "COMPANY", "siren": "123456789"},
            {"id": "a:bad3", "name": "", "kind": "COMPANY", "rna": "X"},
        ],
        alliances=[{"id": "al:bad", "name": "A", "since": "2024-13-45"}],
        memberships=[{"actor": "a:good0", "target": "al:good", "role": "KING", "until": "soon"}],
    )
    errors = rejected(runner, seeded, sheets)
    found = {(e.file, e.row, e.field) for e in errors}
    assert found == {
        ("actors.csv", 7, "kind"),
        ("actors.csv", 8, "siren"),
        ("actors.csv", 9, "name"),
        ("actors.csv", 9, "rna"),
        ("alliances.csv", 3, "since"),
        ("memberships.csv", 7, "role"),
        ("memberships.csv", 7, "until"),
    }


def test_every_dangling_reference_is_reported(seeded: Any, runner: Any) -> None:
    sheets = with_rows(
        actors=[
            {"id": "a:far", "name": "Loin", "kind": "COMPANY", "territory": "99999"},
            {"id": "a:twin", "name": "Jumeau", "kind": "COMPANY", "siren": SIREN_OK},
        ],
        alliances=[{"id": "al:x", "name": "X", "carries": "i:ghost"}],
        memberships=[
            {"actor": "a:ghost", "target": "al:good"},
            {"actor": "a:good0", "target": "i:nowhere"},
        ],
    )
    errors = rejected(runner, seeded, sheets)
    for field, value in (
        ("territory", "99999"),
        ("siren", SIREN_OK),
        ("carries", "i:ghost"),
        ("actor", "a:ghost"),
        ("target", "i:nowhere"),
    ):
        names(errors, field, value)


def test_territory_inversions_and_loops_are_refused(seeded: Any, runner: Any) -> None:
    # the département under its own commune, which the database holds under it
    inverted = {
        "territories": [{"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": "69123"}]
    }
    e = names(rejected(runner, seeded, inverted), "parent", "69123")
    assert e.message.startswith("is a COMMUNE, below a DEPARTEMENT")
    areas = {
        "territories": [
            {"code": "pays", "name": "Pays", "level": "AREA", "parent": "69"},
            {"code": "bassin", "name": "Bassin", "level": "AREA", "parent": "pays"},
        ]
    }
    runner.run(write(seeded, areas))
    # an AREA has no rank, but the loop 69 -> bassin -> pays -> 69 is refused
    looped = {
        "territories": [
            {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": "R84;bassin"}
        ]
    }
    e = names(rejected(runner, seeded, looped), "parent", "bassin")
    assert e.message == "closes a loop: 69 → bassin → pays → 69"
    # moving pays under the région first makes the same link fine
    runner.run(write(seeded, {"territories": [{**areas["territories"][0], "parent": "R84"}]}))
    runner.run(write(seeded, looped))
    parents = "MATCH (:Territory {id: '69'})-[:PART_OF]->(p) RETURN collect(p.id)"
    assert sorted(scalar(runner, seeded, parents)) == ["R84", "bassin"]


# --- the same through GraphQL --------------------------------------------------------------


CREATE_ACTOR = """mutation($input: ActorInput!) { createActor(input: $input) {
  __typename ... on InvalidInput { message errors { field message value } } } }"""


@pytest.fixture
def seeded_client(client: Any) -> Any:
    async def seed() -> None:
        await write(client.app.state.db, SEED)

    client.portal.call(seed)
    return client


def api_dump(client: Any) -> Any:
    async def read() -> Any:
        return await client.app.state.db.fetch("admin.dump")

    row = client.portal.call(read)[0]
    return sorted(
        json.dumps(i, sort_keys=True, default=str) for i in [*row["nodes"], *row["relationships"]]
    )


def test_graphql_rejects_an_unknown_enum_value_by_name(seeded_client: Any) -> None:
    before = api_dump(seeded_client)
    literal = gql(
        seeded_client,
        """mutation { createActor(input: {id: "a:n", name: "N", kind: BANK}) {
        __typename } }""",
    )
    assert "BANK" in literal["errors"][0]["message"]
    variable = gql(
        seeded_client, CREATE_ACTOR, {"input": {"id": "a:n", "name": "N", "kind": "BANK"}}
    )
    assert "BANK" in variable["errors"][0]["message"]
    assert "ActorKind" in variable["errors"][0]["message"]
    filtered = gql(seeded_client, "{ actors(filter: {kinds: [BANK]}) { totalCount } }")
    assert "BANK" in filtered["errors"][0]["message"]
    assert api_dump(seeded_client) == before


@pytest.mark.parametrize(
    ("input_", "field", "value"),
    [
        ({"siren": "732829321"}, "siren", "732829321"),
        ({"siret": "73282932000075"}, "siret", "73282932000075"),
        ({"rna": "W1"}, "rna", "W1"),
        ({"territories": ["99999"]}, "territory", "99999"),
        ({"name": ""}, "name", None),
        ({"name": "x" * 301}, "name", "xxxx"),
        ({"siren": SIREN_OK}, "siren", SIREN_OK),
        ({"id": "al:existing"}, "id", "al:existing"),
        ({"id": "a:existing"}, "id", "a:existing"),
    ],
)
def test_graphql_bad_actor_is_a_typed_error(
    seeded_client: Any, input_: dict[str, Any], field: str, value: str | None
) -> None:
    before = api_dump(seeded_client)
    body = gql(
        seeded_client,
        CREATE_ACTOR,
        {"input": {"id": "a:n", "name": "N", "kind": "COMPANY", **input_}},
    )
    assert "errors" not in body, body
    result = body["data"]["createActor"]
    assert result["__typename"] == "InvalidInput", result
    assert any(
        e["field"] == field and (value is None or value in (e["value"] or ""))
        for e in result["errors"]
    ), result
    assert field in result["message"]
    assert api_dump(seeded_client) == before


@pytest.mark.parametrize(
    ("input_", "field", "value"),
    [
        ({"since": "2024-13-45"}, "since", "2024-13-45"),
        ({"until": "next year"}, "until", "next year"),
        ({"since": "2020", "until": "2019-06-01"}, "until", "2019-06-01"),
        ({"carries": ["i:ghost"]}, "carries", "i:ghost"),
    ],
)
def test_graphql_bad_alliance_is_a_typed_error(
    seeded_client: Any, input_: dict[str, Any], field: str, value: str
) -> None:
    before = api_dump(seeded_client)
    body = gql(
        seeded_client,
        """mutation($input: AllianceInput!) { createAlliance(input: $input) {
        __typename ... on InvalidInput { errors { field value } } } }""",
        {"input": {"id": "al:n", "name": "N", **input_}},
    )
    result = body["data"]["createAlliance"]
    assert result["__typename"] == "InvalidInput", result
    assert {"field": field, "value": value} in result["errors"]
    assert api_dump(seeded_client) == before


def test_graphql_bad_membership_and_territory(seeded_client: Any) -> None:
    before = api_dump(seeded_client)
    body = gql(
        seeded_client,
        """mutation {
      a: addMembership(input: {actor: "a:ghost", target: "al:existing"}) {
        __typename ... on InvalidInput { errors { field value } } }
      b: addMembership(input: {actor: "a:other", target: "al:ghost"}) {
        __typename ... on InvalidInput { errors { field value } } }
      c: createTerritory(input: {code: "6912", name: "X", level: COMMUNE}) {
        __typename ... on InvalidInput { errors { field value } } }
      d: updateActor(id: "a:other", patch: {siren: "123"}) {
        __typename ... on InvalidInput { errors { field value } } }
    }""",
    )
    data = body["data"]
    assert data["a"] == {
        "__typename": "InvalidInput",
        "errors": [{"field": "actor", "value": "a:ghost"}],
    }
    assert data["b"] == {
        "__typename": "InvalidInput",
        "errors": [{"field": "target", "value": "al:ghost"}],
    }
    assert data["c"] == {
        "__typename": "InvalidInput",
        "errors": [{"field": "code", "value": "6912"}],
    }
    assert data["d"] == {
        "__typename": "InvalidInput",
        "errors": [{"field": "siren", "value": "123"}],
    }
    assert api_dump(seeded_client) == before
