"""The words of the domain (``../shared/domain.md``) as enums, and the checks of
the identifiers French users already have (SIREN, SIRET, INSEE, RNA).

Everything here is pure: no I/O, no database. The enums are the only source of
labels and vocabularies; Cypher and GraphQL both take their values from here.
"""

from __future__ import annotations

import re
from enum import Enum


class ActorKind(str, Enum):
    ASSOCIATION = "ASSOCIATION"
    CITIZEN_GROUP = "CITIZEN_GROUP"
    COMPANY = "COMPANY"
    SOCIAL_ENTERPRISE = "SOCIAL_ENTERPRISE"
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY"
    STATE_BODY = "STATE_BODY"
    ACADEMIC = "ACADEMIC"
    FOUNDATION = "FOUNDATION"
    FUNDER = "FUNDER"
    NETWORK = "NETWORK"


class World(str, Enum):
    """The "mondes" of a territory; bridges are judged across them."""

    CIVIL_SOCIETY = "CIVIL_SOCIETY"
    ECONOMIC = "ECONOMIC"
    SOCIAL_ECONOMY = "SOCIAL_ECONOMY"
    PUBLIC = "PUBLIC"
    ACADEMIC = "ACADEMIC"
    FUNDING = "FUNDING"
    INTERMEDIARY = "INTERMEDIARY"


WORLD_OF_KIND: dict[ActorKind, World] = {
    ActorKind.ASSOCIATION: World.CIVIL_SOCIETY,
    ActorKind.CITIZEN_GROUP: World.CIVIL_SOCIETY,
    ActorKind.COMPANY: World.ECONOMIC,
    ActorKind.SOCIAL_ENTERPRISE: World.SOCIAL_ECONOMY,
    ActorKind.LOCAL_AUTHORITY: World.PUBLIC,
    ActorKind.STATE_BODY: World.PUBLIC,
    ActorKind.ACADEMIC: World.ACADEMIC,
    ActorKind.FOUNDATION: World.FUNDING,
    ActorKind.FUNDER: World.FUNDING,
    ActorKind.NETWORK: World.INTERMEDIARY,
}


def world_of(kind: ActorKind) -> World:
    return WORLD_OF_KIND[kind]


class CompanySize(str, Enum):
    TPE = "TPE"
    PME = "PME"
    ETI = "ETI"
    GE = "GE"


class AllianceType(str, Enum):
    """Le RAMEAU's four kinds of partnership."""

    PHILANTHROPY = "PHILANTHROPY"
    RESPONSIBLE_PRACTICES = "RESPONSIBLE_PRACTICES"
    ECONOMIC_COOPERATION = "ECONOMIC_COOPERATION"
    SOCIETAL_INNOVATION = "SOCIETAL_INNOVATION"


class Horizon(str, Enum):
    STRATEGIC = "STRATEGIC"
    OPERATIONAL = "OPERATIONAL"


class Role(str, Enum):
    """The role of an actor in an alliance or an initiative."""

    LEAD = "LEAD"
    PARTNER = "PARTNER"
    FUNDER = "FUNDER"
    FACILITATOR = "FACILITATOR"
    BENEFICIARY = "BENEFICIARY"


class InitiativeForm(str, Enum):
    TERRITORIAL_ANIMATION = "TERRITORIAL_ANIMATION"
    COLLECTIVE_EXPERIMENT = "COLLECTIVE_EXPERIMENT"
    PARTNERSHIP_SUPPORT = "PARTNERSHIP_SUPPORT"


class Stage(str, Enum):
    EMERGENCE = "EMERGENCE"
    EXPERIMENTATION = "EXPERIMENTATION"
    CONSOLIDATION = "CONSOLIDATION"
    SCALING = "SCALING"


class Theme(str, Enum):
    EMPLOYMENT = "EMPLOYMENT"
    ECONOMIC_DEVELOPMENT = "ECONOMIC_DEVELOPMENT"
    AGEING = "AGEING"
    SOCIAL_COHESION = "SOCIAL_COHESION"
    YOUTH_EDUCATION = "YOUTH_EDUCATION"
    HEALTH = "HEALTH"
    MOBILITY = "MOBILITY"
    HOUSING = "HOUSING"
    ENVIRONMENT_ENERGY = "ENVIRONMENT_ENERGY"
    AGRICULTURE_FOOD = "AGRICULTURE_FOOD"
    DIGITAL_INCLUSION = "DIGITAL_INCLUSION"
    CULTURE = "CULTURE"


class TerritoryLevel(str, Enum):
    COMMUNE = "COMMUNE"
    EPCI = "EPCI"
    DEPARTEMENT = "DEPARTEMENT"
    REGION = "REGION"
    COUNTRY = "COUNTRY"
    AREA = "AREA"


class TerritoryFlag(str, Enum):
    URBAN = "URBAN"
    RURAL = "RURAL"
    PERIURBAN = "PERIURBAN"
    QPV = "QPV"
    LOW_DENSITY = "LOW_DENSITY"


class InnovationModel(str, Enum):
    """Innovation models of low-density territories (CMI report in the seed)."""

    NUGGET = "NUGGET"
    LABORATORY = "LABORATORY"
    COOPERATIVE = "COOPERATIVE"


# --- identifiers -------------------------------------------------------------

_DIGITS = re.compile(r"^[0-9]+$")
_COMMUNE = re.compile(r"^(?:[0-9]{2}|2A|2B)[0-9]{3}$")
_DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8])$")
_REGION = re.compile(r"^R[0-9]{2}$")
_RNA = re.compile(r"^W[0-9A-Z]{9}$")
# La Poste's establishments share SIREN 356000000 and do not follow Luhn.
_LA_POSTE_SIREN = "356000000"
# ...except its head office, whose SIRET is an ordinary Luhn one (as python-stdnum).
_LA_POSTE_HEAD_OFFICE = "35600000000048"


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` passes the Luhn checksum used by SIREN and SIRET."""
    if not digits or not _DIGITS.match(digits):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_siren(value: str) -> bool:
    return len(value) == 9 and luhn_ok(value)


def is_siret(value: str) -> bool:
    if len(value) != 14 or not _DIGITS.match(value):
        return False
    if value.startswith(_LA_POSTE_SIREN) and value != _LA_POSTE_HEAD_OFFICE:
        return sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value)


def is_rna(value: str) -> bool:
    return bool(_RNA.match(value))


def is_commune_code(value: str) -> bool:
    return bool(_COMMUNE.match(value))


def is_territory_code(value: str, level: TerritoryLevel) -> bool:
    """Whether ``value`` is a well-formed code for a territory of ``level``.

    Communes and départements use INSEE codes; régions their INSEE code after
    an ``R`` (INSEE reuses région codes for départements: ``R44`` is Grand Est,
    ``44`` Loire-Atlantique); EPCI use their SIREN;
    countries use ISO 3166 alpha-2 (``FR``); named areas take a free id.
    """
    if level is TerritoryLevel.COMMUNE:
        return is_commune_code(value)
    if level is TerritoryLevel.DEPARTEMENT:
        return bool(_DEPARTEMENT.match(value))
    if level is TerritoryLevel.REGION:
        return bool(_REGION.match(value))
    if level is TerritoryLevel.EPCI:
        return is_siren(value)
    if level is TerritoryLevel.COUNTRY:
        return bool(re.match(r"^[A-Z]{2}$", value))
    return bool(re.match(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", value))


def lost_leading_zero(code: str, level: TerritoryLevel | None = None) -> bool:
    """Whether ``code`` reads as an INSEE code a spreadsheet stored as a
    number (``1053`` for the commune 01053, ``1`` for the département 01):
    no commune code has 4 characters and no INSEE code 1. Without a level
    (a reference), either shape."""
    if not code.isdigit():
        return False
    if level is None:
        return len(code) in (1, 4)
    if level is TerritoryLevel.COMMUNE:
        return len(code) == 4
    return level in (TerritoryLevel.DEPARTEMENT, TerritoryLevel.REGION) and len(code) == 1


def region_id(code: str) -> str:
    """A région's graphmap code from its INSEE code (``84`` -> ``R84``)."""
    return code if code.startswith("R") else f"R{code}"
