"""Positions for drawing a large graph: the map's big scopes, laid out once
on the server instead of by ForceAtlas2 in the browser.

Method: a two-level force-directed layout, communities first.

1. The components of at least :data:`SATELLITE` nodes form the main
   picture. Their Louvain communities (:mod:`.communities`) each get a disc of
   radius :math:`\\sqrt{n_c}` (the same area for every node); the graph of
   communities, tie counts :math:`w_{ab}` weighted :math:`\\log(1 + w_{ab})`,
   is laid out by Fruchterman–Reingold, scaled so that tied communities sit
   about their radii apart, and overlapping discs are pushed apart until
   none overlap: communities end apart, and the more two of them are tied,
   the closer.
2. Inside its disc, each community is laid out by Fruchterman–Reingold on
   its own ties (the grid variant from :data:`GRID_FROM` nodes), fitted to
   the radius, then turned (and maybe mirrored) so that its members tied to
   other communities face them (:func:`_face_partners`).
3. Smaller components (isolated nodes included) are each laid out alone and
   ring the main picture on a sunflower (golden-angle spiral), largest first.

The whole is centred (bounding box on 0) and scaled so the farthest node is
at :math:`10\\sqrt{n}`, the scale of the map's own seeded layout.

Why not one force-directed pass over the whole graph (``bench/bench_layout.py``,
2 cores; "purity": share of a node's 10 nearest neighbours on the picture in
its own community, higher is better): on a planted partition of 20 groups of
1,000 nodes (100,000 ties, 85 % inside), this method takes 1.7 s for a
purity of 0.91; Fruchterman–Reingold on the whole graph (grid) 0.4 s for
0.34 after 100 iterations, 1.6 s for 0.38 after 500: the groups overlap in
one disc, and the isolated nodes, with no force to hold them, fly off and
shrink the picture to a dot. igraph's DrL takes 150 s ("coarsen") to 190 s
at 20,000 nodes, LGL 19 s (and does not take disconnected graphs). On the
map benchmark's ecosystem (19,889 nodes, 100,000 ties) this method takes
2.7 s, 1.1 s of it Louvain.

Limit: Louvain always finds communities, even where there are none to
find. Half of the benchmark ecosystem's ties are drawn at random: its
modularity is 0.27, and two Louvain runs from different seeds agree at a
normalised mutual information of 0.03, so its discs are one of many equally
good partitions; on the planted partition both runs agree exactly.

Deterministic: igraph draws from a private ``random.Random(seed)``
installed for the duration of the call, as in :mod:`.communities`.

References: T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by
force-directed placement", Softw. Pract. Exper. 21(11), 1129–1164 (1991),
doi:10.1002/spe.4380211102; V. D. Blondel et al., "Fast unfolding of
communities in large networks", J. Stat. Mech. (2008) P10008,
doi:10.1088/1742-5468/2008/10/P10008; communities in discs as in the
"group-in-a-box" layouts, E. M. Rodrigues et al., "Group-in-a-Box layout
for multi-faceted analysis of communities", IEEE SocialCom 2011; the
sunflower is H. Vogel, "A better way to construct the sunflower head", Math.
Biosci. 44(3–4), 179–189 (1979), doi:10.1016/0025-5564(79)90080-4.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

SEED = 0
SATELLITE = 10
"""Components smaller than this ring the main picture instead of joining it."""
GRID_FROM = 500
"""Fruchterman–Reingold's grid variant (repulsion from neighbouring cells only) from this size."""
LOCAL_ITERATIONS = 300
COMMUNITY_ITERATIONS = 500
GAP = 2.0
"""Space between two community discs, in node spacings."""
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

Positions = dict[Hashable, tuple[float, float]]
Array = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def layout(
    nodes: Sequence[Hashable], edges: Iterable[tuple[Hashable, Hashable]], *, seed: int = SEED
) -> Positions:
    """``{node: (x, y)}`` for every node of ``nodes``, tied by ``edges``
    (pairs of nodes; direction, repeats and self-loops do not matter).

    >>> at = layout(["a", "b", "c"], [("a", "b")])
    >>> sorted(at), len(set(at.values()))
    (['a', 'b', 'c'], 3)

    Raises ``ValueError`` for a node listed twice or a tie to an unknown node.
    """
    index: dict[Hashable, int] = {}
    for v in nodes:
        if index.setdefault(v, len(index)) != len(index) - 1:
            raise ValueError(f"node {v!r} is listed twice")
    pairs: list[tuple[int, int]] = []
    for u, v in edges:
        if u not in index or v not in index:
            raise ValueError(f"tie {u!r}–{v!r} has an end that is not a node")
        pairs.append((index[u], index[v]))
    ends = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    xy = layout_indexed(len(index), ends[:, 0], ends[:, 1], seed=seed)
    return {v: (float(x), float(y)) for v, (x, y) in zip(index, xy.tolist(), strict=True)}


def layout_indexed(n: int, src: Ints, dst: Ints, *, seed: int = SEED) -> Array:
    """:func:`layout` on nodes ``0..n-1`` and ties ``src[k]``–``dst[k]``: an
    ``(n, 2)`` array of positions (what the map's worker process runs)."""
    if n == 0:
        return np.zeros((0, 2))
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        g = ig.Graph(n=n, edges=_simple(src, dst).tolist(), directed=False)
        xy = np.zeros((n, 2))
        members = [np.asarray(c, dtype=np.int64) for c in g.connected_components()]
        main = np.sort(np.concatenate([c for c in members if len(c) >= SATELLITE] or [_none()]))
        if len(main):
            xy[main] = _communities_first(g.induced_subgraph(main.tolist()))
        satellites = sorted((c for c in members if len(c) < SATELLITE), key=lambda c: -len(c))
        if satellites:
            _ring(g, satellites, xy, main)
    finally:
        ig.set_random_number_generator(random)
    return _normalised(xy)


def _none() -> Ints:
    return np.zeros(0, dtype=np.int64)


def _simple(src: Ints, dst: Ints) -> Ints:
    """The ties as sorted ``(low, high)`` index pairs, once each, no loops."""
    pairs = np.stack([np.minimum(src, dst), np.maximum(src, dst)], axis=1).astype(np.int64)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0).reshape(-1, 2)


def _fr(g: Any, niter: int) -> Array:
    """Fruchterman–Reingold positions of ``g`` (an ``igraph.Graph``)."""
    count: int = g.vcount()
    if count == 1:
        return np.zeros((1, 2))
    coords = g.layout_fruchterman_reingold(niter=niter, grid=count >= GRID_FROM).coords
    return np.asarray(coords, dtype=np.float64)


def _fit(xy: Array, radius: float) -> Array:
    """``xy`` centred on its mean, its farthest point at ``radius``."""
    out: Array = xy - xy.mean(axis=0)
    far = float(np.hypot(out[:, 0], out[:, 1]).max())
    if far > 0:
        out *= radius / far
    return out


def _communities_first(g: Any) -> Array:
    """Steps 1 and 2 of the method on a graph whose components are all big."""
    import igraph as ig

    n: int = g.vcount()
    membership = np.asarray(g.community_multilevel().membership, dtype=np.int64)
    k = int(membership.max()) + 1
    sizes = np.bincount(membership, minlength=k)
    radius = np.sqrt(sizes).astype(np.float64)
    ends = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    a, b = membership[ends[:, 0]], membership[ends[:, 1]]
    cross = a != b
    tied, counts = np.unique(
        np.sort(np.stack([a[cross], b[cross]], axis=1), axis=1), axis=0, return_counts=True
    )
    tied = tied.reshape(-1, 2)
    centres = np.zeros((k, 2))
    if k > 1:
        h = ig.Graph(n=k, edges=tied.tolist())
        centres = np.asarray(
            h.layout_fruchterman_reingold(
                weights=np.log1p(counts).tolist(), niter=COMMUNITY_ITERATIONS, grid=k >= GRID_FROM
            ).coords,
            dtype=np.float64,
        )
        # Tied communities (else, without any tie, nearest ones) about their radii apart.
        pairs = tied if len(tied) else _nearest(centres)
        far = np.hypot(*(centres[pairs[:, 0]] - centres[pairs[:, 1]]).T)
        want = radius[pairs[:, 0]] + radius[pairs[:, 1]] + GAP
        centres *= float(np.median(want / np.maximum(far, 1e-9)))
        centres = _apart(centres, radius)
    local = np.zeros((n, 2))
    order = np.argsort(membership, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    for c in range(k):
        inside = order[starts[c] : starts[c + 1]]
        sub = g.induced_subgraph(inside.tolist())
        local[inside] = _fit(_fr(sub, LOCAL_ITERATIONS), float(radius[c]))
    _face_partners(local, membership, centres, ends[cross])
    return centres[membership] + local


def _nearest(xy: Array) -> Ints:
    """Each point paired with its nearest other point."""
    from scipy.spatial import cKDTree

    _, near = cKDTree(xy).query(xy, k=2)
    return np.stack([np.arange(len(xy)), near[:, 1]], axis=1).astype(np.int64)


def _face_partners(local: Array, membership: Ints, centres: Array, cross: Ints) -> None:
    r"""Turn (and maybe mirror) each community's disc, in place, so its
    members tied to other communities face them: the rotation :math:`\theta`
    maximising :math:`\sum (R_\theta \ell_i) \cdot u_{ij}` over the ties
    :math:`ij` leaving the community, :math:`\ell_i` the member's place in
    the disc and :math:`u_{ij}` the direction to the partner's community, is
    :math:`\operatorname{atan2}(C, D)` with :math:`D = \sum \ell_i \cdot
    u_{ij}`, :math:`C = \sum \ell_i \times u_{ij}` (2-D Procrustes)."""
    if not len(cross):
        return
    k = len(centres)
    inner = np.concatenate([cross[:, 0], cross[:, 1]])
    outer = np.concatenate([cross[:, 1], cross[:, 0]])
    home = membership[inner]
    u = centres[membership[outer]] - centres[home]
    lx, ly = local[inner, 0], local[inner, 1]

    def best(mirror: float) -> tuple[Array, Array]:
        d = np.bincount(home, mirror * lx * u[:, 0] + ly * u[:, 1], minlength=k)
        c = np.bincount(home, mirror * lx * u[:, 1] - ly * u[:, 0], minlength=k)
        return d.astype(np.float64), c.astype(np.float64)

    d, c = best(1.0)
    dm, cm = best(-1.0)
    mirrored = np.hypot(dm, cm) > np.hypot(d, c) + 1e-9
    d, c = np.where(mirrored, dm, d), np.where(mirrored, cm, c)
    theta = np.arctan2(c, d)
    x = np.where(mirrored[membership], -local[:, 0], local[:, 0])
    y = local[:, 1]
    cos, sin = np.cos(theta)[membership], np.sin(theta)[membership]
    local[:, 0], local[:, 1] = x * cos - y * sin, x * sin + y * cos


def _apart(centres: Array, radius: Array, rounds: int = 300) -> Array:
    """Move discs (``centres``, ``radius``) apart until none overlap (with
    :data:`GAP` between them): each overlapping pair is pushed apart along
    the line between its centres, the smaller disc moving more."""
    from scipy.spatial import cKDTree

    out = centres.copy()
    reach = 2 * float(radius.max()) + GAP
    for _ in range(rounds):
        pairs = cKDTree(out).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = out[i] - out[j]
        dist = np.hypot(d[:, 0], d[:, 1])
        over = radius[i] + radius[j] + GAP - dist
        hit = over > 1e-6
        if not hit.any():
            break
        i, j, d, dist, over = i[hit], j[hit], d[hit], dist[hit], over[hit]
        # Coincident centres: a fixed direction per pair (deterministic).
        angle = (i * 7 + j * 13).astype(np.float64)
        unit = np.where(
            (dist > 1e-9)[:, None],
            d / np.maximum(dist, 1e-9)[:, None],
            np.stack([np.cos(angle), np.sin(angle)], axis=1),
        )
        wi = radius[j] ** 2 / (radius[i] ** 2 + radius[j] ** 2)
        push = np.zeros_like(out)
        np.add.at(push, i, unit * (over * wi)[:, None] * 0.5)
        np.add.at(push, j, -unit * (over * (1 - wi))[:, None] * 0.5)
        out += push
    return out


def _ring(g: Any, satellites: list[Ints], xy: Array, main: Ints) -> None:
    """Step 3: the small components on a sunflower around the main picture,
    each tight around its place (as much area a node as in the discs)."""
    if len(main):
        inner = float(np.hypot(*(xy[main] - xy[main].mean(axis=0)).T).max()) + 2 * GAP
        centre = xy[main].mean(axis=0)
    else:
        inner, centre = 0.0, np.zeros(2)
    # Each component's share of the annulus: its area plus a margin.
    area = np.array([len(c) + GAP for c in satellites], dtype=np.float64) * math.pi
    middle = np.sqrt(inner**2 + (np.cumsum(area) - area / 2) / math.pi)
    for i, (members, r) in enumerate(zip(satellites, middle.tolist(), strict=True)):
        angle = i * GOLDEN_ANGLE
        place = centre + r * np.array([math.cos(angle), math.sin(angle)])
        if len(members) == 1:
            xy[members] = place
            continue
        sub = g.induced_subgraph(members.tolist())
        xy[members] = place + _fit(_fr(sub, LOCAL_ITERATIONS), math.sqrt(len(members)) / 2)


def _normalised(xy: Array) -> Array:
    """Bounding box centred on 0, farthest node at ``10 * sqrt(n)``."""
    out: Array = xy - (xy.max(axis=0) + xy.min(axis=0)) / 2
    far = float(np.hypot(out[:, 0], out[:, 1]).max())
    if far > 0:
        out *= 10 * math.sqrt(len(xy)) / far
    return out
