"""A small import workbook and helpers shared by the import tests."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from graphmap.services import imports

TERRITORIES = """code;name;level;parent
R84;Auvergne-Rhône-Alpes;REGION;
69;Rhône;DEPARTEMENT;84
69123;Lyon;COMMUNE;69
"""
ACTORS = """id;name;kind;territory;siren
a1;Alpha;ASSOCIATION;69123;
a2;Beta SA;COMPANY;69123;552032534
a3;Gamma;NETWORK;69;
"""
INITIATIVES = "id;name;stage;started_on\ni1;Lab;EMERGENCE;01/03/2024\n"
ALLIANCES = "id;name;type;carries;since\nal1;Pacte;SOCIETAL_INNOVATION;i1;2023\n"
MEMBERSHIPS = """actor;target;role
a1;al1;LEAD
a2;al1;
a2;i1;FUNDER
a3;i1;
"""


def write_book(folder: Path, **sheets: str | None) -> Path:
    """The workbook as a folder of CSV files; ``sheets`` replace the defaults
    (``None``: no such file)."""
    folder.mkdir(parents=True, exist_ok=True)
    defaults = {
        "territories": TERRITORIES,
        "actors": ACTORS,
        "initiatives": INITIATIVES,
        "alliances": ALLIANCES,
        "memberships": MEMBERSHIPS,
    }
    defaults.update(sheets)
    for name, text in defaults.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def run_import(runner: asyncio.Runner, db: Any, path: Path, **kw: Any) -> imports.ImportSummary:
    return runner.run(imports.import_path(db, path, by="test", **kw))


def count_nodes(runner: asyncio.Runner, db: Any) -> int:
    r = runner.run(db.fetch("graph.counts"))[0]
    return int(r["actors"] + r["initiatives"] + r["alliances"] + r["territories"])


def history_entries(runner: asyncio.Runner, db: Any) -> int:
    """History entries: one per single Change, one per row of a bulk one."""
    return int(
        scalar(
            runner,
            db,
            "MATCH (c:Change) "
            "RETURN coalesce(sum(CASE WHEN c:Bulk THEN size(c.entityIds) ELSE 1 END), 0)",
        )
    )


def scalar(runner: asyncio.Runner, db: Any, query: str) -> Any:
    """The one value a read query returns (test-only Cypher, read-only)."""

    async def work(tx: Any) -> Any:
        result = await tx.run(query)
        return (await result.single())[0]

    return runner.run(db.read(work))


def records(runner: asyncio.Runner, db: Any, query: str) -> list[dict[str, Any]]:
    async def work(tx: Any) -> list[dict[str, Any]]:
        result = await tx.run(query)
        return [r.data() async for r in result]

    return list(runner.run(db.read(work)))
