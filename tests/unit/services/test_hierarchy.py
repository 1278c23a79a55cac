"""The PART_OF rule: a territory is part of its own level or above, and no
chain of parents loops, counting what the database already holds."""

from __future__ import annotations

from typing import Any

from graphmap.errors import FieldError
from graphmap.services import hierarchy, workbook

STORED = [
    ("FR", "COUNTRY", []),
    ("R84", "REGION", ["FR"]),
    ("69", "DEPARTEMENT", ["R84"]),
    ("69123", "COMMUNE", ["69"]),
]


def check(
    rows: list[dict[str, Any]], stored: Any = (), *, partial: bool = False
) -> list[FieldError]:
    book = workbook.validate({"territories": rows}, partial=partial)
    return hierarchy.errors(book.rows["territories"], stored)


def about(errors: list[FieldError]) -> list[tuple[int | None, str, str | None]]:
    return [(e.row, e.field, e.value) for e in errors]


def test_the_usual_hierarchy_and_arrondissements_are_accepted() -> None:
    rows = [
        {"code": "R84", "name": "ARA", "level": "REGION"},
        {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": "R84"},
        {"code": "200046977", "name": "Métropole", "level": "EPCI", "parent": "69"},
        {"code": "69123", "name": "Lyon", "level": "COMMUNE", "parent": "69;200046977"},
        {"code": "69381", "name": "Lyon 1er", "level": "COMMUNE", "parent": "69123"},
        {"code": "vallee", "name": "Vallée", "level": "AREA", "parent": "69"},
        {"code": "69264", "name": "Villefranche", "level": "COMMUNE", "parent": "vallee"},
    ]
    assert check(rows) == []
    assert check(rows[4:5], STORED) == []


def test_a_parent_below_the_territory_is_refused() -> None:
    rows = [
        {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": "69123"},
        {"code": "69123", "name": "Lyon", "level": "COMMUNE", "parent": "69"},
    ]
    [e] = check(rows)
    assert about([e]) == [(2, "parent", "69123")]
    assert "COMMUNE" in e.message and "DEPARTEMENT" in e.message
    # the same against the database: the commune is stored, not in the book
    assert about(check(rows[:1], STORED)) == [(2, "parent", "69123")]


def test_a_loop_is_refused_even_through_areas_and_the_database() -> None:
    rows = [
        {"code": "a1", "name": "A1", "level": "AREA", "parent": "a2"},
        {"code": "a2", "name": "A2", "level": "AREA", "parent": "a1"},
    ]
    errors = check(rows)
    assert about(errors) == [(2, "parent", "a2"), (3, "parent", "a1")]
    assert errors[0].message == "closes a loop: a1 → a2 → a1"
    stored = [("a2", "AREA", ["a3"]), ("a3", "AREA", ["a1"]), ("a1", "AREA", [])]
    [e] = check(rows[:1], stored)
    assert e.message == "closes a loop: a1 → a2 → a3 → a1"
    self_loop = [{"code": "a1", "name": "A1", "level": "AREA", "parent": "a1"}]
    assert check(self_loop)[0].message == "is the territory itself"


def test_relinking_breaks_a_stored_loop_path() -> None:
    # a3 was under a1; the book moves a3 under FR, so a1 may go under a2 -> a3
    stored = [("a2", "AREA", ["a3"]), ("a3", "AREA", ["a1"]), ("a1", "AREA", []), *STORED]
    rows = [
        {"code": "a1", "name": "A1", "level": "AREA", "parent": "a2"},
        {"code": "a3", "name": "A3", "level": "AREA", "parent": "FR"},
    ]
    assert check(rows, stored) == []


def test_a_new_level_must_fit_the_links_it_keeps() -> None:
    # an AREA coded like a commune, with a département under it, becomes a
    # COMMUNE by a partial update (GraphQL): the département would be below it
    stored = [("69999", "AREA", ["R84"]), ("69", "DEPARTEMENT", ["69999"]), *STORED[:2]]
    [e] = check([{"code": "69999", "level": "COMMUNE"}], stored, partial=True)
    assert (e.field, e.value) == ("level", "COMMUNE")
    assert e.message == "is below 69 (DEPARTEMENT), which is part of it"
    # and a département of a commune-coded AREA: the AREA may not become a commune
    stored = [("69999", "AREA", ["69"]), *STORED]
    assert check([{"code": "69999", "level": "COMMUNE"}], stored, partial=True) == []
    stored = [("69999", "AREA", ["69123"]), ("69123", "COMMUNE", [])]
    assert check([{"code": "69999", "level": "COMMUNE"}], stored, partial=True) == []
    # a child relinked in the same book is judged by its own link
    stored = [("69999", "AREA", []), ("69", "DEPARTEMENT", ["69999"])]
    rows = [
        {"code": "69999", "name": "Z", "level": "COMMUNE"},
        {"code": "69", "name": "Rhône", "level": "DEPARTEMENT", "parent": ""},
    ]
    assert check(rows, stored) == []
