"""The domain's words and the checks of French identifiers."""

from __future__ import annotations

import pytest

from graphmap import domain
from graphmap.domain import ActorKind, TerritoryLevel, World


@pytest.mark.parametrize(
    ("kind", "world"),
    [
        (ActorKind.ASSOCIATION, World.CIVIL_SOCIETY),
        (ActorKind.CITIZEN_GROUP, World.CIVIL_SOCIETY),
        (ActorKind.COMPANY, World.ECONOMIC),
        (ActorKind.SOCIAL_ENTERPRISE, World.SOCIAL_ECONOMY),
        (ActorKind.LOCAL_AUTHORITY, World.PUBLIC),
        (ActorKind.STATE_BODY, World.PUBLIC),
        (ActorKind.ACADEMIC, World.ACADEMIC),
        (ActorKind.FOUNDATION, World.FUNDING),
        (ActorKind.FUNDER, World.FUNDING),
        (ActorKind.NETWORK, World.INTERMEDIARY),
    ],
)
def test_world_of_every_kind(kind: ActorKind, world: World) -> None:
    assert domain.world_of(kind) is world


def test_every_kind_has_a_world_and_every_world_a_kind() -> None:
    assert set(domain.WORLD_OF_KIND) == set(ActorKind)
    assert set(domain.WORLD_OF_KIND.values()) == set(World)


def test_vocabularies_of_domain_md() -> None:
    assert [t.value for t in domain.AllianceType] == [
        "PHILANTHROPY",
        "RESPONSIBLE_PRACTICES",
        "ECONOMIC_COOPERATION",
        "SOCIETAL_INNOVATION",
    ]
    assert [r.value for r in domain.Role] == [
        "LEAD",
        "PARTNER",
        "FUNDER",
        "FACILITATOR",
        "BENEFICIARY",
    ]
    assert len(domain.Theme) == 12
    assert [s.value for s in domain.Stage] == [
        "EMERGENCE",
        "EXPERIMENTATION",
        "CONSOLIDATION",
        "SCALING",
    ]


@pytest.mark.parametrize("digits", ["0", "18", "732829320", "73282932000074", "4970101122334455"])
def test_luhn_ok(digits: str) -> None:
    assert domain.luhn_ok(digits)


@pytest.mark.parametrize("digits", ["", "1", "732829321", "12a", "73282932000075"])
def test_luhn_not_ok(digits: str) -> None:
    assert not domain.luhn_ok(digits)


def test_siren() -> None:
    assert domain.is_siren("732829320")  # L'Oréal
    assert domain.is_siren("356000000")  # La Poste
    assert not domain.is_siren("732829321")
    assert not domain.is_siren("73282932")
    assert not domain.is_siren("0732829320")


def test_siret() -> None:
    assert domain.is_siret("73282932000074")
    assert domain.is_siret("35600000000048")  # La Poste's head office: plain Luhn
    # La Poste's other establishments: digit sum a multiple of 5, not Luhn
    assert domain.is_siret("35600000049837") and not domain.luhn_ok("35600000049837")
    assert not domain.is_siret("35600000000049")
    assert not domain.is_siret("35600000049838")
    assert not domain.is_siret("73282932000075")
    assert not domain.is_siret("7328293200007")
    assert not domain.is_siret("7328293200007A")


def test_rna() -> None:
    assert domain.is_rna("W691234567")
    assert domain.is_rna("W75100123B")
    assert not domain.is_rna("W69123456")
    assert not domain.is_rna("w691234567")
    assert not domain.is_rna("691234567")


@pytest.mark.parametrize("code", ["01001", "69123", "2A004", "2B033", "97101", "97411", "75056"])
def test_commune_codes(code: str) -> None:
    assert domain.is_commune_code(code)
    assert domain.is_territory_code(code, TerritoryLevel.COMMUNE)


@pytest.mark.parametrize("code", ["6912", "691234", "2C004", "AB123", "2a004", ""])
def test_bad_commune_codes(code: str) -> None:
    assert not domain.is_commune_code(code)


@pytest.mark.parametrize(
    ("code", "level", "ok"),
    [
        ("69", TerritoryLevel.DEPARTEMENT, True),
        ("2A", TerritoryLevel.DEPARTEMENT, True),
        ("974", TerritoryLevel.DEPARTEMENT, True),
        ("01", TerritoryLevel.DEPARTEMENT, True),
        ("00", TerritoryLevel.DEPARTEMENT, False),
        ("96", TerritoryLevel.DEPARTEMENT, False),
        ("979", TerritoryLevel.DEPARTEMENT, False),
        ("R84", TerritoryLevel.REGION, True),
        ("R01", TerritoryLevel.REGION, True),
        ("84", TerritoryLevel.REGION, False),
        ("R8", TerritoryLevel.REGION, False),
        ("200046977", TerritoryLevel.EPCI, True),  # Métropole de Lyon
        ("200046978", TerritoryLevel.EPCI, False),
        ("FR", TerritoryLevel.COUNTRY, True),
        ("FRA", TerritoryLevel.COUNTRY, False),
        ("area:grand-roissy-le-bourget", TerritoryLevel.AREA, True),
        ("area with spaces", TerritoryLevel.AREA, False),
    ],
)
def test_territory_codes_by_level(code: str, level: TerritoryLevel, ok: bool) -> None:
    assert domain.is_territory_code(code, level) is ok


def test_region_ids() -> None:
    assert domain.region_id("84") == "R84"
    assert domain.region_id("R84") == "R84"
    assert domain.region_id("01") == "R01"


def test_codes_that_lost_their_leading_zero() -> None:
    level = domain.TerritoryLevel
    assert domain.lost_leading_zero("1053", level.COMMUNE)
    assert domain.lost_leading_zero("1", level.DEPARTEMENT)
    assert domain.lost_leading_zero("1", level.REGION)
    assert domain.lost_leading_zero("1053") and domain.lost_leading_zero("7")
    for code, lvl in [
        ("01053", level.COMMUNE),
        ("69", level.DEPARTEMENT),
        ("2A004", level.COMMUNE),
        ("1053", level.AREA),  # a free id: left alone
        ("200046977", level.EPCI),
    ]:
        assert not domain.lost_leading_zero(code, lvl), code
    assert not domain.lost_leading_zero("69123") and not domain.lost_leading_zero("R84")
