"""The Cypher loader: malformed files fail at load with file and line, and a
call with the wrong parameters fails before anything reaches Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmap.store import queries
from graphmap.store.queries import QueryLoadError, QueryParameterError, load, parse_file


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_statements_are_named_by_file_and_documented(tmp_path: Path) -> None:
    write(
        tmp_path,
        "things.cypher",
        """// A file comment before any header is allowed.

// name: by_id
// One thing by id.
// Soft-deleted ones excluded.
MATCH (t:Thing {id: $id}) WHERE t.deletedAt IS NULL
// a comment inside the body is not part of the doc
RETURN t, '$notaparam' AS s, "$neither" AS d

// name: all
MATCH (t:Thing) RETURN t LIMIT $limit
""",
    )
    registry = load(tmp_path)
    assert set(registry) == {"things.by_id", "things.all"}
    q = registry["things.by_id"]
    assert q.doc == "One thing by id. Soft-deleted ones excluded."
    assert q.params == frozenset({"id"})
    assert q.line == 3 and q.path.name == "things.cypher"
    assert registry["things.all"].params == frozenset({"limit"})


def test_duplicate_name_fails_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "a.cypher", "// name: one\nRETURN 1\n\n// name: one\nRETURN 2\n")
    with pytest.raises(QueryLoadError, match=r"a\.cypher:4: duplicate statement 'a\.one'"):
        load(tmp_path)


def test_empty_body_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.cypher", "// name: one\n// only a comment\n\n// name: two\nRETURN 2\n"
    )
    with pytest.raises(QueryLoadError, match=r"a\.cypher:1: statement 'one' has an empty body"):
        parse_file(path)
    path = write(tmp_path, "b.cypher", "// name: last\n")
    with pytest.raises(QueryLoadError, match="empty body"):
        parse_file(path)


def test_cypher_outside_a_header_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.cypher", "// header comment\nMATCH (n) RETURN n\n// name: x\nRETURN 1\n"
    )
    with pytest.raises(QueryLoadError, match=r"a\.cypher:2: Cypher outside a '// name:' header"):
        parse_file(path)


def test_empty_directory_fails(tmp_path: Path) -> None:
    with pytest.raises(QueryLoadError, match="no Cypher statements"):
        load(tmp_path)


def test_parameters_are_checked_on_call(tmp_path: Path) -> None:
    write(tmp_path, "a.cypher", "// name: q\nMATCH (n {id: $id}) RETURN n LIMIT $limit\n")
    q = load(tmp_path)["a.q"]
    q.check({"id": "x", "limit": 1})
    with pytest.raises(QueryParameterError, match=r"missing \['limit'\], unexpected \[\]"):
        q.check({"id": "x"})
    with pytest.raises(QueryParameterError, match=r"missing \[\], unexpected \['other'\]"):
        q.check({"id": "x", "limit": 1, "other": 2})
    with pytest.raises(QueryParameterError, match=r"a\.q \(a\.cypher:1\)"):
        q.check({})


def test_the_shipped_registry_loads_and_unknown_names_fail() -> None:
    registry = queries.registry()
    assert "actors.page" in registry
    assert all(q.text and q.path.suffix == ".cypher" for q in registry.values())
    with pytest.raises(QueryLoadError, match="unknown Cypher statement 'nope.nothing'"):
        queries.get("nope.nothing")


def test_long_parameters_are_shown_short_and_sent_whole() -> None:
    """The driver formats every statement's parameters for its debug log,
    logging or not: long lists are passed with a short repr, unchanged."""
    from graphmap.store.database import _quiet

    rows = [{"id": f"a{i}"} for i in range(1000)]
    params = _quiet({"rows": rows, "ids": ["x"], "now": "2026"})
    assert repr(params["rows"]) == "<1000 items>"
    assert params["rows"] == rows and isinstance(params["rows"], list)
    assert repr(params["ids"]) == "['x']"
    assert params["now"] == "2026"
