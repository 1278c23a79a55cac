from __future__ import annotations

from datetime import date

import pytest

from graphmap.analysis import _backend
from graphmap.analysis.projection import CLIQUE_CAP, actor_graph, bipartite_graph, group_weight
from graphmap.analysis.snapshot import ActorRec, GroupRec, MembershipRec, Snapshot


def actors(ids: list[str]) -> tuple[ActorRec, ...]:
    return tuple(ActorRec(i, i, "ASSOCIATION", "CIVIL_SOCIETY") for i in ids)


def test_weights_hand_checked() -> None:
    s = Snapshot(
        actors=actors(["a", "b", "c"]),
        groups=(
            GroupRec("S", "alliance", "strategic pair", horizon="STRATEGIC"),
            GroupRec("I", "initiative", "trio"),
            GroupRec("E", "alliance", "ended 5y ago", until=date(2015, 1, 1)),
        ),
        memberships=(
            MembershipRec("a", "S"), MembershipRec("b", "S"),
            MembershipRec("a", "I"), MembershipRec("b", "I"), MembershipRec("c", "I"),
            MembershipRec("a", "E"), MembershipRec("c", "E"), MembershipRec("a", "E", role="LEAD"),
        ),
    )  # fmt: skip
    G = actor_graph(s, as_of=date(2020, 1, 1))
    # a-b: strategic pair 1.5/1 + trio 1/2
    assert G["a"]["b"]["weight"] == pytest.approx(2.0)
    assert G["a"]["b"]["shared"] == 2
    assert set(G["a"]["b"]["via"]) == {"S", "I"}
    # a-c: trio 1/2 + ended pair: 1/1 * 2^(-(5.0 years)/5) ~ 0.5
    ref = (date(2020, 1, 1) - date(2015, 1, 1)).days / 365.25
    assert G["a"]["c"]["weight"] == pytest.approx(0.5 + 2 ** (-ref / 5))
    assert G["b"]["c"]["shared"] == 1
    assert G.nodes["a"]["world"] == "CIVIL_SOCIETY"
    # the cached integer view matches the graph
    view = _backend.indexed(G)
    assert len(view.src) == G.number_of_edges() == 3


def test_large_group_is_star_expanded() -> None:
    n = CLIQUE_CAP + 10
    ids = [f"x{i}" for i in range(n)]
    ms = [MembershipRec(i, "big", role="LEAD" if i == "x7" else "PARTNER") for i in ids]
    G = actor_graph(Snapshot(actors(ids), (GroupRec("big", "initiative", "big"),), tuple(ms)))
    assert G.number_of_edges() == n - 1
    assert G.degree("x7") == n - 1
    assert G["x7"]["x0"]["weight"] == pytest.approx(1 / (n - 1))
    assert group_weight(GroupRec("g", "alliance", "g"), 1, date(2020, 1, 1)) == 0.0


def test_bipartite_includes_carrying_alliance_members() -> None:
    s = Snapshot(
        actors=actors(["a", "b", "c"]),
        groups=(
            GroupRec("L", "alliance", "L"),
            GroupRec("I", "initiative", "I", carried_by=("L",)),
        ),
        memberships=(MembershipRec("a", "L"), MembershipRec("b", "L"), MembershipRec("c", "I")),
    )
    B = bipartite_graph(s)
    assert set(B["I"]) == {"a", "b", "c"}
    assert B.nodes["I"]["bipartite"] == 1 and B.nodes["a"]["bipartite"] == 0
    assert "L" not in B
