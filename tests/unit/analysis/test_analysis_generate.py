from __future__ import annotations

from graphmap.analysis.generate import generate_ecosystem, parse_date, snapshot_from_rows
from graphmap.domain import TerritoryLevel, is_territory_code


def test_deterministic_and_well_formed() -> None:
    a = generate_ecosystem(300, seed=5)
    b = generate_ecosystem(300, seed=5)
    assert a.rows() == b.rows()
    assert a.rows() != generate_ecosystem(300, seed=6).rows()
    for t in a.territories:
        assert is_territory_code(t["code"], TerritoryLevel(t["level"])), t
    ids = {r["id"] for r in a.actors}
    targets = {r["id"] for r in a.alliances} | {r["id"] for r in a.initiatives}
    assert all(m["actor"] in ids and m["target"] in targets for m in a.memberships)
    assert set(a.planted_bridges) <= ids and set(a.planted_emerging) <= targets
    assert {"hub", "idle_facilitator", "young_single_world", "old", "one_partner"} <= set(a.decoys)
    sizes: dict[str, int] = {}
    for m in a.memberships:
        sizes[m["target"]] = sizes.get(m["target"], 0) + 1
    assert max(sizes.values()) <= 41


def test_snapshot_from_rows() -> None:
    eco = generate_ecosystem(200, seed=1)
    s = snapshot_from_rows(eco)
    assert len(s.actors) == len(eco.actors)
    assert len(s.memberships) == len(eco.memberships)
    commune = eco.actors[0]["territory"]
    assert s.territory_parents[commune]  # commune -> EPCI
    assert parse_date("2024-03") is not None and parse_date("2024") is not None
    assert parse_date("") is None
