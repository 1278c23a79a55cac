"""Traversals: an actor's neighbourhood, who can introduce whom, search."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphmap.errors import FieldError, InvalidInput, NotFound
from graphmap.services.nodes import Props, native
from graphmap.store.database import Database

MAX_DEPTH = 4
MAX_NODES = 2000
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


@dataclass(frozen=True, slots=True)
class Tie:
    source: str
    target: str
    type: str
    role: str | None


@dataclass(slots=True)
class Subgraph:
    nodes: list[tuple[str, Props]] = field(default_factory=list)  # (label, props)
    edges: list[Tie] = field(default_factory=list)
    truncated: bool = False


async def neighbourhood(db: Database, node_id: str, depth: int, limit: int = MAX_NODES) -> Subgraph:
    """Breadth-first, one round trip per hop: nodes within ``depth`` ties."""
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidInput([FieldError("depth", f"must be between 1 and {MAX_DEPTH}", str(depth))])
    start = await db.fetch("graph.nodes_by_ids", ids=[node_id])
    if not start:
        raise NotFound("node", node_id)
    out = Subgraph()
    seen: set[str] = {node_id}
    out.nodes.append((start[0]["label"], native(start[0]["node"])))
    edge_keys: set[tuple[str, str, str]] = set()
    frontier = [node_id]
    for _ in range(depth):
        if not frontier:
            break
        rows = await db.fetch("graph.expand", ids=frontier, limit=limit * 4)
        nxt: list[str] = []
        for r in rows:
            other = r["node"]["id"]
            if other not in seen:
                if len(seen) >= limit:
                    out.truncated = True
                    continue
                seen.add(other)
                nxt.append(other)
                out.nodes.append((r["label"], native(r["node"])))
            key = (r["source"], r["target"], r["type"])
            if key not in edge_keys:
                edge_keys.add(key)
                out.edges.append(Tie(r["source"], r["target"], r["type"], r["role"]))
        frontier = nxt
    out.edges = [e for e in out.edges if e.source in seen and e.target in seen]
    return out


async def introduction_path(db: Database, source: str, target: str) -> Subgraph | None:
    """The shortest chain of alliances and initiatives from one actor to another."""
    known = await db.fetch("actors.by_ids", ids=[source, target])
    ids = {r["node"]["id"] for r in known}
    for value in (source, target):
        if value not in ids:
            raise NotFound("Actor", value)
    if source == target:
        return Subgraph(nodes=[("Actor", native(known[0]["node"]))])
    rows = await db.fetch("graph.shortest_path", source=source, target=target)
    if not rows:
        return None
    return Subgraph(
        nodes=[(n["label"], native(n["node"])) for n in rows[0]["nodes"]],
        edges=[Tie(e["source"], e["target"], e["type"], e["role"]) for e in rows[0]["edges"]],
    )


def lucene_query(text: str) -> str:
    """User text as a safe Lucene query: special characters escaped, every
    word required, the last one also matched as a prefix (search as you type)."""
    words = [_LUCENE_SPECIAL.sub(r"\\\1", w) for w in text.split()]
    # AND, OR, NOT (upper case) are Lucene operators: as words, lower them.
    words = [w.lower() if w in ("AND", "OR", "NOT") else w for w in words if w]
    if not words:
        return ""
    last = words[-1]
    head = [f"+{w}" for w in words[:-1]]
    tail = f"+({last} OR {last.lower()}*)" if len(last) >= 2 else f"+{last}"
    return " ".join([*head, tail])


async def search(db: Database, text: str, limit: int = 20) -> list[tuple[str, Props, float]]:
    if len(text) > 200:
        raise InvalidInput([FieldError("text", "is longer than 200 characters", text[:40] + "...")])
    query = lucene_query(text)
    if not query:
        return []
    rows = await db.fetch("graph.search", query=query, limit=limit)
    return [(r["label"], native(r["node"]), float(r["score"])) for r in rows]


async def counts(db: Database) -> dict[str, Any]:
    rows = await db.fetch("graph.counts")
    return dict(rows[0]) if rows else {}
