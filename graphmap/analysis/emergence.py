"""Discreet emerging initiatives: young, little visible, yet growing, diverse
in the worlds of their partners, or close to a facilitator bridge (workshop 2
of the seed: "comment repérer les initiatives innovantes mais discrètes ou en
émergence").

Score (0–100):

.. math:: S_i = 100 \\cdot G_i \\cdot \\frac{\\sum_c w_c\\, x_{ic}}{\\sum_c w_c}

with components :math:`x_{ic} \\in [0, 1]` and weights :class:`EmergenceWeights`:

* ``youth``: :math:`2^{-a/3}`, ``a`` the age in years at ``as_of`` (half-life
  3 years); capped at 0.3 when the stage says CONSOLIDATION or SCALING. No
  start date: from the stage (EMERGENCE 1, EXPERIMENTATION 0.7,
  CONSOLIDATION 0.3, SCALING 0.2, unknown 0.3).
* ``low_visibility``: 1 − the mean percentile (mid-rank) of its degree and
  PageRank in the bipartite actor–initiative graph, among initiatives of its
  first territory (all initiatives when that territory has fewer than
  :data:`MIN_POOL`).
* ``growth``: members who joined in the last :data:`GROWTH_WINDOW_DAYS`
  (365) and were not founders (joined more than 90 days after the start),
  over the other members, capped at 1: two newcomers to two founders is 1.
* ``diversity``: Shannon entropy of the members' worlds over :math:`\\ln 4`,
  capped at 1 (two balanced worlds 0.5, four or more 1).
* ``bridge_proximity``: 1 when a member is a detected facilitator bridge,
  0.5 when a member's partner is, else 0.

Gate :math:`G_i`: 0 with fewer than :data:`MIN_MEMBERS` (2) members or all
members in one world (a small new project is not *emerging* in the seed's
sense until it brings worlds together), times :math:`\\min(1, youth/0.25)`
so projects older than ~6 years fade out whatever their other merits.

References: M. E. J. Newman, *Networks* (2nd ed., 2018), ch. 7 (degree and
PageRank as visibility); C. E. Shannon (1948), doi:10.1002/j.1538-7305.1948.tb01338.x.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta

import networkx as nx
import numpy as np

from graphmap.analysis.centrality import pagerank
from graphmap.analysis.projection import bipartite_graph, initiative_members
from graphmap.analysis.snapshot import GroupRec, Snapshot, reference_date

YOUTH_HALF_LIFE_YEARS = 3.0
STAGE_YOUTH: dict[str | None, float] = {
    "EMERGENCE": 1.0,
    "EXPERIMENTATION": 0.7,
    "CONSOLIDATION": 0.3,
    "SCALING": 0.2,
    None: 0.3,
}
MATURE_STAGES = frozenset({"CONSOLIDATION", "SCALING"})
GROWTH_WINDOW_DAYS = 365
FOUNDER_GRACE_DAYS = 90
MIN_POOL = 5
MIN_MEMBERS = 2
YOUTH_GATE = 0.25


@dataclass(frozen=True, slots=True)
class EmergenceWeights:
    """Relative weights of the components (they need not sum to 1).

    youth: how recently it started. low_visibility: how few ties it has
    compared with initiatives of its territory. growth: newcomers in the last
    year. diversity: how many worlds its members come from. bridge_proximity:
    a detected facilitator among its members or their partners.
    """

    youth: float = 0.25
    low_visibility: float = 0.20
    growth: float = 0.20
    diversity: float = 0.20
    bridge_proximity: float = 0.15

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


@dataclass(slots=True)
class EmergenceResult:
    initiative_id: str
    score: float
    reasons: list[str]
    components: dict[str, float]


def youth(group: GroupRec, as_of: date) -> float:
    """The ``youth`` component (module docstring)."""
    if group.started_on is None:
        return STAGE_YOUTH.get(group.stage, STAGE_YOUTH[None])
    age = max(0.0, (as_of - group.started_on).days / 365.25)
    y = 2.0 ** (-age / YOUTH_HALF_LIFE_YEARS)
    return float(min(y, 0.3) if group.stage in MATURE_STAGES else y)


def _midrank_pct(values: np.ndarray) -> np.ndarray:
    """Percentile of each value in ``values``: (#lower + #equal/2 − 1/2)/(n − 1)
    mapped to [0, 1]; 0.5 for a single value."""
    n = len(values)
    if n <= 1:
        return np.full(n, 0.5)
    s = np.sort(values)
    lo = np.searchsorted(s, values, side="left")
    hi = np.searchsorted(s, values, side="right")
    return (lo + (hi - lo - 1) / 2.0) / (n - 1)


def _name(G: nx.Graph, actor: Hashable) -> str:
    """An actor's name for a sentence (its id when the graph has none); a
    ";" becomes "," (the exports join a node's reasons with ";")."""
    name = str(G.nodes[actor].get("name") or actor) if actor in G else str(actor)
    return name.replace(";", ",")


def _ago(days: int) -> str:
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{round(days / 30.44)} months ago"
    return f"{days / 365.25:.0f} years ago"


def emerging_initiatives(
    snapshot: Snapshot,
    G_actor: nx.Graph,
    actor_metrics: Mapping[Hashable, Mapping[str, float]],
    as_of: date | None = None,
    weights: EmergenceWeights | None = None,
    limit: int | None = 20,
    B: nx.Graph | None = None,
) -> list[EmergenceResult]:
    """Rank initiatives of ``snapshot`` as discreet emerging ones, best first.

    ``actor_metrics[a]["bridge_detected"]`` (truthy) marks detected bridges;
    ``G_actor`` gives the partners of members for bridge proximity; ``B``
    is the bipartite graph (built when None). ``limit=None`` returns all.
    """
    w = (weights or EmergenceWeights()).as_dict()
    wsum = sum(w.values()) or 1.0
    ref = reference_date(snapshot, as_of)
    inits = [g for g in snapshot.groups if g.group == "initiative"]
    if not inits:
        return []
    if B is None:
        B = bipartite_graph(snapshot)
    members = initiative_members(snapshot)
    world = {a.id: a.world for a in snapshot.actors}
    since: dict[tuple[str, str], date | None] = {}
    for m in snapshot.memberships:
        k = (m.actor, m.group)
        if k not in since or (m.since is not None and (since[k] is None or m.since < since[k])):  # type: ignore[operator]
            since[k] = m.since

    # visibility percentiles per territory pool
    pr = pagerank(B, weight=None)
    deg = np.asarray([B.degree(g.id) for g in inits], dtype=np.float64)
    prv = np.asarray([pr.get(g.id, 0.0) for g in inits])
    pools: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(inits):
        pools[g.territories[0] if g.territories else ""].append(i)
    vis = np.zeros(len(inits))
    pool_of: dict[int, tuple[str, int]] = {}
    glob = (_midrank_pct(deg) + _midrank_pct(prv)) / 2.0
    for code, idx_list in pools.items():
        idx = np.asarray(idx_list)
        if len(idx) < MIN_POOL:
            vis[idx] = glob[idx]
            label, size = "", len(inits)
        else:
            vis[idx] = (_midrank_pct(deg[idx]) + _midrank_pct(prv[idx])) / 2.0
            label, size = code, len(idx)
        for j in idx_list:
            pool_of[j] = (label, size)

    detected = {a for a, m in actor_metrics.items() if m.get("bridge_detected")}
    near: dict[Hashable, Hashable] = {}
    for b in detected:
        if b in G_actor:
            for u in G_actor[b]:
                near.setdefault(u, b)

    out: list[tuple[float, int, EmergenceResult]] = []
    window = ref - timedelta(days=GROWTH_WINDOW_DAYS)
    for i, g in enumerate(inits):
        mem = sorted(members.get(g.id, set()))
        n = len(mem)
        worlds = Counter(world[a] for a in mem)
        y = youth(g, ref)
        # growth
        joined = [since.get((a, g.id)) or _carried_since(a, g, since) for a in mem]
        start = g.started_on or min((d for d in joined if d), default=None)
        recent = 0
        if start is not None and start <= ref:  # one starting later has no recent joins
            grace = start + timedelta(days=FOUNDER_GRACE_DAYS)
            recent = sum(1 for d in joined if d is not None and d > grace and window < d <= ref)
        growth = min(1.0, recent / max(1, n - recent)) if n else 0.0
        ent = -sum((c / n) * math.log(c / n) for c in worlds.values()) if n else 0.0
        diversity = min(1.0, ent / math.log(4))
        bridge_members = [a for a in mem if a in detected]
        near_members = [a for a in mem if a in near]
        prox = 1.0 if bridge_members else 0.5 if near_members else 0.0
        comp = {
            "youth": y,
            "low_visibility": float(1.0 - vis[i]),
            "growth": growth,
            "diversity": diversity,
            "bridge_proximity": prox,
        }
        gate = 0.0 if n < MIN_MEMBERS or len(worlds) < 2 else min(1.0, y / YOUTH_GATE)
        score = 100.0 * gate * sum(w[k] * comp[k] for k in w) / wsum
        reasons: list[str] = []
        if g.started_on is not None:
            days = (ref - g.started_on).days
            started = "just started" if days <= 0 else f"started {_ago(days)}"
            reasons.append(started + (f" (stage {g.stage})" if g.stage else ""))
        else:
            reasons.append(f"start date unknown, stage {g.stage or 'unknown'}")
        code, size = pool_of[i]
        where = f"in {code}" if code else "overall"
        reasons.append(
            f"{n} member{'s' if n != 1 else ''}, more visible than only "
            f"{100 * vis[i]:.0f}% of the {size} initiatives {where}"
        )
        if recent:
            reasons.append(f"growing: {recent} of its {n} members joined in the last 12 months")
        if worlds:
            reasons.append(
                f"members from {len(worlds)} world{'s' if len(worlds) != 1 else ''}: "
                + ", ".join(f"{k} ({c})" for k, c in worlds.most_common())
            )
        if bridge_members:
            reasons.append(
                "a member is a detected facilitator bridge: "
                + ", ".join(_name(G_actor, a) for a in bridge_members[:3])
            )
        elif near_members:
            reasons.append(
                f"a member ({_name(G_actor, near_members[0])}) works with a detected "
                f"facilitator bridge ({_name(G_actor, near[near_members[0]])})"
            )
        if n < MIN_MEMBERS:
            reasons.append("not ranked: fewer than 2 members")
        elif len(worlds) < 2:
            reasons.append("not ranked: all members are in one world")
        elif y < YOUTH_GATE:
            reasons.append("score damped: no longer young")
        out.append(
            (
                score,
                i,
                EmergenceResult(
                    g.id, round(score, 2), reasons, {k: round(x, 4) for k, x in comp.items()}
                ),
            )
        )
    out.sort(key=lambda t: (-t[0], t[1]))
    res = [r for _, _, r in out]
    return res if limit is None else res[:limit]


def _carried_since(
    actor: str, g: GroupRec, since: Mapping[tuple[str, str], date | None]
) -> date | None:
    """Join date of an actor engaged through a carrying alliance."""
    for c in g.carried_by:
        d = since.get((actor, c))
        if d is not None:
            return max(d, g.started_on) if g.started_on else d
    return None
