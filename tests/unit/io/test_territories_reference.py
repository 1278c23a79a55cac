"""The reader of @etalab/decoupage-administratif, on the real package data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graphmap.domain import TerritoryLevel, is_siren, is_territory_code, region_id
from graphmap.io.territories_reference import (
    ENV_DIR,
    ReferenceRows,
    TerritoryRow,
    find_reference_dir,
    read_reference,
)


def _data_dir() -> Path | None:
    try:
        return find_reference_dir()
    except FileNotFoundError:
        return None


DATA_DIR = _data_dir()
needs_data = pytest.mark.skipif(
    DATA_DIR is None,
    reason=f"@etalab/decoupage-administratif not installed (run `make install` or set {ENV_DIR})",
)


@pytest.fixture(scope="module")
def ref() -> ReferenceRows:
    assert DATA_DIR is not None
    return read_reference(DATA_DIR)


def test_find_reference_dir_raises_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "nowhere"))
    monkeypatch.setattr(
        "graphmap.io.territories_reference._repo_root", lambda: tmp_path / "no-repo"
    )
    with pytest.raises(FileNotFoundError, match="make install"):
        find_reference_dir()


def test_env_var_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "communes.json").write_text("[]", encoding="utf-8")
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    assert find_reference_dir() == tmp_path


def test_rows_are_frozen() -> None:
    row = TerritoryRow("FR", "France", TerritoryLevel.COUNTRY)
    with pytest.raises(AttributeError):
        row.name = "x"  # type: ignore[misc]


@needs_data
def test_counts(ref: ReferenceRows) -> None:
    assert ref.country.code == "FR"
    assert ref.country.level is TerritoryLevel.COUNTRY
    assert len(ref.regions) == 18
    assert {"01", "02", "03", "04", "06"} <= {r.code for r in ref.regions}  # overseas
    assert len(ref.departements) == 101
    assert 1200 <= len(ref.epci) <= 1300
    assert 34000 <= len(ref.communes) <= 36000
    assert len(ref) == len(ref.all())


@needs_data
def test_levels_and_codes(ref: ReferenceRows) -> None:
    levels = Counter(row.level for row in ref.all())
    assert levels[TerritoryLevel.COUNTRY] == 1
    for row in ref.all():
        # the reader keeps INSEE région codes (01, 84); graphmap stores them as R01, R84
        code = region_id(row.code) if row.level is TerritoryLevel.REGION else row.code
        assert is_territory_code(code, row.level), row
        assert row.name
    assert all(is_siren(e.code) for e in ref.epci)
    keys = [(row.level, row.code) for row in ref.all()]
    assert len(keys) == len(set(keys))
    # INSEE codes are unique within a level only: région 44 (Grand Est) and
    # département 44 (Loire-Atlantique) share a code, and so do 11, 24, 27...
    by_code = Counter(row.code for row in ref.all())
    clashes = {code for code, n in by_code.items() if n > 1}
    assert clashes == {r.code for r in ref.regions} & {d.code for d in ref.departements}


@needs_data
def test_vannes_le_chatel(ref: ReferenceRows) -> None:
    by_code = {row.code: row for row in ref.all() if row.level is not TerritoryLevel.REGION}
    regions = {row.code: row for row in ref.regions}
    vannes = by_code["54548"]
    assert vannes.name == "Vannes-le-Châtel"
    assert vannes.level is TerritoryLevel.COMMUNE
    assert vannes.parents[0] == "54"
    assert vannes.population is not None and 300 < vannes.population < 1000
    assert any(by_code[p].level is TerritoryLevel.EPCI for p in vannes.parents[1:])
    assert by_code["54"].parents == ("44",)
    assert regions["44"].parents == ("FR",)
    assert regions["44"].name == "Grand Est"
    assert by_code["44"].name == "Loire-Atlantique"  # same code, other level


@needs_data
def test_every_parent_exists(ref: ReferenceRows) -> None:
    # the parent's level follows from the child's level
    parent_levels = {
        TerritoryLevel.REGION: {TerritoryLevel.COUNTRY},
        TerritoryLevel.DEPARTEMENT: {TerritoryLevel.REGION},
        TerritoryLevel.EPCI: {TerritoryLevel.DEPARTEMENT},
        TerritoryLevel.COMMUNE: {TerritoryLevel.DEPARTEMENT, TerritoryLevel.EPCI},
    }
    keys = {(row.level, row.code) for row in ref.all()}
    missing = {
        (row.code, p)
        for row in ref.all()
        for p in row.parents
        if not any((level, p) in keys for level in parent_levels[row.level])
    }
    assert not missing, sorted(missing)[:10]
    assert ref.country.parents == ()


@needs_data
def test_communes_have_population_and_epci(ref: ReferenceRows) -> None:
    with_pop = sum(1 for c in ref.communes if c.population is not None)
    assert with_pop == len(ref.communes)
    epci_codes = {e.code for e in ref.epci}
    without_epci = [c for c in ref.communes if not set(c.parents) & epci_codes]
    # only a few island communes belong to no EPCI
    assert len(without_epci) < 10, without_epci
    assert all(e.parents for e in ref.epci)
