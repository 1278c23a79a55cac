"""Facilitator bridges: the actors that connect worlds (and territories)
that would otherwise not meet, and how they compare with the actors that
*declare* a facilitator role.

Score (0–100), a weighted sum of five components in [0, 1], times a gate:

.. math:: S_v = 100 \\cdot \\mathbb{1}[\\text{worlds}(v) \\ge 2] \\cdot
          \\big(0.30\\, B_v + 0.30\\, X_v + 0.20\\, W_v + 0.10\\, T_v + 0.10\\, H_v\\big)

* ``B`` cross-world brokerage: open pairs of partners in *different* worlds
  (Gould–Fernandez roles), liaison pairs counting 1 and gatekeeper /
  representative pairs 1/2 (:func:`brokerage.third_party_brokerage`: the
  broker that belongs to neither world is the neutral catalyst), as
  :math:`\\sqrt{b_v / \\max b}`: pair counts grow with the square of the
  number of partners, the root brings them back to the scale of partners.
* ``X`` cross-world betweenness: share of the shortest paths between actors
  of different worlds through ``v``, divided by the maximum share.
* ``W`` partner worlds: distinct worlds among partners other than its own,
  over (worlds present − 1).
* ``T`` territories: distinct territories of the actor and its partners,
  :math:`\\min(1, (t-1)/3)` (four or more territories score 1).
* ``H`` openness: :math:`1 - c_v` (Burt's constraint), clipped to [0, 1].

Raw degree is deliberately absent: a hub whose partners all share its world
touches one world, so the gate sets its score to 0, however many partners it
has; likewise a declared facilitator that only ties its own world. Weights
are module constants (:data:`WEIGHTS`) so a caller can see and change them.

*Detected* bridge: at least one open cross-world pair (``B > 0``) and a
score in the top :data:`DETECTED_TOP_SHARE` (5 %) of actors, and at least
:data:`DETECTED_MIN_SCORE` (20). A percentile rather than a fixed score,
because components are normalised by the graph's maximum; the floor keeps a
tiny graph from "detecting" noise.

References: Gould & Fernandez (1989), doi:10.2307/270949; Burt (1992);
Brandes (2008), doi:10.1016/j.socnet.2007.11.001.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from graphmap.analysis import _backend
from graphmap.analysis.brokerage import brokerage_roles, cross_world_brokerage
from graphmap.analysis.centrality import cross_group_betweenness
from graphmap.analysis.structural_holes import constraint

WEIGHTS: dict[str, float] = {
    "brokerage": 0.30,
    "betweenness": 0.30,
    "worlds": 0.20,
    "territories": 0.10,
    "openness": 0.10,
}
DETECTED_TOP_SHARE = 0.05
DETECTED_MIN_SCORE = 20.0

ActorMetrics = Mapping[Hashable, Mapping[str, float]]


@dataclass(slots=True)
class BridgeResult:
    actor_id: str
    score: float
    reasons: list[str]
    components: dict[str, float]
    declared: bool
    detected: bool
    facts: dict[str, float] = field(default_factory=dict)


def bridge_metrics(G: nx.Graph, backend: str = "auto") -> dict[Hashable, dict[str, float]]:
    """The per-actor inputs of :func:`facilitator_bridges`, for callers that
    have not computed them (the pipeline passes its own)."""
    roles = brokerage_roles(G, backend=backend)
    cross = cross_world_brokerage(roles)
    xb = cross_group_betweenness(G, backend=backend)
    con = constraint(G, backend=backend)
    out: dict[Hashable, dict[str, float]] = {}
    for v in G:
        d = dict(roles[v])
        d["cross_world_brokerage"] = cross[v]
        d["cross_world_betweenness"] = xb[v]
        d["constraint"] = con[v]
        out[v] = d
    return out


def _articulation(G: nx.Graph) -> set[Hashable]:
    view, g = _backend.igraph_of(G)
    if g is None:  # pragma: no cover
        return set(nx.articulation_points(G))
    return {view.nodes[i] for i in g.articulation_points()}


def _pct(x: float) -> str:
    p = 100 * x
    return f"{p:.0f}%" if p >= 1 or p == 0 else f"{p:.1f}%" if p >= 0.1 else "<0.1%"


def _names(codes: list[str], names: Mapping[str, str] | None, cap: int = 4) -> str:
    # a ";" becomes ",": the exports join a node's reasons with ";"
    shown = [(names.get(c, c) if names else c).replace(";", ",") for c in codes[:cap]]
    more = f" and {len(codes) - cap} more" if len(codes) > cap else ""
    return ", ".join(shown) + more


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def facilitator_bridges(
    G: nx.Graph,
    metrics: ActorMetrics | None = None,
    territory_names: Mapping[str, str] | None = None,
    limit: int | None = 20,
    explain_top: int | None = None,
) -> list[BridgeResult]:
    """Rank actors as bridges between worlds (module docstring), best first.

    ``metrics[v]`` must hold ``cross_world_brokerage``,
    ``cross_world_betweenness`` and ``constraint`` (and may hold the five
    role counts); computed with :func:`bridge_metrics` when None.
    ``limit=None`` returns every actor (needed by :func:`hidden_bridges`
    and :func:`idle_declared` to see beyond the top). ``explain_top``:
    write reasons only for the first ``explain_top`` results and for declared
    or detected actors (the others get ``[]``), to save time at 100k actors.
    """
    if G.number_of_nodes() == 0:
        return []
    if metrics is None:
        metrics = bridge_metrics(G)
    nodes = list(G)
    worlds_present = {str(G.nodes[v].get("world")) for v in nodes}
    n_worlds = len(worlds_present)
    cross = np.asarray([float(metrics[v].get("cross_world_brokerage", 0.0)) for v in nodes])
    third = np.asarray(
        [
            float(metrics[v].get("liaison", 0.0))
            + 0.5 * float(metrics[v].get("gatekeeper", 0.0) + metrics[v].get("representative", 0.0))
            if "liaison" in metrics[v]
            else float(metrics[v].get("cross_world_brokerage", 0.0))
            for v in nodes
        ]
    )
    xb = np.asarray([float(metrics[v].get("cross_world_betweenness", 0.0)) for v in nodes])
    con = np.asarray([float(metrics[v].get("constraint", math.nan)) for v in nodes])
    bmax = float(third.max()) if len(third) and third.max() > 0 else 1.0
    xmax = xb.max() if len(xb) and xb.max() > 0 else 1.0
    cut = _articulation(G)

    prelim: list[
        tuple[float, int, dict[str, float], dict[str, float], Counter[str], list[str]]
    ] = []
    for i, v in enumerate(nodes):
        data = G.nodes[v]
        own = str(data.get("world"))
        pw: Counter[str] = Counter(str(G.nodes[u].get("world")) for u in G[v] if u != v)
        terrs: set[str] = set(data.get("territories", ()))
        for u in G[v]:
            terrs.update(G.nodes[u].get("territories", ()))
        touched = set(pw) | {own}
        other = len(set(pw) - {own})
        comp = {
            "brokerage": math.sqrt(third[i] / bmax),
            "betweenness": float(xb[i] / xmax),
            "worlds": other / (n_worlds - 1) if n_worlds > 1 else 0.0,
            "territories": min(1.0, max(0, len(terrs) - 1) / 3.0),
            "openness": 0.0 if math.isnan(con[i]) else min(1.0, max(0.0, 1.0 - con[i])),
        }
        gate = 1.0 if len(touched) >= 2 else 0.0
        score = 100.0 * gate * sum(WEIGHTS[k] * comp[k] for k in WEIGHTS)
        facts = {
            "partners": float(sum(pw.values())),
            "partner_worlds": float(len(pw)),
            "worlds_touched": float(len(touched)),
            "territories": float(len(terrs)),
            "cross_world_pairs": float(cross[i]),
            "cross_world_path_share": float(xb[i]),
            "cut_point": 1.0 if v in cut else 0.0,
        }
        prelim.append((score, i, comp, facts, pw, sorted(terrs)))

    prelim.sort(key=lambda t: (-t[0], t[1]))
    n_detect = max(1, math.ceil(DETECTED_TOP_SHARE * len(nodes)))
    results: list[BridgeResult] = []
    for rank, (score, i, comp, facts, pw, terr_list) in enumerate(prelim):
        v = nodes[i]
        data = G.nodes[v]
        declared = bool(data.get("declared_facilitator", False))
        detected = (
            rank < n_detect and facts["cross_world_pairs"] > 0 and score >= DETECTED_MIN_SCORE
        )
        if limit is not None and rank >= limit:
            break
        results.append(
            BridgeResult(
                actor_id=str(v),
                score=round(score, 2),
                reasons=_reasons(
                    data, metrics[v], facts, pw, terr_list, n_worlds, declared, territory_names
                )
                if explain_top is None or rank < explain_top or declared or detected
                else [],
                components={k: round(x, 4) for k, x in comp.items()},
                declared=declared,
                detected=detected,
                facts=facts,
            )
        )
    return results


def _reasons(
    data: Mapping[str, object],
    m: Mapping[str, float],
    facts: Mapping[str, float],
    pw: Counter[str],
    terrs: list[str],
    n_worlds: int,
    declared: bool,
    names: Mapping[str, str] | None,
) -> list[str]:
    own = str(data.get("world"))
    partners = int(facts["partners"])
    out: list[str] = []
    others = [w for w, _ in pw.most_common() if w != own]
    if not partners:
        out.append("has no partner in the graph")
    elif not others:
        out.append(f"all {partners} partners are in its own world ({own}): it bridges no world")
    else:
        out.append(
            f"links the {_join([own] + others[:3])} worlds"
            + (f" (+{len(others) - 3} more)" if len(others) > 3 else "")
        )
    if partners:
        out.append(f"{len(pw)} of {n_worlds} worlds among its {partners} partners")
    pairs = facts["cross_world_pairs"]
    if pairs > 0:
        li = m.get("liaison", 0.0)
        gr = m.get("gatekeeper", 0.0) + m.get("representative", 0.0)
        out.append(
            f"brokers {pairs:.0f} pairs of partners from different worlds"
            " who are not tied to each other"
            f" (liaison {li:.0f}, gatekeeper/representative {gr:.0f})"
        )
    share = facts["cross_world_path_share"]
    if share > 0:
        out.append(f"{_pct(share)} of cross-world shortest paths pass through it")
    if facts["cut_point"]:
        out.append("without it, part of the network would be cut off from the rest")
    nt = len(terrs)
    if nt:
        out.append(
            f"acts in {nt} territor{'y' if nt == 1 else 'ies'} with its partners: "
            + _names(terrs, names)
        )
    c = m.get("constraint", math.nan)
    if not math.isnan(c):
        out.append(f"constraint {c:.2f} (lower = partners less redundant)")
    out.append(f"declared facilitator: {'yes' if declared else 'no'}")
    return out


def hidden_bridges(results: list[BridgeResult]) -> list[BridgeResult]:
    """Detected bridges that do not declare a facilitator role: the unsung
    catalysts the seed asks to recognise."""
    return [r for r in results if r.detected and not r.declared]


def idle_declared(results: list[BridgeResult]) -> list[BridgeResult]:
    """Declared facilitators that bridge nothing: no open pair of partners
    from different worlds (``brokerage`` component 0)."""
    return [r for r in results if r.declared and r.facts.get("cross_world_pairs", 0.0) == 0.0]
