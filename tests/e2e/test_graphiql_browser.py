"""The GraphQL playground works with no internet: Debian's Chromium with
every non-local request cut renders GraphiQL from the app's own assets and
runs its saved example query against the demo."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.e2e._frontend import CHROMIUM, FRONTEND, REPO, live_app, require_node

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_graphiql_offline(neo4j_uri: str, settings: Any, db: Any, runner: Any) -> None:
    require_node()
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: apt-get install -y chromium")
    from graphmap.services import loading
    from graphmap.web import create_app

    runner.run(loading.load_demo(db))
    shot = REPO / "docs" / "screenshots" / "graphiql.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with live_app(create_app(settings, neo4j_uri)) as url:
        done = subprocess.run(
            ["node", "e2e/graphiql.e2e.mjs", url, str(shot)],
            cwd=FRONTEND,
            capture_output=True,
            text=True,
            timeout=300,
        )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert lines, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(lines[-1])
    assert result["ok"], result
    assert result["outside"] == [], result["outside"]
    assert "graphmap" in result["title"]
    assert "totalCount" in result["result"]
    assert not result["consoleErrors"], result["consoleErrors"]
