"""The import workbook as an export: the formats.md sheets, so what is
exported can be edited in a spreadsheet and imported back unchanged.

Columns come from :data:`graphmap.services.workbook.COLUMNS` (plus the extra
columns a previous import kept as ``extra_*`` properties); cells are written
as the reader parses them back (lists ``;``-joined, dates ISO, booleans
``true``/``false``); ``ZipCSV.row`` neutralises them against CSV injection
(the reader removes that apostrophe again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphmap.io.export_model import text
from graphmap.services.workbook import COLUMNS, EXTRA, Sheet

# the relationship lists a row carries, by column name
LINK_COLUMNS = {"territory": "territories", "parent": "parents", "carries": "carries"}


def header(sheet: Sheet, keys: Iterable[str]) -> list[str]:
    """The sheet's columns, then its extra columns (from ``extra_*`` keys)."""
    extras = sorted({k[len(EXTRA) :] for k in keys if k.startswith(EXTRA)})
    return [c.name for c in COLUMNS[sheet]] + extras


def row(
    sheet: Sheet,
    key: str,
    props: Mapping[str, Any],
    links: Mapping[str, Any],
    columns: list[str],
    target: str | None = None,
) -> list[str]:
    """One spreadsheet row for a node (or, for memberships, a relationship)."""
    by_name = {c.name: c for c in COLUMNS[sheet]}
    out: list[str] = []
    for name in columns:
        col = by_name.get(name)
        if col is None:
            value = props.get(EXTRA + name)
        elif col.required and col.prop is None and col.link is None:
            value = key if name in ("id", "code", "actor") else target
        elif col.link is not None:
            value = links.get(col.link)
        else:
            value = props.get(col.prop or "")
        out.append("" if value is None or value == [] else text(value))
    return out
