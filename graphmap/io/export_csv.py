"""``nodes.csv`` and ``edges.csv`` zipped together, written as a stream (the
zip is written with data descriptors, so it needs no seeking). Every property
and metric is a column; cells that a spreadsheet would run as a formula are
neutralised (:func:`graphmap.io.csv_workbook.neutralise`)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import IO, Any

from graphmap.io.csv_workbook import neutralise
from graphmap.io.export_model import Attribute, AttrType, Edge, Node, Schema, text

# What ZipCSV.row writes with csv.writer: a quote or line break (csv.writer
# quotes the cell), or a formula start at a cell's start: after a comma (a
# comma inside a cell is caught by counting them) or first in the row (not
# "^" in the pattern: it made each search 4x slower).
_SPECIAL = re.compile(r'["\r\n]|,\'?[=+\-@\t]')  # after a comma, a cell neutralise changes
_FORMULA_FIRST = frozenset("=+-@\t'")  # the first cell: checked by neutralise when "'"


class ByteSink(io.RawIOBase):
    """A write-only, non-seekable stream whose bytes are taken with ``drain``."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.parts.append(bytes(b))
        return len(b)

    def drain(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def cell(value: Any, kind: AttrType = "string") -> str:
    """A value as CSV cell text (``ZipCSV.row`` neutralises it)."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    return text(value, kind)  # an empty list: ""


class ZipCSV:
    """Several CSV files written one after the other into a streamed zip."""

    def __init__(self) -> None:
        self.sink = ByteSink()
        self.zip = zipfile.ZipFile(
            self.sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
        )
        self.entry: IO[bytes] | None = None
        self.text: io.TextIOWrapper | None = None
        self.writer: Any = None

    def open(self, name: str, header: list[str]) -> bytes:
        self.close_entry()
        self.entry = self.zip.open(name, "w", force_zip64=True)
        self.text = io.TextIOWrapper(
            self.entry, encoding="utf-8-sig", newline="", write_through=False
        )
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow(header)
        return self.sink.drain()

    def row(self, cells: list[str]) -> bytes:
        """One row, its cells neutralised (``neutralise``)."""
        line = ",".join(cells)
        # Most rows hold no comma, quote or line break in a cell and no cell a
        # formula start: written as joined, as csv.writer would (which takes
        # 3.4 µs for 20 cells). The others: each cell checked, csv.writer.
        if (
            line.count(",") == len(cells) - 1
            and _SPECIAL.search(line) is None
            and line[:1] not in _FORMULA_FIRST
        ):
            assert self.text is not None
            self.text.write(line + "\r\n")
        else:
            self.writer.writerow([neutralise(c) for c in cells])
        return self.sink.drain()

    def close_entry(self) -> None:
        if self.text is not None:
            self.text.flush()
            self.text.detach()
        if self.entry is not None:
            self.entry.close()
        self.entry = self.text = None

    def close(self) -> bytes:
        self.close_entry()
        self.zip.close()
        return self.sink.drain()


class CSVZipWriter:
    media_type = "application/zip"
    extension = "zip"

    def __init__(self) -> None:
        self.out = ZipCSV()
        self.node_attrs: list[Attribute] = []
        self.edge_attrs: list[Attribute] = []

    def begin(self, schema: Schema) -> bytes:
        self.node_attrs = schema.node_attrs
        self.edge_attrs = schema.edge_attrs
        return self.out.open("nodes.csv", ["id"] + [a.name for a in self.node_attrs])

    def node(self, node: Node) -> bytes:
        get = node.attrs.get
        return self.out.row([node.id, *[cell(get(a.name), a.type) for a in self.node_attrs]])

    def edges_begin(self) -> bytes:
        return self.out.open("edges.csv", ["source", "target"] + [a.name for a in self.edge_attrs])

    def edge(self, edge: Edge) -> bytes:
        get = edge.attrs.get
        cells = [cell(get(a.name), a.type) for a in self.edge_attrs]
        return self.out.row([edge.source, edge.target, *cells])

    def end(self) -> bytes:
        return self.out.close()
