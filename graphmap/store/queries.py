"""The Cypher registry: every statement lives in ``cypher/*.cypher`` under a
``// name: <file>.<statement>`` header, loaded once by name.

Format (in the spirit of aiosql)::

    // name: find_by_id
    // One actor by its id, soft-deleted ones excluded.
    MATCH (a:Actor {id: $id}) WHERE a.deletedAt IS NULL RETURN a

A statement is addressed as ``"<file stem>.<name>"`` (``actors.find_by_id``).
Loading fails with the file and line for a duplicate name, an empty body or a
statement outside any header; calling fails when the parameters given differ
from the ``$parameters`` the statement uses. Values only ever travel as
parameters: nothing here formats Cypher text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphmap.errors import GraphmapError

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"

_HEADER = re.compile(r"^//\s*name:\s*([a-z_][a-z0-9_]*)\s*$")
# $param outside strings; Cypher parameters are $name (we never use ${} forms).
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


class QueryLoadError(GraphmapError):
    """A Cypher file is malformed."""


class QueryParameterError(GraphmapError):
    """A statement was called with parameters it does not use, or without one it needs."""


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    doc: str
    text: str
    params: frozenset[str]
    path: Path
    line: int

    def check(self, given: dict[str, object]) -> None:
        keys = set(given)
        missing = self.params - keys
        extra = keys - self.params
        if missing or extra:
            raise QueryParameterError(
                f"{self.name} ({self.path.name}:{self.line}): "
                f"missing {sorted(missing)}, unexpected {sorted(extra)}"
            )


def parse_file(path: Path) -> list[Query]:
    stem = path.stem
    queries: list[Query] = []
    name: str | None = None
    start = 0
    doc: list[str] = []
    body: list[str] = []

    def flush() -> None:
        if name is None:
            return
        text = "\n".join(body).strip()
        if not text:
            raise QueryLoadError(f"{path}:{start}: statement {name!r} has an empty body")
        params = frozenset(_PARAM.findall(_STRING.sub("''", text)))
        queries.append(Query(f"{stem}.{name}", " ".join(doc).strip(), text, params, path, start))

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        header = _HEADER.match(line.strip())
        if header:
            flush()
            name, start, doc, body = header.group(1), lineno, [], []
            continue
        if name is None:
            if line.strip() and not line.strip().startswith("//"):
                raise QueryLoadError(f"{path}:{lineno}: Cypher outside a '// name:' header")
            continue
        if line.strip().startswith("//"):
            if not body:
                doc.append(line.strip().lstrip("/").strip())
            continue
        if line.strip():
            body.append(line)
    flush()
    return queries


def load(directory: Path = CYPHER_DIR) -> dict[str, Query]:
    registry: dict[str, Query] = {}
    for path in sorted(directory.glob("*.cypher")):
        for q in parse_file(path):
            if q.name in registry:
                other = registry[q.name]
                raise QueryLoadError(
                    f"{path}:{q.line}: duplicate statement {q.name!r} "
                    f"(first at {other.path.name}:{other.line})"
                )
            registry[q.name] = q
    if not registry:
        raise QueryLoadError(f"no Cypher statements found in {directory}")
    return registry


@cache
def registry() -> dict[str, Query]:
    return load()


def get(name: str) -> Query:
    try:
        return registry()[name]
    except KeyError:
        raise QueryLoadError(f"unknown Cypher statement {name!r}") from None
