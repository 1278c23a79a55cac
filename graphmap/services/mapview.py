"""The web map's whole scope in one read: every node it draws (actors,
initiatives, alliances) with the metrics of the newest analysis run, and the
participation ties between them, as of a date.

A few statements in one read transaction (``map.*`` and the graph revision),
so the nodes and ties come from the same snapshot. Rows stay flat and short:
the map ships 20,000 nodes in one response. Scopes of more than
:data:`~graphmap.services.maplayout.BIG_SCOPE` nodes can come with their
positions, laid out here once per graph revision (:mod:`.maplayout`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from graphmap.analysis.snapshot import active_on
from graphmap.errors import FieldError, InvalidInput
from graphmap.services.fields import parse_date
from graphmap.services.maplayout import BIG_SCOPE, Layouts, Positions
from graphmap.store.database import Database, Tx

KINDS = ("ACTOR", "INITIATIVE", "ALLIANCE")
MAX_LIMIT = 100_000
# Which node, when the limit cuts: actors first, then the groups, most
# central first (pagerank from the newest run), then by id for stability.
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class MapNode:
    id: str
    kind: str
    name: str
    actor_kind: str | None
    world: str | None
    territories: list[str]
    since: date | None
    until: date | None
    degree: float | None
    betweenness: float | None
    pagerank: float | None
    bridge_score: float | None
    emergence_score: float | None
    declared_facilitator: bool | None
    themes: list[str] | None
    alliance_type: str | None


@dataclass(frozen=True, slots=True)
class MapEdge:
    source: str
    target: str
    type: str
    role: str | None
    since: date | None
    until: date | None


@dataclass(slots=True)
class MapGraph:
    nodes: list[MapNode] = field(default_factory=list)
    edges: list[MapEdge] = field(default_factory=list)
    truncated: bool = False
    revision: int = 0
    """The graph revision the scope was read at."""
    positions: Positions | None = None
    """``{node id: (x, y)}`` for a big scope when asked for, else None."""


@lru_cache(maxsize=4096)
def _day(text: str | None) -> date | None:
    # Few distinct dates among 100,000 ties: parse each once.
    return None if text is None else date.fromisoformat(text)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _check(
    as_of: str | None, include: Sequence[str] | None, limit: int
) -> tuple[date | None, list[str]]:
    errors: list[FieldError] = []
    day: date | None = None
    if as_of:
        try:
            day = parse_date(as_of)
        except ValueError as exc:
            errors.append(FieldError("asOf", str(exc), as_of))
    kinds = list(KINDS) if include is None else list(dict.fromkeys(include))
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        errors.append(FieldError("include", f"must be among {', '.join(KINDS)}", ", ".join(bad)))
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"must be between 1 and {MAX_LIMIT}", str(limit)))
    if errors:
        raise InvalidInput(errors)
    return day, kinds


async def map_graph(
    db: Database,
    *,
    territory: str | None = None,
    as_of: str | None = None,
    include: Sequence[str] | None = None,
    limit: int = 50_000,
    layouts: Layouts | None = None,
) -> MapGraph:
    """The scope's nodes (at most ``limit``; ``truncated`` says when cut) and
    the ties whose two ends are drawn; with ``layouts``, the positions of a
    scope of more than ``BIG_SCOPE`` nodes (see :func:`_positions`)."""
    day, kinds = _check(as_of, include, limit)
    territory = territory or None
    with _gc_paused():
        graph = await _map_graph(db, territory, day, kinds, limit)
    if layouts is not None and len(graph.nodes) > BIG_SCOPE:
        graph.positions = await _positions(db, layouts, graph, territory, day, kinds, limit)
    return graph


async def _positions(
    db: Database,
    layouts: Layouts,
    graph: MapGraph,
    territory: str | None,
    day: date | None,
    kinds: list[str],
    limit: int,
) -> Positions:
    """The positions of ``graph``'s nodes, from the cache when the graph has
    not changed since they were computed.

    A dated scope is laid out as its undated one (same territory, kinds and
    limit: every tie ever made), which holds all its nodes: moving the date
    slider then moves no node, and every date shares one layout. Only when
    the undated scope lacks one of them (``limit`` cut it differently, or a
    write came between the two reads) is the dated scope laid out itself.
    """
    key: tuple[Any, ...] = (graph.revision, territory, tuple(sorted(kinds)), limit)
    ids = [n.id for n in graph.nodes]
    dated = (*key, day)

    def cached() -> Positions | None:
        found = layouts.get(key, ids)
        return found if found is not None else layouts.get(dated, ids)

    found = cached()
    if found is not None:
        return found
    async with layouts.lock:
        found = cached()  # computed while this request waited
        if found is not None:
            return found
        base, base_key = graph, key if day is None else dated
        if day is not None:
            with _gc_paused():
                whole = await _map_graph(db, territory, None, kinds, limit)
            drawn = {n.id for n in whole.nodes}
            if whole.revision == graph.revision and drawn.issuperset(ids):
                base, base_key = whole, key
        base_ids = [n.id for n in base.nodes]
        index = {n: i for i, n in enumerate(base_ids)}
        src = np.fromiter((index[e.source] for e in base.edges), np.int64, len(base.edges))
        dst = np.fromiter((index[e.target] for e in base.edges), np.int64, len(base.edges))
        positions = await layouts.compute(base_ids, src, dst)
        layouts.put(base_key, positions)
        return positions


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic collector off while the map is decoded and joined.

    The 20,000-node map allocates ~250,000 small lists and objects, none in
    a cycle; each allocation burst triggers a collection that walks every
    live object, ~0.7 s of ~2 s. Reference counting still frees everything;
    the collector resumes (if it was on) when the map is built.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


async def _map_graph(
    db: Database, territory: str | None, day: date | None, kinds: list[str], limit: int
) -> MapGraph:
    scoped = territory is not None
    # The groups' scope test needs the in-scope actors' ties even when the
    # actors themselves are not drawn.
    need_actors = "ACTOR" in kinds or (scoped and ("INITIATIVE" in kinds or "ALLIANCE" in kinds))

    async def one(tx: Tx, name: str, **params: Any) -> Any:
        # Each map statement returns one record with one list. Read it raw
        # through ``stream``: ``db.run``'s ``record.data()`` walks every
        # nested value again (~2 s of CPU on 120,000 rows).
        async for record in db.stream(tx, name, **params):
            return record[0]
        raise AssertionError(f"{name} returned no record")

    async def work(tx: Tx) -> dict[str, Any]:
        revision = await db.run(tx, "history.revision")
        got: dict[str, Any] = {"revision": int(revision[0]["revision"])}
        got["metrics"] = await one(tx, "map.metrics")
        places: list[str] | None = None
        if scoped:
            places = await one(tx, "map.places", territory=territory)
        got["places"] = places
        got["actors"] = await one(tx, "map.actors", places=places) if need_actors else []
        if "INITIATIVE" in kinds:
            got["initiatives"] = await one(tx, "map.initiatives", as_of=day)
        if "ALLIANCE" in kinds:
            got["alliances"] = await one(tx, "map.alliances", as_of=day)
        return got

    got = await db.read(work)
    metrics = {(r[0], r[1]): r for r in got["metrics"]}
    places = None if got["places"] is None else set(got["places"])
    no_metrics = (None,) * 7

    nodes: list[MapNode] = []
    ties: dict[tuple[str, str], list[MapEdge]] = {}  # drawable ties by source, as of the day
    joined: set[tuple[str, str]] = set()  # (type, group) reached by an in-scope actor

    def active(since: Any, until: Any) -> bool:
        return day is None or active_on(_day(since), _day(until), day)

    for a_id, name, kind, world, terrs, facilitator, links in got["actors"]:
        if places is not None:  # by ties active on the day, as the exports and the analysis
            joined.update((link[1], link[0]) for link in links if active(link[3], link[4]))
        if "ACTOR" not in kinds:
            continue
        dated = [_day(link[3]) for link in links]
        undated = None in dated
        first = None if undated or not dated else min(d for d in dated if d is not None)
        if day is not None and dated and not undated and first is not None and first > day:
            continue
        m = metrics.get(("ACTOR", a_id), no_metrics)
        nodes.append(
            MapNode(
                id=a_id,
                kind="ACTOR",
                name=name or a_id,
                actor_kind=kind,
                world=world,
                territories=sorted(terrs or []),
                since=first,
                until=None,
                degree=_float(m[2]),
                betweenness=_float(m[3]),
                pagerank=_float(m[4]),
                bridge_score=_float(m[5]),
                emergence_score=None,
                declared_facilitator=facilitator,
                themes=None,
                alliance_type=None,
            )  # fmt: skip
        )
        kept: list[MapEdge] = []
        for target, rtype, role, since, until in links:
            if active(since, until):
                kept.append(MapEdge(a_id, target, rtype, role, _day(since), _day(until)))
        ties[("ACTOR", a_id)] = kept

    def in_scope(g_id: str, terrs: list[str], rtype: str) -> bool:
        return places is None or not places.isdisjoint(terrs) or (rtype, g_id) in joined

    for i_id, name, terrs, started, themes in got.get("initiatives", []):
        if not in_scope(i_id, terrs, "CONTRIBUTES_TO"):
            continue
        m = metrics.get(("INITIATIVE", i_id), no_metrics)
        nodes.append(
            MapNode(
                id=i_id,
                kind="INITIATIVE",
                name=name or i_id,
                actor_kind=None,
                world=None,
                territories=sorted(terrs or []),
                since=_day(started),
                until=None,
                degree=_float(m[2]),
                betweenness=_float(m[3]),
                pagerank=_float(m[4]),
                bridge_score=None,
                emergence_score=_float(m[6]),
                declared_facilitator=None,
                themes=themes,
                alliance_type=None,
            )  # fmt: skip
        )
    for al_id, name, terrs, since, until, atype, carried in got.get("alliances", []):
        if not in_scope(al_id, terrs, "MEMBER_OF"):
            continue
        nodes.append(
            MapNode(
                id=al_id,
                kind="ALLIANCE",
                name=name or al_id,
                actor_kind=None,
                world=None,
                territories=sorted(terrs or []),
                since=_day(since),
                until=_day(until),
                degree=None,
                betweenness=None,
                pagerank=None,
                bridge_score=None,
                emergence_score=None,
                declared_facilitator=None,
                themes=None,
                alliance_type=atype,
            )  # fmt: skip
        )
        ties[("ALLIANCE", al_id)] = [
            MapEdge(al_id, i, "CARRIES", None, None, None) for i in carried
        ]

    nodes.sort(key=lambda n: (_KIND_ORDER[n.kind], -(n.pagerank or 0.0), n.id))
    out = MapGraph(nodes=nodes[:limit], truncated=len(nodes) > limit, revision=got["revision"])
    drawn = {n.id for n in out.nodes}
    seen: set[tuple[str, str, str]] = set()
    for n in out.nodes:
        for e in ties.get((n.kind, n.id), ()):
            key = (e.source, e.target, e.type)
            if e.target not in drawn or key in seen:
                continue
            seen.add(key)
            out.edges.append(e)
    return out


_NODE_FIELDS = (
    ("id", "id"),
    ("kind", "kind"),
    ("name", "name"),
    ("actorKind", "actor_kind"),
    ("world", "world"),
    ("territories", "territories"),
    ("since", "since"),
    ("until", "until"),
    ("degree", "degree"),
    ("betweenness", "betweenness"),
    ("pagerank", "pagerank"),
    ("bridgeScore", "bridge_score"),
    ("emergenceScore", "emergence_score"),
    ("declaredFacilitator", "declared_facilitator"),
    ("themes", "themes"),
    ("allianceType", "alliance_type"),
)
_EDGE_FIELDS = (
    ("source", "source"),
    ("target", "target"),
    ("type", "type"),
    ("role", "role"),
    ("since", "since"),
    ("until", "until"),
)


LAYOUT_COLUMNS = ("x", "y")
"""Node columns that are not node fields: the positions of a big scope."""
NODE_COLUMNS = tuple(name for name, _ in _NODE_FIELDS if name != "id") + LAYOUT_COLUMNS
EDGE_COLUMNS = tuple(name for name, _ in _EDGE_FIELDS if name not in ("source", "target"))
_EPOCH = date(1970, 1, 1)


def _compact(value: Any) -> Any:
    """A value as the packed form sends it: dates as day numbers since
    1970-01-01, floats to 4 significant digits (integral ones as ints)."""
    if isinstance(value, date):
        return (value - _EPOCH).days
    if isinstance(value, float):
        r = float(f"{value:.4g}")
        return int(r) if r.is_integer() else r
    return value


def packed_columns(
    node_columns: Sequence[str] | None, edge_columns: Sequence[str] | None
) -> tuple[list[str], list[str]]:
    """The columns asked for (``None``: all of them), checked."""
    errors: list[FieldError] = []
    chosen: list[list[str]] = []
    for arg, asked, known in (
        ("nodeColumns", node_columns, NODE_COLUMNS),
        ("edgeColumns", edge_columns, EDGE_COLUMNS),
    ):
        cols = list(known) if asked is None else list(dict.fromkeys(asked))
        bad = [c for c in cols if c not in known]
        if bad:
            errors.append(FieldError(arg, f"must be among {', '.join(known)}", ", ".join(bad)))
        chosen.append(cols)
    if errors:
        raise InvalidInput(errors)
    return chosen[0], chosen[1]


def packed(
    graph: MapGraph,
    node_columns: Sequence[str] | None = None,
    edge_columns: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The graph as columns, for ``mapGraphPacked``: ``{truncated, earliestSince,
    nodes: {id: [...], column: [...]}, edges: {source: [...], target: [...],
    column: [...]}}``. Nodes always carry ``id``; tie ends are indices into
    it. Only the columns asked for (``None``: all); dates as day numbers since
    1970-01-01, floats to 4 significant digits. ``earliestSince`` is the
    earliest node ``since`` (ISO date, or null), for a date slider's range.
    ``x`` and ``y`` come only when ``graph.positions`` is set (big scopes),
    rounded like the other floats.
    """
    node_cols, edge_cols = packed_columns(node_columns, edge_columns)
    node_attr, edge_attr = dict(_NODE_FIELDS), dict(_EDGE_FIELDS)
    index = {n.id: i for i, n in enumerate(graph.nodes)}
    nodes: dict[str, list[Any]] = {"id": [n.id for n in graph.nodes]}
    at = graph.positions
    for name in node_cols:
        if name in LAYOUT_COLUMNS:
            if at is not None:
                axis = LAYOUT_COLUMNS.index(name)
                nodes[name] = [_compact(at[n.id][axis]) for n in graph.nodes]
            continue
        attr = node_attr[name]
        nodes[name] = [_compact(getattr(n, attr)) for n in graph.nodes]
    edges: dict[str, list[Any]] = {
        "source": [index[e.source] for e in graph.edges],
        "target": [index[e.target] for e in graph.edges],
    }
    for name in edge_cols:
        attr = edge_attr[name]
        edges[name] = [_compact(getattr(e, attr)) for e in graph.edges]
    starts = [n.since for n in graph.nodes if n.since is not None]
    return {
        "truncated": graph.truncated,
        "earliestSince": min(starts).isoformat() if starts else None,
        "nodes": nodes,
        "edges": edges,
    }
