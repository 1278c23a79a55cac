"""One ``Settings`` object, read once from the environment.

Every setting has a name, a default and a line of help; the README documents
them all and a test fails when one is missing there (``tests/unit/test_config.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


class Secret(str):
    """A string that does not print itself (passwords in logs and reprs)."""

    def __repr__(self) -> str:
        return "Secret('**********')"


def _meta(env: str, help: str) -> dict[str, str]:
    return {"env": env, "help": help}


@dataclass(frozen=True, slots=True)
class Settings:
    neo4j_uri: str | None = field(
        default=None,
        metadata=_meta(
            "NEO4J_URI",
            "Bolt URI of the Neo4j to use (bolt://, neo4j://, neo4j+s://). "
            "Unset: graphmap starts its bundled embedded Neo4j.",
        ),
    )
    neo4j_user: str = field(default="neo4j", metadata=_meta("NEO4J_USER", "Neo4j user name."))
    neo4j_password: Secret = field(
        default=Secret("graphmap"), metadata=_meta("NEO4J_PASSWORD", "Neo4j password.")
    )
    neo4j_database: str | None = field(
        default=None,
        metadata=_meta("NEO4J_DATABASE", "Database name (unset: the server's default)."),
    )
    data_dir: Path = field(
        default=Path("data"),
        metadata=_meta(
            "GRAPHMAP_DATA_DIR",
            "Where the embedded Neo4j keeps its files (kept between runs).",
        ),
    )
    host: str = field(
        default="127.0.0.1", metadata=_meta("GRAPHMAP_HOST", "Address the web app listens on.")
    )
    port: int = field(default=8000, metadata=_meta("GRAPHMAP_PORT", "Port of the web app."))
    neo4j_bolt_port: int = field(
        default=7687,
        metadata=_meta("GRAPHMAP_NEO4J_BOLT_PORT", "Bolt port of the embedded Neo4j."),
    )
    neo4j_heap: str = field(
        default="1g", metadata=_meta("GRAPHMAP_NEO4J_HEAP", "Java heap of the embedded Neo4j.")
    )
    neo4j_pagecache: str = field(
        default="256m",
        metadata=_meta("GRAPHMAP_NEO4J_PAGECACHE", "Page cache of the embedded Neo4j."),
    )
    max_page_size: int = field(
        default=500,
        metadata=_meta("GRAPHMAP_MAX_PAGE_SIZE", "Largest `first:` a GraphQL list accepts."),
    )
    max_query_depth: int = field(
        default=12,
        metadata=_meta("GRAPHMAP_MAX_QUERY_DEPTH", "Deepest GraphQL query accepted."),
    )
    allowed_hosts: str | None = field(
        default=None,
        metadata=_meta(
            "GRAPHMAP_ALLOWED_HOSTS",
            "Other names the app answers to (`map.example.org`, comma-separated): "
            "localhost, 127.0.0.1 and `GRAPHMAP_HOST` always are.",
        ),
    )
    allowed_origins: str | None = field(
        default=None,
        metadata=_meta(
            "GRAPHMAP_ALLOWED_ORIGINS",
            "Other sites (`https://map.example.org`, comma-separated) whose pages may "
            "upload workbooks: a proxy that does not keep the `Host` header.",
        ),
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            if f.name in ("port", "neo4j_bolt_port", "max_page_size", "max_query_depth"):
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise ValueError(
                        f"{f.metadata['env']} must be an integer, got {raw!r}"
                    ) from exc
            elif f.name == "data_dir":
                values[f.name] = Path(raw)
            elif f.name == "neo4j_password":
                values[f.name] = Secret(raw)
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]


def documented_settings() -> list[tuple[str, str, str]]:
    """(env name, default, help) for every setting: the README's table."""
    rows = []
    for f in fields(Settings):
        default = f.default
        rows.append(
            (f.metadata["env"], "" if default is None else str(default), f.metadata["help"])
        )
    return rows
