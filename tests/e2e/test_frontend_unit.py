"""The frontend's own logic (state <-> URL, filters, scales, i18n) with Vitest."""

from __future__ import annotations

import subprocess

import pytest

from tests.e2e._frontend import FRONTEND, require_node

pytestmark = pytest.mark.e2e


def test_vitest_suite_passes() -> None:
    npm = require_node()
    done = subprocess.run(
        [npm, "run", "--prefix", str(FRONTEND), "test", "--", "--run"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "passed" in done.stdout


def test_typescript_is_strict_and_clean() -> None:
    npm = require_node()
    done = subprocess.run(
        [npm, "exec", "--prefix", str(FRONTEND), "--", "tsc", "--noEmit", "-p", str(FRONTEND)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=FRONTEND,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
