"""Which worlds of a territory talk to each other, and which do not.

For a set of actors (those of a territory), the world × world matrix counts
ties with one end in each world (diagonal: ties inside a world). World pairs
with zero ties, both worlds being present, are the territory's *missing
bridges*: where a facilitator could open a door. Tie counts follow
Blau's idea of intergroup contact (Blau 1977): contact between two groups is
only possible where both are present, so pairs with an absent world are not
reported as missing.

Reference: P. M. Blau, *Inequality and Heterogeneity*, Free Press (1977).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graphmap.analysis import _backend
from graphmap.domain import World

ALL_WORLDS: tuple[str, ...] = tuple(w.value for w in World)


@dataclass(frozen=True, slots=True)
class WorldMatrix:
    """``counts[(a, b)]`` (``a <= b`` in :data:`ALL_WORLDS` order) is the
    number of ties between worlds ``a`` and ``b``; ``actors`` the number of
    actors per world; ``missing`` the pairs of present worlds with no tie."""

    worlds: tuple[str, ...]
    actors: dict[str, int]
    counts: dict[tuple[str, str], int]
    missing: tuple[tuple[str, str], ...]

    @property
    def cross_world_ties(self) -> int:
        return sum(c for (a, b), c in self.counts.items() if a != b)

    @property
    def ties(self) -> int:
        return sum(self.counts.values())


def world_matrix(
    G: nx.Graph, nodes: Iterable[Hashable] | None = None, attr: str = "world"
) -> WorldMatrix:
    """Tie counts between the worlds of ``nodes`` (all of ``G`` when None);
    only ties with both ends in ``nodes`` count."""
    return world_matrices(G, {"": nodes}, attr)[""]


def world_matrices(
    G: nx.Graph, node_sets: Mapping[str, Iterable[Hashable] | None], attr: str = "world"
) -> dict[str, WorldMatrix]:
    """:func:`world_matrix` for several node sets (e.g. one per territory),
    reading the worlds once: O(n + m) per set, all in numpy."""
    view = _backend.indexed(G)
    values, codes = _backend.node_codes(G, view, attr)
    worlds = list(ALL_WORLDS) + [x for x in values if x not in ALL_WORLDS]
    K = len(worlds)
    remap = np.asarray([worlds.index(x) for x in values], dtype=np.int64)
    grp = remap[codes] if len(codes) else codes
    loops = view.src == view.dst
    ga, gb = grp[view.src], grp[view.dst]
    pair = np.minimum(ga, gb) * K + np.maximum(ga, gb)
    out: dict[str, WorldMatrix] = {}
    for key, nodes in node_sets.items():
        if nodes is None:
            inside = np.ones(len(view.nodes), dtype=bool)
        else:
            inside = np.zeros(len(view.nodes), dtype=bool)
            inside[[view.index[v] for v in nodes if v in view.index]] = True
        keep = inside[view.src] & inside[view.dst] & ~loops
        M = np.bincount(pair[keep], minlength=K * K).reshape(K, K)
        present = np.bincount(grp[inside], minlength=K)
        counts = {
            (worlds[i], worlds[j]): int(M[i, j]) for i in range(K) for j in range(i, K) if M[i, j]
        }
        missing = tuple(
            (worlds[i], worlds[j])
            for i in range(K)
            for j in range(i + 1, K)
            if present[i] and present[j] and M[i, j] == 0
        )
        out[key] = WorldMatrix(
            worlds=tuple(w for i, w in enumerate(worlds) if present[i]),
            actors={worlds[i]: int(present[i]) for i in range(K) if present[i]},
            counts=counts,
            missing=missing,
        )
    return out
