"""Gould–Fernandez brokerage roles, with worlds as groups.

For a broker ``v`` and two of its partners ``a`` and ``b`` that are *not*
tied to each other (an open two-path ``a – v – b``), the role depends on the
groups (worlds) of the three:

=================  ==========================  =================================
role               groups                      meaning
=================  ==========================  =================================
coordinator        g(a) = g(v) = g(b)          brokers inside its own world
consultant         g(a) = g(b) ≠ g(v)          an outsider linking one world
gatekeeper         g(a) ≠ g(v) = g(b)          lets another world into its own
representative     g(a) = g(v) ≠ g(b)          speaks for its world to another
liaison            all three different         links two worlds, belongs to none
=================  ==========================  =================================

Direction. The original roles are defined on directed two-paths
``a → v → b``. Ties here are undirected (a shared alliance has no
direction), so a pair with exactly one partner in ``v``'s world is read both
ways with equal weight: it adds 0.5 to gatekeeper and 0.5 to
representative. Every open pair then counts exactly once, and the five roles
sum to the number of open pairs around ``v``.

Computation. No loop over pairs: with :math:`c_{vk}` the number of
partners of ``v`` in world ``k`` and ``w = g(v)``, all pairs are counted
from the world histogram (``C(c,2)`` and cross products), then the *closed*
pairs (partners tied to each other, i.e. triangles) are subtracted, counted by
type with four sparse products over the same-world / cross-world split of the
adjacency :math:`A = S + X`:

* closed coordinator :math:`= \\tfrac12 \\operatorname{diag}(S S S)`
* closed consultant :math:`= \\tfrac12 \\operatorname{diag}(X S X)`
* closed mixed (gatekeeper + representative) :math:`= \\operatorname{diag}(S X X)`
* closed liaison :math:`= \\tfrac12 \\operatorname{diag}(X X X)`

(three cross-world edges around a triangle force three different worlds).
Cost is that of triangle counting; memory grows with two-hop pairs, so
high-degree nodes are handled without a per-pair loop.

Reference: R. V. Gould and R. M. Fernandez, "Structures of mediation: a
formal approach to brokerage in transaction networks", Sociological
Methodology 19, 89–126 (1989), doi:10.2307/270949.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import combinations

import networkx as nx
import numpy as np
import numpy.typing as npt

from graphmap.analysis import _backend

ROLES: tuple[str, ...] = ("coordinator", "consultant", "gatekeeper", "representative", "liaison")
CROSS_WORLD_ROLES: tuple[str, ...] = ("gatekeeper", "representative", "liaison")
"""Roles where the two brokered partners are in different worlds."""

Roles = dict[Hashable, dict[str, float]]


def _diag_of_product(L: object, M: object, R: object) -> npt.NDArray[np.float64]:
    """``diag(L @ M @ R)`` for symmetric sparse ``R``: row sums of
    ``(L @ M) ∘ R``."""
    P = (L @ M).multiply(R)  # type: ignore[operator]
    return np.asarray(P.sum(axis=1)).ravel()


def brokerage_roles(G: nx.Graph, attr: str = "world", backend: str = "auto") -> Roles:
    """Counts of the five Gould–Fernandez roles for every node.

    Returns ``{node: {"coordinator": x, "consultant": x, "gatekeeper": x,
    "representative": x, "liaison": x}}`` (floats: mixed pairs count half to
    gatekeeper and half to representative, see the module docstring).
    ``backend="networkx"`` is a plain pair loop, the reference for tests.
    """
    if G.number_of_nodes() == 0:
        return {}
    if _backend.resolve(backend) == "networkx":
        return _roles_loop(G, attr)
    import scipy.sparse as sp

    view = _backend.indexed(G)
    n = len(view.nodes)
    values, grp = _backend.node_codes(G, view, attr)
    K = len(values)
    src, dst = view.src, view.dst
    keep = src != dst
    src, dst = src[keep], dst[keep]
    # world histogram of partners: C[v, k]
    C = np.zeros((n, K))
    np.add.at(C, (src, grp[dst]), 1.0)
    np.add.at(C, (dst, grp[src]), 1.0)
    own = C[np.arange(n), grp]
    deg = C.sum(axis=1)
    other_sum = deg - own
    other_sq = (C**2).sum(axis=1) - own**2
    other_pairs_same = (other_sq - other_sum) / 2.0  # sum over k != w of C(c_k, 2)
    all_coord = own * (own - 1) / 2.0
    all_consult = other_pairs_same
    all_mixed = own * other_sum
    all_liaison = (other_sum**2 - other_sq) / 2.0

    same = grp[src] == grp[dst]

    def sym(mask: npt.NDArray[np.bool_]) -> object:
        r = np.concatenate([src[mask], dst[mask]])
        c = np.concatenate([dst[mask], src[mask]])
        return sp.csr_array((np.ones(len(r)), (r, c)), shape=(n, n))

    S, X = sym(same), sym(~same)
    closed_coord = _diag_of_product(S, S, S) / 2.0
    closed_consult = _diag_of_product(X, S, X) / 2.0
    closed_mixed = _diag_of_product(S, X, X)
    closed_liaison = _diag_of_product(X, X, X) / 2.0

    coord = all_coord - closed_coord
    consult = all_consult - closed_consult
    mixed = all_mixed - closed_mixed
    liaison = all_liaison - closed_liaison
    out: Roles = {}
    for i, v in enumerate(view.nodes):
        out[v] = {
            "coordinator": float(coord[i]),
            "consultant": float(consult[i]),
            "gatekeeper": float(mixed[i]) / 2.0,
            "representative": float(mixed[i]) / 2.0,
            "liaison": float(liaison[i]),
        }
    return out


def _roles_loop(G: nx.Graph, attr: str) -> Roles:
    out: Roles = {}
    for v in G:
        r = dict.fromkeys(ROLES, 0.0)
        gv = str(G.nodes[v].get(attr))
        nbrs = [u for u in G[v] if u != v]
        for a, b in combinations(nbrs, 2):
            if G.has_edge(a, b):
                continue
            ga, gb = str(G.nodes[a].get(attr)), str(G.nodes[b].get(attr))
            if ga == gv and gb == gv:
                r["coordinator"] += 1
            elif ga == gb:
                r["consultant"] += 1
            elif ga == gv or gb == gv:
                r["gatekeeper"] += 0.5
                r["representative"] += 0.5
            else:
                r["liaison"] += 1
        out[v] = r
    return out


def cross_world_brokerage(roles: Roles) -> dict[Hashable, float]:
    """Open pairs whose two ends are in different worlds: gatekeeper +
    representative + liaison."""
    return {v: sum(r[k] for k in CROSS_WORLD_ROLES) for v, r in roles.items()}


LIAISON_WEIGHT = 1.0
OWN_WORLD_WEIGHT = 0.5


def third_party_brokerage(roles: Roles) -> dict[Hashable, float]:
    """Cross-world brokerage weighted towards the third party:

    .. math:: b_v = \text{liaison}_v + \tfrac12 (\text{gatekeeper}_v + \text{representative}_v)

    A liaison links two worlds it belongs to neither of: the neutral
    "catalyst" of the seed. A gatekeeper or representative is itself one of
    the two parties (it links *its* world to another), so its pairs count
    half. Used by :mod:`graphmap.analysis.facilitators`.
    """
    return {
        v: LIAISON_WEIGHT * r["liaison"]
        + OWN_WORLD_WEIGHT * (r["gatekeeper"] + r["representative"])
        for v, r in roles.items()
    }
