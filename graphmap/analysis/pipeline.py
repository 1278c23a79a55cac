"""One analysis run: scope → projections → metrics → bridges → emergence.

:func:`analyze` is what ``services`` calls (then writes the result back as an
``AnalysisRun``) and what ``graphmap analyze`` runs. It is pure: the snapshot
in, an :class:`AnalysisResult` out, with per-stage timings so a slow stage is
visible in the run record.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from graphmap.analysis import centrality, communities
from graphmap.analysis.bridges import local_bridge_counts
from graphmap.analysis.brokerage import brokerage_roles, cross_world_brokerage
from graphmap.analysis.emergence import EmergenceResult, EmergenceWeights, emerging_initiatives
from graphmap.analysis.facilitators import (
    BridgeResult,
    facilitator_bridges,
    hidden_bridges,
    idle_declared,
)
from graphmap.analysis.projection import actor_graph, bipartite_graph
from graphmap.analysis.snapshot import Snapshot, ancestors, in_scope, reference_date
from graphmap.analysis.structural_holes import constraint, effective_size
from graphmap.analysis.world_matrix import WorldMatrix, world_matrices

MAX_WORLD_MATRICES = 200
"""World matrices are computed for the whole scope plus at most this many
territories: every territory that is a parent of another (EPCI, département,
région...) and the communes, the most populated in actors first."""
BRIDGE_LIMIT = 50
EXPLAINED_BRIDGES = 500
"""Reasons are written for this many top-ranked actors (and every declared or
detected one): enough for any list a person reads."""
EMERGING_LIMIT = 50

Progress = Callable[[str, float], None]


@dataclass
class AnalysisResult:
    parameters: dict[str, Any]
    revision: str
    timings: dict[str, float]
    actor_metrics: dict[str, dict[str, float]]
    initiative_metrics: dict[str, dict[str, float]]
    bridges: list[BridgeResult]
    hidden_bridges: list[BridgeResult]
    idle_declared: list[BridgeResult]
    emerging: list[EmergenceResult]
    world_matrices: dict[str, WorldMatrix]
    summary: dict[str, float | str]
    graph: nx.Graph = field(repr=False, default_factory=nx.Graph)


STAGES = (
    "scope", "projection", "bipartite", "degree", "pagerank", "eigenvector", "harmonic",
    "betweenness", "cross_world_betweenness", "constraint", "effective_size", "brokerage",
    "local_bridges", "communities", "facilitators", "emergence", "world_matrices",
)  # fmt: skip


def analyze(
    snapshot: Snapshot,
    territory: str | None = None,
    as_of: date | None = None,
    alliance_types: frozenset[str] | None = None,
    progress: Progress | None = None,
    *,
    emergence_weights: EmergenceWeights | None = None,
    territory_names: dict[str, str] | None = None,
    backend: str = "auto",
    seed: int = 0,
) -> AnalysisResult:
    """Run every analysis on the part of ``snapshot`` in scope.

    ``progress(stage, fraction_done)`` is called before each stage and once
    with ``("done", 1.0)``. Sampled metrics (betweenness above 12k actors,
    harmonic above 5k, cross-world betweenness above 4k) use ``seed``.
    """
    timings: dict[str, float] = {}
    done = [0]

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if progress is not None:
            progress(name, done[0] / len(STAGES))
        t0 = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - t0
        done[0] += 1

    ref = reference_date(snapshot, as_of)
    with stage("scope"):
        scoped = in_scope(snapshot, territory, as_of, alliance_types)
    with stage("projection"):
        G = actor_graph(scoped, ref)
    with stage("bipartite"):
        B = bipartite_graph(scoped)
    n = G.number_of_nodes()
    m: dict[Hashable, dict[str, float]] = {v: {} for v in G}

    def put(name: str, values: dict[Hashable, float] | dict[Hashable, int]) -> None:
        for v, x in values.items():
            m[v][name] = float(x)

    with stage("degree"):
        put("degree", centrality.degree(G))
        put("weighted_degree", centrality.weighted_degree(G))
    with stage("pagerank"):
        put("pagerank", centrality.pagerank(G, backend=backend))
    with stage("eigenvector"):
        put("eigenvector", centrality.eigenvector(G, backend=backend))
    with stage("harmonic"):
        put("harmonic", centrality.harmonic(G, backend=backend, seed=seed))
    with stage("betweenness"):
        put("betweenness", centrality.betweenness(G, backend=backend, seed=seed))
    with stage("cross_world_betweenness"):
        put(
            "cross_world_betweenness",
            centrality.cross_group_betweenness(G, backend=backend, seed=seed),
        )
    with stage("constraint"):
        put("constraint", constraint(G, backend=backend))
    with stage("effective_size"):
        put("effective_size", effective_size(G))
    with stage("brokerage"):
        roles = brokerage_roles(G, backend=backend)
        for v, r in roles.items():
            m[v].update(r)
        put("cross_world_brokerage", cross_world_brokerage(roles))
    with stage("local_bridges"):
        put("local_bridges", local_bridge_counts(G))
    with stage("communities"):
        part = communities.louvain(G, seed=seed, backend=backend)
        put("community", communities.community_of(part))
        Q = communities.modularity(G, part) if G.number_of_edges() else 0.0
    with stage("facilitators"):
        ranked = facilitator_bridges(
            G, m, territory_names, limit=None, explain_top=EXPLAINED_BRIDGES
        )
        for br in ranked:
            m[br.actor_id]["bridge_score"] = br.score
            m[br.actor_id]["bridge_detected"] = 1.0 if br.detected else 0.0
            m[br.actor_id]["declared_facilitator"] = 1.0 if br.declared else 0.0
        hidden = hidden_bridges(ranked)
        idle = idle_declared(ranked)
    with stage("emergence"):
        emerging_all = emerging_initiatives(scoped, G, m, ref, emergence_weights, limit=None, B=B)
        pr_b = centrality.pagerank(B, weight=None, backend=backend) if B.number_of_nodes() else {}
        init_metrics: dict[str, dict[str, float]] = {}
        for e in emerging_all:
            d = {
                "members": float(B.degree(e.initiative_id)),
                "pagerank": pr_b.get(e.initiative_id, 0.0),
            }
            d["emergence_score"] = e.score
            d.update({f"emergence_{k}": x for k, x in e.components.items()})
            init_metrics[e.initiative_id] = d
    with stage("world_matrices"):
        matrices = _world_matrices(G, scoped)

    cross_ties = sum(1 for u, v in G.edges() if G.nodes[u]["world"] != G.nodes[v]["world"])
    ties = G.number_of_edges()
    summary: dict[str, float | str] = {
        "actors": float(n),
        "ties": float(ties),
        "initiatives": float(len(emerging_all)),
        "cross_world_tie_share": cross_ties / ties if ties else 0.0,
        "bridges_detected": float(sum(1 for r in ranked if r.detected)),
        "declared_facilitators": float(sum(1 for r in ranked if r.declared)),
        "hidden_bridges": float(len(hidden)),
        "idle_declared": float(len(idle)),
        "communities": float(len(part)),
        "modularity": Q,
        "emerging_scored": float(sum(1 for e in emerging_all if e.score > 0)),
        "betweenness_mode": "exact" if n <= centrality.BETWEENNESS_EXACT_MAX_NODES
        else f"sampled k={centrality.BETWEENNESS_SAMPLES}",
        "harmonic_mode": "exact" if n <= centrality.HARMONIC_EXACT_MAX_NODES
        else f"sampled pivots={centrality.HARMONIC_PIVOTS}",
        "cross_world_betweenness_mode": "exact" if n <= centrality.CROSS_BETWEENNESS_EXACT_MAX_NODES
        else f"sampled k={centrality.CROSS_BETWEENNESS_SAMPLES}",
        "world_pairs_without_ties": float(len(matrices["*"].missing)) if "*" in matrices else 0.0,
    }  # fmt: skip
    if progress is not None:
        progress("done", 1.0)
    return AnalysisResult(
        parameters={
            "territory": territory,
            "as_of": as_of.isoformat() if as_of else None,
            "reference_date": ref.isoformat(),
            "alliance_types": sorted(alliance_types) if alliance_types is not None else None,
            "emergence_weights": (emergence_weights or EmergenceWeights()).as_dict(),
            "backend": backend,
            "seed": seed,
        },
        revision=snapshot.revision,
        timings=timings,
        actor_metrics={str(v): d for v, d in m.items()},
        initiative_metrics=init_metrics,
        bridges=[r for r in ranked if r.reasons],
        hidden_bridges=hidden,
        idle_declared=idle,
        emerging=emerging_all[:EMERGING_LIMIT],
        world_matrices=matrices,
        summary={
            k: (round(x, 6) if isinstance(x, float) and not math.isnan(x) else x)
            for k, x in summary.items()
        },
        graph=G,
    )


def _world_matrices(G: nx.Graph, snapshot: Snapshot) -> dict[str, WorldMatrix]:
    """``"*"`` for the whole scope, then the bounded set of territories of
    :data:`MAX_WORLD_MATRICES`."""
    if not G.number_of_nodes():
        return {}
    parents = snapshot.territory_parents
    members: dict[str, list[str]] = {}
    cache: dict[str, set[str]] = {}
    for a in snapshot.actors:
        for t in a.territories:
            if t not in cache:
                cache[t] = ancestors(parents, t)
            for code in cache[t]:
                members.setdefault(code, []).append(a.id)
    aggregates = {p for ps in parents.values() for p in ps}
    ranked = sorted(members, key=lambda c: (c not in aggregates, -len(members[c]), c))
    sets: dict[str, list[str] | None] = {"*": None}
    sets.update((code, members[code]) for code in ranked[:MAX_WORLD_MATRICES])
    return world_matrices(G, sets)


def world_counts(G: nx.Graph) -> Counter[str]:
    return Counter(str(d.get("world")) for _, d in G.nodes(data=True))
