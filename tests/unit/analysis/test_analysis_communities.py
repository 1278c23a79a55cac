from __future__ import annotations

import networkx as nx
import pytest

from graphmap.analysis.communities import community_of, louvain, modularity


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_two_cliques(backend: str) -> None:
    G = nx.barbell_graph(5, 0)
    parts = louvain(G, weight=None, backend=backend)
    assert sorted(map(sorted, parts)) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert set(community_of(parts).values()) == {0, 1}


def test_deterministic_and_backends_of_equal_quality() -> None:
    G = nx.connected_caveman_graph(8, 6)
    G = nx.double_edge_swap(G, nswap=10, max_tries=1000, seed=1)
    a = louvain(G, seed=3)
    assert a == louvain(G, seed=3)
    b = louvain(G, seed=3, backend="networkx")
    assert modularity(G, a) == pytest.approx(modularity(G, b), abs=0.03)
