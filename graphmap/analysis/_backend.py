"""Conversion of an ``nx.Graph`` to compiled libraries, shared by all metrics.

networkx stays the API; igraph runs behind it where networkx is too slow
(``shared/measurements.md``: PageRank 10×, betweenness ~50×, harmonic ~50×
faster). The stock converters cost 1.1–2.3 s at 500k edges; an index map plus
numpy edge arrays costs 0.5–0.7 s, and the result is cached on the graph so
the half-dozen metrics of a run pay it once.

The cache lives in ``G.graph`` and is keyed by the node and edge counts: it is
dropped when either changes. Call :func:`forget_conversions` after changing
edge weights in place.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
import numpy.typing as npt

Backend = Literal["auto", "networkx", "igraph"]
BACKENDS: tuple[str, ...] = ("auto", "networkx", "igraph")
_CACHE_KEY = "_graphmap_igraph"

try:  # igraph is a declared dependency, but keep plain networkx working without it
    import igraph as ig

    HAVE_IGRAPH = True
except ImportError:  # pragma: no cover
    ig = None
    HAVE_IGRAPH = False


def resolve(backend: str) -> str:
    """``auto`` → ``igraph`` when installed, else ``networkx``."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {BACKENDS}")
    if backend == "auto":
        return "igraph" if HAVE_IGRAPH else "networkx"
    if backend == "igraph" and not HAVE_IGRAPH:
        raise ImportError("backend='igraph' needs the igraph package")
    return backend


@dataclass
class IndexedGraph:
    """``G`` as integer arrays: node ``nodes[i]`` has index ``i``; edge ``k``
    joins ``src[k]`` and ``dst[k]``. ``weights`` caches edge-attribute
    arrays by name; ``graph`` is the igraph twin (undirected, no attributes)."""

    nodes: list[Hashable]
    index: dict[Hashable, int]
    src: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int64]
    graph: Any
    weights: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)


def _key(G: nx.Graph) -> tuple[int, int]:
    return (G.number_of_nodes(), G.number_of_edges())


def indexed(G: nx.Graph) -> IndexedGraph:
    """The cached integer view of ``G`` (built on first use)."""
    cached = G.graph.get(_CACHE_KEY)
    if cached is not None and cached[0] == _key(G):
        return cached[1]  # type: ignore[no-any-return]
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    k = 0
    for u, nbrs in G.adjacency():
        iu = index[u]
        for v in nbrs:
            iv = index[v]
            if iu < iv or (iu == iv):
                src[k] = iu
                dst[k] = iv
                k += 1
    src, dst = src[:k], dst[:k]
    return _store(G, nodes, index, src, dst)


def _store(
    G: nx.Graph,
    nodes: list[Hashable],
    index: dict[Hashable, int],
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
) -> IndexedGraph:
    graph = None
    if HAVE_IGRAPH:
        graph = ig.Graph(n=len(nodes), edges=np.column_stack([src, dst]).tolist(), directed=False)
    view = IndexedGraph(nodes, index, src, dst, graph)
    G.graph[_CACHE_KEY] = (_key(G), view)
    return view


def prime(
    G: nx.Graph,
    nodes: list[Hashable],
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
    weights: dict[str, npt.NDArray[np.float64]] | None = None,
) -> None:
    """Seed the cache from arrays the caller already has (the projection),
    skipping the Python walk over the edges. ``src[k]``–``dst[k]`` must be
    exactly the edges of ``G``."""
    view = _store(G, nodes, {n: i for i, n in enumerate(nodes)}, src, dst)
    if weights:
        view.weights.update(weights)


def edge_weights(
    G: nx.Graph, view: IndexedGraph, weight: str | None
) -> npt.NDArray[np.float64] | None:
    """Edge attribute ``weight`` in the order of ``view.src``/``view.dst``
    (missing values count 1, like networkx); ``None`` for unweighted."""
    if weight is None:
        return None
    if weight not in view.weights:
        nodes = view.nodes
        adj = G._adj
        view.weights[weight] = np.fromiter(
            (
                adj[nodes[u]][nodes[v]].get(weight, 1.0)
                for u, v in zip(view.src.tolist(), view.dst.tolist(), strict=True)
            ),
            dtype=np.float64,
            count=len(view.src),
        )
    return view.weights[weight]


def node_codes(
    G: nx.Graph, view: IndexedGraph, attr: str
) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Node attribute ``attr`` as integer codes (sorted distinct values as
    strings). Not cached: node attributes may change without the node and
    edge counts changing, and this is one O(n) pass."""
    labels = [str(G.nodes[v].get(attr)) for v in view.nodes]
    values = sorted(set(labels))
    code = {x: i for i, x in enumerate(values)}
    return values, np.asarray([code[x] for x in labels], dtype=np.int64)


def igraph_of(G: nx.Graph) -> tuple[IndexedGraph, Any]:
    view = indexed(G)
    return view, view.graph


def forget_conversions(G: nx.Graph) -> None:
    """Drop the cached conversion of ``G`` (after in-place attribute edits)."""
    G.graph.pop(_CACHE_KEY, None)


def adjacency(G: nx.Graph, weight: str | None = None) -> Any:
    """Symmetric CSR adjacency matrix in ``indexed(G)`` node order; built from
    the cached edge arrays (``nx.to_scipy_sparse_array`` walks dicts twice)."""
    import scipy.sparse as sp

    view = indexed(G)
    n = len(view.nodes)
    w = edge_weights(G, view, weight)
    data = np.ones(len(view.src)) if w is None else w
    loops = view.src == view.dst
    rows = np.concatenate([view.src, view.dst[~loops]])
    cols = np.concatenate([view.dst, view.src[~loops]])
    vals = np.concatenate([data, data[~loops]])
    return sp.csr_array((vals, (rows, cols)), shape=(n, n))


def as_dict(view: IndexedGraph, values: Any) -> dict[Hashable, float]:
    return dict(zip(view.nodes, (float(x) for x in values), strict=True))
