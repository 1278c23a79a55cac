"""Exports of a scope of the graph, streamed: nodes.csv + edges.csv (zipped),
GraphML, GEXF 1.3, JSON node-link, and the import workbook.

The scope is the map's: the whole graph or a territory with everything below
it, optionally as of a date, as the actor projection (actors tied by the
alliances and initiatives they share, weight = how many) or the full graph.
Nodes carry the latest whole-graph analysis metrics when a run exists; nodes
have an ``entity`` attribute (Actor, Initiative, Alliance, Territory), edges a
``type`` (the relationship type, or SHARES in the actor projection), and an
edge's provenance ``source`` is exported as ``provenance`` (``source`` and
``target`` are its endpoints).

Memory stays flat as the graph grows: one read transaction, statements whose
results the driver pulls in batches, writers that turn each record into bytes
at once, and chunks handed to the caller as soon as they reach 64 KiB. Only
the attribute declarations (and, in a territory scope, the in-scope group ids)
are read ahead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from graphmap.errors import FieldError, InvalidInput, NotFound
from graphmap.io import export_workbook
from graphmap.io.export_csv import CSVZipWriter, ZipCSV
from graphmap.io.export_gexf import GEXFWriter
from graphmap.io.export_graphml import GraphMLWriter
from graphmap.io.export_json import JSONWriter
from graphmap.io.export_model import Attribute, Edge, GraphWriter, Node, Schema, attr_type
from graphmap.services.workbook import Sheet
from graphmap.store import queries
from graphmap.store.database import Database

Projection = Literal["actors", "full"]
WRITERS: dict[str, Callable[[], GraphWriter]] = {
    "csv": CSVZipWriter,
    "graphml": GraphMLWriter,
    "gexf": GEXFWriter,
    "json": JSONWriter,
}
FORMATS = (*WRITERS, "workbook")
MEDIA_TYPES = {
    "csv": "application/zip",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "workbook": "application/zip",
}
EXTENSIONS = {
    "csv": "csv.zip",
    "graphml": "graphml",
    "gexf": "gexf",
    "json": "json",
    "workbook": "workbook.zip",
}
CHUNK = 1 << 16
# Source nodes per page read from Neo4j. 8000 against 2000: a GraphML export
# of 516k elements took 6.93 and 8.42 s against 7.37 and 9.28 s (medians of
# 4, two runs alternating; 500 and 20,000 were slower). The actor projection
# keeps 2000: one actor of a large alliance brings thousands of ties.
PAGE = 8000
PAGES = {"exports.actor_ties": 2000}

# (label, statement) of the nodes, in the order written
NODE_STATEMENTS = (
    ("Territory", "exports.territories"),
    ("Actor", "exports.actors"),
    ("Initiative", "exports.initiatives"),
    ("Alliance", "exports.alliances"),
)
EDGE_STATEMENTS = (
    ("PART_OF", "exports.part_of"),
    ("LOCATED_IN", "exports.located_in_actors"),
    ("LOCATED_IN", "exports.located_in_initiatives"),
    ("LOCATED_IN", "exports.located_in_alliances"),
    ("MEMBER_OF", "exports.member_of"),
    ("CONTRIBUTES_TO", "exports.contributes_to"),
    ("CARRIES", "exports.carries"),
)
# An edge's provenance ``source`` would clash with its endpoint in CSV and JSON.
EDGE_RENAMES = {"source": "provenance"}
TIE_VALUES = ("weight", "alliances", "initiatives")  # exports.actor_ties, in order
TIE_ATTRS = [Attribute("type", "string"), *(Attribute(v, "long") for v in TIE_VALUES)]


@dataclass(frozen=True, slots=True)
class Scope:
    """What part of the graph to export (``None``: no restriction)."""

    territory: str | None = None
    as_of: date | None = None
    projection: Projection = "full"

    def describe(self) -> dict[str, str]:
        return {
            "territory": self.territory or "*",
            "asOf": self.as_of.isoformat() if self.as_of else "*",
            "projection": self.projection,
        }

    def filename(self, fmt: str) -> str:
        parts = ["graphmap", self.projection]
        if self.territory:
            parts.append(self.territory)
        if self.as_of:
            parts.append(self.as_of.isoformat())
        return "-".join(parts) + "." + EXTENSIONS[fmt]


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput([FieldError("format", f"is not one of {', '.join(FORMATS)}", fmt)])
    return fmt


def check_request(fmt: str, scope: Scope) -> None:
    """The format, and the projection it can hold (what needs no database)."""
    check_format(fmt)
    if fmt == "workbook" and scope.projection != "full":
        why = "is for the graph formats: the workbook holds the full graph, to import"
        raise InvalidInput([FieldError("projection", why, scope.projection)])


async def open_export(db: Database, fmt: str, scope: Scope) -> AsyncIterator[bytes]:
    """Check the request (format, projection, territory) now, then return the
    byte stream: a bad request fails before any byte is sent."""
    check_request(fmt, scope)
    params = await _params(db, scope)
    if fmt == "workbook":
        return _workbook(db, scope, params)
    return _graph(db, fmt, scope, params)


async def check_territory(db: Database, territory: str) -> None:
    """Raise ``NotFound`` unless ``territory`` is a live territory's code."""
    if not await db.fetch("territories.by_ids", ids=[territory]):
        raise NotFound("Territory", territory)


async def _params(db: Database, scope: Scope) -> dict[str, Any]:
    params: dict[str, Any] = {"area": None, "as_of": scope.as_of, "groups": None}
    if scope.territory is not None:
        found = await db.fetch("exports.area", territory=scope.territory)
        if not found:
            raise NotFound("Territory", scope.territory)
        params["area"] = [found[0]["root"], *found[0]["below"]]
        groups = await db.fetch("exports.scoped_groups", area=params["area"], as_of=scope.as_of)
        params["groups"] = [g["id"] for g in groups]
    runs = await db.fetch("exports.latest_run")
    params["run"] = runs[0]["id"] if runs else None
    return params


class _Chunks:
    """Gathers writer output into chunks of about ``CHUNK`` bytes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, data: bytes) -> bool:
        if data:
            self.parts.append(data)
            self.size += len(data)
        return self.size >= CHUNK

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return out


# The property schema's names of the types sent as ISO text (toString): the
# driver would hydrate each into an object (~100 µs a DateTime).
_TEMPORAL = {"Date", "DateTime", "LocalDateTime", "LocalTime", "Time", "Duration", "Point"}
Keys = dict[str, dict[str, list[str]]]  # group (label or type) -> key -> value types


@dataclass(frozen=True, slots=True)
class Columns:
    """The property keys a page statement returns values of, in order:
    ``keys`` as stored, then ``temporal`` as ISO text; and the metrics."""

    keys: tuple[str, ...] = ()
    temporal: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    names: tuple[str, ...] = field(init=False)  # keys, then temporal: a page row's order

    def __post_init__(self) -> None:  # once, not for each of a page's elements
        object.__setattr__(self, "names", self.keys + self.temporal)

    @classmethod
    def of(
        cls, found: dict[str, list[str]], metrics: Iterable[str] = (), *, node: bool = False
    ) -> Columns:
        """From the keys ``found`` with their types; a node's ``id`` is not
        among them (the statements return it apart)."""

        def temporal(types: list[str]) -> bool:
            return any(t.replace(" NOT NULL", "").strip() in _TEMPORAL for t in types)

        keys = sorted(k for k in found if not (node and k == "id"))
        return cls(
            tuple(k for k in keys if not temporal(found[k])),
            tuple(k for k in keys if temporal(found[k])),
            tuple(metrics),
        )

    def params(self) -> dict[str, list[str]]:
        return {
            "keys": list(self.keys),
            "temporal": list(self.temporal),
            "metrics": list(self.metrics),
        }


async def _keys(db: Database, statement: str, group: str | None, **params: Any) -> Keys:
    """The property keys ``statement`` finds, with their value types, by
    ``group`` (the record's label or type; ``None``: one group, ``""``),
    read in a transaction of its own."""

    async def work(tx: Any) -> Keys:
        out: Keys = {}
        async for rec in db.stream(tx, statement, **params):
            keys = out.setdefault(rec[group] if group else "", {})
            keys.setdefault(rec["key"], []).extend(rec["types"])
        return out

    return await db.read(work)


async def _no_keys() -> Keys:
    return {}


def _merged(groups: Keys) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for keys in groups.values():
        for key, types in keys.items():
            out.setdefault(key, []).extend(types)
    return out


async def _schema(db: Database, scope: Scope, run: str | None) -> tuple[Schema, dict[str, Columns]]:
    """The attribute declarations, and the columns of each page statement.
    The node and relationship property schemas are each a scan of the
    store, run side by side: 0.51 s against 0.60 s one after the other
    (medians of 6, 107k nodes and 407k relationships)."""
    labels = ["Actor"] if scope.projection == "actors" else [lab for lab, _ in NODE_STATEMENTS]
    types = [t for t, _ in EDGE_STATEMENTS]
    node_keys, metric_keys, edge_keys = await asyncio.gather(
        _keys(db, "exports.node_keys", "label", labels=labels),
        _keys(db, "exports.metric_keys", None, run=run) if run is not None else _no_keys(),
        _keys(db, "exports.edge_keys", "type", types=types)
        if scope.projection == "full"
        else _no_keys(),
    )
    nodes = _merged(node_keys)
    nodes.pop("id", None)
    metrics = metric_keys.get("", {})
    node_attrs = [Attribute("entity", "string")]
    node_attrs += [Attribute(k, attr_type(t)) for k, t in sorted(nodes.items())]
    node_attrs.append(Attribute("territories", "string"))
    known = {a.name for a in node_attrs}
    node_attrs += [Attribute(k, attr_type(t)) for k, t in sorted(metrics.items()) if k not in known]
    columns = {
        statement: Columns.of(
            node_keys.get(label, {}), sorted(metrics) if label != "Territory" else (), node=True
        )
        for label, statement in NODE_STATEMENTS
    }
    columns |= {statement: Columns.of(edge_keys.get(rel, {})) for rel, statement in EDGE_STATEMENTS}
    columns["exports.actor_ties"] = Columns(keys=TIE_VALUES)
    if scope.projection == "actors":
        edge_attrs = TIE_ATTRS
    else:
        edge_attrs = [Attribute("type", "string")]
        edge_attrs += [
            Attribute(EDGE_RENAMES.get(k, k), attr_type(t))
            for k, t in sorted(_merged(edge_keys).items())
        ]
    graph = {
        **scope.describe(),
        "analysisRun": run or "",
        "exportedAt": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    schema = Schema(
        directed=scope.projection == "full",
        node_attrs=node_attrs,
        edge_attrs=edge_attrs,
        graph_attrs=graph,
    )
    return schema, columns


async def _pages(
    db: Database, tx: Any, statement: str, params: dict[str, Any], columns: Columns
) -> AsyncIterator[list[Any]]:
    """The rows of a paged statement (see cypher/exports.cypher), page by page.

    The next page is asked for before this one is handed over, so Neo4j
    reads it while the caller formats this one (the two alternated, each
    idle half the time)."""
    wanted = queries.get(statement).params
    given = {k: v for k, v in (params | columns.params()).items() if k in wanted}

    async def fetch(after: str) -> tuple[list[Any], str | None]:
        page = [
            rec
            async for rec in db.stream(
                tx, statement, after=after, page=PAGES.get(statement, PAGE), **given
            )
        ]
        if not page or page[0]["last"] is None:
            return [], None
        return page[0]["rows"], page[0]["last"]

    rows, last = await fetch("")
    while last is not None:
        ahead = asyncio.create_task(fetch(last))
        await asyncio.sleep(0)  # let it send its request before we format
        try:
            yield rows
        except BaseException:
            ahead.cancel()
            raise
        rows, last = await ahead


def _node(label: str, row: list[Any], columns: Columns) -> Node:
    """A node from a page row; its attributes may hold ``None`` (absent),
    which every writer leaves out."""
    ident, values, metrics, places, _carries = row
    attrs = dict(zip(columns.names, values, strict=True))
    attrs["entity"] = label
    if label != "Territory":  # sorted: the same graph exports the same file
        attrs["territories"] = sorted(places)
    for k, v in zip(columns.metrics, metrics, strict=True):
        if attrs.get(k) is None:
            attrs[k] = v
    return Node(str(ident), attrs)


def _edge(rel: str, row: list[Any], columns: Columns) -> Edge:
    """An edge from a page row (attributes as ``_node``'s)."""
    source, target, values = row
    attrs = dict(zip(columns.names, values, strict=True))
    for old, new in EDGE_RENAMES.items():
        if old in attrs:
            attrs[new] = attrs.pop(old)
    attrs["type"] = rel
    return Edge(source, target, attrs)


async def _graph(
    db: Database, fmt: str, scope: Scope, params: dict[str, Any]
) -> AsyncIterator[bytes]:
    writer = WRITERS[fmt]()
    chunks = _Chunks()
    schema, columns = await _schema(db, scope, params["run"])
    chunks.add(writer.begin(schema))
    async with db.reading() as tx:
        nodes = NODE_STATEMENTS[1:2] if scope.projection == "actors" else NODE_STATEMENTS
        for label, statement in nodes:
            found = columns[statement]
            async for rows in _pages(db, tx, statement, params, found):
                for row in rows:
                    chunks.add(writer.node(_node(label, row, found)))
                if chunks.size >= CHUNK:
                    yield chunks.take()
        chunks.add(writer.edges_begin())
        edges = (
            (("SHARES", "exports.actor_ties"),) if scope.projection == "actors" else EDGE_STATEMENTS
        )
        for rel, statement in edges:
            found = columns[statement]
            async for rows in _pages(db, tx, statement, params, found):
                for row in rows:
                    chunks.add(writer.edge(_edge(rel, row, found)))
                if chunks.size >= CHUNK:
                    yield chunks.take()
    chunks.add(writer.end())
    yield chunks.take()


async def _workbook(db: Database, scope: Scope, params: dict[str, Any]) -> AsyncIterator[bytes]:
    """The formats.md sheets in a streamed zip (importing it back reproduces
    the graph)."""
    out = ZipCSV()
    chunks = _Chunks()
    sheets: dict[str, Sheet] = {
        "Territory": "territories",
        "Actor": "actors",
        "Initiative": "initiatives",
        "Alliance": "alliances",
    }
    ties = {"MEMBER_OF": "exports.member_of", "CONTRIBUTES_TO": "exports.contributes_to"}
    node_keys, edge_keys = await asyncio.gather(
        _keys(db, "exports.node_keys", "label", labels=list(sheets)),
        _keys(db, "exports.edge_keys", "type", types=list(ties)),
    )
    async with db.reading() as tx:
        for label, statement in NODE_STATEMENTS:
            sheet = sheets[label]
            found = Columns.of(node_keys.get(label, {}), node=True)
            columns = export_workbook.header(sheet, found.names)
            chunks.add(out.open(f"{sheet}.csv", columns))
            async for rows in _pages(db, tx, statement, params, found):
                for ident, values, _metrics, places, carries in rows:
                    props = dict(zip(found.names, values, strict=True))
                    links = {  # sorted, as the nodes' ``territories``
                        "parents" if label == "Territory" else "territories": sorted(places),
                        "carries": None if carries is None else sorted(carries),
                    }
                    cells = export_workbook.row(sheet, ident, props, links, columns)
                    chunks.add(out.row(cells))
                if chunks.size >= CHUNK:
                    yield chunks.take()
        columns = export_workbook.header("memberships", _merged(edge_keys))
        chunks.add(out.open("memberships.csv", columns))
        for rel, statement in zip(
            ties, ("exports.member_of", "exports.contributes_to"), strict=True
        ):
            found = Columns.of(edge_keys.get(rel, {}))
            async for rows in _pages(db, tx, statement, params, found):
                for source, target, values in rows:
                    props = dict(zip(found.names, values, strict=True))
                    cells = export_workbook.row(
                        "memberships", source, props, {}, columns, target=target
                    )
                    chunks.add(out.row(cells))
                if chunks.size >= CHUNK:
                    yield chunks.take()
    chunks.add(out.close())
    yield chunks.take()
