"""Parsing of one input value: dates, booleans, integers, identifiers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from graphmap import domain
from graphmap.services import fields as f


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-03", date(2024, 3, 1)),
        ("2024", date(2024, 1, 1)),
        (" 2016-02-02 ", date(2016, 2, 2)),
        ("01/03/2024", date(2024, 3, 1)),
        ("1/3/2024", date(2024, 3, 1)),
        ("29/02/2024", date(2024, 2, 29)),
        ("01.03.2024", date(2024, 3, 1)),
        ("03/2024", date(2024, 3, 1)),  # a month, as French tables write it
        ("3.2024", date(2024, 3, 1)),
        (date(2020, 5, 6), date(2020, 5, 6)),
        (datetime(2020, 5, 6, 10, 30), date(2020, 5, 6)),
        (2024, date(2024, 1, 1)),
    ],
)
def test_dates(raw: Any, expected: date) -> None:
    assert f.parse_date(raw) == expected


def test_end_dates_stand_for_the_last_day() -> None:
    assert f.parse_end_date("02/2024") == date(2024, 2, 29)
    assert f.parse_end_date("2016") == date(2016, 12, 31)
    assert f.parse_end_date("01/03/2024") == date(2024, 3, 1)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2024-13-45", "real calendar date"),
        ("2023-02-29", "real calendar date"),
        ("31/04/2024", "real calendar date"),
        ("2024-00", "real calendar date"),
        ("next year", "is not a date"),
        ("2024/03/01", "is not a date"),
        ("03-01-2024", "is not a date"),
        ("03-2024", "is not a date"),
        ("01/03.2024", "is not a date"),
        ("13/2024", "real calendar date"),
        ("", "is not a date"),
        ("24", "is not a date"),
    ],
)
def test_invalid_dates(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        f.parse_date(raw)


@pytest.mark.parametrize("raw", [True, "true", "TRUE", "yes", "oui", "Vrai", "1", "x", " x "])
def test_true(raw: Any) -> None:
    assert f.boolean(raw) is True


@pytest.mark.parametrize("raw", [False, "false", "no", "non", "faux", "0", "False"])
def test_false(raw: Any) -> None:
    assert f.boolean(raw) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "", "vraiment"])
def test_not_a_boolean(raw: str) -> None:
    with pytest.raises(ValueError, match="true or false"):
        f.boolean(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, 0),
        (42, 42),
        ("42", 42),
        (" 1 234 ", 1234),
        ("522\u202f250", 522250),
        ("12\xa0000", 12000),
        (3.0, 3),
    ],
)
def test_integers(raw: Any, expected: int) -> None:
    assert f.integer(0)(raw) == expected


@pytest.mark.parametrize("raw", ["1.5", 1.5, "abc", "", True, "1e3"])
def test_not_integers(raw: Any) -> None:
    with pytest.raises(ValueError, match="whole number"):
        f.integer(0)(raw)


def test_integer_minimum() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        f.integer(0)("-3")
    assert f.integer(-5)("-3") == -3


def test_integer_fits_neo4j() -> None:
    assert f.integer(0)(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(ValueError, match="largest whole number"):
        f.integer(0)(str(2**63))


@pytest.mark.parametrize(
    "raw", ["732829320", "732 829 320", 732829320, "356000000", "552100554", "542107651"]
)
def test_valid_siren(raw: Any) -> None:
    assert f.siren(raw) == str(raw).replace(" ", "")


@pytest.mark.parametrize("raw", ["732829321", "73282932", "7328293200", "ABCDEFGHI", "000000001"])
def test_invalid_siren(raw: str) -> None:
    with pytest.raises(ValueError, match="SIREN"):
        f.siren(raw)


@pytest.mark.parametrize(
    "raw", ["73282932000074", "732 829 320 00074", "35600000000048", "35600000049837"]
)
def test_valid_siret(raw: str) -> None:
    assert f.siret(raw) == raw.replace(" ", "")


@pytest.mark.parametrize("raw", ["73282932000075", "7328293200007", "35600000000049", "abc"])
def test_invalid_siret(raw: str) -> None:
    with pytest.raises(ValueError, match="SIRET"):
        f.siret(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("W691234567", "W691234567"), ("w75100123b", "W75100123B")]
)
def test_valid_rna(raw: str, expected: str) -> None:
    assert f.rna(raw) == expected


@pytest.mark.parametrize("raw", ["W12345", "X691234567", "W6912345678", "691234567"])
def test_invalid_rna(raw: str) -> None:
    with pytest.raises(ValueError, match="RNA"):
        f.rna(raw)


def test_text_limits() -> None:
    assert f.text(f.MAX_NAME)("  Ville de Lyon ") == "Ville de Lyon"
    assert f.text(f.MAX_NAME)("x" * 300) == "x" * 300
    with pytest.raises(ValueError, match="301 characters long; at most 300"):
        f.text(f.MAX_NAME)("x" * 301)
    for char in "\x00\x07\x0b\x7f\ufffe":
        with pytest.raises(ValueError, match=rf"control character \(U\+{ord(char):04X}\)"):
            f.text(10)(f"a{char}b")
    assert f.text(20)("a\tb\nc\r\nd") == "a\tb\nc\r\nd"


def test_identifiers() -> None:
    assert f.identifier("actor:le-rameau") == "actor:le-rameau"
    assert f.identifier("area:grand-roissy/le_bourget.1") == "area:grand-roissy/le_bourget.1"
    for bad in ("a b", ":start", "é", "-x"):
        with pytest.raises(ValueError, match="letter or digit"):
            f.identifier(bad)
    with pytest.raises(ValueError, match="letters without accents"):
        f.identifier("asso-éco")
    for listed in ("69123, 69124", "69123,69124", "69123\n69124"):
        with pytest.raises(ValueError, match=r"\(several ids or codes are separated by ;\)$"):
            f.many(f.identifier)(listed)
    assert f.many(f.identifier)("69123; 69124") == ["69123", "69124"]
    with pytest.raises(ValueError, match=r"\(no spaces\)$"):
        f.identifier("le rameau")
    # the quick path agrees with the full checks at their edges
    assert f.identifier(" x-1 \n") == "x-1"
    assert f.identifier(69123) == "69123"
    assert f.identifier("a" * 200) == "a" * 200
    with pytest.raises(ValueError, match="201 characters long"):
        f.identifier("a" * 201)
    with pytest.raises(ValueError, match="control character"):
        f.identifier("a\x01b")
    with pytest.raises(ValueError, match="letter or digit"):
        f.identifier("a\nb")


def test_enums() -> None:
    parse = f.enum(domain.ActorKind)
    assert parse("company") == "COMPANY"
    assert parse("social enterprise") == "SOCIAL_ENTERPRISE"
    assert parse("citizen-group") == "CITIZEN_GROUP"
    assert parse(domain.ActorKind.FUNDER) == "FUNDER"
    with pytest.raises(ValueError, match="is not one of ASSOCIATION, CITIZEN_GROUP"):
        parse("BANK")


def test_lists() -> None:
    themes = f.many(f.enum(domain.Theme))
    assert themes("HEALTH; ageing;;HEALTH") == ["HEALTH", "AGEING"]
    assert themes(["CULTURE", "", "HOUSING"]) == ["CULTURE", "HOUSING"]
    with pytest.raises(ValueError, match="is not one of"):
        themes("HEALTH;SPACE")
    with pytest.raises(ValueError, match="at most 200"):
        f.many(f.identifier)([f"id{i}" for i in range(201)])


def test_urls_and_blank() -> None:
    assert f.url("https://lerameau.fr/x?y=1") == "https://lerameau.fr/x?y=1"
    for bad in ("javascript:alert(1)", "lerameau.fr", "ftp://x"):
        with pytest.raises(ValueError, match="web address"):
            f.url(bad)
    assert f.blank(None) and f.blank("  ") and f.blank([]) and not f.blank(0)
