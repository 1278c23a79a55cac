"""schema.graphql is the printed Strawberry schema; it must not drift."""

from __future__ import annotations

from tests.conftest import REPO


def test_schema_file_matches_the_code() -> None:
    from graphmap.api.schema import schema

    printed = str(schema).rstrip() + "\n"
    path = REPO / "schema.graphql"
    assert path.exists(), "schema.graphql is missing: run `make schema`"
    on_disk = path.read_text(encoding="utf-8")
    assert on_disk == printed, "schema.graphql differs from the code: run `make schema`"
