"""Spreadsheet imports: read a workbook (folder, zip, xlsx or one CSV),
validate every row, write it all or nothing, and say what changed.

The reading (:mod:`graphmap.io.workbook_files`) and the validation
(:mod:`graphmap.services.workbook`) both collect *every* problem before
anything is written, so a mapper fixes the whole file in one go; the writer
(:mod:`graphmap.services.writer`) skips rows that would change nothing, which
makes a re-import a no-op.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graphmap.errors import InvalidInput
from graphmap.io import workbook_files
from graphmap.io.workbook_files import RawWorkbook
from graphmap.services import workbook, writer
from graphmap.services.workbook import SHEETS, InvalidRows
from graphmap.store.database import Database

Progress = writer.Progress


@dataclass(slots=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do), per sheet."""

    file: str
    rows: int
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    revision: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self, notes: bool = True) -> list[str]:
        """The summary in words, one line per sheet; ``notes=False`` leaves
        out the read notes (the CLI has shown them before importing)."""
        out = [
            f"{'Would import' if self.dry_run else 'Imported'} {self.file}: "
            f"{self.rows} rows in {self.seconds:.1f} s"
        ]
        out += [f"  note: {n}" for n in self.notes] if notes else []
        for s in SHEETS:
            if self.created[s] or self.updated[s] or self.unchanged[s]:
                out.append(
                    f"  {s:12} {self.created[s]:8} created {self.updated[s]:8} updated "
                    f"{self.unchanged[s]:8} unchanged"
                )
        if self.dry_run:
            out.append("  (dry run: nothing was written)")
        return out


def validate(raw: RawWorkbook) -> workbook.Workbook:
    """Validate a read workbook; ``InvalidRows`` lists every bad cell (and
    holds the rows that passed). When a file could not be read (or its header
    lacks a required column), the error is ``InvalidInput``: its problems and
    every bad cell of the other files, but no reference check, since the rows
    the references point to may be in the file that was not read."""
    try:
        book = workbook.validate(
            raw.sheets, file_names=raw.files, lines=raw.lines, spreadsheet=True
        )
    except InvalidRows as exc:
        if raw.errors:
            raise InvalidInput(raw.errors + exc.errors) from None
        raise
    if raw.errors:
        raise InvalidInput(list(raw.errors))
    return book


async def _with_references(db: Database, exc: InvalidRows) -> InvalidInput:
    """``exc``'s errors, then the reference problems of the rows that
    passed (a membership of an unknown actor is reported even when another
    row has a bad cell). A reference to a row that failed is not reported
    again: that row is already."""
    found = await writer.reference_errors(db, exc.valid)
    return InvalidInput(exc.errors + [e for e in found if e.value not in exc.rejected])


def _validate_in_two(
    raw: RawWorkbook,
) -> tuple[workbook.Workbook, Callable[[], list[workbook.Row]]]:
    """Validate every sheet but memberships now, and return what validates
    the memberships, for the writer to run in a thread while Neo4j creates
    the other sheets' nodes. When the other sheets have a bad row,
    everything is validated at once, as ``validate``, so the report lists
    every bad row of every sheet."""
    others = {k: v for k, v in raw.sheets.items() if k != "memberships"}
    try:
        book = workbook.validate(others, file_names=raw.files, lines=raw.lines, spreadsheet=True)
    except InvalidInput:
        validate(raw)
        raise
    ties = {"memberships": raw.sheets["memberships"]}

    def memberships() -> list[workbook.Row]:
        try:
            validated = workbook.validate(ties, file_names=raw.files, lines=raw.lines)
        except InvalidRows as exc:  # the whole book's valid rows, for their references
            rows = {**book.rows, "memberships": exc.valid.rows["memberships"]}
            whole = workbook.Workbook(rows, spreadsheet=book.spreadsheet, files=book.files)
            raise InvalidRows(exc.errors, whole, exc.rejected) from None
        return validated.rows["memberships"]

    return book, memberships


async def import_raw(
    db: Database,
    raw: RawWorkbook,
    name: str,
    *,
    by: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch: int = writer.BATCH,
) -> ImportSummary:
    """Validate and write ``raw``; raises ``InvalidInput`` and writes nothing
    when any row is bad (or any reference does not hold)."""
    start = time.perf_counter()
    rows = sum(len(r) for r in raw.sheets.values())
    pending: Callable[[], list[workbook.Row]] | None = None
    try:
        if (
            writer.staged("upsert", rows, dry_run)
            and not raw.errors
            and "memberships" in raw.sheets
        ):
            book, pending = await asyncio.to_thread(_validate_in_two, raw)
        else:  # in a thread: a server keeps answering while a large book is checked
            book = await asyncio.to_thread(validate, raw)
        report = await writer.write(
            db,
            book,
            by=by,
            progress=progress,
            batch=batch,
            dry_run=dry_run,
            file=name,
            pending=pending,
        )
    except InvalidRows as exc:  # memberships validated while writing: undone by then
        raise await _with_references(db, exc) from None
    return ImportSummary(
        file=name,
        rows=len(book),
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        notes=list(raw.notes),
        dry_run=dry_run,
        revision=report.revision,
        seconds=time.perf_counter() - start,
    )


async def import_path(
    db: Database,
    path: Path,
    *,
    by: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a folder of CSV files, a zip of them, an .xlsx or one CSV file."""
    raw = workbook_files.read_path(path)
    return await import_raw(db, raw, path.name, by=by, dry_run=dry_run, progress=progress)


async def import_bytes(
    db: Database, data: bytes, filename: str, *, by: str, dry_run: bool = False
) -> ImportSummary:
    """Import an uploaded file (the GraphQL ``importWorkbook`` mutation), read
    in a thread so that the server keeps answering meanwhile."""
    raw = await asyncio.to_thread(workbook_files.read_bytes, data, filename)
    return await import_raw(db, raw, filename, by=by, dry_run=dry_run)
