from __future__ import annotations

import networkx as nx
import pytest

from graphmap.analysis.brokerage import (
    ROLES,
    brokerage_roles,
    cross_world_brokerage,
    third_party_brokerage,
)


def star(center_world: str, leaf_worlds: list[str]) -> nx.Graph:
    G = nx.Graph()
    G.add_node("v", world=center_world)
    for i, w in enumerate(leaf_worlds):
        G.add_node(i, world=w)
        G.add_edge("v", i)
    return G


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_roles_hand_checked(backend: str) -> None:
    # partners: two A (same as v), one B, one C, all mutually untied: C(4,2)=6 open pairs
    G = star("A", ["A", "A", "B", "C"])
    r = brokerage_roles(G, backend=backend)["v"]
    assert r["coordinator"] == 1  # (A, A)
    assert r["consultant"] == 0
    assert r["gatekeeper"] == pytest.approx(2.0)  # 4 mixed pairs (A,B),(A,C) x2, half each
    assert r["representative"] == pytest.approx(2.0)
    assert r["liaison"] == 1  # (B, C)
    assert sum(r.values()) == 6
    # tie the two A partners: the coordinator pair closes
    G.add_edge(0, 1)
    assert brokerage_roles(G, backend=backend)["v"]["coordinator"] == 0


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_consultant_and_closed_liaison(backend: str) -> None:
    G = star("A", ["B", "B", "C"])
    G.add_edge(0, 2)  # closes one (B, C) pair
    r = brokerage_roles(G, backend=backend)["v"]
    assert r["consultant"] == 1
    assert r["liaison"] == 1
    assert cross_world_brokerage({"v": r})["v"] == 1
    assert third_party_brokerage({"v": r})["v"] == 1


def test_vectorised_agrees_with_pair_loop(small_graph: nx.Graph) -> None:
    fast = brokerage_roles(small_graph, backend="igraph")
    ref = brokerage_roles(small_graph, backend="networkx")
    for v in small_graph:
        for k in ROLES:
            assert fast[v][k] == pytest.approx(ref[v][k])
