from __future__ import annotations

import networkx as nx
import pytest

from graphmap.analysis import centrality as c


def path5() -> nx.Graph:
    return nx.path_graph(5)


def test_degree_and_strength_hand_checked() -> None:
    G = nx.Graph()
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("a", "c", weight=0.5)
    assert c.degree(G) == {"a": 2.0, "b": 1.0, "c": 1.0}
    assert c.weighted_degree(G) == {"a": 2.5, "b": 2.0, "c": 0.5}


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_betweenness_path_hand_checked(backend: str) -> None:
    # path 0-1-2-3-4: node 2 lies on pairs (0,3),(0,4),(1,3),(1,4) = 4 of C(4,2)=6
    b = c.betweenness(path5(), normalized=True, backend=backend)
    assert b[2] == pytest.approx(4 / 6)
    assert b[1] == pytest.approx(3 / 6)
    assert b[0] == pytest.approx(0.0)
    raw = c.betweenness(path5(), normalized=False, backend=backend)
    assert raw[2] == pytest.approx(4.0)


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_harmonic_path_hand_checked(backend: str) -> None:
    h = c.harmonic(path5(), backend=backend)
    assert h[0] == pytest.approx(1 + 1 / 2 + 1 / 3 + 1 / 4)
    assert h[2] == pytest.approx(1 + 1 + 1 / 2 + 1 / 2)


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_pagerank_star_sums_to_one(backend: str) -> None:
    G = nx.star_graph(4)
    pr = c.pagerank(G, weight=None, backend=backend)
    assert sum(pr.values()) == pytest.approx(1.0)
    # hub: x0 = 0.15/5 + 0.85 * 4 * x_leaf ; leaves: x_leaf = 0.15/5 + 0.85 * x0 / 4
    x0 = (0.03 + 0.85 * 4 * 0.03) / (1 - 0.85 * 0.85)
    assert pr[0] == pytest.approx(x0, rel=1e-6)


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_eigenvector_star_hand_checked(backend: str) -> None:
    # star K_{1,4}: lambda = 2, hub x0 = 1/sqrt(2), leaves 1/(2 sqrt(2))
    e = c.eigenvector(nx.star_graph(4), weight=None, backend=backend)
    assert e[0] == pytest.approx(2**-0.5, rel=1e-6)
    assert e[1] == pytest.approx(0.5 * 2**-0.5, rel=1e-6)


def test_cross_group_betweenness_hand_checked() -> None:
    # a(X) - v(Y) - b(Z): the only cross pairs are (a,v),(v,b),(a,b); v is on (a,b)
    G = nx.path_graph(["a", "v", "b"])
    for n, w in zip("avb", "XYZ", strict=True):
        G.nodes[n]["world"] = w
    for backend in ("networkx", "igraph"):
        x = c.cross_group_betweenness(G, backend=backend)
        assert x["v"] == pytest.approx(1 / 3)
        assert x["a"] == pytest.approx(0.0)
    # same world at both ends: paths between a and b are not cross-world
    G.nodes["b"]["world"] = "X"
    assert c.cross_group_betweenness(G)["v"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "name", ["pagerank", "eigenvector", "harmonic", "betweenness", "cross_group_betweenness"]
)
def test_igraph_agrees_with_networkx(small_graph: nx.Graph, name: str) -> None:
    f = getattr(c, name)
    fast = f(small_graph, backend="igraph")
    ref = f(small_graph, backend="networkx")
    if name == "eigenvector" and not nx.is_connected(small_graph):
        # eigenvector centrality is defined per component; compare the giant one
        giant = max(nx.connected_components(small_graph), key=len)
        small_graph = small_graph.subgraph(giant).copy()
        fast, ref = f(small_graph, backend="igraph"), f(small_graph, backend="networkx")
    for v in small_graph:
        assert fast[v] == pytest.approx(ref[v], rel=1e-6, abs=1e-9)


def test_sampled_betweenness_with_all_sources_is_exact(small_graph: nx.Graph) -> None:
    n = small_graph.number_of_nodes()
    exact = c.betweenness(small_graph, backend="networkx")
    sampled = c.betweenness(small_graph, exact_max_nodes=1, samples=n - 1, seed=3)
    # n-1 of n sources, rescaled by n/(n-1): close to exact, not identical
    top = sorted(exact, key=exact.__getitem__, reverse=True)[:5]
    assert sum(sampled[v] for v in top) == pytest.approx(sum(exact[v] for v in top), rel=0.15)


def test_sampled_harmonic_close_to_exact() -> None:
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1)
    exact = c.harmonic(G, backend="networkx")
    est = c.harmonic(G, exact_max_nodes=10, pivots=200, seed=1)
    for v in list(G)[:50]:
        assert est[v] == pytest.approx(exact[v], rel=0.08)
