"""Writes a validated :class:`~graphmap.services.workbook.Workbook` all or
nothing: references checked first, then rows in dependency order, then the
history. A write is one transaction (the check inside it, so what is checked
is what is written against), except a large upsert, which is staged over
several transactions and undone on failure (``_write_staged``).

Rows that would change nothing are skipped by the upsert statements and
counted as ``unchanged``: they get no history entry and no ``updatedAt`` bump,
and a write that changes nothing leaves the graph revision alone, so
re-importing a workbook is a true no-op. ``dry_run`` does everything, then
rolls the transaction back: the report says what an import would do.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

from neo4j.exceptions import ConstraintError

from graphmap import domain
from graphmap.errors import FieldError, InvalidInput, NotFound, TooLarge
from graphmap.services import hierarchy
from graphmap.services.workbook import KEY, LABEL, SHEETS, Mode, Row, Sheet, Workbook, shared_id
from graphmap.store import queries
from graphmap.store.database import Database, Tx, now

T = TypeVar("T")
log = logging.getLogger(__name__)
BATCH = 5000
# An upsert of more rows than this is written in several transactions (see
# ``_write_staged``): one transaction of 400k rows needs an 8 GiB heap and is
# about half as fast as transactions of 10k rows on the same server.
STAGE_ABOVE = 20_000
STAGE_TX_ROWS = 10_000
# Create transactions in flight at once: while one waits on Python, the other
# keeps Neo4j busy (about 12% faster on 2 cores; more only queue on locks).
STAGE_LANES = 2
# Update transactions in flight at once, when the first transaction of a step
# changed at most MOSTLY_UNCHANGED of its rows. Side by side on the bench's
# 407k-row workbook (medians of 3-4): a no-op re-import 20.7 s one at a time,
# 14.4 s two at a time; 300k changed ties 33.2 s against 37.9 s (writes
# contend); 100k changed actors 35.9 against 32.4 s (noise).
UPDATE_LANES = 2
MOSTLY_UNCHANGED = 0.25
# A running import whose heartbeat is older than this was abandoned (its
# process died): the next import undoes what it created.
STALE_IMPORT = timedelta(minutes=15)
Progress = Callable[[str, int], None]


@dataclass(slots=True)
class WriteReport:
    """What a write did, per sheet."""

    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    revision: int = 0
    changes: int = 0  # Change nodes appended to the history

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""

    def __init__(self, report: WriteReport) -> None:
        self.report = report


class _Rehearsed(Exception):
    """Raised by a rehearsed transaction so it rolls back, with its result."""

    def __init__(self, result: list[dict[str, Any]]) -> None:
        self.result = result


Counting = Literal["created", "written", "counted"]


class _StaleHandle(Exception):
    """A CREATE statement made fewer nodes or ties than it was sent: a node it
    pointed to by handle is gone (hard-deleted since the check)."""


@dataclass(slots=True)
class Handles:
    """Element ids of the nodes a write points to, by id (actors, initiatives,
    alliances) and by code (territories): those found by the check, then those
    created. The CREATE statements take handles instead of ids: Neo4j finds a
    node by element id with no index seek and no index-entry lock."""

    nodes: dict[str, str] = field(default_factory=dict)
    territories: dict[str, str] = field(default_factory=dict)


Binder = Callable[["Step", list[Row], Handles], tuple[dict[str, Any], int]]


@dataclass(frozen=True, slots=True)
class Step:
    """One statement over rows of one sheet. ``counting`` says how its result
    reads: ``created`` (a CREATE statement: every row is new), ``written`` (an
    upsert returning the rows it changed, with ``created``), ``counted`` (ties
    of rows already counted as created). ``bind`` (CREATE statements) turns rows
    into the statement's parallel lists of values and handles, and says how
    many ties the statement must make."""

    sheet: Sheet
    statement: str
    rows: list[Row]
    counting: Counting
    bind: Binder | None = None


@dataclass(frozen=True, slots=True)
class Known:
    """What the reference check learned: the label of every id the book
    touches or points to, which ids already exist (deleted ones too), and the
    handles of the stored nodes the book points to."""

    labels: dict[str, str]
    stored: set[str]
    stored_territories: set[str]
    handles: Handles


def plan(book: Workbook, known: Known) -> tuple[list[Step], list[Step]]:
    """Split the book into the steps that only create (ids found nowhere in
    the database, and ties touching them) and those that touch stored
    entities, each list in dependency order. Steps hold the rows themselves:
    each chunk is shaped into parameters only when it is sent, so Neo4j can
    start on the first one at once."""
    rows = book.rows
    fresh: list[Step] = []
    stored: list[Step] = []

    def split(sheet: Sheet, keys: set[str]) -> tuple[list[Row], list[Row]]:
        new: list[Row] = []
        old: list[Row] = []
        for r in rows[sheet]:
            (old if r.key in keys else new).append(r)
        return new, old

    def linked(rs: list[Row]) -> list[Row]:
        """Rows that give parents (an empty list unlinks every parent)."""
        return [r for r in rs if r.links.get("parents") is not None]

    new_t, old_t = split("territories", known.stored_territories)
    fresh.append(Step("territories", "territories.create_many", new_t, "created", _bind_nodes))
    fresh += [
        Step(
            "territories",
            "territories.create_parent_links",
            linked(new_t),
            "counted",
            _bind_parents,
        ),
    ]
    stored.append(Step("territories", "territories.upsert_many", old_t, "written"))
    for sheet in ("initiatives", "actors", "alliances"):
        new, old = split(sheet, known.stored)
        fresh.append(Step(sheet, f"{sheet}.create_many", new, "created", _bind_nodes))
        stored.append(Step(sheet, f"{sheet}.upsert_many", old, "written"))
    fresh_ties, stored_ties = _plan_ties(book, known)
    return [s for s in fresh if s.rows] + fresh_ties, [s for s in stored if s.rows] + stored_ties


def _plan_ties(book: Workbook, known: Known) -> tuple[list[Step], list[Step]]:
    """The memberships part of ``plan``."""
    fresh: list[Step] = []
    stored: list[Step] = []
    # a tie to or from a node created just now cannot exist yet
    ties: dict[tuple[str, bool], list[Row]] = {
        (label, new): [] for label in ("Alliance", "Initiative") for new in (True, False)
    }
    labels, keys = known.labels, known.stored
    for r in book.rows["memberships"]:
        target = r.target or ""
        ties[labels.get(target, ""), r.key not in keys or target not in keys].append(r)
    for label, name in (("Alliance", "alliance"), ("Initiative", "initiative")):
        fresh.append(
            Step(
                "memberships",
                f"memberships.create_{name}_many",
                ties[label, True],
                "created",
                _bind_ties,
            )
        )
        stored.append(
            Step("memberships", f"memberships.upsert_{name}_many", ties[label, False], "written")
        )
    return [s for s in fresh if s.rows], [s for s in stored if s.rows]


def _shape(r: Row) -> dict[str, Any]:
    """A row as the ``$rows`` of an upsert statement."""
    if r.sheet == "memberships":
        return {"actor": r.key, "target": r.target, "props": r.props}
    links = {k: None if v is None else list(dict.fromkeys(v)) for k, v in r.links.items()}
    return {"id": r.key, "props": r.props, **links}


def _present(props: dict[str, Any]) -> dict[str, Any]:
    """The properties a CREATE sets (a null would set nothing anyway)."""
    return {k: v for k, v in props.items() if v is not None}


def _bind_nodes(step: Step, rows: list[Row], handles: Handles) -> tuple[dict[str, Any], int]:
    """``$ids``, ``$props`` and, when the statement takes them, each row's
    ``$sources`` (for the provenance of its ties) and the handles of its
    territories and carried initiatives."""
    params: dict[str, Any] = {
        "ids": [r.key for r in rows],
        "props": [_present(r.props) for r in rows],
    }
    wanted = queries.get(step.statement).params
    if "sources" in wanted:
        params["sources"] = [r.props.get("source") for r in rows]
    ties = 0
    for link, table in (("territories", handles.territories), ("carries", handles.nodes)):
        if link in wanted:
            lists = [[table[key] for key in dict.fromkeys(r.links.get(link) or ())] for r in rows]
            params[link] = lists
            ties += sum(map(len, lists))
    return params, ties


def _bind_parents(step: Step, rows: list[Row], handles: Handles) -> tuple[dict[str, Any], int]:
    table = handles.territories
    parents = [[table[code] for code in dict.fromkeys(r.links["parents"] or ())] for r in rows]
    params = {
        "territories": [table[r.key] for r in rows],
        "parents": parents,
        "sources": [r.props.get("source") for r in rows],
    }
    return params, sum(map(len, parents))


def _bind_ties(step: Step, rows: list[Row], handles: Handles) -> tuple[dict[str, Any], int]:
    table = handles.nodes
    props = [_present(r.props) for r in rows]
    params = {
        "actors": [table[r.key] for r in rows],
        "targets": [table[r.target or ""] for r in rows],
        "since": [_iso(p.pop("since", None)) for p in props],
        "until": [_iso(p.pop("until", None)) for p in props],
        "props": props,
    }
    return params, len(rows)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _chunks(rows: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@dataclass(slots=True)
class _Tally:
    """The report being built, and which rows changed (for the history)."""

    report: WriteReport = field(default_factory=WriteReport)
    changed: dict[str, set[Any]] = field(default_factory=lambda: {s: set() for s in SHEETS})

    def count(self, step: Step, rows: list[Row], result: list[dict[str, Any]]) -> None:
        """Count ``rows`` sent to ``step``, which returned ``result``."""
        sheet, report = step.sheet, self.report
        ties = sheet == "memberships"
        if step.counting == "created":
            report.created[sheet] += len(rows)
            self.changed[sheet].update((r.key, r.target) if ties else r.key for r in rows)
        elif step.counting == "written":
            # one record per statement: [id, created] pairs, [actor, target,
            # created] triples for ties (a record per row cost the driver a
            # tenth of a large update)
            written = (
                [(c, (a, t)) for r in result for a, t, c in r["written"]]
                if ties
                else [(c, i) for r in result for i, c in r["written"]]
            )
            for created, ident in written:
                (report.created if created else report.updated)[sheet] += 1
                self.changed[sheet].add(ident)
            report.unchanged[sheet] += len(rows) - len(written)

    def copy(self) -> _Tally:
        r = self.report
        return _Tally(
            WriteReport(dict(r.created), dict(r.updated), dict(r.unchanged), r.revision, r.changes),
            {s: set(c) for s, c in self.changed.items()},
        )


async def _apply(
    db: Database,
    tx: Tx,
    step: Step,
    rows: list[Row],
    common: dict[str, Any],
    batch: int,
    handles: Handles,
) -> list[dict[str, Any]]:
    """Run ``step`` over ``rows`` in ``tx``, ``batch`` rows per statement."""
    out: list[dict[str, Any]] = []
    base = {"now": common["now"], "by": common["by"]}
    params = queries.get(step.statement).params
    if "import" in params:  # nodes created: tag them
        base["import"] = common["import"]
    if "undo" in params:  # stored rows updated: keep their before-images for this import
        base["undo"] = common.get("undo")
    for part in _chunks(rows, batch):
        if step.bind is None:
            shaped = [_shape(r) for r in part]
            out += await db.run(tx, step.statement, rows=shaped, **base)
        else:
            await _create(db, tx, step, part, base, handles)
    return out


async def _create(
    db: Database,
    tx: Tx,
    step: Step,
    rows: list[Row],
    base: dict[str, Any],
    handles: Handles,
) -> None:
    """Run a CREATE step over ``rows``; note the handles of the nodes it made
    and check it made every node and tie it was sent."""
    params, ties = step.bind(step, rows, handles) if step.bind else ({}, 0)
    [made] = await db.run(tx, step.statement, **params, **base)
    if "handles" in made:
        if len(made["handles"]) != len(rows):
            raise _StaleHandle(f"{step.statement}: {len(made['handles'])} of {len(rows)} nodes")
        table = handles.territories if step.sheet == "territories" else handles.nodes
        for index, handle in zip(made["rows"], made["handles"], strict=True):
            table[rows[index].key] = handle
    if made["linked"] != ties:
        raise _StaleHandle(f"{step.statement}: {made['linked']} of {ties} ties")


async def _apply_all(
    db: Database,
    tx: Tx,
    steps: list[Step],
    tally: _Tally,
    common: dict[str, Any],
    batch: int,
    progress: Progress | None,
    handles: Handles,
) -> None:
    """Run ``steps`` in order in ``tx``, counting each into ``tally``."""
    for step in steps:
        result = await _apply(db, tx, step, step.rows, common, batch, handles)
        tally.count(step, step.rows, result)
        if progress and step.counting != "counted":  # those rows were counted once
            progress(step.sheet, len(step.rows))


async def write(
    db: Database,
    book: Workbook,
    *,
    by: str,
    mode: Mode = "upsert",
    history: bool = True,
    summary: str | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
    dry_run: bool = False,
    file: str | None = None,
    pending: Callable[[], list[Row]] | None = None,
) -> WriteReport:
    """Write ``book`` all or nothing.

    ``mode``: ``upsert`` creates or updates (imports); ``create`` refuses ids
    that exist; ``update`` refuses ids that do not. ``history=False`` records
    one summary change instead of the rows (the territorial reference). An
    upsert of more than ``STAGE_ABOVE`` rows is staged (``_write_staged``).

    ``pending``: validates the memberships (raising ``InvalidInput``) when
    the book has none yet; a staged write runs it in a thread while Neo4j
    creates the other sheets' new nodes, so Neo4j is not idle while Python
    validates.
    """
    if pending is not None and (mode != "upsert" or dry_run):
        book.rows["memberships"] = pending()
        pending = None
    if mode == "upsert" and len(book) > STAGE_ABOVE or pending is not None:
        return await _write_staged(
            db,
            book,
            by=by,
            history=history,
            summary=summary,
            progress=progress,
            batch=batch,
            dry_run=dry_run,
            file=file,
            pending=pending,
        )

    async def work(tx: Tx) -> WriteReport:
        known = await _check(db, tx, book, mode)
        fresh, stored = plan(book, known)
        tally = _Tally()
        common = {"now": now(), "by": by, "import": None}
        await _apply_all(db, tx, fresh + stored, tally, common, batch, progress, known.handles)
        await _finish(db, tx, book, mode, tally, common, history, summary, batch, dry_run)
        if dry_run:
            raise _DryRun(tally.report)
        return tally.report

    try:
        return await db.write(work)
    except _DryRun as done:
        return done.report
    except _StaleHandle as exc:
        raise _changed(str(exc), file) from exc
    except ConstraintError as exc:  # another write created the same id meanwhile
        raise _changed(exc.message or str(exc), file) from exc
    except TooLarge as exc:
        raise _too_large(exc, f"all {len(book)} rows", file) from exc


def _changed(why: str, file: str | None) -> InvalidInput:
    """A write that lost a race with another writer: nothing was written
    (``file``: the import's; ``None``: an edit)."""
    if file is None:
        message = f"changed during this write ({why}); nothing was written: try again"
        return InvalidInput([FieldError("graph", message)])
    return InvalidInput(
        [
            FieldError(
                "file",
                f"was not imported: the graph changed during the import ({why}); "
                "nothing was written: import it again",
                None,
                file,
            )
        ]
    )


def _stored_part() -> str:
    """A staged transaction of rows about stored entities, in words."""
    return f"up to {STAGE_TX_ROWS} rows about what is already in the graph"


def _too_large(exc: TooLarge, what: str, file: str | None) -> InvalidInput:
    """A write over the database's per-transaction memory (``what`` says
    which part): nothing was written; say how to get it through."""
    limit = re.search(r"limit ([\d.]+ \w+)", str(exc))
    return InvalidInput(
        [
            FieldError(
                "file",
                f"was not imported: one transaction ({what}) needs more memory than the "
                f"database allows one transaction ({limit[1] if limit else exc}); nothing "
                "was written. Import it in parts (split the sheets with the most rows), "
                "or give Neo4j more memory (GRAPHMAP_NEO4J_HEAP for the bundled server)",
                file,
            )
        ]
    )


def staged(mode: Mode, rows: int, dry_run: bool = False) -> bool:
    """Whether a write of ``rows`` rows is staged and can take its
    memberships ``pending`` (a dry run waits for them)."""
    return mode == "upsert" and rows > STAGE_ABOVE and not dry_run


async def _finish(
    db: Database,
    tx: Tx,
    book: Workbook,
    mode: Mode,
    tally: _Tally,
    common: dict[str, Any],
    history: bool,
    summary: str | None,
    batch: int,
    rehearsal: bool = False,
) -> None:
    """Append the history of what changed and bump the revision (or, when
    nothing changed or in a ``rehearsal`` rolled back after, read it: a dry
    run reports the revision the graph keeps)."""
    report = tally.report
    if not any(tally.changed.values()):
        found = await db.run(tx, "history.revision")
        report.revision = found[0]["revision"] if found else 0
        return
    stamp = {"now": common["now"], "by": common["by"]}
    if history:
        for part in _bulk_changes(book, mode, tally.changed, batch):
            await db.run(tx, "history.append_bulk", changes=part, **stamp)
            report.changes += len(part)
    else:
        n = sum(len(c) for c in tally.changed.values())
        one = {
            "op": "import",
            "entity": "Workbook",
            "entityId": summary or "batch",
            "data": f"{n} rows changed",
        }
        await db.run(tx, "history.append_many", changes=[one], **stamp)
        report.changes += 1
    if rehearsal:
        result = await db.run(tx, "history.revision")
    else:
        result = await db.run(tx, "history.bump_revision", now=common["now"])
    report.revision = result[0]["revision"] if result else 0


async def _write_staged(
    db: Database,
    book: Workbook,
    *,
    by: str,
    history: bool,
    summary: str | None,
    progress: Progress | None,
    batch: int,
    dry_run: bool,
    file: str | None,
    pending: Callable[[], list[Row]] | None,
) -> WriteReport:
    """Write a large upsert in several transactions, still all or nothing.

    1. The references are checked in a read transaction (as for a small
       write, every problem is reported and nothing is written).
    2. An ``Import`` node claims the import lock (one staged import at a
       time) and records the import.
    3. Rows whose ids exist nowhere are CREATEd in transactions of
       ``STAGE_TX_ROWS`` rows, ``STAGE_LANES`` at a time, each node tagged
       with the import's id.
    4. Rows about stored entities (changed nodes, their links, and ties
       between stored nodes) are written in transactions of
       ``STAGE_TX_ROWS``, each keeping an ``ImportUndo`` before-image of
       every node and tie it changes (with copies of the links it removes).
    5. The history and the revision bump are written in one last
       transaction, which also releases the lock; the before-images are
       then deleted.

    When 3, 4 or 5 fails, the nodes and ties are restored from their
    before-images, the nodes the import created are deleted with their
    relationships and the import is marked failed: the graph is as before.
    When the process dies instead, the next staged import finds the lock
    stale and undoes the same way. Readers may see the new nodes and ties
    while the import runs; the revision moves only at the end. A node or tie
    someone edits meanwhile keeps their edit when the import is undone.

    With memberships ``pending`` (not dry runs), 1 checks the other sheets,
    then a thread validates the memberships while 3 creates the other
    sheets' new nodes; the memberships are then checked and created; when
    they prove bad, what was created is undone. (Validating during 1 made
    the check 3x slower: its thread and the driver took turns at the GIL.)
    When the other sheets' references fail, the memberships are validated
    and checked first, so the report is the same as for a write that checks
    everything at once.
    """
    known, errors = await db.read(lambda tx: _checked_nodes(db, tx, book))
    if errors and pending is not None:  # report the memberships' problems too
        book.rows["memberships"] = pending()
        pending = None
    if pending is None:
        errors += await db.read(lambda tx: _checked_ties(db, tx, book, known))
    if errors:
        raise InvalidInput(errors)
    fresh, stored = plan(book, known)
    tally = _Tally()
    if dry_run:  # count the creations, rehearse the rest and roll it back
        return await _rehearse(db, book, fresh, stored, by, history, summary, batch, file, known)

    ties: asyncio.Future[list[Row]] | None = None
    if pending is not None:
        ties = asyncio.ensure_future(asyncio.to_thread(pending))
        ties.add_done_callback(lambda f: f.cancelled() or f.exception())  # seen below
    import_id = await _claim(db, by, file or summary or "workbook")
    common = {"now": now(), "by": by, "import": import_id}
    texts: list[asyncio.Future[None]] = []

    async def write_part(
        step: Step, part: list[Row], params: dict[str, Any], lanes: asyncio.Semaphore
    ) -> list[dict[str, Any]]:
        """One staged transaction: ``step`` over ``part``, counted."""

        async def work(tx: Tx) -> list[dict[str, Any]]:
            return await _apply(db, tx, step, part, params, batch, known.handles)

        async with lanes:
            # outside the transaction: lanes would queue on its lock
            await db.fetch_write("imports.heartbeat", id=import_id, now=now())
            result = await db.write(work)
        tally.count(step, part, result)
        if progress and step.counting != "counted":  # those rows were counted once
            progress(step.sheet, len(part))
        return result

    async def side_by_side(step: Step, parts: list[list[Row]], lanes: int, **params: Any) -> None:
        """``parts`` of ``step``, ``lanes`` transactions at a time; when one
        fails, the others are cancelled."""
        gate = asyncio.Semaphore(lanes)
        async with asyncio.TaskGroup() as group:
            for part in parts:
                group.create_task(write_part(step, part, common | params, gate))

    async def create_all(steps: list[Step]) -> None:
        if history:  # the history text of the rows, made by a thread meanwhile
            rows = [r for step in steps for r in step.rows]
            texts.append(asyncio.ensure_future(asyncio.to_thread(_texts, rows)))
        for step in steps:  # in dependency order; a step's chunks side by side
            # parent links go to shared parents: two lanes deadlocked on them
            lanes = STAGE_LANES if step.counting == "created" else 1
            await side_by_side(step, list(_chunks(step.rows, STAGE_TX_ROWS)), lanes)

    async def update_stored(steps: list[Step]) -> None:
        """Write the rows about stored entities in transactions of
        ``STAGE_TX_ROWS``, each keeping a before-image of what it changes
        (``_undo`` restores them). In one transaction, a 1 GiB heap held
        about 100k changed actors (4.2 KB of transaction memory each) or 250k
        changed ties (1.9 KB). A step's first transaction runs alone; when
        it changed few of its rows (a re-import), the others run
        ``UPDATE_LANES`` at a time, as reads of unchanged rows do not
        contend; otherwise one at a time."""
        staging = {"undo": import_id}
        for step in steps:
            first, *others = _chunks(step.rows, STAGE_TX_ROWS)
            result = await write_part(step, first, common | staging, asyncio.Semaphore(1))
            few = sum(len(r["written"]) for r in result) <= len(first) * MOSTLY_UNCHANGED
            await side_by_side(step, others, UPDATE_LANES if few else 1, **staging)

    creating: str | None = f"up to {STAGE_TX_ROWS} new rows"
    try:
        await create_all(fresh)
        if ties is not None:
            book.rows["memberships"] = await ties
            errors = await db.read(lambda tx: _checked_ties(db, tx, book, known))
            if errors:
                raise InvalidInput(errors)
            fresh_ties, stored_ties = _plan_ties(book, known)
            stored += stored_ties
            await create_all(fresh_ties)
        creating = _stored_part()
        await update_stored(stored)
        for made in texts:  # made in the last transaction, it kept Neo4j waiting
            await made
        creating = None

        async def finish(tx: Tx) -> WriteReport:
            done = tally.copy()  # a retried transaction starts again from here
            await _finish(db, tx, book, "upsert", done, common, history, summary, batch)
            await db.run(
                tx,
                "imports.finish",
                id=import_id,
                now=now(),
                rows=len(book),
                changed=done.report.total,
            )
            return done.report

        report = await db.write(finish)
    except BaseException as caught:  # Ctrl-C included: undo, then let it go on
        exc = _first(caught)
        try:
            await _undo(db, import_id, status="failed", error=f"{type(exc).__name__}: {exc}")
        except Exception as undo_exc:  # the next import will undo it (stale lock)
            exc.add_note(f"undoing import {import_id} failed too: {undo_exc}")
        if isinstance(exc, ConstraintError | _StaleHandle):
            why = exc.message if isinstance(exc, ConstraintError) else str(exc)
            raise _changed(str(why), file) from exc
        if isinstance(exc, TooLarge):
            what = f"the history of {len(book):,} rows" if creating is None else creating
            raise _too_large(exc, what, file) from exc
        if exc is caught:
            raise
        raise exc from caught
    try:  # done: the before-images are not needed any more
        await _forget(db, import_id)
    except Exception:  # the next import forgets them (``_claim``)
        log.warning("import %s: its before-images are left for the next import", import_id)
    return report


async def _rehearse(
    db: Database,
    book: Workbook,
    fresh: list[Step],
    stored: list[Step],
    by: str,
    history: bool,
    summary: str | None,
    batch: int,
    file: str | None,
    known: Known,
) -> WriteReport:
    """A staged dry run: the creations are counted, the rows about stored
    entities written in transactions of ``STAGE_TX_ROWS`` (as an import
    would) and each rolled back, then the history rehearsed and rolled back.
    Those rows do not depend on each other, so each part counts as it would
    in the import."""
    tally = _Tally()
    for step in fresh:
        tally.count(step, step.rows, [])
    common = {"now": now(), "by": by, "import": None}

    async def rehearse(tx: Tx, step: Step, part: list[Row]) -> None:
        raise _Rehearsed(await _apply(db, tx, step, part, common, batch, known.handles))

    async def finish(tx: Tx) -> None:
        done = tally.copy()
        await _finish(db, tx, book, "upsert", done, common, history, summary, batch, True)
        raise _DryRun(done.report)

    try:
        for step in stored:
            for part in _chunks(step.rows, STAGE_TX_ROWS):
                try:
                    await db.write(functools.partial(rehearse, step=step, part=part))
                except _Rehearsed as rolled_back:
                    tally.count(step, part, rolled_back.result)
        await db.write(finish)
    except _DryRun as done:
        return done.report
    except TooLarge as refused:
        raise _too_large(refused, _stored_part(), file) from refused
    raise AssertionError("a rehearsal does not commit")


def _texts(rows: list[Row]) -> None:
    for row in rows:
        row.change()


def _first(exc: BaseException) -> BaseException:
    """The first real error inside the TaskGroup's exception group."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _bulk_changes(
    book: Workbook, mode: Mode, changed: dict[str, set[Any]], size: int
) -> Iterator[list[dict[str, Any]]]:
    """The history of a write as bulk entries: per sheet, up to ``size``
    changed rows in one ``Change`` (``entityIds`` and ``data``, the rows as
    JSON text, side by side); ``history.of_entity`` reads one row back out.
    One node per row doubled the nodes an import writes."""
    entries: list[dict[str, Any]] = []
    for sheet in SHEETS:
        written = changed[sheet]
        ids: list[str] = []
        data: list[str] = []
        for row in book.rows[sheet]:
            ident = (row.key, row.target) if sheet == "memberships" else row.key
            if ident in written:
                ids.append(f"{row.key}->{row.target}" if sheet == "memberships" else row.key)
                data.append(row.change())
        entity = "Membership" if sheet == "memberships" else LABEL[sheet]
        for start in range(0, len(ids), size):
            entries.append(
                {
                    "op": mode,
                    "entity": entity,
                    "entityIds": ids[start : start + size],
                    "data": data[start : start + size],
                }
            )
    yield from _chunks(entries, 10)


async def _claim(db: Database, by: str, file: str) -> str:
    """Take the import lock, undoing an abandoned import first; refuse while
    another import is alive."""
    running = await db.fetch("imports.running")
    for r in running:
        beat = r["heartbeat"].to_native()
        if now() - beat < STALE_IMPORT:
            raise InvalidInput(
                [
                    FieldError(
                        "file",
                        f"cannot be imported now: {r['by']} is importing {r['file']!r} "
                        f"(started {r['startedAt'].to_native():%Y-%m-%d %H:%M} UTC); "
                        "try again when it is done",
                        file,
                    )
                ]
            )
        await _undo(db, r["id"], status="abandoned", error="its process stopped mid-import")
    await _forget(db, None)  # no import runs: every before-image left is stale
    import_id = str(uuid.uuid4())
    try:
        await db.fetch_write("imports.begin", id=import_id, by=by, file=file, now=now())
    except ConstraintError:  # another import claimed the lock since we looked
        raise InvalidInput(
            [FieldError("file", "cannot be imported now: another import has just started", file)]
        ) from None
    return import_id


async def _undo(db: Database, import_id: str, *, status: str, error: str) -> None:
    """Put back the ties and nodes a staged import changed (from their
    before-images), delete what it created (with its relationships), in
    batches, and mark it ``status``: the graph is as before the import."""
    await _drain(db, "imports.restore", id=import_id)
    await _drain(db, "imports.restore_nodes", id=import_id)
    await _drain(db, "imports.discard", id=import_id)
    await db.fetch_write("imports.fail", id=import_id, now=now(), status=status, error=error)


async def _forget(db: Database, import_id: str | None) -> None:
    """Delete the before-images of ``import_id`` (done), or all (None)."""
    await _drain(db, "imports.forget", id=import_id)


async def _drain(db: Database, statement: str, **params: Any) -> None:
    """Run a batched clean-up ``statement`` (``STAGE_TX_ROWS`` at a time,
    one transaction each) until its one count comes back 0."""
    while True:
        [counts] = await db.fetch_write(statement, batch=STAGE_TX_ROWS, **params)
        if not next(iter(counts.values())):
            return


async def _check(db: Database, tx: Tx, book: Workbook, mode: Mode) -> Known:
    """Raise ``InvalidInput``/``NotFound`` for any reference that does not hold.

    Returns the label of every actor/initiative/alliance id the book touches
    or points to (memberships need it to pick their relationship type), the
    ids and territory codes already in the database (the others are created
    without MERGE), and the handles of those the book points to.
    """
    errors: list[FieldError] = []
    known = await _check_nodes(db, tx, book, mode, errors)
    await _check_ties(db, tx, book, known, errors)
    if errors:
        raise InvalidInput(errors)
    return known


async def reference_errors(db: Database, book: Workbook) -> list[FieldError]:
    """Every reference problem of ``book`` as an upsert, in a read
    transaction: nothing is written."""

    async def work(tx: Tx) -> list[FieldError]:
        errors: list[FieldError] = []
        known = await _check_nodes(db, tx, book, "upsert", errors)
        await _check_ties(db, tx, book, known, errors)
        return errors

    return await db.read(work)


async def _checked_nodes(db: Database, tx: Tx, book: Workbook) -> tuple[Known, list[FieldError]]:
    """``_check_nodes`` of an upsert, as a transaction function (a retry
    starts from no errors)."""
    errors: list[FieldError] = []
    return await _check_nodes(db, tx, book, "upsert", errors), errors


async def _checked_ties(db: Database, tx: Tx, book: Workbook, known: Known) -> list[FieldError]:
    errors: list[FieldError] = []
    await _check_ties(db, tx, book, known, errors)
    return errors


def _in_book(book: Workbook) -> dict[str, set[str]]:
    return {s: {r.key for r in book.rows[s]} for s in SHEETS if s != "memberships"}


async def _check_nodes(
    db: Database, tx: Tx, book: Workbook, mode: Mode, errors: list[FieldError]
) -> Known:
    """The references of the territories, actors, initiatives and alliances
    sheets (see ``_check``); problems are appended to ``errors``."""
    rows = book.rows
    in_book = _in_book(book)
    labels: dict[str, str] = {}
    for sheet in ("actors", "initiatives", "alliances"):
        for key in in_book[sheet]:
            labels[key] = LABEL[sheet]

    wanted_territories: set[str] = set()
    for sheet in ("actors", "initiatives", "alliances", "territories"):
        link = "parents" if sheet == "territories" else "territories"
        for r in rows[sheet]:  # type: ignore[index]
            wanted_territories.update(r.links.get(link) or [])
    wanted_territories -= in_book["territories"]
    carried = {i for r in rows["alliances"] for i in (r.links.get("carries") or [])}

    # codes a spreadsheet stored as numbers (1053 for 01053): looked up padded too
    padded = (
        {c: "0" + c for c in wanted_territories if domain.lost_leading_zero(c)}
        if book.spreadsheet
        else {}
    )
    handles = Handles()
    # territory codes too: one id space (an actor 69123 beside Lyon's code)
    db_labels = await _labels_of(db, tx, set(labels) | carried | in_book["territories"], handles)
    outside = sorted(carried - in_book["initiatives"])
    found = await db.run(
        tx,
        "refs.existing",
        territories=sorted(wanted_territories | (set(padded.values()) - in_book["territories"])),
        actors=[],
        alliances=[],
        initiatives=outside,
    )
    live = found[0]
    live_territories = dict(live["territories"])
    handles.territories.update(live_territories)
    restored = {
        code: full
        for code, full in padded.items()
        if code not in live_territories
        and (full in live_territories or full in in_book["territories"])
    }
    if restored:
        _restore_codes(rows, restored)
        wanted_territories = (wanted_territories - set(restored)) | (
            set(restored.values()) - in_book["territories"]
        )

    for sheet in ("actors", "initiatives", "alliances"):
        for r in rows[sheet]:  # type: ignore[index]
            others = db_labels.get(r.key, set()) - {LABEL[sheet]}
            if others:
                errors.append(
                    FieldError(
                        KEY[sheet],
                        f"is already the id of an {sorted(others)[0]}",
                        r.key,
                        book.file(sheet),
                        r.line,
                    )
                )
            exists = LABEL[sheet] in db_labels.get(r.key, set())
            if mode == "create" and exists:
                errors.append(
                    FieldError(KEY[sheet], "already exists", r.key, book.file(sheet), r.line)
                )
            if mode == "update" and not exists:
                raise NotFound(LABEL[sheet], r.key)
    known: set[str] = set()
    if rows["territories"]:
        taken = await db.run(tx, "refs.territory_codes", ids=sorted(in_book["territories"]))
        handles.territories.update(taken[0]["found"])
        known = {code for code, _ in taken[0]["found"]}
        for r in rows["territories"]:
            if r.key in db_labels:
                why = shared_id(f"an {sorted(db_labels[r.key])[0]}")
                errors.append(FieldError("code", why, r.key, book.file("territories"), r.line))
    if labels:  # and the other way round
        found = await db.run(tx, "refs.territory_codes", ids=sorted(labels))
        codes = {code for code, _ in found[0]["found"]}
        for sheet in ("actors", "initiatives", "alliances"):
            for r in rows[sheet]:  # type: ignore[index]
                if r.key in codes:
                    why = shared_id("a territory")
                    errors.append(FieldError(KEY[sheet], why, r.key, book.file(sheet), r.line))
    if mode != "upsert":
        for r in rows["territories"]:
            if mode == "create" and r.key in known:
                errors.append(
                    FieldError("code", "already exists", r.key, book.file("territories"), r.line)
                )
            if mode == "update" and r.key not in known:
                raise NotFound("Territory", r.key)

    missing_t = wanted_territories - set(live_territories)
    deleted_t: set[str] = set()
    if missing_t:  # an error already: which of them were deleted, to say so
        gone = await db.run(tx, "refs.territory_codes", ids=sorted(missing_t))
        deleted_t = {code for code, _ in gone[0]["found"]}
    for sheet in ("actors", "initiatives", "alliances", "territories"):
        link, column = (
            ("parents", "parent") if sheet == "territories" else ("territories", "territory")
        )
        for r in rows[sheet]:  # type: ignore[index]
            for code in r.links.get(link) or []:
                if code in missing_t:
                    errors.append(
                        FieldError(
                            column,
                            _deleted("territory")
                            if code in deleted_t
                            else "is not a known territory code",
                            code,
                            book.file(sheet),
                            r.line,
                        )
                    )
    live_initiatives = set(live["initiatives"]) | in_book["initiatives"]
    for r in rows["alliances"]:
        for iid in r.links.get("carries") or []:
            if iid not in live_initiatives:
                errors.append(
                    FieldError(
                        "carries",
                        "is not a known initiative id",
                        iid,
                        book.file("alliances"),
                        r.line,
                    )
                )
    if rows["territories"]:
        around = {p for r in rows["territories"] for p in r.links.get("parents") or []}
        found = await db.run(
            tx, "refs.territory_hierarchy", codes=sorted(in_book["territories"] | around)
        )
        errors.extend(
            hierarchy.errors(rows["territories"], found[0]["found"], book.file("territories"))
        )
    await _check_identifiers(db, tx, book, in_book, errors)
    return Known(labels, set(db_labels), known, handles)


def _restore_codes(rows: dict[Sheet, list[Row]], restored: dict[str, str]) -> None:
    """Put back the leading zero of the territory references in ``restored``."""
    for sheet in ("actors", "initiatives", "alliances", "territories"):
        link = "parents" if sheet == "territories" else "territories"
        for r in rows[sheet]:
            codes = r.links.get(link)
            if codes and any(c in restored for c in codes):
                r.links[link] = [restored.get(c, c) for c in codes]


async def _labels_of(db: Database, tx: Tx, ids: set[str], handles: Handles) -> dict[str, set[str]]:
    """The labels of those of ``ids`` in the database; their handles noted."""
    found = await db.run(tx, "refs.labels_of", ids=sorted(ids))
    labels: dict[str, set[str]] = {}
    for found_id, found_label, handle in found[0]["found"] if found else []:
        labels.setdefault(found_id, set()).add(found_label)
        handles.nodes[found_id] = handle
    return labels


async def _check_identifiers(
    db: Database,
    tx: Tx,
    book: Workbook,
    in_book: dict[str, set[str]],
    errors: list[FieldError],
) -> None:
    """SIREN, SIRET and RNA numbers belong to one actor, in the book and in
    the database."""
    rows = book.rows
    identified: list[dict[str, Any]] = [
        {
            "id": r.key,
            "siren": r.props.get("siren"),
            "siret": r.props.get("siret"),
            "rna": r.props.get("rna"),
        }
        for r in rows["actors"]
        if r.props.get("siren") or r.props.get("siret") or r.props.get("rna")
    ]
    owners: dict[tuple[str, str], str] = {}
    line_of = {r.key: r.line for r in rows["actors"]}
    for ident in identified:
        for fieldname in ("siren", "siret", "rna"):
            value = ident[fieldname]
            if value is None:
                continue
            other = owners.setdefault((fieldname, value), ident["id"])
            if other != ident["id"]:
                errors.append(
                    FieldError(
                        fieldname,
                        f"is also given to actor {other!r} in this import",
                        value,
                        book.file("actors"),
                        line_of[ident["id"]],
                    )
                )
    if identified:
        clashes = await db.run(tx, "actors.identifier_clashes", rows=identified)
        for c in clashes:
            if c["owner"] in in_book["actors"]:
                continue  # that actor is being rewritten in this same book
            errors.append(
                FieldError(
                    c["field"],
                    f"already belongs to actor {c['owner']!r}",
                    c["value"],
                    book.file("actors"),
                    line_of[c["id"]],
                )
            )


async def _check_ties(
    db: Database, tx: Tx, book: Workbook, known: Known, errors: list[FieldError]
) -> None:
    """The references of the memberships sheet: its actors and targets exist
    (in the book or live in the database). Adds to ``known`` the label of
    every target and the handles of the stored nodes the ties point to."""
    rows = book.rows["memberships"]
    if not rows:
        return
    in_book = _in_book(book)
    labels = known.labels
    member_actors = {r.key for r in rows} - in_book["actors"]
    targets = {r.target for r in rows if r.target} - in_book["alliances"] - in_book["initiatives"]
    outside = member_actors | targets
    stored_labels = await _labels_of(db, tx, outside - known.stored, known.handles)
    known.stored.update(stored_labels)
    found = await db.run(
        tx,
        "refs.existing",
        territories=[],
        actors=sorted(member_actors),
        alliances=sorted(targets),
        initiatives=sorted(targets),
    )
    live = found[0]
    live_actors = set(live["actors"]) | in_book["actors"]
    live_alliances, live_initiatives = set(live["alliances"]), set(live["initiatives"])
    for r in rows:
        if r.key not in live_actors:
            gone = "Actor" in stored_labels.get(r.key, ())
            errors.append(
                FieldError(
                    "actor",
                    _deleted("actor") if gone else "is not a known actor id",
                    r.key,
                    book.file("memberships"),
                    r.line,
                )
            )
        target = r.target or ""
        if target in in_book["alliances"] or target in in_book["initiatives"]:
            continue
        if target in live_alliances:
            labels[target] = "Alliance"
        elif target in live_initiatives:
            labels[target] = "Initiative"
        else:
            was = stored_labels.get(target, set()) & {"Alliance", "Initiative"}
            errors.append(
                FieldError(
                    "target",
                    _deleted(sorted(was)[0].lower())
                    if was
                    else "is not a known alliance or initiative id",
                    target,
                    book.file("memberships"),
                    r.line,
                )
            )


def _deleted(what: str) -> str:
    """Why a reference to a deleted node is refused, and how to restore it."""
    sheet, key = ("territories", "code") if what == "territory" else (what + "s", "id")
    return f"is the {key} of a deleted {what}: its row in the {sheet} sheet restores it"
