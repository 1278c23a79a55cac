"""GraphQL input types: filters for lists, and the inputs of mutations.

Dates are taken as strings (``2024-03-01``, ``2024-03``, ``2024``, ``01/03/2024``)
so that a malformed one comes back as a typed error naming the field, like
any other bad value, instead of a bare parse failure.
"""

from __future__ import annotations

from typing import Any

import strawberry

from graphmap.api.types import (
    ActorKind,
    AllianceType,
    CompanySize,
    Horizon,
    InitiativeForm,
    InnovationModel,
    Role,
    Stage,
    TerritoryFlag,
    TerritoryLevel,
    Theme,
    World,
)

# --- filters -------------------------------------------------------------------


@strawberry.input(description="Keep actors matching every given criterion.")
class ActorFilter:
    kinds: list[ActorKind] | None = None  # type: ignore[valid-type]
    worlds: list[World] | None = None  # type: ignore[valid-type]
    territory: str | None = strawberry.field(
        default=None, description="A territory code; its sub-territories are included."
    )
    text: str | None = strawberry.field(default=None, description="Part of the name.")
    declared_role: Role | None = None  # type: ignore[valid-type]


@strawberry.input(description="Keep initiatives matching every given criterion.")
class InitiativeFilter:
    forms: list[InitiativeForm] | None = None  # type: ignore[valid-type]
    stages: list[Stage] | None = None  # type: ignore[valid-type]
    themes: list[Theme] | None = None  # type: ignore[valid-type]
    territory: str | None = None
    text: str | None = None


@strawberry.input(description="Keep alliances matching every given criterion.")
class AllianceFilter:
    types: list[AllianceType] | None = None  # type: ignore[valid-type]
    horizons: list[Horizon] | None = None  # type: ignore[valid-type]
    territory: str | None = None
    text: str | None = None
    active_at: str | None = strawberry.field(
        default=None, description="Only alliances running at this date."
    )


@strawberry.input(description="Keep territories matching every given criterion.")
class TerritoryFilter:
    levels: list[TerritoryLevel] | None = None  # type: ignore[valid-type]
    parent: str | None = strawberry.field(default=None, description="Directly part of this code.")
    within: str | None = strawberry.field(default=None, description="Anywhere below this code.")
    text: str | None = None


# --- mutation inputs -------------------------------------------------------------


@strawberry.input
class ActorInput:
    id: strawberry.ID
    name: str
    kind: ActorKind  # type: ignore[valid-type]
    territories: list[str] | None = None
    siren: str | None = None
    siret: str | None = None
    rna: str | None = None
    declared_roles: list[Role] | None = None  # type: ignore[valid-type]
    size: CompanySize | None = None  # type: ignore[valid-type]
    description: str | None = None
    website: str | None = None
    source: str | None = None


@strawberry.input(description="Only the fields given change; null empties a field.")
class ActorPatch:
    name: str | None = strawberry.UNSET
    kind: ActorKind | None = strawberry.UNSET  # type: ignore[valid-type]
    territories: list[str] | None = strawberry.UNSET
    siren: str | None = strawberry.UNSET
    siret: str | None = strawberry.UNSET
    rna: str | None = strawberry.UNSET
    declared_roles: list[Role] | None = strawberry.UNSET  # type: ignore[valid-type]
    size: CompanySize | None = strawberry.UNSET  # type: ignore[valid-type]
    description: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    source: str | None = strawberry.UNSET


@strawberry.input
class InitiativeInput:
    id: strawberry.ID
    name: str
    form: InitiativeForm | None = None  # type: ignore[valid-type]
    stage: Stage | None = None  # type: ignore[valid-type]
    themes: list[Theme] | None = None  # type: ignore[valid-type]
    territories: list[str] | None = None
    started_on: str | None = None
    description: str | None = None
    website: str | None = None
    source: str | None = None


@strawberry.input(description="Only the fields given change; null empties a field.")
class InitiativePatch:
    name: str | None = strawberry.UNSET
    form: InitiativeForm | None = strawberry.UNSET  # type: ignore[valid-type]
    stage: Stage | None = strawberry.UNSET  # type: ignore[valid-type]
    themes: list[Theme] | None = strawberry.UNSET  # type: ignore[valid-type]
    territories: list[str] | None = strawberry.UNSET
    started_on: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    source: str | None = strawberry.UNSET


@strawberry.input
class AllianceInput:
    id: strawberry.ID
    name: str
    type: AllianceType | None = None  # type: ignore[valid-type]
    horizon: Horizon | None = None  # type: ignore[valid-type]
    territories: list[str] | None = None
    since: str | None = None
    until: str | None = None
    carries: list[str] | None = None
    evaluated: bool | None = None
    description: str | None = None
    source: str | None = None


@strawberry.input(description="Only the fields given change; null empties a field.")
class AlliancePatch:
    name: str | None = strawberry.UNSET
    type: AllianceType | None = strawberry.UNSET  # type: ignore[valid-type]
    horizon: Horizon | None = strawberry.UNSET  # type: ignore[valid-type]
    territories: list[str] | None = strawberry.UNSET
    since: str | None = strawberry.UNSET
    until: str | None = strawberry.UNSET
    carries: list[str] | None = strawberry.UNSET
    evaluated: bool | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    source: str | None = strawberry.UNSET


@strawberry.input
class TerritoryInput:
    code: strawberry.ID
    name: str
    level: TerritoryLevel  # type: ignore[valid-type]
    parents: list[str] | None = None
    population: int | None = None
    flags: list[TerritoryFlag] | None = None  # type: ignore[valid-type]
    innovation_model: InnovationModel | None = None  # type: ignore[valid-type]
    source: str | None = None


@strawberry.input(description="Only the fields given change; null empties a field.")
class TerritoryPatch:
    name: str | None = strawberry.UNSET
    parents: list[str] | None = strawberry.UNSET
    population: int | None = strawberry.UNSET
    flags: list[TerritoryFlag] | None = strawberry.UNSET  # type: ignore[valid-type]
    innovation_model: InnovationModel | None = strawberry.UNSET  # type: ignore[valid-type]
    source: str | None = strawberry.UNSET


@strawberry.input(description="An actor's part in an alliance or initiative.")
class MembershipInput:
    actor: strawberry.ID
    target: strawberry.ID = strawberry.field(description="An alliance id or an initiative id.")
    # left out: a new tie gets PARTNER and no dates; a stored one keeps its own
    role: Role | None = strawberry.UNSET  # type: ignore[valid-type]
    since: str | None = strawberry.UNSET
    until: str | None = strawberry.UNSET
    source: str | None = strawberry.UNSET


# GraphQL names -> workbook columns (formats.md)
_COLUMN = {"territories": "territory", "parents": "parent"}


def to_row(value: Any) -> dict[str, Any]:
    """An input object as a workbook row: given fields only, enums as values."""
    row: dict[str, Any] = {}
    for name in value.__strawberry_definition__.fields:
        python_name = name.python_name
        v = getattr(value, python_name)
        if v is strawberry.UNSET:
            continue
        if isinstance(v, list):
            v = [getattr(x, "value", x) for x in v]
        else:
            v = getattr(v, "value", v)
        row[_COLUMN.get(python_name, python_name)] = v
    return row


def filter_values(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A filter input as Cypher parameters (absent criteria as None)."""
    out: dict[str, Any] = dict.fromkeys(names)
    if value is None:
        return out
    for name in names:
        v = getattr(value, name, None)
        if isinstance(v, list):
            v = [getattr(x, "value", x) for x in v] or None
        elif v is not None:
            v = getattr(v, "value", v)
        out[name] = v
    return out
