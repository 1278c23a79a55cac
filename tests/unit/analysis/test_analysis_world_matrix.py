from __future__ import annotations

import networkx as nx

from graphmap.analysis.world_matrix import world_matrix


def test_counts_and_missing_pairs() -> None:
    G = nx.Graph()
    worlds = {"a": "PUBLIC", "b": "ECONOMIC", "c": "ECONOMIC", "d": "ACADEMIC", "x": "FUNDING"}
    for n, w in worlds.items():
        G.add_node(n, world=w)
    G.add_edges_from([("a", "b"), ("b", "c"), ("c", "d"), ("a", "x")])
    m = world_matrix(G, ["a", "b", "c", "d"])  # x outside: its tie does not count
    assert m.counts == {
        ("ECONOMIC", "PUBLIC"): 1,
        ("ECONOMIC", "ECONOMIC"): 1,
        ("ECONOMIC", "ACADEMIC"): 1,
    }
    assert m.missing == (("PUBLIC", "ACADEMIC"),)
    assert m.actors == {"ECONOMIC": 2, "PUBLIC": 1, "ACADEMIC": 1}
    assert m.cross_world_ties == 2 and m.ties == 3
    whole = world_matrix(G)
    assert ("PUBLIC", "FUNDING") in whole.counts
