"""Every statement of the Cypher registry runs on the real Neo4j, with
plausible parameters, on the demo ecosystem.

A statement added to ``cypher/*.cypher`` without an entry in ``PARAMS`` fails
``test_every_statement_has_parameters``: add one here, with values that make
it do real work (ids that exist, dates, rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from graphmap.services import loading
from graphmap.store import queries

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Handle:
    """The element id of the node with this id (or territory code), looked up
    just before the statement runs: the writer's CREATE statements take
    handles (``writer.Handles``), which exist only once the node does."""

    id: str
    territory: bool = False


NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
DAY = date(2016, 6, 1)
BY = "test"
RUN = "run:statements-test"
ACTORS = ["actor:le-rameau", "actor:fnce", "actor:ville-de-lyon"]
ALLIANCES = ["alliance:fnce-rameau", "alliance:pole-pme-lyon"]
INITIATIVES = ["init:labo-des-partenariats", "init:ptce"]
TERRITORIES = ["69123", "69", "R84", "FR"]
ANY_IDS = [*ACTORS, *ALLIANCES, *INITIATIVES]
AREA = [
    "R84",
    "69",
    "69123",
    "26",
    "26281",
    "07",
    "42",
    "area:ce-rhone-alpes",
    "area:ce-loire-drome-ardeche",
]
WRITE = {"now": NOW, "by": BY}
PAGE = {"after": "", "page": 100}  # keyset pages (exports): ids after "" are all ids
COLUMNS = {"keys": ["name", "kind"], "temporal": ["createdAt", "since"], "metrics": []}
EDGE_COLUMNS = {"keys": ["role", "source"], "temporal": ["since", "until"]}
ACTOR_FILTERS = {
    "kinds": ["NETWORK"],
    "worlds": ["INTERMEDIARY"],
    "territory": "FR",
    "text": "rameau",
    "declared_role": None,
}
INITIATIVE_FILTERS = {
    "forms": ["PARTNERSHIP_SUPPORT"],
    "stages": ["SCALING"],
    "themes": ["SOCIAL_COHESION"],
    "territory": "FR",
    "text": "labo",
}
ALLIANCE_FILTERS = {
    "types": ["SOCIETAL_INNOVATION"],
    "horizons": ["STRATEGIC"],
    "territory": "FR",
    "text": "rameau",
    "active_at": DAY,
}
TERRITORY_FILTERS = {"levels": ["COMMUNE"], "parent": "69", "within": "R84", "text": "lyon"}

PARAMS: dict[str, dict[str, Any]] = {
    # the CREATE paths for rows the writer found nowhere in the database
    "actors.create_many": {
        "ids": ["actor:created"],
        "props": [{"name": "Créé", "kind": "ASSOCIATION", "world": "CIVIL_SOCIETY"}],
        "sources": ["test"],
        "territories": [[Handle("69123", territory=True)]],
        "import": None,
        **WRITE,
    },
    "initiatives.create_many": {
        "ids": ["init:created"],
        "props": [{"name": "Créée"}],
        "territories": [[]],
        "sources": [None],
        "import": None,
        **WRITE,
    },
    "alliances.create_many": {
        "ids": ["alliance:created"],
        "props": [{"name": "Créée", "since": DAY}],
        "sources": ["test"],
        "territories": [[Handle("69", territory=True)]],
        "carries": [[Handle("init:ptce")]],
        "import": None,
        **WRITE,
    },
    "territories.create_many": {
        "ids": ["T-created"],
        "props": [{"name": "Créé", "level": "COMMUNE"}],
        "import": "import:test",
        **WRITE,
    },
    "territories.create_parent_links": {
        "territories": [Handle("T-created", territory=True)],
        "parents": [[Handle("69", territory=True)]],
        "sources": ["test"],
        **WRITE,
    },
    # a staged import's lock and record, in file order: begun, running,
    # alive, finished, then marked failed and undone (nothing of its own left)
    "imports.begin": {"id": "import:test", "file": "book.xlsx", **WRITE},
    "imports.running": {},
    "imports.heartbeat": {"id": "import:test", "now": NOW},
    "imports.finish": {"id": "import:test", "now": NOW, "rows": 1, "changed": 1},
    "imports.fail": {"id": "import:test", "now": NOW, "status": "failed", "error": "test"},
    "imports.discard": {"id": "import:test", "batch": 100},
    "imports.restore": {"id": "import:test", "batch": 100},
    "imports.restore_nodes": {"id": "import:test", "batch": 100},
    "imports.forget": {"id": None, "batch": 100},
    "memberships.create_alliance_many": {
        "actors": [Handle("actor:created")],
        "targets": [Handle("alliance:created")],
        "props": [{"role": "LEAD"}],
        "since": ["2016-06-01"],
        "until": [None],
        **WRITE,
    },
    "memberships.create_initiative_many": {
        "actors": [Handle("actor:created")],
        "targets": [Handle("init:created")],
        "props": [{}],
        "since": [None],
        "until": ["2024-12-31"],
        **WRITE,
    },
    # actors
    "actors.upsert_many": {
        "rows": [
            {
                "id": "actor:new",
                "props": {
                    "name": "Nouveau",
                    "kind": "COMPANY",
                    "world": "ECONOMIC",
                    "siren": "732829320",
                    "source": "test",
                },
                "territories": ["69123"],
            },
            {"id": "actor:fnce", "props": {"description": "mise à jour"}, "territories": None},
        ],
        "undo": None,
        **WRITE,
    },
    "actors.soft_delete": {"id": "actor:united-way", "now": NOW},
    "actors.by_ids": {"ids": ACTORS},
    "actors.page": {"after": "actor:a", "limit": 10, **ACTOR_FILTERS},
    "actors.count": ACTOR_FILTERS,
    "actors.identifier_clashes": {
        "rows": [{"id": "actor:other", "siren": "732829320", "siret": None, "rna": "W123456789"}]
    },
    # admin
    "admin.delete_batch": {"batch": 0},
    "admin.ping": {},
    "admin.dump": {},
    # alliances
    "alliances.upsert_many": {
        "rows": [
            {
                "id": "alliance:new",
                "props": {"name": "Nouvelle", "since": DAY, "source": None},
                "territories": ["69"],
                "carries": ["init:ptce"],
            },
            {
                "id": "alliance:fnce-rameau",
                "props": {"evaluated": True},
                "territories": None,
                "carries": [],  # its links removed: copied into its before-image
            },
        ],
        "undo": "import:test",
        **WRITE,
    },
    "alliances.soft_delete": {"id": "alliance:cget-cabinet-cmi-faible-densite", "now": NOW},
    "alliances.by_ids": {"ids": ALLIANCES},
    "alliances.page": {"after": None, "limit": 10, **ALLIANCE_FILTERS},
    "alliances.count": ALLIANCE_FILTERS,
    # analysis
    "analysis.snapshot_actors": {},
    "analysis.snapshot_groups": {},
    "analysis.snapshot_memberships": {},
    "analysis.snapshot_territories": {},
    "analysis.reusable_run": {"scope_key": "*|*", "revision": 1, "parameters_key": "k"},
    "analysis.create_run": {
        "id": RUN,
        "scope_key": "*|*",
        "territory": None,
        "as_of": None,
        "parameters_key": "k",
        "parameters": "{}",
        "revision": 1,
        **WRITE,
    },
    "analysis.write_actor_measures": {
        "run": RUN,
        "rows": [
            {
                "id": "actor:le-rameau",
                "props": {
                    "degree": 3.0,
                    "bridgeRank": 1,
                    "bridgeDetected": True,
                    "declaredFacilitator": False,
                },
            }
        ],
    },
    "analysis.write_initiative_measures": {
        "run": RUN,
        "rows": [{"id": "init:ptce", "props": {"emergenceScore": 0.5}}],
    },
    "analysis.write_indicators": {"run": RUN, "rows": [{"id": "R84", "props": {"actors": 12}}]},
    "analysis.finish_run": {"run": RUN, "timings": "{}", "summary": "{}", "scope": "*", "now": NOW},
    "analysis.fail_run": {"run": "run:none", "error": "boom", "now": NOW},
    "analysis.run_by_id": {"id": RUN},
    "analysis.latest_run": {"scope_key": "*|*"},
    "analysis.runs": {"scope_key": None, "limit": 5},
    "analysis.bridge_ranking": {"run": RUN, "hidden": True, "limit": 10},
    "analysis.emergence_candidates": {"run": RUN},
    "analysis.measures_of": {"run": RUN, "ids": ["actor:le-rameau", "init:ptce"]},
    "analysis.indicators_of": {"run": RUN, "ids": ["R84"]},
    # exports
    "exports.latest_run": {},
    "exports.area": {"territory": "R84"},
    "exports.scoped_groups": {"area": AREA, "as_of": DAY},
    "exports.node_keys": {"labels": ["Actor", "Initiative", "Alliance", "Territory"]},
    "exports.edge_keys": {
        "types": ["MEMBER_OF", "CONTRIBUTES_TO", "CARRIES", "LOCATED_IN", "PART_OF"]
    },
    "exports.metric_keys": {"run": RUN},
    "exports.actors": {
        "area": AREA,
        "as_of": DAY,
        "run": RUN,
        **PAGE,
        **COLUMNS,
        "metrics": ["bridgeScore"],
    },
    "exports.initiatives": {"as_of": DAY, "groups": INITIATIVES, "run": RUN, **PAGE, **COLUMNS},
    "exports.alliances": {"as_of": DAY, "groups": ALLIANCES, "run": None, **PAGE, **COLUMNS},
    "exports.territories": {"area": AREA, **PAGE, **COLUMNS},
    "exports.member_of": {"area": AREA, "as_of": DAY, **PAGE, **EDGE_COLUMNS},
    "exports.contributes_to": {"area": None, "as_of": None, **PAGE, **EDGE_COLUMNS},
    "exports.carries": {"as_of": DAY, "groups": None, **PAGE, **EDGE_COLUMNS},
    "exports.located_in_actors": {"area": AREA, "as_of": DAY, **PAGE, **EDGE_COLUMNS},
    "exports.located_in_initiatives": {
        "area": AREA,
        "as_of": DAY,
        "groups": ANY_IDS,
        **PAGE,
        **EDGE_COLUMNS,
    },
    "exports.located_in_alliances": {
        "area": AREA,
        "as_of": DAY,
        "groups": ANY_IDS,
        **PAGE,
        **EDGE_COLUMNS,
    },
    "exports.part_of": {"area": AREA, **PAGE, **EDGE_COLUMNS},
    "exports.actor_ties": {"area": None, "as_of": DAY, **PAGE},
    # graph
    "graph.expand": {"ids": ANY_IDS, "limit": 100},
    "graph.nodes_by_ids": {"ids": ANY_IDS},
    "graph.shortest_path": {"source": "actor:le-rameau", "target": "actor:france-active"},
    "graph.search": {"query": "+partenariat*", "limit": 10},
    "graph.counts": {},
    # history
    "history.record_many": {
        "changes": [{"op": "create", "entity": "Actor", "entityId": "x", "data": "{}"}],
        **WRITE,
    },
    "history.of_entity": {"id": "actor:le-rameau", "limit": 10},
    "history.revision": {},
    "history.append_many": {
        "changes": [{"op": "update", "entity": "Actor", "entityId": "x", "data": None}],
        **WRITE,
    },
    "history.bump_revision": {"now": NOW},
    "history.append_bulk": {
        "changes": [
            {"op": "upsert", "entity": "Actor", "entityIds": ["x", "y"], "data": ["{}", "{}"]}
        ],
        **WRITE,
    },
    # initiatives
    "initiatives.upsert_many": {
        "rows": [
            {
                "id": "init:new",
                "props": {"name": "Nouvelle", "startedOn": DAY, "themes": ["HEALTH"]},
                "territories": ["69123"],
            }
        ],
        "undo": None,
        **WRITE,
    },
    "initiatives.soft_delete": {"id": "init:super-public", "now": NOW},
    "initiatives.by_ids": {"ids": INITIATIVES},
    "initiatives.page": {"after": None, "limit": 10, **INITIATIVE_FILTERS},
    "initiatives.count": INITIATIVE_FILTERS,
    # map
    "map.metrics": {},
    "map.places": {"territory": "R84"},
    "map.actors": {"places": AREA},
    "map.initiatives": {"as_of": DAY},
    "map.alliances": {"as_of": DAY},
    # memberships
    "memberships.upsert_alliance_many": {
        "rows": [
            {
                "actor": "actor:ville-de-lyon",
                "target": "alliance:fnce-rameau",
                "props": {"role": "PARTNER", "since": DAY},
            }
        ],
        "undo": None,
        **WRITE,
    },
    "memberships.upsert_initiative_many": {
        "rows": [
            {"actor": "actor:ville-de-lyon", "target": "init:ptce", "props": {"role": "FUNDER"}}
        ],
        "undo": "import:test",  # keeps a before-image
        **WRITE,
    },
    "memberships.remove": {"actor": "actor:fnce", "target": "alliance:fnce-rameau", "now": NOW},
    "memberships.of_actors": {"ids": ACTORS},
    "memberships.of_groups": {"ids": [*ALLIANCES, *INITIATIVES]},
    "memberships.carried_by": {"ids": INITIATIVES},
    "memberships.carries": {"ids": ALLIANCES},
    # refs
    "refs.existing": {
        "territories": TERRITORIES,
        "actors": ACTORS,
        "alliances": ALLIANCES,
        "initiatives": INITIATIVES,
    },
    "refs.labels_of": {"ids": ANY_IDS},
    "refs.territory_codes": {"ids": TERRITORIES},
    "refs.territory_hierarchy": {"codes": TERRITORIES},
    # territories
    "territories.upsert_many": {
        "rows": [
            {
                "id": "69381",
                "props": {"name": "Lyon 1er", "level": "COMMUNE", "insee": "69381"},
                "parents": ["69123"],
            }
        ],
        "undo": "import:test",  # keeps a before-image
        **WRITE,
    },
    "territories.soft_delete": {"id": "US", "now": NOW},
    "territories.by_ids": {"ids": TERRITORIES},
    "territories.page": {"after": None, "limit": 10, **TERRITORY_FILTERS},
    "territories.count": TERRITORY_FILTERS,
    "territories.parents_of": {"ids": TERRITORIES},
    "territories.children_count": {"ids": TERRITORIES},
    "territories.of_nodes": {"ids": ANY_IDS},
}


def _schema_statements() -> set[str]:
    return {n for n in queries.registry() if n.startswith("schema.")}


def test_every_statement_has_parameters() -> None:
    names = set(queries.registry()) - _schema_statements()
    missing = sorted(names - set(PARAMS))
    stale = sorted(set(PARAMS) - names)
    assert not missing, f"add parameters for the new statements {missing} to PARAMS"
    assert not stale, f"PARAMS names statements that no longer exist: {stale}"
    for name, params in PARAMS.items():
        queries.get(name).check(params)  # exactly the statement's $parameters


async def resolved(db: Any, value: Any) -> Any:
    """``value`` with every ``Handle`` replaced by its node's element id."""
    if isinstance(value, Handle):
        if value.territory:
            [found] = await db.fetch("refs.territory_codes", ids=[value.id])
            return dict(found["found"])[value.id]
        [found] = await db.fetch("refs.labels_of", ids=[value.id])
        return {i: handle for i, _, handle in found["found"]}[value.id]
    if isinstance(value, dict):
        return {k: await resolved(db, v) for k, v in value.items()}
    if isinstance(value, list):
        return [await resolved(db, v) for v in value]
    return value


def test_every_statement_runs_on_the_demo(db: Any, runner: Any) -> None:
    runner.run(loading.load_demo(db))
    ran: dict[str, list[dict[str, Any]]] = {}

    async def run_all() -> None:
        for name in queries.registry():
            if name.startswith("schema."):
                continue
            if name == "admin.delete_batch":
                continue  # last: it empties the graph
            ran[name] = await db.fetch_write(name, **await resolved(db, PARAMS[name]))

    runner.run(run_all())
    # spot checks that the parameters made the statements do real work
    assert ran["admin.ping"] == [{"ok": 1}]
    # the CREATE statements made every node and tie they were sent, by handle
    for name, ties in {
        "actors.create_many": 1,
        "initiatives.create_many": 0,
        "alliances.create_many": 2,
        "territories.create_many": 0,
    }.items():
        [made] = ran[name]
        assert (made["rows"], len(made["handles"]), made["linked"]) == ([0], 1, ties), name
    assert ran["territories.create_parent_links"] == [{"linked": 1}]
    assert ran["memberships.create_alliance_many"] == [{"linked": 1}]
    assert ran["memberships.create_initiative_many"] == [{"linked": 1}]
    assert ran["actors.identifier_clashes"] == [
        {"id": "actor:other", "field": "siren", "value": "732829320", "owner": "actor:new"}
    ]
    assert {r["node"]["id"] for r in ran["actors.by_ids"]} == set(ACTORS)
    assert [r["node"]["id"] for r in ran["actors.page"]] == ["actor:le-rameau"]
    assert ran["actors.count"] == [{"total": 1}]
    [written] = ran["actors.upsert_many"]  # one record of [id, created] pairs
    assert {i for i, _ in written["written"]} <= {"actor:new", "actor:fnce"}
    assert ran["actors.soft_delete"] == [{"id": "actor:united-way"}]
    assert {r["id"] for r in ran["territories.children_count"]} == set(TERRITORIES)
    assert ran["graph.shortest_path"] and len(ran["graph.shortest_path"][0]["edges"]) == 4
    assert any(r["node"]["name"] == "Labo des partenariats" for r in ran["graph.search"])
    assert ran["memberships.remove"] == [{"removed": 1}]
    assert ran["analysis.create_run"] == [{"id": RUN}]
    assert ran["analysis.write_actor_measures"] == [{"written": 1}]
    assert ran["refs.territory_codes"] and ran["exports.area"][0]["root"] == "R84"
    assert ran["history.of_entity"], "the demo load recorded no history"
    empty = [n for n, rows in ran.items() if not rows]
    # Statements that may legitimately return nothing on this data:
    allowed_empty = {
        "analysis.reusable_run",
        "analysis.fail_run",
        "exports.latest_run",
        "analysis.emergence_candidates",
    }
    assert set(empty) <= allowed_empty, f"statements that found nothing: {sorted(empty)}"
    deleted = [runner.run(db.fetch_write("admin.delete_batch", batch=100000)) for _ in range(3)]
    assert [d[0]["deleted"] > 0 for d in deleted] == [True, True, False]  # ties, nodes, none
    assert runner.run(db.fetch("graph.counts"))[0]["actors"] == 0


def test_schema_statements_are_idempotent(db: Any, runner: Any) -> None:
    from graphmap.store.schema import migrate

    assert set(runner.run(migrate(db))) == _schema_statements()
