"""Every setting is documented in the README (as datasette's tests/test_docs.py)."""

from __future__ import annotations

import pytest

from graphmap.config import Secret, Settings, documented_settings
from tests.conftest import REPO


def test_every_setting_is_in_the_readme() -> None:
    readme = REPO / "README.md"
    assert readme.exists(), "README.md is missing: it must document every setting"
    text = readme.read_text(encoding="utf-8")
    missing = [env for env, _, _ in documented_settings() if env not in text]
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_setting_has_an_env_name_and_help() -> None:
    rows = documented_settings()
    envs = [env for env, _, _ in rows]
    assert len(envs) == len(set(envs))
    assert all(env.startswith(("GRAPHMAP_", "NEO4J_")) for env in envs)
    assert all(help_.strip() for _, _, help_ in rows)


def test_settings_from_env() -> None:
    s = Settings.from_env(
        {
            "GRAPHMAP_PORT": "9000",
            "NEO4J_PASSWORD": "s3cret",
            "GRAPHMAP_DATA_DIR": "/tmp/x",
            "NEO4J_URI": "",
        }
    )
    assert s.port == 9000 and s.neo4j_uri is None
    assert str(s.data_dir) == "/tmp/x"
    assert isinstance(s.neo4j_password, Secret) and "s3cret" not in repr(s)
    with pytest.raises(ValueError, match="GRAPHMAP_PORT must be an integer"):
        Settings.from_env({"GRAPHMAP_PORT": "eighty"})
