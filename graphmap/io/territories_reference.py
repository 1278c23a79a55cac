"""Pure reader of the official French territorial reference.

The reference ships in the npm package ``@etalab/decoupage-administratif``
(MIT): JSON files under ``data/`` for régions, départements, EPCI (with their
member communes) and communes (with population). This module only reads those
files into typed rows; loading them into the graph is someone else's job.

Scope, chosen so that every parent code exists in the rows returned:

- the country ``FR``;
- régions and départements of metropolitan France and of the five DROM
  (18 régions, 101 départements); the collectivités d'outre-mer (zone ``com``:
  Saint-Pierre-et-Miquelon, Polynésie, Nouvelle-Calédonie...) are left out;
- EPCI (code = SIREN), parents = the départements of their member communes;
- communes of type ``commune-actuelle`` only (arrondissements municipaux,
  communes déléguées and associées are skipped), parents = their département
  then the EPCI(s) they belong to.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphmap.domain import TerritoryLevel

ENV_DIR = "GRAPHMAP_TERRITORIES_DIR"
PACKAGE_DATA = Path("node_modules") / "@etalab" / "decoupage-administratif" / "data"
COUNTRY_CODE = "FR"
COUNTRY_NAME = "France"
# Zones kept: metropolitan France and the overseas départements-régions.
KEPT_ZONES = frozenset({"metro", "drom"})
FILES = ("regions.json", "departements.json", "epci.json", "communes.json")


@dataclass(frozen=True, slots=True)
class TerritoryRow:
    code: str
    name: str
    level: TerritoryLevel
    parents: tuple[str, ...] = ()
    population: int | None = None


@dataclass(frozen=True, slots=True)
class ReferenceRows:
    country: TerritoryRow
    regions: tuple[TerritoryRow, ...]
    departements: tuple[TerritoryRow, ...]
    epci: tuple[TerritoryRow, ...]
    communes: tuple[TerritoryRow, ...]

    def all(self) -> tuple[TerritoryRow, ...]:
        """Every row, parents before children."""
        return (self.country, *self.regions, *self.departements, *self.epci, *self.communes)

    def __len__(self) -> int:
        return 1 + len(self.regions) + len(self.departements) + len(self.epci) + len(self.communes)


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def find_reference_dir() -> Path:
    """Where the reference JSON files are.

    ``$GRAPHMAP_TERRITORIES_DIR`` first (the ``data`` folder itself, or a folder
    holding ``node_modules``), then ``<repo>/frontend/node_modules/...``.
    """
    candidates: list[Path] = []
    env = os.environ.get(ENV_DIR)
    if env:
        base = Path(env).expanduser()
        candidates += [base, base / PACKAGE_DATA]
    candidates.append(_repo_root() / "frontend" / PACKAGE_DATA)
    for candidate in candidates:
        if (candidate / "communes.json").is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        "The territorial reference (@etalab/decoupage-administratif) was not found "
        f"(looked in: {tried}). Run `make install` to install the frontend packages, "
        f"or set {ENV_DIR} to the package's data directory."
    )


def _load(data_dir: Path, name: str) -> list[dict[str, Any]]:
    path = data_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: is {data_dir} the package's data directory?")
    with path.open(encoding="utf-8") as fh:
        rows = json.load(fh)
    if not isinstance(rows, list):
        raise ValueError(f"{path}: expected a JSON list, got {type(rows).__name__}")
    return rows


def _population(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_reference(data_dir: Path) -> ReferenceRows:
    """Read régions, départements, EPCI and communes from ``data_dir``."""
    data_dir = Path(data_dir)
    country = TerritoryRow(COUNTRY_CODE, COUNTRY_NAME, TerritoryLevel.COUNTRY)

    regions = tuple(
        TerritoryRow(r["code"], r["nom"], TerritoryLevel.REGION, (COUNTRY_CODE,))
        for r in _load(data_dir, "regions.json")
        if r.get("zone") in KEPT_ZONES
    )
    region_codes = {r.code for r in regions}

    departements = tuple(
        TerritoryRow(d["code"], d["nom"], TerritoryLevel.DEPARTEMENT, (d["region"],))
        for d in _load(data_dir, "departements.json")
        if d.get("zone") in KEPT_ZONES and d.get("region") in region_codes
    )
    dep_codes = {d.code for d in departements}

    communes_raw = [
        c
        for c in _load(data_dir, "communes.json")
        if c.get("type") == "commune-actuelle" and c.get("departement") in dep_codes
    ]
    dep_of_commune = {c["code"]: c["departement"] for c in communes_raw}

    epci_rows: list[TerritoryRow] = []
    epci_of_commune: dict[str, list[str]] = {}
    for e in _load(data_dir, "epci.json"):
        members = [m["code"] for m in e.get("membres", ()) if m.get("code") in dep_of_commune]
        if not members:
            continue
        deps = tuple(sorted({dep_of_commune[m] for m in members}))
        population = _population(e.get("populationMunicipale"))
        epci_rows.append(TerritoryRow(e["code"], e["nom"], TerritoryLevel.EPCI, deps, population))
        for m in members:
            epci_of_commune.setdefault(m, []).append(e["code"])

    communes = tuple(
        TerritoryRow(
            c["code"],
            c["nom"],
            TerritoryLevel.COMMUNE,
            (c["departement"], *epci_of_commune.get(c["code"], ())),
            _population(c.get("population")),
        )
        for c in communes_raw
    )

    return ReferenceRows(country, regions, departements, tuple(epci_rows), communes)
