"""The workbook: the one shape every write takes.

A spreadsheet import, the demo file and each GraphQL mutation all become a
``Workbook`` of rows (the columns of ``formats.md``), validated as a whole here
(every bad value reported, with sheet, row, column and value) and written in
one transaction by :mod:`graphmap.services.writer`. So the rules, the
provenance and the history are the same whoever writes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from graphmap import domain
from graphmap.errors import FieldError, InvalidInput
from graphmap.services import fields as f

Sheet = Literal["territories", "actors", "initiatives", "alliances", "memberships"]
SHEETS: tuple[Sheet, ...] = ("territories", "actors", "initiatives", "alliances", "memberships")
Mode = Literal["upsert", "create", "update"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of formats.md: how to parse it and where it goes.

    ``prop`` is the Neo4j property; ``link`` names a relationship list instead
    (territories, parents, carries) that the writer turns into relationships.
    """

    name: str
    parse: f.Parser
    prop: str | None = None
    link: str | None = None
    required: bool = False


_territory_codes = f.many(f.identifier)

COLUMNS: dict[Sheet, tuple[Column, ...]] = {
    "territories": (
        Column("code", f.identifier, required=True),
        Column("name", f.text(f.MAX_NAME), "name", required=True),
        Column("level", f.enum(domain.TerritoryLevel), "level", required=True),
        Column("parent", _territory_codes, link="parents"),
        Column("population", f.integer(0), "population"),
        Column("flags", f.many(f.enum(domain.TerritoryFlag)), "flags"),
        Column("innovation_model", f.enum(domain.InnovationModel), "innovationModel"),
        Column("source", f.text(1000), "source"),
    ),
    "actors": (
        Column("id", f.identifier, required=True),
        Column("name", f.text(f.MAX_NAME), "name", required=True),
        Column("kind", f.enum(domain.ActorKind), "kind", required=True),
        Column("territory", _territory_codes, link="territories"),
        Column("siren", f.siren, "siren"),
        Column("siret", f.siret, "siret"),
        Column("rna", f.rna, "rna"),
        Column("declared_roles", f.many(f.enum(domain.Role)), "declaredRoles"),
        Column("size", f.enum(domain.CompanySize), "size"),
        Column("description", f.text(f.MAX_TEXT), "description"),
        Column("website", f.url, "website"),
        Column("source", f.text(1000), "source"),
    ),
    "initiatives": (
        Column("id", f.identifier, required=True),
        Column("name", f.text(f.MAX_NAME), "name", required=True),
        Column("form", f.enum(domain.InitiativeForm), "form"),
        Column("stage", f.enum(domain.Stage), "stage"),
        Column("themes", f.many(f.enum(domain.Theme)), "themes"),
        Column("territory", _territory_codes, link="territories"),
        Column("started_on", f.parse_date, "startedOn"),
        Column("description", f.text(f.MAX_TEXT), "description"),
        Column("website", f.url, "website"),
        Column("source", f.text(1000), "source"),
    ),
    "alliances": (
        Column("id", f.identifier, required=True),
        Column("name", f.text(f.MAX_NAME), "name", required=True),
        Column("type", f.enum(domain.AllianceType), "type"),
        Column("horizon", f.enum(domain.Horizon), "horizon"),
        Column("territory", _territory_codes, link="territories"),
        Column("since", f.parse_date, "since"),
        Column("until", f.parse_end_date, "until"),
        Column("carries", f.many(f.identifier), link="carries"),
        Column("evaluated", f.boolean, "evaluated"),
        Column("description", f.text(f.MAX_TEXT), "description"),
        Column("source", f.text(1000), "source"),
    ),
    "memberships": (
        Column("actor", f.identifier, required=True),
        Column("target", f.identifier, required=True),
        Column("role", f.enum(domain.Role), "role"),
        Column("since", f.parse_date, "since"),
        Column("until", f.parse_end_date, "until"),
        Column("source", f.text(1000), "source"),
    ),
}
KEY = {"territories": "code", "actors": "id", "initiatives": "id", "alliances": "id"}
LABEL = {
    "territories": "Territory",
    "actors": "Actor",
    "initiatives": "Initiative",
    "alliances": "Alliance",
}
# one id space: exports, the map and the analysis key nodes by id alone
_SHARED_IDS = frozenset(("territories", "actors", "initiatives", "alliances"))
EXTRA = "extra_"  # the prefix of the properties kept from columns formats.md does not name
_EXTRA = re.compile(r"[^\w]+")  # letters (accented too), digits and _ are kept
_extra_text = f.text(f.MAX_TEXT)  # an extra column's cell
_NAMES = {sheet: frozenset(c.name for c in columns) for sheet, columns in COLUMNS.items()}
# The columns as plain tuples, for the loop run once per cell of an import.
_PLAN = {
    sheet: tuple((c.name, c.parse, c.prop, c.link, c.required) for c in columns)
    for sheet, columns in COLUMNS.items()
}


@dataclass(slots=True)
class Row:
    """One validated row: its key, its properties and its relationship lists.

    A property set to ``None`` is removed on write (the cell was emptied); a
    link left ``None`` leaves the relationships as they are.
    """

    sheet: Sheet
    line: int
    key: str
    props: dict[str, Any]
    links: dict[str, list[str] | None] = field(default_factory=dict)
    target: str | None = None  # memberships: the alliance or initiative id
    text: str | None = field(default=None, repr=False, compare=False)

    def change(self) -> str:
        """The row as JSON text, for the history (made once, then kept)."""
        if self.text is None:  # orjson: 7.5x the json module's speed, dates as ISO text
            data = self.props
            if self.links:
                data = data | {k: v for k, v in self.links.items() if v is not None}
            self.text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
        return self.text


@dataclass(slots=True)
class Workbook:
    """Validated rows per sheet, in the order given."""

    rows: dict[Sheet, list[Row]] = field(default_factory=lambda: {s: [] for s in SHEETS})
    # read from a spreadsheet: codes it stored as numbers (1053) get their zero back
    spreadsheet: bool = False
    # the file each sheet was read from, as reports name it (book.xlsx[Acteurs])
    files: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(r) for r in self.rows.values())

    def file(self, sheet: str) -> str:
        """The file a report names for ``sheet``'s rows (``actors.csv`` when
        the rows did not come from a file)."""
        return self.files.get(sheet, f"{sheet}.csv")


class InvalidRows(InvalidInput):
    """``InvalidInput`` from :func:`validate`, with the rows that did pass
    (``valid``) and the ids and codes of those that did not (``rejected``):
    an import checks the references of the valid rows too, so one report
    lists every bad row, and leaves out references to rows already in it."""

    def __init__(
        self, errors: list[FieldError], valid: Workbook, rejected: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(errors)
        self.valid = valid
        self.rejected = rejected


# What French mappers write instead of formats.md's names (a header check hint).
_FRENCH = {
    "nom": "name",
    "libelle": "name",
    "libellé": "name",
    "intitule": "name",
    "intitulé": "name",
    "raison sociale": "name",
    "niveau": "level",
    "échelon": "level",
    "echelon": "level",
    "identifiant": "id",
    "nature": "kind",
    "type": "kind",
    "catégorie": "kind",
    "categorie": "kind",
    "acteur": "actor",
    "structure": "actor",
    "cible": "target",
    "territoire": "territory",
    "commune": "territory",
    "rôle": "role",
    "depuis": "since",
    "début": "since",
    "jusqu'à": "until",
    "fin": "until",
    "thèmes": "themes",
    "thematiques": "themes",
    "thématiques": "themes",
    "étape": "stage",
    "forme": "form",
    "date de début": "started_on",
    "site": "website",
    "site web": "website",
}


@dataclass(slots=True)
class HeaderCheck:
    """What :func:`check_header` found: errors stop the import, notes do not."""

    errors: list[FieldError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_FRENCH_SHEETS = {
    "territoires": "territories",
    "acteurs": "actors",
    "structures": "actors",
    "organisations": "actors",
    "adhesions": "memberships",
    "adhésions": "memberships",
    "membres": "memberships",
    "participations": "memberships",
    "liens": "memberships",
}


def shared_id(other: str, row: int | None = None) -> str:
    """Why an id is refused that another node has (``other``: where)."""
    at = f"{other} row {row}" if row is not None else other
    return (
        f"is also the id of {at}: territories, actors, initiatives and alliances each "
        "need an id of their own"
    )


def _unknown_sheet(name: str) -> str:
    meant = _FRENCH_SHEETS.get(name) or next(
        iter(difflib.get_close_matches(name, SHEETS, n=1, cutoff=0.75)), None
    )
    hint = f" (did you mean {meant}?)" if meant else ""
    return f"is not a sheet of the workbook{hint}; expected one of {', '.join(SHEETS)}"


def check_header(
    sheet: str, header: Sequence[str], file: str, line: int = 1, *, empty: bool = False
) -> HeaderCheck:
    """A sheet's header against formats.md: the required columns it lacks
    (an error each: the import stops before judging the rows, which would
    all say the same), and the unknown columns that look like a known one
    (a note each: they are kept as extra properties, as formats.md says,
    but the mapper probably meant the known one). A header that names no
    column at all is a data row: the header row is missing. ``empty``: the
    sheet has no row under its header, so it cannot lack a column."""
    known = COLUMNS.get(sheet)  # type: ignore[call-overload]
    names = [n for n in header if n]
    if known is None or not names:
        return HeaderCheck()
    check = HeaderCheck()
    unknown = [n for n in names if n not in _NAMES[sheet]]  # type: ignore[index]
    meant = {n: _meant(n, sheet) for n in unknown}
    if len(unknown) == len(names) and not any(meant.values()):
        expected = ", ".join(c.name for c in known if c.required)
        check.errors.append(
            FieldError(
                "header",
                f"names none of the {sheet} columns (it needs {expected}): the first "
                "non-empty row must be the header",
                _shown(", ".join(names)),
                file,
                line,
            )
        )
        return check
    stored: dict[str, str] = {}  # extra property -> the column it comes from
    for n in unknown:
        prop = extra_property(n)
        other = stored.setdefault(prop, n)
        if other != n:
            why = f"would be kept as {prop!r}, as column {other!r} is: rename one"
            check.errors.append(FieldError(n, why, None, file, line))
        elif prop == EXTRA:
            why = "has no letter or digit to name the property it would be kept as: rename it"
            check.errors.append(FieldError(n, why, None, file, line))
        elif (column := prop[len(EXTRA) :]) in _NAMES[sheet]:  # type: ignore[index]
            # the workbook export would write it back as that column
            why = f"would be kept as {prop!r}, as the {column!r} column is known: rename it"
            check.errors.append(FieldError(n, why, None, file, line))
    if empty:
        return check
    for c in known:
        if c.required and c.name not in names:
            guesses = [n for n, m in meant.items() if m == c.name]
            hint = f" (is {guesses[0]!r} meant to be it?)" if guesses else ""
            check.errors.append(
                FieldError(
                    c.name,
                    f"column is missing from the header{hint}; it is required",
                    None,
                    file,
                    line,
                )
            )
    for n, m in meant.items():
        if m is not None and m in names:
            continue  # the known column is there too: a genuine extra column
        if m is not None and not any(c.name == m and c.required for c in known):
            check.notes.append(
                f"{file}: column {n!r} is not one of the {sheet} columns; it is kept as "
                f"an extra property (did you mean {m!r}?)"
            )
    return check


def extra_property(column: str) -> str:
    """The property a column formats.md does not name is kept as."""
    return EXTRA + _EXTRA.sub("_", column).strip("_")


def _meant(name: str, sheet: str) -> str | None:
    """The known column of ``sheet`` an unknown header ``name`` looks like."""
    known = _NAMES[sheet]  # type: ignore[index]
    french = _FRENCH.get(name)
    if french in known:
        return french
    close = difflib.get_close_matches(name.replace(" ", "_"), sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


def validate(
    sheets: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    partial: bool = False,
    spreadsheet: bool = False,
    first_line: int = 2,
    file_names: Mapping[str, str] | None = None,
    lines: Mapping[str, Sequence[int]] | None = None,
) -> Workbook:
    """Parse every row of every sheet; raise ``InvalidInput`` with every error.

    ``partial`` (GraphQL updates): absent columns are left untouched instead of
    emptied, and required columns may be absent. ``first_line`` is the line
    number of the first data row (2 in a spreadsheet, under its header);
    ``lines`` gives each row's own line instead (readers skip empty rows).
    ``spreadsheet``: the rows come from a spreadsheet, where 01053 may have
    become the number 1053 (see ``domain.lost_leading_zero``).
    """
    errors: list[FieldError] = [
        FieldError("sheet", _unknown_sheet(s), s, (file_names or {}).get(s))
        for s in sheets
        if s not in COLUMNS
    ]
    book = Workbook(spreadsheet=spreadsheet, files=dict(file_names or {}))
    headers: dict[Any, str] = {}  # each header spelling normalised once, not once a row
    plain: set[str] = set()  # the header spellings already normalised
    rejected: set[str] = set()  # ids and codes of the rows that failed
    # actors, initiatives and alliances share ids: a membership names its target
    # by id alone, and the database holds one node per id
    owner: dict[str, tuple[str, str, int]] = {}
    for sheet in SHEETS:
        if sheet not in sheets:
            continue
        file = (file_names or {}).get(sheet, f"{sheet}.csv")
        seen: dict[str, int] = {}
        for offset, raw in enumerate(sheets[sheet]):
            line = lines[sheet][offset] if lines and sheet in lines else first_line + offset
            row = _validate_row(
                sheet, raw, line, file, partial, errors, headers, plain, spreadsheet
            )
            if row is None:
                rejected.update(
                    str(v).strip()
                    for k, v in raw.items()
                    if v is not None and headers.get(k) == KEY.get(sheet)
                )
                continue
            ident = row.key if sheet != "memberships" else f"{row.key}->{row.target}"
            if ident in seen:
                errors.append(
                    FieldError(
                        KEY.get(sheet, "target"),
                        f"duplicate of row {seen[ident]}",
                        ident,
                        file,
                        line,
                    )
                )
                continue
            seen[ident] = line
            if sheet in _SHARED_IDS:
                other, other_file, at = owner.setdefault(row.key, (sheet, file, line))
                if other != sheet:
                    errors.append(
                        FieldError(KEY[sheet], shared_id(other_file, at), row.key, file, line)
                    )
                    continue
            book.rows[sheet].append(row)
    if errors:
        raise InvalidRows(errors, book, frozenset(rejected))
    return book


def _validate_row(
    sheet: Sheet,
    raw: Mapping[str, Any],
    line: int,
    file: str,
    partial: bool,
    errors: list[FieldError],
    headers: dict[Any, str],
    plain: set[str],
    spreadsheet: bool,
) -> Row | None:
    cells: Mapping[str, Any]
    if raw.keys() <= plain:  # a reader's rows: their headers are normalised already
        cells = raw
    else:
        cells = {}
        for k, v in raw.items():
            if k is not None:
                name = headers.get(k)
                if name is None:
                    name = headers[k] = str(k).strip().lower()
                    if name == k:
                        plain.add(name)
                cells[name] = v
    props: dict[str, Any] = {}
    links: dict[str, list[str] | None] = {}
    values: dict[str, Any] = {}
    ok = True
    for name, parse, prop, link, required in _PLAN[sheet]:
        value = cells.get(name)
        if value is None or (not value.strip() if type(value) is str else f.blank(value)):
            present = name in cells
            if required and (present or not partial):
                errors.append(FieldError(name, "is required", None, file, line))
                ok = False
                continue
            if not present and (partial or not required):
                continue  # a column the sheet does not have: the stored value stays
            parsed: Any = [] if link else None
        else:
            try:
                parsed = parse(value)
            except ValueError as exc:
                errors.append(FieldError(name, str(exc), _shown(value), file, line))
                ok = False
                continue
            if required and parsed in ("", []):
                errors.append(FieldError(name, "is required", _shown(value), file, line))
                ok = False
                continue
        values[name] = parsed
        if link:
            links[link] = parsed
        elif prop:
            props[prop] = parsed
    if cells.keys() - _NAMES[sheet]:  # columns formats.md does not name: kept
        for name, value in cells.items():
            if name and name not in _NAMES[sheet]:
                prop = extra_property(name)
                try:
                    props[prop] = None if f.blank(value) else _extra_text(value)
                except ValueError as exc:
                    errors.append(FieldError(name, str(exc), _shown(value), file, line))
                    ok = False
    since, until = values.get("since"), values.get("until")
    if since is not None and until is not None and until < since:
        shown_since = _shown(cells["since"])
        errors.append(
            FieldError(
                "until", f"is before since ({shown_since})", _shown(cells["until"]), file, line
            )
        )
        ok = False
    if not ok:
        return None
    if sheet == "actors" and "kind" in props:
        props["world"] = domain.world_of(domain.ActorKind(props["kind"])).value
    if sheet == "territories":
        _territory_extras(values, props, links, errors, file, line, spreadsheet)
    if sheet == "memberships":
        if "role" in props and props["role"] is None and not partial:
            # an empty cell; without a role column, a new tie gets it from
            # the statements that create ties, and a stored one keeps its own
            props["role"] = domain.Role.PARTNER.value
        return Row(sheet, line, values["actor"], props, links, target=values["target"])
    key = values.get(KEY[sheet])
    if key is None:
        return None
    return Row(sheet, line, key, props, links)


def _zero_fits(code: str, parents: list[str]) -> bool:
    """Whether ``0`` + ``code`` agrees with the numeric département codes
    among ``parents`` (1053 under 1 or 01 is 01053; 6912 under 69 is a typo)."""
    for parent in parents:
        if parent.isdigit() and len(parent) <= 3:
            dept = parent.zfill(2)
            if not ("0" + code).startswith(dept):
                return False
    return True


def _territory_extras(
    values: dict[str, Any],
    props: dict[str, Any],
    links: dict[str, list[str] | None],
    errors: list[FieldError],
    file: str,
    line: int,
    spreadsheet: bool,
) -> None:
    """Territory codes are checked against their level; INSEE/SIREN kept apart."""
    code, level = values.get("code"), values.get("level")
    if code is None or level is None:
        return
    lvl = domain.TerritoryLevel(level)
    zero = spreadsheet and domain.lost_leading_zero(code, lvl)
    if zero and (
        lvl is not domain.TerritoryLevel.COMMUNE or _zero_fits(code, values.get("parent") or [])
    ):
        code = values["code"] = "0" + code  # a spreadsheet turned 01053 into 1053
    if lvl is domain.TerritoryLevel.REGION and len(code) == 2 and code.isdigit():
        code = values["code"] = domain.region_id(code)
    if lvl is domain.TerritoryLevel.DEPARTEMENT and values.get("parent"):
        # a département's parent can only be a région: "84" there means R84
        region = domain.TerritoryLevel.REGION
        parents = [
            "0" + p if spreadsheet and domain.lost_leading_zero(p, region) else p
            for p in values["parent"]
        ]
        values["parent"] = links["parents"] = [
            domain.region_id(p) if len(p) == 2 and p.isdigit() else p for p in parents
        ]
    if not domain.is_territory_code(code, lvl):
        expected = {
            domain.TerritoryLevel.COMMUNE: "a 5-character INSEE commune code (69123, 2A004)",
            domain.TerritoryLevel.DEPARTEMENT: "an INSEE département code such as 69, 2A or 974",
            domain.TerritoryLevel.REGION: "a région code: R and its INSEE code, such as R84",
            domain.TerritoryLevel.EPCI: "the EPCI's SIREN (9 digits, valid Luhn checksum)",
            domain.TerritoryLevel.COUNTRY: "an ISO country code such as FR",
            domain.TerritoryLevel.AREA: "a free id of letters, digits and _ . : -",
        }[lvl]
        errors.append(FieldError("code", f"is not {expected}", code, file, line))
        return
    props["code"] = code
    if lvl in (domain.TerritoryLevel.COMMUNE, domain.TerritoryLevel.DEPARTEMENT):
        props["insee"] = code
    elif lvl is domain.TerritoryLevel.REGION:
        props["inseeRegion"] = code[1:]
    elif lvl is domain.TerritoryLevel.EPCI:
        props["siren"] = code


def _shown(value: Any) -> str:
    shown = value if isinstance(value, str) else repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."
