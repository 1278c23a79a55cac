"""The map's cache of laid-out big scopes, and its threshold shared with the frontend."""

from __future__ import annotations

import asyncio
import math
import re

import numpy as np
import pytest

from graphmap.services import maplayout
from graphmap.services.maplayout import Layouts
from tests.conftest import REPO

IDS = ["a", "b", "c", "d"]
SRC = np.array([0, 1, 2], dtype=np.int64)
DST = np.array([1, 2, 3], dtype=np.int64)


def test_threshold_is_the_frontends() -> None:
    source = (REPO / "frontend" / "src" / "views" / "map.ts").read_text(encoding="utf-8")
    found = re.search(r"const SYNC_LAYOUT_MAX = ([\d_]+);", source)
    assert found, "SYNC_LAYOUT_MAX is gone from frontend/src/views/map.ts"
    assert int(found.group(1).replace("_", "")) == maplayout.BIG_SCOPE


def test_cache_needs_every_node_placed() -> None:
    layouts = Layouts()
    layouts.put((1, None), {"a": (0.0, 0.0), "b": (1.0, 1.0)})
    assert layouts.get((1, None), ["a", "b"]) == {"a": (0.0, 0.0), "b": (1.0, 1.0)}
    assert layouts.get((1, None), ["a"]) is not None, "a subset is placed"
    assert layouts.get((1, None), ["a", "z"]) is None
    assert layouts.get((2, None), ["a"]) is None, "another revision"


def test_cache_keeps_the_newest_used() -> None:
    layouts = Layouts(size=2)
    for rev in (1, 2):
        layouts.put((rev,), {"a": (float(rev), 0.0)})
    assert layouts.get((1,), ["a"]) is not None  # 1 is now the most recent
    layouts.put((3,), {"a": (3.0, 0.0)})
    assert layouts.get((2,), ["a"]) is None
    assert layouts.get((1,), ["a"]) is not None and layouts.get((3,), ["a"]) is not None


def _check(positions: maplayout.Positions) -> None:
    assert list(positions) == IDS
    assert all(math.isfinite(v) for p in positions.values() for v in p)
    assert len(set(positions.values())) == len(IDS)


def test_compute_in_process() -> None:
    layouts = Layouts(in_process=True)
    positions = asyncio.run(layouts.compute(IDS, SRC, DST))
    _check(positions)
    assert layouts.computed == 1


@pytest.mark.timeout(120)
def test_compute_in_the_worker_process_gives_the_same_positions() -> None:
    layouts = Layouts()

    async def both() -> tuple[maplayout.Positions, maplayout.Positions]:
        return await layouts.compute(IDS, SRC, DST), await layouts.compute(IDS, SRC, DST)

    try:
        first, second = asyncio.run(both())
    finally:
        layouts.close()
    _check(first)
    assert first == second
    assert first == asyncio.run(Layouts(in_process=True).compute(IDS, SRC, DST))
    assert layouts.computed == 2
