from __future__ import annotations

import networkx as nx

from graphmap.analysis.facilitators import facilitator_bridges, hidden_bridges, idle_declared


def toy() -> nx.Graph:
    """A liaison ``L`` (INTERMEDIARY) ties three worlds that do not meet;
    ``H`` is an ECONOMIC hub with six ECONOMIC partners; ``D`` declares a
    facilitator role but only ties its own world."""
    G = nx.Graph()

    def add(n: str, world: str, terr: str = "T1", declared: bool = False) -> None:
        G.add_node(n, world=world, territories=(terr,), declared_facilitator=declared)

    add("L", "INTERMEDIARY")
    for i, (w, t) in enumerate([("PUBLIC", "T1"), ("ECONOMIC", "T2"), ("ACADEMIC", "T3")]):
        add(f"p{i}", w, t)
        G.add_edge("L", f"p{i}", weight=1.0)
    add("H", "ECONOMIC")
    for i in range(6):
        add(f"e{i}", "ECONOMIC", "T2")
        G.add_edge("H", f"e{i}", weight=1.0)
    G.add_edge("e0", "p1", weight=1.0)
    add("D", "CIVIL_SOCIETY", declared=True)
    for i in range(3):
        add(f"c{i}", "CIVIL_SOCIETY")
        G.add_edge("D", f"c{i}", weight=1.0)
    G.add_edge("c0", "p0", weight=1.0)
    return G


def test_liaison_tops_hub_and_declared_own_world() -> None:
    res = facilitator_bridges(toy(), limit=None)
    by = {r.actor_id: r for r in res}
    assert res[0].actor_id == "L"
    assert by["H"].score == 0.0  # all partners in its own world: gated out
    assert by["D"].score == 0.0
    assert by["H"].facts["partners"] == 6 > by["L"].facts["partners"]
    assert by["L"].detected and not by["L"].declared
    assert "links the INTERMEDIARY" in by["L"].reasons[0]
    assert any("3 territories" in x for x in by["L"].reasons)
    assert any(x == "declared facilitator: no" for x in by["L"].reasons)
    assert any("bridges no world" in x for x in by["H"].reasons)
    assert [r.actor_id for r in hidden_bridges(res)] == ["L"]
    assert [r.actor_id for r in idle_declared(res)] == ["D"]


def test_limit_and_territory_names() -> None:
    res = facilitator_bridges(toy(), territory_names={"T3": "Villeurbanne"}, limit=1)
    assert len(res) == 1
    assert any("Villeurbanne" in x for x in res[0].reasons)
