from __future__ import annotations

from datetime import date

import pytest

from graphmap.analysis.emergence import EmergenceWeights, emerging_initiatives, youth
from graphmap.analysis.projection import actor_graph
from graphmap.analysis.snapshot import ActorRec, GroupRec, MembershipRec, Snapshot

AS_OF = date(2026, 6, 30)
WORLDS = {
    "a": "PUBLIC",
    "b": "ECONOMIC",
    "c": "ACADEMIC",
    "d": "CIVIL_SOCIETY",
    "e": "CIVIL_SOCIETY",
    "f": "CIVIL_SOCIETY",
}


def snap() -> Snapshot:
    # names with a ";": a reason quotes them, and the exports split lists on ";"
    actors = tuple(ActorRec(k, f"{k}; et cie", "X", w, ("T",)) for k, w in WORLDS.items())
    G = [
        GroupRec(
            "young_mixed",
            "initiative",
            "y",
            started_on=date(2025, 9, 1),
            stage="EMERGENCE",
            territories=("T",),
        ),
        GroupRec(
            "young_single",
            "initiative",
            "s",
            started_on=date(2025, 9, 1),
            stage="EMERGENCE",
            territories=("T",),
        ),
        GroupRec(
            "old_mixed",
            "initiative",
            "o",
            started_on=date(2006, 1, 1),
            stage="SCALING",
            territories=("T",),
        ),
        GroupRec("solo", "initiative", "1", started_on=date(2026, 1, 1), territories=("T",)),
    ]
    ms = [
        MembershipRec("a", "young_mixed", since=date(2025, 9, 1)),
        MembershipRec("b", "young_mixed", since=date(2025, 9, 1)),
        MembershipRec("c", "young_mixed", since=date(2026, 4, 1)),  # newcomer
        MembershipRec("d", "young_single", since=date(2025, 9, 1)),
        MembershipRec("e", "young_single", since=date(2025, 9, 1)),
        MembershipRec("f", "young_single", since=date(2026, 4, 1)),
        MembershipRec("a", "old_mixed"), MembershipRec("b", "old_mixed"), MembershipRec("d", "old_mixed"),
        MembershipRec("c", "solo"),
    ]  # fmt: skip
    return Snapshot(actors, tuple(G), tuple(ms))


def test_youth_hand_checked() -> None:
    g = GroupRec("g", "initiative", "g", started_on=date(2023, 6, 30))
    assert youth(g, AS_OF) == pytest.approx(2 ** (-(AS_OF - g.started_on).days / 365.25 / 3))
    assert youth(GroupRec("g", "initiative", "g", stage="EMERGENCE"), AS_OF) == 1.0
    assert youth(GroupRec("g", "initiative", "g", started_on=AS_OF, stage="SCALING"), AS_OF) == 0.3


def test_guards_and_ranking() -> None:
    s = snap()
    G = actor_graph(s, AS_OF)
    metrics = {"a": {"bridge_detected": 1.0}}
    res = emerging_initiatives(s, G, metrics, AS_OF, limit=None)
    by = {r.initiative_id: r for r in res}
    assert res[0].initiative_id == "young_mixed"
    assert by["young_single"].score == 0.0
    assert by["solo"].score == 0.0
    assert by["old_mixed"].score < 0.05 * top_score(res)  # 20 years old: youth 0.01, damped
    top = by["young_mixed"]
    assert top.components["growth"] == pytest.approx(0.5)  # 1 newcomer / 2 founders
    assert top.components["bridge_proximity"] == 1.0
    assert top.components["diversity"] == pytest.approx(1.0986 / 1.3863, abs=1e-3)  # ln 3 / ln 4
    assert any("growing: 1 of its 3 members" in x for x in top.reasons)
    assert any("detected facilitator bridge" in x for x in top.reasons)
    assert any("all members are in one world" in x for x in by["young_single"].reasons)
    # the exports join a list with ";" (CSV, GraphML, GEXF): no reason holds one
    assert all(";" not in x for r in res for x in r.reasons)


def test_weights_change_the_score() -> None:
    s = snap()
    G = actor_graph(s, AS_OF)
    a = emerging_initiatives(s, G, {}, AS_OF, limit=1)[0]
    b = emerging_initiatives(s, G, {}, AS_OF, EmergenceWeights(growth=0.0), limit=1)[0]
    assert a.initiative_id == b.initiative_id == "young_mixed"
    assert a.score != b.score


def top_score(res: list) -> float:  # type: ignore[type-arg]
    return max(r.score for r in res)


def test_a_start_at_the_end_of_the_calendar_is_scored_not_a_crash() -> None:
    """An import accepts 9999-12-31 (a placeholder some spreadsheets use):
    adding the founders' grace to it overflowed."""
    s = snap()
    late = GroupRec("late", "initiative", "l", started_on=date(9999, 12, 31), territories=("T",))
    s = Snapshot(s.actors, (*s.groups, late), (*s.memberships, MembershipRec("a", "late")))
    res = emerging_initiatives(s, actor_graph(s, AS_OF), {}, AS_OF, limit=None)
    assert {r.initiative_id: r for r in res}["late"].components["growth"] == 0.0
