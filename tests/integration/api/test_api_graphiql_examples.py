"""The saved example queries of the playground run on the demo without error
(a mapper's first click must not fail)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graphmap.graphiql import STATIC_DIR
from tests.conftest import gql

pytestmark = pytest.mark.integration


def examples() -> list[str]:
    page = (STATIC_DIR / "graphiql.html").read_text(encoding="utf-8")
    return re.findall(r"`(#[^`]*)`", page)


def test_there_are_examples() -> None:
    assert len(examples()) >= 8


def test_every_example_runs_on_the_demo(demo_client: Any) -> None:
    for query in examples():
        body = gql(demo_client, query)
        assert "errors" not in body, (query.splitlines()[0], body["errors"])
        data = body["data"]
        assert all(v not in (None, []) for v in data.values()), (query.splitlines()[0], data)
