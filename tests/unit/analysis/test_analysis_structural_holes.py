from __future__ import annotations

import math

import networkx as nx
import pytest

from graphmap.analysis.structural_holes import constraint, effective_size


def test_star_hand_checked() -> None:
    # hub of a 3-star: partners do not know each other
    G = nx.star_graph(3)
    e = effective_size(G, weight=None)
    assert e[0] == pytest.approx(3.0)  # k - 2t/k with t = 0
    c = constraint(G, weight=None)
    assert c[0] == pytest.approx(3 * (1 / 3) ** 2)  # 1/k
    assert c[1] == pytest.approx(1.0)


def test_triangle_hand_checked() -> None:
    G = nx.complete_graph(3)
    # k=2, t=1: 2 - 2/2 = 1
    assert effective_size(G, weight=None)[0] == pytest.approx(1.0)
    # c = 2 * (1/2 + 1/2*1/2)^2 = 2 * 0.5625
    assert constraint(G, weight=None)[0] == pytest.approx(1.125)


def test_isolates_are_nan() -> None:
    G = nx.Graph()
    G.add_node("x")
    G.add_edge("a", "b")
    assert math.isnan(effective_size(G)["x"])
    assert math.isnan(constraint(G)["x"])


@pytest.mark.parametrize("weight", [None, "weight"])
def test_agree_with_networkx(small_graph: nx.Graph, weight: str | None) -> None:
    # nodes=list(G) forces networkx's per-node definition: its whole-graph
    # sparse path (3.6.1) normalises m_vw by the wrong axis on weighted graphs
    ref_e = nx.effective_size(small_graph, nodes=list(small_graph), weight=weight)
    ref_c = nx.constraint(small_graph, weight=weight)
    e = effective_size(small_graph, weight=weight)
    c_fast = constraint(small_graph, weight=weight, backend="igraph")
    c_nx = constraint(small_graph, weight=weight, backend="networkx")
    for v in small_graph:
        if math.isnan(ref_e[v]):
            assert math.isnan(e[v]) and math.isnan(c_fast[v])
            continue
        assert e[v] == pytest.approx(ref_e[v], rel=1e-9)
        assert c_fast[v] == pytest.approx(ref_c[v], rel=1e-9)
        assert c_nx[v] == pytest.approx(ref_c[v], rel=1e-9)
