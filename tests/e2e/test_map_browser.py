"""The web map in Debian's Chromium, against the real app and the demo:
no console errors, filters and the time slider change what is drawn, a
click opens the right panel, the bridges and emerging lists are what the API
returns, a shared link reproduces the view. Screenshots of each mode go to
docs/screenshots/ (the README shows map.png)."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from typing import Any

import pytest

from tests.e2e._frontend import CHROMIUM, FRONTEND, REPO, build_frontend, live_app, require_node

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
SHOTS = REPO / "docs" / "screenshots"


def test_map_in_chromium(neo4j_uri: str, settings: Any, db: Any, runner: Any) -> None:
    npm = require_node()
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: apt-get install -y chromium")
    build_frontend(npm)
    from graphmap.services import loading
    from graphmap.web import create_app

    runner.run(loading.load_demo(db))
    app = create_app(settings, neo4j_uri)
    with live_app(app) as url:
        # The analysis first, so the bridges and emerging modes have rankings.
        request = urllib.request.Request(
            url + "graphql",
            data=json.dumps({"query": "mutation { runAnalysis { __typename } }"}).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            body = json.loads(response.read())
        assert "errors" not in body, body
        done = subprocess.run(
            ["node", "e2e/map.e2e.mjs", url, str(SHOTS)],
            cwd=FRONTEND,
            capture_output=True,
            text=True,
            timeout=600,
        )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert lines, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(lines[-1])
    failed = [c for c in result["checks"] if not c["ok"]]
    passed = [c["name"] for c in result["checks"] if c["ok"]]
    assert done.returncode == 0 and result["ok"], (
        result.get("error"),
        failed,
        passed[-2:],
        result.get("consoleErrors"),
    )
    assert result["timings"]["interactiveMs"] < 10_000  # ~1.2 s on a quiet machine
    assert result["bridges"] != "unavailable" and result["emerging"] != "unavailable"
    for name in (
        "map.png",
        "bridges.png",
        "emerging.png",
        "territory.png",
        "panel.png",
        "import.png",
    ):
        assert (SHOTS / name).stat().st_size > 10_000, name
