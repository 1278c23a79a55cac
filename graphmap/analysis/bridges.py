"""Local bridges: ties whose two ends share no partner.

A local bridge is the only short route between two neighbourhoods; removing
it lengthens the distance between its ends to at least 3 (Granovetter's
"strength of weak ties"). An actor with many local bridges connects circles
that do not otherwise touch.

Computed with one sparse product: the common-partner count of edge
:math:`(u, v)` is :math:`(A^2)_{uv}`; the edge is a local bridge when it is 0.
Same edges as ``nx.local_bridges(G, with_span=False)`` (tested).

Reference: M. Granovetter, "The strength of weak ties", American Journal of
Sociology 78(6), 1360–1380 (1973), doi:10.1086/225469; D. Easley and
J. Kleinberg, *Networks, Crowds, and Markets*, ch. 3 (2010).
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np

from graphmap.analysis import _backend


def local_bridges(G: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """Edges ``(u, v)`` such that :math:`N(u) \\cap N(v) = \\emptyset`."""
    if G.number_of_edges() == 0:
        return []
    view = _backend.indexed(G)
    A = _backend.adjacency(G, None).tocsr()
    A.setdiag(0)
    A.eliminate_zeros()
    A.data[:] = 1.0
    common = (A @ A).multiply(A).tocsr()  # nonzero only on edges with a common partner
    common.eliminate_zeros()
    src, dst = view.src, view.dst
    keep = src != dst
    src, dst = src[keep], dst[keep]
    has_common = np.asarray(common[src, dst]).ravel() > 0
    nodes = view.nodes
    return [
        (nodes[u], nodes[v])
        for u, v in zip(src[~has_common].tolist(), dst[~has_common].tolist(), strict=True)
    ]


def local_bridge_counts(G: nx.Graph) -> dict[Hashable, int]:
    """Number of local bridges each node is an end of."""
    out = dict.fromkeys(G, 0)
    for u, v in local_bridges(G):
        out[u] += 1
        out[v] += 1
    return out
