"""Benchmark of graphmap.analysis on generated ecosystems.

    .venv/bin/python bench/bench_analysis.py [--sizes 10000 100000] [--seed 1]

For each size: generation time, stage timings of ``analyze``, peak RSS.
On the 10k graph, accelerated metrics side by side with plain networkx
(runs that would exceed 60 s are skipped and extrapolated from a subgraph,
and said so), and the top-100 overlap of sampled vs exact betweenness.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from graphmap.analysis import centrality, communities, structural_holes
from graphmap.analysis.brokerage import brokerage_roles
from graphmap.analysis.generate import generate_ecosystem, snapshot_from_rows
from graphmap.analysis.pipeline import analyze
from graphmap.analysis.projection import actor_graph


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed(f: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def run_size(n: int, seed: int) -> nx.Graph:
    tg, eco = timed(lambda: generate_ecosystem(n, seed=seed))
    ts, snap = timed(lambda: snapshot_from_rows(eco))
    tt, res = timed(lambda: analyze(snap, as_of=eco.as_of, seed=seed))
    s = res.summary
    print(f"\n## {n:,} actors (seed {seed}): {int(s['ties']):,} ties, {len(snap.groups):,} groups, "
          f"{len(snap.memberships):,} memberships")  # fmt: skip
    print(f"generate {tg:.2f} s, snapshot_from_rows {ts:.2f} s")
    print("| stage | seconds |\n| --- | ---: |")
    for k, v in res.timings.items():
        print(f"| {k} | {v:.2f} |")
    print(f"| **analyze total** | **{tt:.2f}** |")
    print(f"peak RSS so far: {rss_mib():,.0f} MiB")
    print(f"modes: betweenness {s['betweenness_mode']}, harmonic {s['harmonic_mode']}, "
          f"cross-world betweenness {s['cross_world_betweenness_mode']}")  # fmt: skip
    top = [b.actor_id for b in res.bridges[:10]]
    pb = set(eco.planted_bridges)
    te = [e.initiative_id for e in res.emerging[:10]]
    print(f"planted bridges recall@10 {len(pb & set(top)) / min(10, len(pb)):.2f}; "
          f"planted emerging recall@10 {len(set(eco.planted_emerging) & set(te)) / min(10, len(eco.planted_emerging)):.2f}; "
          f"bridges detected {int(s['bridges_detected'])}, hidden {int(s['hidden_bridges'])}, idle declared {int(s['idle_declared'])}")  # fmt: skip
    return res.graph


def side_by_side(G: nx.Graph) -> None:
    n = G.number_of_nodes()
    print(
        f"\n## accelerated vs plain networkx on the {n:,}-node graph ({G.number_of_edges():,} edges)"
    )
    print("| metric | ours (s) | networkx (s) | ratio | note |\n| --- | ---: | ---: | ---: | --- |")
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any], float | None]] = [
        ("pagerank", lambda: centrality.pagerank(G), lambda: nx.pagerank(G, weight="weight"), None),
        ("eigenvector", lambda: centrality.eigenvector(G), lambda: nx.eigenvector_centrality(G, weight="weight", max_iter=1000), None),
        ("constraint", lambda: structural_holes.constraint(G), lambda: nx.constraint(G, weight="weight"), None),
        ("effective_size", lambda: structural_holes.effective_size(G), lambda: nx.effective_size(G, weight="weight"), None),
        ("louvain", lambda: communities.louvain(G), lambda: nx.community.louvain_communities(G, weight="weight", seed=0), None),
        ("brokerage roles", lambda: brokerage_roles(G), lambda: brokerage_roles(G, backend="networkx"), None),
        # too slow in full: extrapolated from a source sample (harmonic: 1/n per source; betweenness: k/n)
        ("harmonic (exact)", lambda: centrality.harmonic(G, exact_max_nodes=10**9), None, 200),
        ("betweenness (exact)", lambda: centrality.betweenness(G), None, 200),
    ]  # fmt: skip
    for name, ours, ref, k in cases:
        t1, _ = timed(ours)
        if ref is not None:
            t2, _ = timed(ref)
            note = "measured"
        else:
            assert k is not None
            if name.startswith("harmonic"):
                import random

                src = random.Random(0).sample(list(G), k)
                t2k, _ = timed(
                    lambda src=src: [nx.single_source_shortest_path_length(G, s) for s in src]
                )
            else:
                t2k, _ = timed(lambda: nx.betweenness_centrality(G, k=k, seed=0))
            t2 = t2k * n / k
            note = f"extrapolated from {k} sources (> 60 s in full)"
        print(f"| {name} | {t1:.2f} | {t2:.2f} | {t2 / t1:.0f}× | {note} |")


def overlap(G: nx.Graph) -> None:
    t_exact, exact = timed(lambda: centrality.betweenness(G))
    top = set(sorted(exact, key=exact.__getitem__, reverse=True)[:100])
    print("\n## sampled vs exact betweenness, top-100 overlap")
    print("| samples | seconds | top-100 overlap |\n| ---: | ---: | ---: |")
    print(f"| exact | {t_exact:.2f} | 1.00 |")
    for k in (256, 1024, 2048):
        t, est = timed(lambda k=k: centrality.betweenness(G, exact_max_nodes=0, samples=k, seed=1))
        got = set(sorted(est, key=est.__getitem__, reverse=True)[:100])
        print(f"| {k} | {t:.2f} | {len(top & got) / 100:.2f} |")
    t_x, xe = timed(lambda: centrality.cross_group_betweenness(G, exact_max_nodes=10**9))
    tx = set(sorted(xe, key=xe.__getitem__, reverse=True)[:100])
    t_s, xs = timed(lambda: centrality.cross_group_betweenness(G, exact_max_nodes=0, seed=1))
    got = set(sorted(xs, key=xs.__getitem__, reverse=True)[:100])
    print(f"| cross-world exact | {t_x:.2f} | 1.00 |")
    print(
        f"| cross-world k={centrality.CROSS_BETWEENNESS_SAMPLES} | {t_s:.2f} | {len(tx & got) / 100:.2f} |"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-compare", action="store_true")
    args = ap.parse_args(argv)
    graphs = {n: run_size(n, args.seed) for n in args.sizes}
    if not args.skip_compare:
        G = graphs.get(10_000)
        if G is None:
            snap = snapshot_from_rows(generate_ecosystem(10_000, seed=args.seed))
            G = actor_graph(snap)
        overlap(G)
        side_by_side(G)
    print(f"\npeak RSS of the whole run: {rss_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
