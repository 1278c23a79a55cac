"""The per-request context: the database, the settings and fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from graphmap.config import Settings
from graphmap.services import nodes
from graphmap.services.maplayout import Layouts
from graphmap.store.database import Database

Props = dict[str, Any]
Rows = list[dict[str, Any]]


def _by_ids(db: Database, kind: str) -> DataLoader[str, Props | None]:
    async def load(ids: list[str]) -> list[Props | None]:
        return await nodes.by_ids(db, kind, ids)

    return DataLoader(load_fn=load)


def _grouped(db: Database, statement: str) -> DataLoader[str, Rows]:
    async def load(ids: list[str]) -> list[Rows]:
        return await nodes.grouped(db, statement, ids)

    return DataLoader(load_fn=load)


LATEST_SCOPE = "*|*"


def _measures(db: Database, statement: str) -> DataLoader[str, Props | None]:
    """Measures of the newest whole-graph analysis run (None before any run)."""
    run: list[str | None] = []

    async def load(ids: list[str]) -> list[Props | None]:
        if not run:
            found = await db.fetch("analysis.latest_run", scope_key=LATEST_SCOPE)
            run.append(found[0]["run"]["id"] if found else None)
        if run[0] is None:
            return [None] * len(ids)
        rows = await db.fetch(statement, ids=list(ids), run=run[0])
        by_id = {r["id"]: dict(r["measure"]) for r in rows}
        return [by_id.get(i) for i in ids]

    return DataLoader(load_fn=load)


@dataclass(slots=True)
class Loaders:
    """One loader per batched lookup; each batch is one Cypher round trip."""

    actor: DataLoader[str, Props | None]
    initiative: DataLoader[str, Props | None]
    alliance: DataLoader[str, Props | None]
    territory: DataLoader[str, Props | None]
    territories_of: DataLoader[str, Rows]
    parents_of: DataLoader[str, Rows]
    children_count: DataLoader[str, Rows]
    memberships_of_actor: DataLoader[str, Rows]
    members_of_group: DataLoader[str, Rows]
    carries: DataLoader[str, Rows]
    carried_by: DataLoader[str, Rows]
    measures: DataLoader[str, Props | None]
    indicators: DataLoader[str, Props | None]

    @classmethod
    def create(cls, db: Database) -> Loaders:
        return cls(
            actor=_by_ids(db, "actors"),
            initiative=_by_ids(db, "initiatives"),
            alliance=_by_ids(db, "alliances"),
            territory=_by_ids(db, "territories"),
            territories_of=_grouped(db, "territories.of_nodes"),
            parents_of=_grouped(db, "territories.parents_of"),
            children_count=_grouped(db, "territories.children_count"),
            memberships_of_actor=_grouped(db, "memberships.of_actors"),
            members_of_group=_grouped(db, "memberships.of_groups"),
            carries=_grouped(db, "memberships.carries"),
            carried_by=_grouped(db, "memberships.carried_by"),
            measures=_measures(db, "analysis.measures_of"),
            indicators=_measures(db, "analysis.indicators_of"),
        )


@dataclass(slots=True)
class Context:
    db: Database
    settings: Settings
    loaders: Loaders
    user: str = "graphql"
    extra: dict[str, Any] = field(default_factory=dict)
    layouts: Layouts | None = None
    """The app's cache of big scopes' positions (None: the map gets none)."""


Info = strawberry.Info[Context, None]
