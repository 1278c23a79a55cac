"""Centralities of the actor graph: who is connected, who is central, who
lies on the paths between others.

networkx-style functions taking ``G`` first and returning ``{node: float}``.
``backend="auto"`` runs igraph (C) behind the same function; ``"networkx"``
runs the reference implementation. Distances (harmonic, betweenness) count
hops: edge ``weight`` is a tie *strength*, not a length.

Thresholds (timings from ``shared/measurements.md``, 2 shared cores):

* betweenness exact up to :data:`BETWEENNESS_EXACT_MAX_NODES` (12,000;
  igraph exact takes ~8.5 s at 10k nodes/50k edges); above, Brandes from
  :data:`BETWEENNESS_SAMPLES` (1,024) uniformly sampled sources, rescaled by
  ``n/k`` (Brandes & Pich 2007). Top-100 overlap with exact at 10k is
  printed by ``bench/bench_analysis.py`` (≥ 0.9 required).
* harmonic closeness exact up to :data:`HARMONIC_EXACT_MAX_NODES` (5,000);
  above, the mean over :data:`HARMONIC_PIVOTS` (512) sampled pivots of
  ``1/d``, rescaled by ``(n-1)/k`` (Eppstein & Wang 2004): a mean of bounded
  terms, so the relative error is small (≈ 1/√k).
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
import numpy.typing as npt

from graphmap.analysis import _backend

BETWEENNESS_EXACT_MAX_NODES = 12_000
BETWEENNESS_SAMPLES = 1024
HARMONIC_EXACT_MAX_NODES = 5_000
HARMONIC_PIVOTS = 512
CROSS_BETWEENNESS_EXACT_MAX_NODES = 4_000
CROSS_BETWEENNESS_SAMPLES = 1024

Scores = dict[Hashable, float]


def degree(G: nx.Graph) -> Scores:
    """Number of partners :math:`k_v = |N(v)|`."""
    return {v: float(d) for v, d in G.degree()}


def weighted_degree(G: nx.Graph, weight: str = "weight") -> Scores:
    """Strength :math:`s_v = \\sum_u w_{uv}` (Barrat et al., PNAS 101, 3747,
    2004, doi:10.1073/pnas.0400087101)."""
    return {v: float(d) for v, d in G.degree(weight=weight)}


def pagerank(
    G: nx.Graph, alpha: float = 0.85, weight: str | None = "weight", backend: str = "auto"
) -> Scores:
    """PageRank :math:`x = (1-\\alpha)/n + \\alpha\\, W D^{-1} x` (dangling
    mass spread uniformly), summing to 1, as ``nx.pagerank``.

    Reference: Brin & Page (1998), doi:10.1016/S0169-7552(98)00110-X.
    """
    if G.number_of_nodes() == 0:
        return {}
    if _backend.resolve(backend) == "networkx":
        return dict(nx.pagerank(G, alpha=alpha, weight=weight, tol=1e-10, max_iter=1000))
    view, g = _backend.igraph_of(G)
    w = _backend.edge_weights(G, view, weight)
    vals = g.pagerank(damping=alpha, weights=None if w is None else w.tolist(), directed=False)
    return _backend.as_dict(view, vals)


def eigenvector(G: nx.Graph, weight: str | None = "weight", backend: str = "auto") -> Scores:
    """Eigenvector centrality: :math:`\\lambda x = A x`, the leading
    eigenvector scaled to unit Euclidean norm (as ``nx.eigenvector_centrality``).

    On a disconnected graph the leading eigenvector lives on the component
    with the largest eigenvalue; other components get ~0, as in networkx.

    Reference: Bonacich (1987), doi:10.1086/228631.
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if _backend.resolve(backend) == "networkx":
        return dict(nx.eigenvector_centrality_numpy(G, weight=weight))
    view = _backend.indexed(G)
    import scipy.sparse.linalg as sla

    A = _backend.adjacency(G, weight)
    if A.nnz == 0:
        return {v: 1.0 / np.sqrt(n) for v in G}
    if n < 3:
        vals, vecs = np.linalg.eigh(A.toarray())
        x = vecs[:, -1]
    else:
        vals, vecs = sla.eigsh(A.astype(np.float64), k=1, which="LA", tol=1e-10)
        x = vecs[:, 0]
    x = np.abs(x) if x.sum() >= 0 else np.abs(-x)
    x = x / np.linalg.norm(x)
    return _backend.as_dict(view, x)


def harmonic(
    G: nx.Graph,
    backend: str = "auto",
    exact_max_nodes: int = HARMONIC_EXACT_MAX_NODES,
    pivots: int = HARMONIC_PIVOTS,
    seed: int = 0,
) -> Scores:
    """Harmonic closeness :math:`H(v) = \\sum_{u \\ne v} 1/d(u, v)` (hops;
    unreachable pairs add 0), unnormalised like ``nx.harmonic_centrality``.

    Above ``exact_max_nodes`` (igraph backend), estimated from ``pivots``
    random sources: :math:`\\hat H(v) = \\frac{n-1}{k} \\sum_{p \\in P, p \\ne v}
    1/d(p, v)`.

    References: Marchiori & Latora (2000), doi:10.1016/S0378-4371(00)00311-3;
    Eppstein & Wang (2004), doi:10.7155/jgaa.00081.
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if _backend.resolve(backend) == "networkx":
        return {v: float(x) for v, x in nx.harmonic_centrality(G).items()}
    view, g = _backend.igraph_of(G)
    if n <= exact_max_nodes or pivots >= n:
        vals = g.harmonic_centrality(normalized=False)
        return _backend.as_dict(view, vals)
    rng = np.random.default_rng(seed)
    P = rng.choice(n, size=pivots, replace=False)
    acc = np.zeros(n)
    for chunk in np.array_split(P, max(1, pivots // 32)):
        d = np.asarray(g.distances(source=chunk.tolist()), dtype=np.float64)
        with np.errstate(divide="ignore"):
            inv = 1.0 / d
        inv[~np.isfinite(inv)] = 0.0  # self (d=0) and unreachable (inf)
        acc += inv.sum(axis=0)
    return _backend.as_dict(view, acc * (n - 1) / pivots)


def _rescale_betweenness(
    raw: npt.NDArray[np.float64], n: int, normalized: bool
) -> npt.NDArray[np.float64]:
    """igraph's undirected raw counts (each unordered pair once) to
    networkx's scale: normalised by :math:`\\binom{n-1}{2}`."""
    if normalized:
        return raw * (2.0 / ((n - 1) * (n - 2))) if n > 2 else raw * 0.0
    return raw


def betweenness(
    G: nx.Graph,
    normalized: bool = True,
    backend: str = "auto",
    exact_max_nodes: int = BETWEENNESS_EXACT_MAX_NODES,
    samples: int = BETWEENNESS_SAMPLES,
    seed: int = 0,
) -> Scores:
    """Shortest-path betweenness :math:`c_B(v) = \\sum_{s<t,\\, s,t \\ne v}
    \\sigma_{st}(v)/\\sigma_{st}`, divided by :math:`\\binom{n-1}{2}` when
    ``normalized`` (as ``nx.betweenness_centrality``).

    Exact (Brandes) up to ``exact_max_nodes``; above, ``samples`` uniformly
    drawn sources with the estimate scaled by ``n/k`` (an unbiased estimator).
    With ``backend="networkx"`` the sampled variant is
    ``nx.betweenness_centrality(k=samples, seed=seed)``.

    References: Brandes (2001), doi:10.1080/0022250X.2001.9990249;
    Brandes & Pich (2007), doi:10.1142/S0218127407018403.
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    exact = n <= exact_max_nodes or samples >= n
    if _backend.resolve(backend) == "networkx":
        k = None if exact else samples
        return dict(nx.betweenness_centrality(G, k=k, normalized=normalized, seed=seed))
    view, g = _backend.igraph_of(G)
    if exact:
        raw = np.asarray(g.betweenness(directed=False), dtype=np.float64)
    else:
        rng = np.random.default_rng(seed)
        src = rng.choice(n, size=samples, replace=False)
        # undirected subset betweenness weighs each (source, target) pair
        # 1/2, so all n sources give exactly the unordered count
        raw = np.asarray(g.betweenness(directed=False, sources=src.tolist()), dtype=np.float64)
        raw = raw * (n / samples)
    return _backend.as_dict(view, _rescale_betweenness(raw, n, normalized))


def _cross_pairs(G: nx.Graph, group: npt.NDArray[np.int64], g: object) -> float:
    """Number of unordered connected pairs {s, t} with different groups."""
    memb = np.asarray(g.connected_components().membership, dtype=np.int64)  # type: ignore[attr-defined]
    ng = int(group.max()) + 1 if len(group) else 1
    counts = np.zeros((int(memb.max()) + 1, ng))
    np.add.at(counts, (memb, group), 1.0)
    tot = counts.sum(axis=1)
    return float(((tot**2 - (counts**2).sum(axis=1)) / 2.0).sum())


def cross_group_betweenness(
    G: nx.Graph,
    attr: str = "world",
    backend: str = "auto",
    exact_max_nodes: int = CROSS_BETWEENNESS_EXACT_MAX_NODES,
    samples: int = CROSS_BETWEENNESS_SAMPLES,
    seed: int = 0,
) -> Scores:
    """Share of the shortest paths between actors of *different* groups
    (worlds) that pass through each node:

    .. math:: x_v = \\frac{1}{P_\\times} \\sum_{\\{s,t\\}: g(s) \\ne g(t),\\; s,t \\ne v}
              \\frac{\\sigma_{st}(v)}{\\sigma_{st}}

    with :math:`P_\\times` the number of connected cross-group pairs. It is
    subset betweenness (``nx.betweenness_centrality_subset``) summed over
    groups, sources in the group and targets outside it. Exact up to
    ``exact_max_nodes``; above, from ``samples`` uniformly sampled sources,
    scaled by ``n/k`` (igraph backend).

    Reference: Brandes (2008), "On variants of shortest-path betweenness
    centrality", Social Networks 30, 136, doi:10.1016/j.socnet.2007.11.001.
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    labels = [G.nodes[v].get(attr) for v in G]
    codes = {lab: i for i, lab in enumerate(sorted({str(x) for x in labels}))}
    if _backend.resolve(backend) == "networkx":
        total: dict[Hashable, float] = dict.fromkeys(G, 0.0)
        for lab in codes:
            S = [v for v, x in zip(G, labels, strict=True) if str(x) == lab]
            T = [v for v, x in zip(G, labels, strict=True) if str(x) != lab]
            part = nx.betweenness_centrality_subset(G, S, T, normalized=False)
            for v, x in part.items():
                total[v] += x
        # nx halves undirected subset counts; each unordered pair is met from
        # both of its groups, so the sum already counts it once.
        view = _backend.indexed(G)
        grp = np.asarray([codes[str(G.nodes[v].get(attr))] for v in view.nodes], dtype=np.int64)
        P = (
            _cross_pairs(G, grp, view.graph)
            if view.graph is not None
            else _cross_pairs_nx(G, labels)
        )
        return {v: (x / P if P else 0.0) for v, x in total.items()}
    view, g = _backend.igraph_of(G)
    _, grp = _backend.node_codes(G, view, attr)
    exact = n <= exact_max_nodes or samples >= n
    if exact:
        sources = np.arange(n)
        scale = 1.0
    else:
        sources = np.random.default_rng(seed).choice(n, size=samples, replace=False)
        scale = n / samples
    raw = np.zeros(n)
    for c in range(len(codes)):
        src_c = sources[grp[sources] == c]
        tgt_c = np.flatnonzero(grp != c)
        if len(src_c) == 0 or len(tgt_c) == 0:
            continue
        raw += np.asarray(
            g.betweenness(directed=False, sources=src_c.tolist(), targets=tgt_c.tolist()),
            dtype=np.float64,
        )
    # each unordered cross pair is seen from both sides, weighing 1/2 each
    raw = raw * scale
    P = _cross_pairs(G, grp, g)
    return _backend.as_dict(view, raw / P if P else raw * 0.0)


def _cross_pairs_nx(G: nx.Graph, labels: list[object]) -> float:  # pragma: no cover
    lab = dict(zip(G, labels, strict=True))
    total = 0.0
    for comp in nx.connected_components(G):
        counts: dict[str, int] = {}
        for v in comp:
            counts[str(lab[v])] = counts.get(str(lab[v]), 0) + 1
        t = sum(counts.values())
        total += (t * t - sum(c * c for c in counts.values())) / 2.0
    return total
