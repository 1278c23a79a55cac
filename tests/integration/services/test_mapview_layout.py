"""Big map scopes come laid out by the server, once per graph revision: the
demo is made "big" by lowering the threshold."""

from __future__ import annotations

import math
from typing import Any

import pytest

from graphmap.services import edits, loading, mapview
from graphmap.services.maplayout import Layouts
from tests.conftest import gql

pytestmark = pytest.mark.integration

COLUMNS = '["kind", "name", "x", "y"]'


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapview, "BIG_SCOPE", 10)


def _placed(graph: mapview.MapGraph) -> None:
    assert graph.positions is not None
    assert set(graph.positions) >= {n.id for n in graph.nodes}
    assert all(math.isfinite(c) for p in graph.positions.values() for c in p)


def test_big_scope_laid_out_once_per_revision(db: Any, runner: Any, big: None) -> None:
    runner.run(loading.load_demo(db))
    layouts = Layouts(in_process=True)
    first = runner.run(mapview.map_graph(db, layouts=layouts))
    assert len(first.nodes) > 10
    _placed(first)
    assert layouts.computed == 1

    again = runner.run(mapview.map_graph(db, layouts=layouts))
    assert layouts.computed == 1, "same revision: from the cache"
    assert again.revision == first.revision and again.positions == first.positions

    # Another date of the same scope: the same layout, no node moves.
    dated = runner.run(mapview.map_graph(db, as_of="2015-06-01", layouts=layouts))
    assert 10 < len(dated.nodes) < len(first.nodes)
    assert layouts.computed == 1
    assert dated.positions is not None and first.positions is not None
    assert all(dated.positions[n.id] == first.positions[n.id] for n in dated.nodes)

    # Another scope is another layout.
    actors = runner.run(mapview.map_graph(db, include=["ACTOR"], layouts=layouts))
    _placed(actors)
    assert layouts.computed == 2

    # A write moves the revision: the next request lays out again, new node included.
    runner.run(
        edits.create(
            db, "actors", {"id": "actor:newcomer", "name": "Newcomer", "kind": "COMPANY"}, by="t"
        )
    )
    after = runner.run(mapview.map_graph(db, layouts=layouts))
    assert after.revision > first.revision
    assert layouts.computed == 3
    _placed(after)
    assert after.positions is not None and "actor:newcomer" in after.positions


def test_small_scope_and_no_cache_get_no_positions(db: Any, runner: Any) -> None:
    runner.run(loading.load_demo(db))
    layouts = Layouts(in_process=True)
    assert runner.run(mapview.map_graph(db, layouts=layouts)).positions is None
    assert layouts.computed == 0


def test_dated_scope_cut_differently_is_laid_out_itself(db: Any, runner: Any, big: None) -> None:
    """With a limit, the undated scope may keep nodes the dated one does not
    (and miss some it has): then the dated scope gets its own layout."""
    runner.run(loading.load_demo(db))
    layouts = Layouts(in_process=True)
    whole = runner.run(mapview.map_graph(db, limit=12, layouts=layouts))
    dated = runner.run(mapview.map_graph(db, as_of="2012-01-01", limit=12, layouts=layouts))
    assert whole.positions is not None
    assert not {n.id for n in dated.nodes} <= set(whole.positions), "the demo cuts differently"
    _placed(dated)
    assert layouts.computed == 2


def test_packed_map_carries_positions(demo_client: Any, big: None) -> None:
    body = gql(
        demo_client,
        f"{{ placed: mapGraphPacked(nodeColumns: {COLUMNS}) "
        f'plain: mapGraphPacked(nodeColumns: ["kind", "name"]) }}',
    )
    assert "errors" not in body, body
    placed, plain = body["data"]["placed"], body["data"]["plain"]
    n = len(placed["nodes"]["id"])
    assert n > 10
    assert len(placed["nodes"]["x"]) == len(placed["nodes"]["y"]) == n
    assert all(isinstance(v, int | float) for v in placed["nodes"]["x"] + placed["nodes"]["y"])
    assert len(set(zip(placed["nodes"]["x"], placed["nodes"]["y"], strict=True))) == n
    assert set(plain["nodes"]) == {"id", "kind", "name"}, "not asked for: not computed"
    assert demo_client.app.state.layouts.computed == 1
    again = gql(demo_client, f"{{ mapGraphPacked(nodeColumns: {COLUMNS}) }}")
    assert again["data"]["mapGraphPacked"] == placed
    assert demo_client.app.state.layouts.computed == 1
