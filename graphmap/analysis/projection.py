"""From a snapshot to graphs: the weighted actor graph and the bipartite
actor–initiative graph.

Tie weight
----------
Two actors are tied when they share an alliance or an initiative. Each shared
group ``g`` with ``n_g`` members adds

.. math:: w(g) = \\frac{h(g)\\, r(g)}{n_g - 1}

* ``1/(n_g - 1)``: Newman's collaboration weighting: every member spreads one
  unit of tie strength over its ``n_g - 1`` co-members, so a 40-member
  initiative ties each pair 20× less than a 3-member alliance.
* ``h(g)``: horizon factor, :data:`STRATEGIC_FACTOR` (1.5) for a STRATEGIC
  alliance, 1 otherwise (workshop 1 of the seed: strategic partnerships bind
  more than operational ones).
* ``r(g) = 2^{-a/5}``: recency decay, ``a`` the years since the group ended
  (``until``) before the reference date; 1 for a group still active. Half-life
  :data:`RECENCY_HALF_LIFE_YEARS` (5): a partnership ended ten years ago still
  counts a quarter.

Edge attributes: ``weight`` (the sum), ``shared`` (number of shared groups),
``via`` (ids of the shared groups, at most :data:`VIA_CAP`).

Large groups
------------
A group of more than :data:`CLIQUE_CAP` (50) members is not expanded to a
clique (a 500-member federation would add 125k ties that say little): it is
star-expanded around its hubs (members with role LEAD or FACILITATOR, at most
five; otherwise its earliest member), each hub tied to every member with the
same ``w(g)``. Groups of 2–50 become cliques, built with numpy per group size.

Reference: M. E. J. Newman, "Scientific collaboration networks. II. Shortest
paths, weighted networks, and centrality", Phys. Rev. E 64, 016132 (2001),
doi:10.1103/PhysRevE.64.016132.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from datetime import date

import networkx as nx
import numpy as np
import numpy.typing as npt

from graphmap.analysis import _backend
from graphmap.analysis.snapshot import GroupRec, Snapshot, reference_date

STRATEGIC_FACTOR = 1.5
RECENCY_HALF_LIFE_YEARS = 5.0
CLIQUE_CAP = 50
STAR_HUBS = 5
VIA_CAP = 5
HUB_ROLES = frozenset({"LEAD", "FACILITATOR"})

IntArray = npt.NDArray[np.int64]


def group_weight(group: GroupRec, size: int, ref: date) -> float:
    """``w(g)`` of the module docstring, for a group of ``size`` members."""
    if size < 2:
        return 0.0
    h = STRATEGIC_FACTOR if group.horizon == "STRATEGIC" else 1.0
    r = 1.0
    if group.until is not None and group.until < ref:
        years = (ref - group.until).days / 365.25
        r = 2.0 ** (-years / RECENCY_HALF_LIFE_YEARS)
    return h * r / (size - 1)


def _members(
    snapshot: Snapshot, actor_index: dict[str, int]
) -> dict[str, list[tuple[int, str, date | None]]]:
    """Distinct members of each group: (actor index, role, since)."""
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[tuple[int, str, date | None]]] = defaultdict(list)
    for m in snapshot.memberships:
        i = actor_index.get(m.actor)
        if i is None or (m.actor, m.group) in seen:
            continue
        seen.add((m.actor, m.group))
        out[m.group].append((i, m.role, m.since))
    return out


def _pairs(
    snapshot: Snapshot, actor_index: dict[str, int], ref: date
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64], IntArray, list[str]]:
    """All (lo, hi, w, group index) contributions, vectorised per group size."""
    members = _members(snapshot, actor_index)
    gids: list[str] = []
    by_size: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
    star_lo: list[int] = []
    star_hi: list[int] = []
    star_g: list[int] = []
    weights: list[float] = []
    for g in snapshot.groups:
        mem = members.get(g.id)
        if not mem or len(mem) < 2:
            continue
        gi = len(gids)
        gids.append(g.id)
        weights.append(group_weight(g, len(mem), ref))
        if len(mem) <= CLIQUE_CAP:
            by_size[len(mem)].append((gi, [i for i, _, _ in mem]))
            continue
        hubs = [i for i, role, _ in mem if role in HUB_ROLES][:STAR_HUBS]
        if not hubs:
            hubs = [min(mem, key=lambda t: (t[2] or date.max, t[0]))[0]]
        hubset = set(hubs)
        for h in hubs:
            for i, _, _ in mem:
                if i != h and not (i in hubset and i < h):
                    star_lo.append(h)
                    star_hi.append(i)
                    star_g.append(gi)
    los: list[IntArray] = [np.asarray(star_lo, dtype=np.int64)]
    his: list[IntArray] = [np.asarray(star_hi, dtype=np.int64)]
    gs: list[IntArray] = [np.asarray(star_g, dtype=np.int64)]
    for size, items in by_size.items():
        mat = np.asarray([m for _, m in items], dtype=np.int64)  # (k, size)
        gidx = np.asarray([gi for gi, _ in items], dtype=np.int64)
        a, b = np.triu_indices(size, 1)
        los.append(mat[:, a].ravel())
        his.append(mat[:, b].ravel())
        gs.append(np.repeat(gidx, len(a)))
    u = np.concatenate(los)
    v = np.concatenate(his)
    gg = np.concatenate(gs)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    w = np.asarray(weights, dtype=np.float64)[gg] if len(gg) else np.zeros(0)
    return lo, hi, w, gg, gids


def actor_graph(snapshot: Snapshot, as_of: date | None = None) -> nx.Graph:
    """The weighted actor graph of ``snapshot`` (see the module docstring).

    Nodes are actor ids with attributes ``name``, ``kind``, ``world``,
    ``territories`` and ``declared_facilitator``. ``as_of`` only sets the
    reference date of the recency decay; filter with
    :func:`graphmap.analysis.snapshot.in_scope` first.

    Examples
    --------
    >>> from graphmap.analysis.snapshot import ActorRec, GroupRec, MembershipRec, Snapshot
    >>> s = Snapshot(
    ...     actors=tuple(ActorRec(x, x, "ASSOCIATION", "CIVIL_SOCIETY") for x in "abc"),
    ...     groups=(GroupRec("g", "alliance", "g"),),
    ...     memberships=tuple(MembershipRec(x, "g") for x in "abc"),
    ... )
    >>> actor_graph(s)["a"]["b"]["weight"]
    0.5
    """
    ref = reference_date(snapshot, as_of)
    nodes: list[Hashable] = [a.id for a in snapshot.actors]
    actor_index = {a.id: i for i, a in enumerate(snapshot.actors)}
    G = nx.Graph()
    G.add_nodes_from(
        (
            a.id,
            {
                "name": a.name,
                "kind": a.kind,
                "world": a.world,
                "territories": a.territories,
                "declared_facilitator": a.declared_facilitator,
            },
        )
        for a in snapshot.actors
    )
    lo, hi, w, gg, gids = _pairs(snapshot, actor_index, ref)
    n = len(nodes)
    if len(lo) == 0:
        _backend.prime(G, nodes, np.zeros(0, np.int64), np.zeros(0, np.int64))
        return G
    key = lo * n + hi
    order = np.argsort(key, kind="stable")
    key, w, gg = key[order], w[order], gg[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ukey = key[starts]
    wsum = np.add.reduceat(w, starts)
    counts = np.diff(np.r_[starts, len(key)])
    src, dst = ukey // n, ukey % n
    ids = [str(x) for x in nodes]
    # via: one group for most pairs, a short loop for the pairs sharing several
    gg_l, starts_l = gg.tolist(), starts.tolist()
    vias: list[tuple[str, ...]] = [(gids[gg_l[s0]],) for s0 in starts_l]
    for k in np.flatnonzero(counts > 1).tolist():
        s0 = starts_l[k]
        vias[k] = tuple(gids[x] for x in gg_l[s0 : s0 + min(int(counts[k]), VIA_CAP)])
    src_l, dst_l, w_l, c_l = src.tolist(), dst.tolist(), wsum.tolist(), counts.tolist()
    G.add_edges_from(
        (ids[u], ids[v], {"weight": w, "shared": c, "via": via})
        for u, v, w, c, via in zip(src_l, dst_l, w_l, c_l, vias, strict=True)
    )
    _backend.prime(
        G,
        nodes,
        src.astype(np.int64),
        dst.astype(np.int64),
        {"weight": wsum, "shared": counts.astype(np.float64)},
    )
    return G


def initiative_members(snapshot: Snapshot) -> dict[str, set[str]]:
    """Actors taking part in each initiative: its direct contributors plus the
    members of the alliances that carry it (an alliance carrying an initiative
    engages its members in it)."""
    actor_ids = {a.id for a in snapshot.actors}
    by_group: dict[str, set[str]] = defaultdict(set)
    for m in snapshot.memberships:
        if m.actor in actor_ids:
            by_group[m.group].add(m.actor)
    out: dict[str, set[str]] = {}
    for g in snapshot.groups:
        if g.group != "initiative":
            continue
        mem = set(by_group.get(g.id, ()))
        for c in g.carried_by:
            mem |= by_group.get(c, set())
        out[g.id] = mem
    return out


def bipartite_graph(snapshot: Snapshot) -> nx.Graph:
    """Actors (``bipartite=0``) and initiatives (``bipartite=1``), an edge for
    each actor taking part in an initiative (see :func:`initiative_members`).
    Initiative node ids are the initiative ids; ids are assumed distinct across
    actors and initiatives (they are in graphmap: one id space per store)."""
    B = nx.Graph()
    B.add_nodes_from(
        (a.id, {"bipartite": 0, "kind": a.kind, "world": a.world, "name": a.name})
        for a in snapshot.actors
    )
    B.add_nodes_from(
        (g.id, {"bipartite": 1, "name": g.name, "stage": g.stage, "territories": g.territories})
        for g in snapshot.groups
        if g.group == "initiative"
    )
    B.add_edges_from((a, i) for i, mem in initiative_members(snapshot).items() for a in mem)
    return B
