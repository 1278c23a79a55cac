"""Which layout for the map's big scopes: seconds and quality, side by side.

    .venv/bin/python bench/bench_layout.py [--graphs ecosystem sbm] [--methods graphmap drl ...]
                                           [--png DIR]

Graphs: ``ecosystem`` is the map benchmark's (``bench_map.big_sheets``: the
generator's 15,000 actors with their groups, densified with random
memberships to 100,000 ties, ~20,000 nodes); ``sbm`` a planted partition of
20 groups of 1,000 nodes and 100,000 ties, 85 % of them inside a group.

Quality, for each layout: *kNN purity*, the share of each node's 10 nearest
neighbours on the picture that are in its community (Louvain on
``ecosystem``, the planted groups on ``sbm``; higher: communities apart), and
*tie/random*, the median tie length over the median distance between random
pairs of nodes (lower: tied nodes close). ``--png`` writes each picture,
coloured by community. One run each, seed 0; the machine is noisy.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from graphmap.analysis.layout import layout_indexed  # noqa: E402


def ecosystem() -> tuple[Any, np.ndarray]:
    import igraph as ig

    from bench.bench_map import big_sheets

    sheets = big_sheets()
    ids = [r["id"] for s in ("actors", "alliances", "initiatives") for r in sheets[s]]
    index = {x: i for i, x in enumerate(ids)}
    edges = {(index[m["actor"]], index[m["target"]]) for m in sheets["memberships"]}
    for a in sheets["alliances"]:
        for c in str(a.get("carries") or "").split(";"):
            if c in index:
                edges.add((index[a["id"]], index[c]))
    g = ig.Graph(n=len(ids), edges=sorted(edges))
    ig.set_random_number_generator(random.Random(1))
    truth = np.asarray(g.community_multilevel().membership)
    ig.set_random_number_generator(random)
    return g, truth


def sbm(
    groups: int = 20, size: int = 1000, ties: int = 100_000, inside: float = 0.85
) -> tuple[Any, np.ndarray]:
    import igraph as ig

    rng = np.random.default_rng(3)
    n = groups * size
    edges: set[tuple[int, int]] = set()
    while len(edges) < ties:
        u = int(rng.integers(n))
        v = (
            (u // size) * size + int(rng.integers(size))
            if rng.random() < inside
            else int(rng.integers(n))
        )
        if u != v:
            edges.add((min(u, v), max(u, v)))
    return ig.Graph(n=n, edges=sorted(edges)), np.arange(n) // size


def ours(g: Any) -> np.ndarray:
    ends = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    return layout_indexed(g.vcount(), ends[:, 0], ends[:, 1])


METHODS: dict[str, Callable[[Any], Any]] = {
    "graphmap": ours,
    "drl": lambda g: g.layout_drl(),
    "drl-coarsen": lambda g: g.layout_drl(options="coarsen"),
    "fr-grid-100": lambda g: g.layout_fruchterman_reingold(grid=True, niter=100),
    "fr-grid-500": lambda g: g.layout_fruchterman_reingold(grid=True, niter=500),
    "lgl": lambda g: g.layout_lgl(),
}


def quality(xy: np.ndarray, g: Any, truth: np.ndarray, k: int = 10) -> tuple[float, float]:
    _, near = cKDTree(xy).query(xy, k=k + 1)
    purity = float((truth[near[:, 1:]] == truth[:, None]).mean())
    ends = np.asarray(g.get_edgelist())
    tie = np.median(np.linalg.norm(xy[ends[:, 0]] - xy[ends[:, 1]], axis=1))
    a, b = np.random.default_rng(0).integers(len(xy), size=(2, 20_000))
    return purity, float(tie / np.median(np.linalg.norm(xy[a] - xy[b], axis=1)))


def png(path: Path, xy: np.ndarray, truth: np.ndarray, size: int = 700) -> None:
    """A scatter plot, one colour a community (no imaging library needed)."""
    colours = np.array(
        [[230, 25, 75], [60, 180, 75], [255, 200, 25], [0, 130, 200], [245, 130, 48],
         [145, 30, 180], [70, 200, 200], [240, 50, 230], [150, 190, 40], [250, 150, 180],
         [0, 128, 128], [170, 140, 255], [170, 110, 40], [128, 0, 0], [100, 200, 150],
         [128, 128, 0], [255, 180, 130], [0, 0, 128], [128, 128, 128], [40, 40, 40]],
        dtype=np.uint8,
    )  # fmt: skip
    img = np.full((size, size, 3), 255, dtype=np.uint8)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    p = ((xy - lo) / np.maximum(hi - lo, 1e-9) * (size - 3)).astype(int) + 1
    for (x, y), c in zip(p, truth, strict=True):
        img[y : y + 2, x : x + 2] = colours[c % len(colours)]
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    head = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graphs", nargs="*", default=["ecosystem", "sbm"])
    parser.add_argument("--methods", nargs="*", default=list(METHODS))
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    import igraph as ig

    print(
        f"{'graph':<10} {'nodes':>6} {'ties':>7} {'method':<12} {'seconds':>8} {'kNN purity':>11} {'tie/random':>11}"
    )
    for name in args.graphs:
        g, truth = {"ecosystem": ecosystem, "sbm": sbm}[name]()
        for method in args.methods:
            ig.set_random_number_generator(random.Random(0))
            t = time.perf_counter()
            got = METHODS[method](g)
            seconds = time.perf_counter() - t
            ig.set_random_number_generator(random)
            xy = np.asarray(got.coords if hasattr(got, "coords") else got, dtype=np.float64)
            purity, ratio = quality(xy, g, truth)
            print(
                f"{name:<10} {g.vcount():>6} {g.ecount():>7} {method:<12} {seconds:>8.1f} "
                f"{purity:>11.3f} {ratio:>11.3f}",
                flush=True,
            )
            if args.png:
                args.png.mkdir(parents=True, exist_ok=True)
                png(args.png / f"{name}-{method}.png", xy, truth)


if __name__ == "__main__":
    main()
