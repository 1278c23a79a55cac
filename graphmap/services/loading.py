"""Bulk loads: the demo ecosystem and the official territorial reference."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from graphmap.services import workbook, writer
from graphmap.store.database import Database

DEMO_FILE = "demo.yaml"
REFERENCE_SOURCE = "@etalab/decoupage-administratif"


def demo_sheets(path: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """The demo ecosystem (``graphmap/data/demo.yaml``) as workbook sheets."""
    if path is None:
        text = resources.files("graphmap").joinpath("data", DEMO_FILE).read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    data = yaml.safe_load(text)
    return {sheet: list(data.get(sheet) or []) for sheet in workbook.SHEETS}


async def load_demo(
    db: Database, path: Path | None = None, progress: writer.Progress | None = None
) -> writer.WriteReport:
    """Load (or reload: it is idempotent) the demo ecosystem, all or nothing."""
    sheets = demo_sheets(path)
    book = workbook.validate(sheets, first_line=1, file_names=dict.fromkeys(sheets, DEMO_FILE))
    return await writer.write(db, book, by="graphmap demo", progress=progress)


def reference_sheet(data_dir: Path) -> list[dict[str, Any]]:
    from graphmap.io.territories_reference import read_reference

    ref = read_reference(data_dir)
    rows: list[dict[str, Any]] = []
    for r in ref.all():
        row: dict[str, Any] = {
            "code": r.code,
            "name": r.name,
            "level": r.level.value,
            "parent": list(r.parents),
            "source": REFERENCE_SOURCE,
        }
        if r.population is not None:
            row["population"] = r.population
        rows.append(row)
    return rows


async def load_reference(
    db: Database,
    data_dir: Path,
    progress: Callable[[str, int], None] | None = None,
    batch: int = 5000,
) -> writer.WriteReport:
    """Load régions, départements, EPCI and communes with their PART_OF links.

    Only the reference's own columns are written (``partial``): flags or an
    innovation model a mapper set on a commune survive a reload.
    """
    rows = reference_sheet(data_dir)
    book = workbook.validate(
        {"territories": rows}, partial=True, file_names={"territories": REFERENCE_SOURCE}
    )
    return await writer.write(
        db,
        book,
        by="graphmap territories load",
        history=False,
        summary=REFERENCE_SOURCE,
        progress=progress,
        batch=batch,
    )
