"""Writes a validated :class:`~graphmap.services.workbook.Workbook` in one
transaction: references checked first (inside the transaction, so what is
checked is what is written against), then rows in dependency order, then the
history. Any problem raises before the commit, so nothing is half-written.

Rows that would change nothing are skipped by the upsert statements and
counted as ``unchanged``: they get no history entry and no ``updatedAt`` bump,
and a write that changes nothing leaves the graph revision alone, so
re-importing a workbook is a true no-op. ``dry_run`` does everything, then
rolls the transaction back: the report says what an import would do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphmap.errors import FieldError, InvalidInput, NotFound
from graphmap.services.workbook import KEY, LABEL, SHEETS, Mode, Row, Sheet, Workbook
from graphmap.store.database import Database, Tx, now

BATCH = 5000
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


def _chunks(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


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
) -> WriteReport:
    """Write ``book`` all or nothing.

    ``mode``: ``upsert`` creates or updates (imports); ``create`` refuses ids
    that exist; ``update`` refuses ids that do not. ``history=False`` records
    one summary change instead of one per row (the territorial reference).
    """

    async def work(tx: Tx) -> WriteReport:
        labels, stored = await _check(db, tx, book, mode)
        report = WriteReport()
        stamp = now()
        common = {"now": stamp, "by": by}
        changed: dict[str, set[Any]] = {s: set() for s in SHEETS}

        async def upsert(sheet: Sheet, name: str, rows: list[dict[str, Any]]) -> None:
            result = await db.run(tx, name, rows=rows, **common)
            for r in result:
                (report.created if r["created"] else report.updated)[sheet] += 1
                changed[sheet].add((r["actor"], r["target"]) if sheet == "memberships" else r["id"])
            report.unchanged[sheet] += len(rows) - len(result)
            if progress:
                progress(sheet, len(rows))

        territories = book.rows["territories"]
        for chunk in _chunks(territories, batch):
            await upsert(
                "territories",
                "territories.upsert_many",
                [{"id": r.key, "props": r.props} for r in chunk],
            )
        linked = [r for r in territories if r.links.get("parents") is not None]
        for chunk in _chunks(linked, batch):
            relinked = await db.run(
                tx,
                "territories.link_parents",
                rows=[
                    {"id": r.key, "parents": r.links["parents"], "source": r.props.get("source")}
                    for r in chunk
                ],
                **common,
            )
            for r in relinked:
                if r["id"] not in changed["territories"]:
                    changed["territories"].add(r["id"])
                    report.updated["territories"] += 1
                    report.unchanged["territories"] -= 1

        async def create(sheet: Sheet, name: str, rows: list[dict[str, Any]]) -> None:
            # rows the check found nowhere in the database: CREATE, no MERGE
            await db.run(tx, name, rows=rows, **common)
            report.created[sheet] += len(rows)
            changed[sheet].update(
                (r["actor"], r["target"]) if sheet == "memberships" else r["id"] for r in rows
            )
            if progress:
                progress(sheet, len(rows))

        for sheet in ("initiatives", "actors", "alliances"):
            new = [r for r in book.rows[sheet] if r.key not in stored]
            old = [r for r in book.rows[sheet] if r.key in stored]
            for chunk in _chunks(new, batch):
                await create(
                    sheet,
                    f"{sheet}.create_many",
                    [{"id": r.key, "props": r.props, **r.links} for r in chunk],
                )
            for chunk in _chunks(old, batch):
                await upsert(
                    sheet,
                    f"{sheet}.upsert_many",
                    [{"id": r.key, "props": r.props, **r.links} for r in chunk],
                )
        for target_label, prefix in (
            ("Alliance", "memberships.{}_alliance_many"),
            ("Initiative", "memberships.{}_initiative_many"),
        ):
            rows = [
                r for r in book.rows["memberships"] if labels.get(r.target or "") == target_label
            ]
            # a tie to or from a node created just now cannot exist yet
            new = [r for r in rows if r.key not in stored or r.target not in stored]
            old = [r for r in rows if r.key in stored and r.target in stored]
            for chunk in _chunks(new, batch):
                await create(
                    "memberships",
                    prefix.format("create"),
                    [{"actor": r.key, "target": r.target, "props": r.props} for r in chunk],
                )
            for chunk in _chunks(old, batch):
                await upsert(
                    "memberships",
                    prefix.format("upsert"),
                    [{"actor": r.key, "target": r.target, "props": r.props} for r in chunk],
                )
        if not any(changed.values()):
            found = await db.run(tx, "history.revision")
            report.revision = found[0]["revision"] if found else 0
        else:
            changes = (
                _changes(book, mode, changed)
                if history
                else [
                    {
                        "op": "import",
                        "entity": "Workbook",
                        "entityId": summary or "batch",
                        "data": f"{sum(len(c) for c in changed.values())} rows changed",
                    }
                ]
            )
            for start in range(0, len(changes), batch):
                part = changes[start : start + batch]
                await db.run(tx, "history.append_many", changes=part, **common)
                report.changes += len(part)
            result = await db.run(tx, "history.bump_revision", now=stamp)
            report.revision = result[0]["revision"] if result else 0
        if dry_run:
            raise _DryRun(report)
        return report

    try:
        return await db.write(work)
    except _DryRun as done:
        return done.report


def _changes(book: Workbook, mode: Mode, changed: dict[str, set[Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for sheet in SHEETS:
        written = changed[sheet]
        for row in book.rows[sheet]:
            ident = (row.key, row.target) if sheet == "memberships" else row.key
            if ident not in written:
                continue
            if sheet == "memberships":
                out.append(
                    {
                        "op": mode,
                        "entity": "Membership",
                        "entityId": f"{row.key}->{row.target}",
                        "data": row.change(),
                    }
                )
            else:
                out.append(
                    {"op": mode, "entity": LABEL[sheet], "entityId": row.key, "data": row.change()}
                )
    return out


async def _check(
    db: Database, tx: Tx, book: Workbook, mode: Mode
) -> tuple[dict[str, str], set[str]]:
    """Raise ``InvalidInput``/``NotFound`` for any reference that does not hold.

    Returns the label of every actor/initiative/alliance id the book touches
    or points to (memberships need it to pick their relationship type), and
    the ids already in the database: the others are created without MERGE.
    """
    errors: list[FieldError] = []
    rows = book.rows
    in_book = {s: {r.key for r in rows[s]} for s in SHEETS if s != "memberships"}
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
    member_actors = {r.key for r in rows["memberships"]} - in_book["actors"]
    targets = (
        {r.target for r in rows["memberships"] if r.target}
        - in_book["alliances"]
        - in_book["initiatives"]
    )

    touched = set(labels)
    existing_labels = await db.run(
        tx, "refs.labels_of", ids=sorted(touched | targets | carried | member_actors)
    )
    db_labels: dict[str, set[str]] = {}
    for found_id, found_label in existing_labels[0]["found"] if existing_labels else []:
        db_labels.setdefault(found_id, set()).add(found_label)
    found = await db.run(
        tx,
        "refs.existing",
        territories=sorted(wanted_territories),
        actors=sorted(member_actors),
        alliances=sorted(targets | (carried - in_book["initiatives"])),
        initiatives=sorted(targets | (carried - in_book["initiatives"])),
    )
    live = found[0]

    for sheet in ("actors", "initiatives", "alliances"):
        for r in rows[sheet]:  # type: ignore[index]
            others = db_labels.get(r.key, set()) - {LABEL[sheet]}
            if others:
                errors.append(
                    FieldError(
                        KEY[sheet],
                        f"is already the id of an {sorted(others)[0]}",
                        r.key,
                        f"{sheet}.csv",
                        r.line,
                    )
                )
            exists = LABEL[sheet] in db_labels.get(r.key, set())
            if mode == "create" and exists:
                errors.append(
                    FieldError(KEY[sheet], "already exists", r.key, f"{sheet}.csv", r.line)
                )
            if mode == "update" and not exists:
                raise NotFound(LABEL[sheet], r.key)
    if mode != "upsert" and rows["territories"]:
        taken = await db.run(tx, "refs.territory_codes", ids=sorted(in_book["territories"]))
        known = {rec["id"] for rec in taken}
        for r in rows["territories"]:
            if mode == "create" and r.key in known:
                errors.append(
                    FieldError("code", "already exists", r.key, "territories.csv", r.line)
                )
            if mode == "update" and r.key not in known:
                raise NotFound("Territory", r.key)

    missing_t = wanted_territories - set(live["territories"])
    for sheet in ("actors", "initiatives", "alliances", "territories"):
        link, column = (
            ("parents", "parent") if sheet == "territories" else ("territories", "territory")
        )
        for r in rows[sheet]:  # type: ignore[index]
            for code in r.links.get(link) or []:
                if code in missing_t:
                    errors.append(
                        FieldError(
                            column, "is not a known territory code", code, f"{sheet}.csv", r.line
                        )
                    )
    live_initiatives = set(live["initiatives"]) | in_book["initiatives"]
    for r in rows["alliances"]:
        for iid in r.links.get("carries") or []:
            if iid not in live_initiatives:
                errors.append(
                    FieldError(
                        "carries", "is not a known initiative id", iid, "alliances.csv", r.line
                    )
                )
    live_actors = set(live["actors"]) | in_book["actors"]
    for r in rows["memberships"]:
        if r.key not in live_actors:
            errors.append(
                FieldError("actor", "is not a known actor id", r.key, "memberships.csv", r.line)
            )
        target = r.target or ""
        if target in in_book["alliances"] or target in in_book["initiatives"]:
            continue
        if target in live["alliances"]:
            labels[target] = "Alliance"
        elif target in live["initiatives"]:
            labels[target] = "Initiative"
        else:
            errors.append(
                FieldError(
                    "target",
                    "is not a known alliance or initiative id",
                    target,
                    "memberships.csv",
                    r.line,
                )
            )

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
                        "actors.csv",
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
                    "actors.csv",
                    line_of[c["id"]],
                )
            )
    if errors:
        raise InvalidInput(errors)
    return labels, set(db_labels)
