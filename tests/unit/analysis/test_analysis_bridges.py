from __future__ import annotations

import networkx as nx

from graphmap.analysis.bridges import local_bridge_counts, local_bridges


def test_two_triangles_joined_by_an_edge() -> None:
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    assert {frozenset(e) for e in local_bridges(G)} == {frozenset((2, 3))}
    assert local_bridge_counts(G) == {0: 0, 1: 0, 2: 1, 3: 1, 4: 0, 5: 0}


def test_agrees_with_networkx(small_graph: nx.Graph) -> None:
    ours = {frozenset(e) for e in local_bridges(small_graph)}
    ref = {frozenset(e) for e in nx.local_bridges(small_graph, with_span=False)}
    assert ours == ref
