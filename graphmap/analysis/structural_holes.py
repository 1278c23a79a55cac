"""Burt's structural holes: how much an actor's partners are redundant.

An actor whose partners all know each other is *constrained*; one whose
partners do not know each other spans structural holes and can broker between
them (Burt 1992). Both measures follow ``networkx.algorithms.structuralholes``
exactly (same values, tested), but never build a dense ``n × n`` matrix:
``nx.effective_size`` does (``.toarray()``), which is a MemoryError at 100k
actors (74 GiB, ``shared/measurements.md``).

Reference: R. S. Burt, *Structural Holes: The Social Structure of
Competition*, Harvard University Press (1992); S. P. Borgatti, "Structural
holes: unpacking Burt's redundancy measures", Connections 20(1), 35–38 (1997).
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np

from graphmap.analysis import _backend

Scores = dict[Hashable, float]


def constraint(G: nx.Graph, weight: str | None = "weight", backend: str = "auto") -> Scores:
    """Burt's constraint

    .. math:: c_i = \\sum_{j \\in N(i)} \\Big(p_{ij} + \\sum_{q \\ne i,j} p_{iq} p_{qj}\\Big)^2,
              \\qquad p_{ij} = \\frac{w_{ij}}{\\sum_k w_{ik}}

    from 1/k (k partners who do not know each other) up to ~1.1 (one partner).
    Isolated nodes get ``nan``, as in networkx. igraph's C implementation gives
    the same values to 1e-16 and runs ~10× faster. Always computed on the
    whole graph: ``nx.constraint(G, nodes=...)`` falls back to a pure-Python
    loop 10⁴× slower.
    """
    if G.number_of_nodes() == 0:
        return {}
    if _backend.resolve(backend) == "networkx":
        return {v: float(x) for v, x in nx.constraint(G, weight=weight).items()}
    view, g = _backend.igraph_of(G)
    w = _backend.edge_weights(G, view, weight)
    vals = np.asarray(g.constraint(weights=None if w is None else w.tolist()), dtype=np.float64)
    deg = np.asarray(g.degree())
    vals[deg == 0] = np.nan
    return _backend.as_dict(view, vals)


def effective_size(G: nx.Graph, weight: str | None = "weight") -> Scores:
    """Burt's effective size: partners minus their redundancy,

    .. math:: e_u = \\sum_{v \\in N(u)} \\Big(1 - \\sum_{w \\in N(u)} p_{uw} m_{vw}\\Big)
              = k_u - \\sum_w P_{uw} (A M)_{uw},

    with :math:`p_{uw} = w_{uw}/\\sum_x w_{ux}` and :math:`m_{vw} = w_{vw}/\\max_x
    w_{vx}`. Unweighted, it reduces to Borgatti's :math:`k - 2t/k` (``t``
    ties among the ``k`` partners). Computed as one sparse product
    :math:`A M` masked by :math:`P`: memory grows with two-hop pairs, not
    :math:`n^2`. Isolated nodes get ``nan``, as in networkx.
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    view = _backend.indexed(G)
    W = _backend.adjacency(G, weight).tocsr()
    W.setdiag(0)
    W.eliminate_zeros()
    A = W.copy()
    A.data[:] = 1.0
    strength = np.asarray(W.sum(axis=1)).ravel()
    rowmax = W.max(axis=1).toarray().ravel()
    k = np.diff(A.indptr).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        # P = D_s^{-1} W ; M = D_max^{-1} W (row-normalised by each row's max)
        P = W.multiply((1.0 / np.where(strength > 0, strength, 1.0))[:, None]).tocsr()
        M = W.multiply((1.0 / np.where(rowmax > 0, rowmax, 1.0))[:, None]).tocsr()
    AM = A @ M
    red = np.asarray(P.multiply(AM).sum(axis=1)).ravel()
    e = k - red
    e[k == 0] = np.nan
    return _backend.as_dict(view, e)
