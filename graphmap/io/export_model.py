"""What every export writer receives: a schema declared up front (typed
attributes, as GraphML and GEXF need before the first node), then nodes, then
edges, one at a time. Writers are pure and incremental: each call returns the
bytes to send next, so a whole graph is never held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol

AttrType = Literal["boolean", "long", "double", "string"]
_INF = float("inf")

# Cypher valueType() names to export types; anything else (dates, lists) is text.
_CYPHER_TYPES: dict[str, AttrType] = {
    # Cypher's valueType() names
    "BOOLEAN": "boolean",
    "INTEGER": "long",
    "FLOAT": "double",
    "STRING": "string",
    # db.schema.nodeTypeProperties() names (dates, arrays: text)
    "Boolean": "boolean",
    "Long": "long",
    "Integer": "long",
    "Short": "long",
    "Byte": "long",
    "Double": "double",
    "Float": "double",
    "String": "string",
}


def attr_type(cypher_types: Iterable[str]) -> AttrType:
    """One export type for the types a key's values have (Cypher's valueType()
    or the property schema's names): integers
    mixed with floats are doubles; any other mix, dates and lists are text."""
    kinds: set[AttrType] = set()
    for t in cypher_types:
        base = t.replace(" NOT NULL", "").strip()
        if base != "NULL":
            kinds.add(_CYPHER_TYPES.get(base, "string"))
    if not kinds:
        return "string"
    if kinds <= {"long", "double"}:
        return "double" if "double" in kinds else "long"
    return kinds.pop() if len(kinds) == 1 else "string"


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: AttrType


@dataclass(slots=True)
class Schema:
    """The attributes nodes and edges may carry, and graph-level facts."""

    directed: bool
    node_attrs: list[Attribute]
    edge_attrs: list[Attribute]
    graph_attrs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Node:
    id: str
    attrs: dict[str, Any]


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    attrs: dict[str, Any]


class GraphWriter(Protocol):
    """The incremental writer every format implements."""

    media_type: str
    extension: str

    def begin(self, schema: Schema) -> bytes: ...
    def node(self, node: Node) -> bytes: ...
    def edges_begin(self) -> bytes: ...
    def edge(self, edge: Edge) -> bytes: ...
    def end(self) -> bytes: ...


def plain(value: Any) -> Any:
    """A Neo4j value as a JSON-able Python value (dates as ISO text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    iso = getattr(value, "iso_format", None)
    if iso is not None:  # neo4j.time.Date, DateTime, Duration...
        return iso()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


# A declared attribute as a writer keeps it: the markup that opens one value
# (``<data key="n3">``, ``<attvalue for="3" value=``), its name and type.
Declared = tuple[str, str, AttrType]


def markup(
    attrs: Mapping[str, Any],
    declared: Iterable[Declared],
    escape: Callable[[str], str],
    closing: str,
) -> str:
    """The elements of the declared attributes ``attrs`` holds and are not
    empty, in the declared order: opening, escaped text, ``closing`` (a
    plain loop: this is a quarter of an export's Python time)."""
    parts = []
    get = attrs.get
    for opening, name, kind in declared:
        value = get(name)
        if value is None:
            continue
        if type(value) is not str:  # text, most values by far, is taken as it is
            if value == []:
                continue
            value = text(value, kind)
        parts.append(opening)
        parts.append(escape(value))
        parts.append(closing)
    return "".join(parts)


def text(value: Any, kind: AttrType = "string") -> str:
    """A value as attribute text: booleans ``true``/``false``, lists joined
    with ``;`` (the workbook's list separator), dates ISO."""
    kind_of = type(value)
    if kind_of is str:  # most values, by far: no conversion
        return value  # type: ignore[no-any-return]
    if kind_of is int:
        return str(value)
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        if value != value or value in (_INF, -_INF):  # as XML Schema writes them
            return "NaN" if value != value else ("INF" if value > 0 else "-INF")
        if kind == "long" and value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)
