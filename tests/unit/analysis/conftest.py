"""Small graphs shared by the analysis tests."""

from __future__ import annotations

import networkx as nx
import pytest

WORLDS = ("CIVIL_SOCIETY", "ECONOMIC", "PUBLIC", "ACADEMIC")


def random_world_graph(n: int, m: int, seed: int, weighted: bool = True) -> nx.Graph:
    G = nx.gnm_random_graph(n, m, seed=seed)
    for v in G:
        G.nodes[v]["world"] = WORLDS[(v * 7 + seed) % len(WORLDS)]
        G.nodes[v]["territories"] = (f"T{v % 3}",)
    if weighted:
        for u, v in G.edges:
            G[u][v]["weight"] = 1.0 + ((u * 31 + v * 17) % 5) / 2.0
    return G


@pytest.fixture(params=[(40, 90, 1), (60, 200, 2), (25, 40, 3)], ids=lambda p: f"n{p[0]}m{p[1]}")
def small_graph(request: pytest.FixtureRequest) -> nx.Graph:
    n, m, seed = request.param
    return random_world_graph(n, m, seed)
