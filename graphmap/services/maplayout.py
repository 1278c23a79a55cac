"""Server-side positions for the map's big scopes, kept per graph revision.

A scope of more than :data:`BIG_SCOPE` nodes reaches the browser laid out
(:func:`graphmap.analysis.layout.layout_indexed`), so the map is drawn
settled and runs no layout of its own: in software WebGL, ForceAtlas2 in a
worker left the map at 7–9 fps for its 12 seconds and did not converge at
20,000 nodes.

The layout runs in one worker process, one at a time: igraph holds the GIL
for the whole computation, so in a thread it would stall every other request
as surely as in the event loop. Results are kept for the newest
:data:`CACHE_SIZE` scopes under a key that starts with the graph revision
(``history.revision``, bumped by every write): an unchanged graph answers
from memory, a write makes the next request lay out again.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import numpy.typing as npt

from graphmap.analysis.layout import layout_indexed

# Scopes of more than this many nodes get server positions (the map draws
# them with its cheap programs too). Keep equal to SYNC_LAYOUT_MAX in
# frontend/src/views/map.ts: tests/unit/services/test_maplayout.py compares them.
BIG_SCOPE = 2500
CACHE_SIZE = 8

Key = tuple[Hashable, ...]
Positions = dict[str, tuple[float, float]]


class Layouts:
    """The positions of the newest :data:`CACHE_SIZE` big scopes, and the
    worker process that computes them. One per app (opened in the lifespan,
    closed with it); ``in_process=True`` computes in the calling thread
    (tests, scripts)."""

    def __init__(self, size: int = CACHE_SIZE, *, in_process: bool = False) -> None:
        self.size = size
        self.in_process = in_process
        self.computed = 0
        """How many layouts were computed (the rest came from the cache)."""
        self._cache: OrderedDict[Key, Positions] = OrderedDict()
        self._pool: ProcessPoolExecutor | None = None
        self.lock = asyncio.Lock()
        """Held while a layout is computed: one at a time, and a request that
        waited for it finds the result in the cache."""

    def get(self, key: Key, ids: Sequence[str]) -> Positions | None:
        """The positions stored under ``key`` if they place every one of ``ids``."""
        found = self._cache.get(key)
        if found is None or not all(i in found for i in ids):
            return None
        self._cache.move_to_end(key)
        return found

    def put(self, key: Key, positions: Positions) -> None:
        self._cache[key] = positions
        self._cache.move_to_end(key)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)

    async def compute(
        self, ids: Sequence[str], src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64]
    ) -> Positions:
        """Lay out the graph of ``ids`` whose ties join ``ids[src[k]]`` and
        ``ids[dst[k]]`` (not cached: see :meth:`put`)."""
        if self.in_process:
            xy = layout_indexed(len(ids), src, dst)
        else:
            try:
                xy = await self._run(src, dst, len(ids))
            except BrokenProcessPool:  # the worker died (killed, out of memory): once more
                self._close_pool()
                xy = await self._run(src, dst, len(ids))
        self.computed += 1
        return {i: (float(x), float(y)) for i, (x, y) in zip(ids, xy.tolist(), strict=True)}

    async def _run(
        self, src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64], n: int
    ) -> npt.NDArray[np.float64]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), layout_indexed, n, src, dst)

    def _executor(self) -> Executor:
        if self._pool is None:
            # spawn, not fork: the server has threads (the Neo4j driver, uvicorn).
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """Stop the worker process (the cache stays usable)."""
        self._close_pool()
