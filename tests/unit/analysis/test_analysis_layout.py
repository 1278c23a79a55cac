"""The server-side layout of big map scopes: ties short, groups apart, the
same picture every time, every node placed."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable

import numpy as np
import pytest

from graphmap.analysis.layout import layout, layout_indexed


def dist(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def two_clusters(size: int = 15) -> tuple[list[str], list[tuple[str, str]]]:
    """Two dense groups (every pair tied with probability ~0.6, fixed) and
    one tie between them."""
    left = [f"l{i}" for i in range(size)]
    right = [f"r{i}" for i in range(size)]
    edges = []
    for group in (left, right):
        for i, j in itertools.combinations(range(size), 2):
            if (i * 7 + j * 3) % 5 < 3:
                edges.append((group[i], group[j]))
    edges.append((left[0], right[0]))
    return left + right, edges


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_two_clusters_are_apart_and_ties_short() -> None:
    nodes, edges = two_clusters()
    at = layout(nodes, edges)
    same = [dist(at[u], at[v]) for u, v in itertools.combinations(nodes, 2) if u[0] == v[0]]
    other = [dist(at[u], at[v]) for u, v in itertools.combinations(nodes, 2) if u[0] != v[0]]
    assert mean(other) > 2 * mean(same)
    tied = {frozenset(e) for e in edges}
    ties = [dist(at[u], at[v]) for u, v in edges]
    untied = [dist(at[u], at[v]) for u, v in itertools.combinations(nodes, 2) if {u, v} not in tied]
    assert mean(ties) < mean(untied) / 2
    # The one tie between the groups is the longest-but-bridged: its ends sit
    # nearer each other than the groups' centres do.
    centre = {side: np.mean([at[v] for v in nodes if v[0] == side], axis=0) for side in ("l", "r")}
    gap = float(np.linalg.norm(centre["l"] - centre["r"]))
    assert dist(at["l0"], at["r0"]) < gap


def test_two_big_components_side_by_side() -> None:
    """No tie between the groups at all: still apart, and still near each
    other (not one of them flung to the edge of the picture)."""
    nodes, edges = two_clusters()
    edges.remove(("l0", "r0"))
    at = layout(nodes, edges)
    same = [dist(at[u], at[v]) for u, v in itertools.combinations(nodes, 2) if u[0] == v[0]]
    other = [dist(at[u], at[v]) for u, v in itertools.combinations(nodes, 2) if u[0] != v[0]]
    assert 2 * mean(same) < mean(other) < 6 * mean(same)


def test_deterministic() -> None:
    nodes, edges = two_clusters()
    assert layout(nodes, edges) == layout(nodes, edges)
    assert layout(nodes, edges, seed=1) == layout(nodes, edges, seed=1)
    assert layout(nodes, edges, seed=1) != layout(nodes, edges)


def test_centred_and_scaled_like_the_maps_seed_layout() -> None:
    nodes, edges = two_clusters()
    xy = np.array(list(layout(nodes, edges).values()))
    radius = np.hypot(xy[:, 0], xy[:, 1])
    assert radius.max() == pytest.approx(10 * math.sqrt(len(nodes)))
    assert np.abs(xy.max(axis=0) + xy.min(axis=0)).max() < 1e-6, "bounding box centred on 0"


def test_empty_and_single() -> None:
    assert layout([], []) == {}
    assert layout_indexed(0, np.empty(0, np.int64), np.empty(0, np.int64)).shape == (0, 2)
    assert layout(["a"], []) == {"a": (0.0, 0.0)}


def test_isolated_nodes_ring_the_connected_ones() -> None:
    nodes, edges = two_clusters(8)
    alone = [f"alone{i}" for i in range(12)]
    at = layout(nodes + alone, edges)
    assert len(at) == len(nodes) + len(alone)
    assert all(math.isfinite(c) for p in at.values() for c in p)
    assert len(set(at.values())) == len(at), "no two nodes on the same spot"
    centre = np.mean([at[v] for v in nodes], axis=0)
    inner = max(float(np.linalg.norm(np.array(at[v]) - centre)) for v in nodes)
    assert min(float(np.linalg.norm(np.array(at[v]) - centre)) for v in alone) > inner


def test_only_isolated_nodes() -> None:
    at = layout(list(range(50)), [])
    assert len(set(at.values())) == 50
    assert max(math.hypot(*p) for p in at.values()) == pytest.approx(10 * math.sqrt(50))


def test_small_components_stay_whole() -> None:
    """Pairs and triangles beside a big group: each small one is drawn tight,
    not scattered across the picture."""
    big, edges = two_clusters(10)
    small: list[Hashable] = []
    for k in range(8):
        trio = [f"t{k}a", f"t{k}b", f"t{k}c"]
        small += trio
        edges += [(trio[0], trio[1]), (trio[1], trio[2]), (trio[0], trio[2])]
    at = layout(big + small, edges)
    span = max(dist(at[u], at[v]) for u, v in itertools.combinations(at, 2))
    for k in range(8):
        trio = [f"t{k}a", f"t{k}b", f"t{k}c"]
        assert max(dist(at[u], at[v]) for u, v in itertools.combinations(trio, 2)) < span / 8


def test_ties_in_any_direction_repeated_or_looped_count_once() -> None:
    nodes, edges = two_clusters()
    noisy = edges + [(v, u) for u, v in edges] + [(v, v) for v in nodes[:5]]
    assert layout(nodes, noisy) == layout(nodes, edges)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="twice"):
        layout(["a", "b", "a"], [])
    with pytest.raises(ValueError, match="not a node"):
        layout(["a", "b"], [("a", "z")])
