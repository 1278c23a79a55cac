"""The demo ecosystem (graphmap/data/demo.yaml) is complete and consistent."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from graphmap.domain import (
    ActorKind,
    AllianceType,
    CompanySize,
    Horizon,
    InitiativeForm,
    Role,
    Stage,
    TerritoryFlag,
    TerritoryLevel,
    Theme,
    is_siren,
    is_siret,
    is_territory_code,
)

DEMO = Path(__file__).resolve().parents[3] / "graphmap" / "data" / "demo.yaml"

COLUMNS = {
    "territories": ["code", "name", "level", "parent", "population", "flags"],
    "actors": [
        "id", "name", "kind", "territory", "siren", "siret", "rna", "declared_roles",
        "size", "description", "website", "source",
    ],
    "initiatives": [
        "id", "name", "form", "stage", "themes", "territory", "started_on",
        "description", "website", "source",
    ],
    "alliances": [
        "id", "name", "type", "horizon", "territory", "since", "until", "carries",
        "evaluated", "source",
    ],
    "memberships": ["actor", "target", "role", "since", "until", "source"],
}  # fmt: skip

KEY_ORGANISATIONS = [
    "Le RAMEAU",
    "Fédération Nationale des Caisses d'Epargne",
    "Fondation d'entreprise Caisse d'Epargne",
    "Labo des partenariats",
    "France Active",
    "Caisse des Dépôts",
    "MEDEF",
    "CELAVAR",
    "La Fonda",
    "GIP Emploi Grand Roissy – Le Bourget",
    "Marseille Solutions",
]

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# the level a parent must have, from the child's level (AREA: any)
PARENT_LEVELS = {
    TerritoryLevel.COMMUNE: {TerritoryLevel.DEPARTEMENT, TerritoryLevel.EPCI},
    TerritoryLevel.EPCI: {TerritoryLevel.DEPARTEMENT},
    TerritoryLevel.DEPARTEMENT: {TerritoryLevel.REGION},
    TerritoryLevel.REGION: {TerritoryLevel.COUNTRY},
    TerritoryLevel.COUNTRY: set(),
    TerritoryLevel.AREA: set(TerritoryLevel),
}


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict[str, Any]]]:
    with DEMO.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


def test_sheets_and_columns(demo: dict[str, list[dict[str, Any]]]) -> None:
    assert set(demo) == set(COLUMNS)
    for sheet, columns in COLUMNS.items():
        expected = set(columns) | {"source"}
        for row in demo[sheet]:
            assert set(row) == expected, (sheet, row)


def test_counts(demo: dict[str, list[dict[str, Any]]]) -> None:
    assert len(demo["actors"]) >= 40
    assert len(demo["initiatives"]) >= 15
    assert len(demo["alliances"]) >= 15
    assert len(demo["memberships"]) >= 60
    assert len(demo["territories"]) >= 20


def test_every_row_has_a_source(demo: dict[str, list[dict[str, Any]]]) -> None:
    for sheet, rows in demo.items():
        for row in rows:
            source = row["source"]
            assert isinstance(source, str) and source.strip(), (sheet, row)
            assert source.startswith("seed:000_d4a08cbbbf09db0e.txt#"), (sheet, row)


def test_enums(demo: dict[str, list[dict[str, Any]]]) -> None:
    for t in demo["territories"]:
        level = TerritoryLevel(t["level"])
        assert is_territory_code(t["code"], level), t
        assert all(TerritoryFlag(f) for f in t["flags"])
        assert t["population"] is None or (isinstance(t["population"], int) and t["population"] > 0)
    for a in demo["actors"]:
        ActorKind(a["kind"])
        assert all(Role(r) for r in a["declared_roles"])
        if a["size"] is not None:
            CompanySize(a["size"])
            assert a["kind"] == ActorKind.COMPANY.value, a
    for i in demo["initiatives"]:
        if i["form"] is not None:
            InitiativeForm(i["form"])
        if i["stage"] is not None:
            Stage(i["stage"])
        assert i["themes"] and all(Theme(t) for t in i["themes"])
    for al in demo["alliances"]:
        if al["type"] is not None:
            AllianceType(al["type"])
        if al["horizon"] is not None:
            Horizon(al["horizon"])
        assert al["evaluated"] in (None, True, False)
    for m in demo["memberships"]:
        Role(m["role"])


def test_identifiers_are_checked_or_absent(demo: dict[str, list[dict[str, Any]]]) -> None:
    for a in demo["actors"]:
        assert a["siren"] is None or is_siren(str(a["siren"])), a
        assert a["siret"] is None or is_siret(str(a["siret"])), a


def test_dates_are_iso_strings(demo: dict[str, list[dict[str, Any]]]) -> None:
    for sheet, keys in (
        ("initiatives", ("started_on",)),
        ("alliances", ("since", "until")),
        ("memberships", ("since", "until")),
    ):
        for row in demo[sheet]:
            for key in keys:
                value = row[key]
                assert value is None or (isinstance(value, str) and DATE.match(value)), (sheet, row)
    for row in demo["alliances"] + demo["memberships"]:
        if row["since"] and row["until"]:
            assert row["since"] <= row["until"], row


def test_ids_are_unique_and_prefixed(demo: dict[str, list[dict[str, Any]]]) -> None:
    ids = [row["id"] for sheet in ("actors", "initiatives", "alliances") for row in demo[sheet]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for sheet, prefix in (
        ("actors", "actor:"),
        ("initiatives", "init:"),
        ("alliances", "alliance:"),
    ):
        for row in demo[sheet]:
            assert re.match(rf"^{prefix}[a-z0-9]+(-[a-z0-9]+)*$", row["id"]), row["id"]
    # territory codes are unique within a level (INSEE reuses 2-digit codes
    # for régions and départements)
    keys = [(t["level"], t["code"]) for t in demo["territories"]]
    assert len(keys) == len(set(keys))
    pairs = [(m["actor"], m["target"]) for m in demo["memberships"]]
    assert len(pairs) == len(set(pairs)), [p for p, n in Counter(pairs).items() if n > 1]


def test_references_resolve(demo: dict[str, list[dict[str, Any]]]) -> None:
    levels_of: dict[str, set[TerritoryLevel]] = {}
    for t in demo["territories"]:
        levels_of.setdefault(t["code"], set()).add(TerritoryLevel(t["level"]))
    for t in demo["territories"]:
        allowed = PARENT_LEVELS[TerritoryLevel(t["level"])]
        for parent in t["parent"]:
            assert levels_of.get(parent, set()) & allowed, (t["code"], parent)
    for sheet in ("actors", "initiatives", "alliances"):
        for row in demo[sheet]:
            assert row["territory"], (sheet, row["id"])
            for code in row["territory"]:
                assert code in levels_of, (sheet, row["id"], code)
    initiatives = {i["id"] for i in demo["initiatives"]}
    for al in demo["alliances"]:
        assert set(al["carries"]) <= initiatives, al
    actors = {a["id"] for a in demo["actors"]}
    targets = initiatives | {al["id"] for al in demo["alliances"]}
    for m in demo["memberships"]:
        assert m["actor"] in actors, m
        assert m["target"] in targets, m


def test_every_territory_row_is_used(demo: dict[str, list[dict[str, Any]]]) -> None:
    used = {"FR"}
    for sheet in ("actors", "initiatives", "alliances"):
        for row in demo[sheet]:
            used.update(row["territory"])
    for t in demo["territories"]:
        used.update(t["parent"])
    assert {t["code"] for t in demo["territories"]} <= used


def test_every_actor_takes_part(demo: dict[str, list[dict[str, Any]]]) -> None:
    members = {m["actor"] for m in demo["memberships"]}
    idle = [a["id"] for a in demo["actors"] if a["id"] not in members]
    assert not idle


def test_alliances_join_several_actors_and_worlds(demo: dict[str, list[dict[str, Any]]]) -> None:
    from graphmap.domain import world_of

    kind = {a["id"]: ActorKind(a["kind"]) for a in demo["actors"]}
    members: dict[str, set[str]] = {}
    for m in demo["memberships"]:
        members.setdefault(m["target"], set()).add(m["actor"])
    for al in demo["alliances"]:
        assert len(members.get(al["id"], set())) >= 2, al["id"]
    worlds = {world_of(k) for k in kind.values()}
    assert len(worlds) == 7  # every world of the domain is represented
    crossing = [
        al["id"]
        for al in demo["alliances"]
        if len({world_of(kind[a]) for a in members.get(al["id"], set())}) >= 2
    ]
    assert len(crossing) >= len(demo["alliances"]) // 2


def test_declared_facilitators(demo: dict[str, list[dict[str, Any]]]) -> None:
    declared = {a["name"] for a in demo["actors"] if "FACILITATOR" in a["declared_roles"]}
    assert {"Le RAMEAU", "Labo des partenariats", "Marseille Solutions"} <= declared


def test_key_organisations_present(demo: dict[str, list[dict[str, Any]]]) -> None:
    names = {a["name"] for a in demo["actors"]}
    missing = [n for n in KEY_ORGANISATIONS if not any(n in name for name in names)]
    assert not missing
    assert any(i["name"] == "Labo des partenariats" for i in demo["initiatives"])


def test_text_dates(demo: dict[str, list[dict[str, Any]]]) -> None:
    alliances = {al["id"]: al for al in demo["alliances"]}
    initiatives = {i["id"]: i for i in demo["initiatives"]}
    assert alliances["alliance:fnce-rameau"]["since"] == "2013"
    diag = alliances["alliance:caisses-epargne-rameau-diagnostics"]
    assert (diag["since"], diag["until"]) == ("2015", "2016")
    assert alliances["alliance:france-active-labo-des-partenariats"]["since"] == "2016"
    assert initiatives["init:rencontres-des-pionniers"]["started_on"] == "2015-01"
    assert initiatives["init:observatoire-national-des-partenariats"]["started_on"] == "2008"
    assert (
        initiatives["init:achats-responsables-bretagne-pays-de-la-loire"]["started_on"] == "2017-03"
    )
