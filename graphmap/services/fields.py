"""Parsing and checking of one input value, the same for GraphQL inputs,
spreadsheet cells and the demo file: every failure is a message naming what
was expected, raised as ``ValueError`` and turned into a ``FieldError`` by the
caller, which knows the field's name and where it came from.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar

from graphmap import domain

E = TypeVar("E", bound=Enum)
Parser = Callable[[Any], Any]

MAX_NAME = 300
MAX_TEXT = 5000
MAX_ID = 200
MAX_LIST = 200
MAX_INTEGER = 2**63 - 1  # Neo4j stores 64-bit integers
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-/]*")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# French: day first (01/03/2024, 01.03.2024) or a month (03/2024); not with
# dashes, which US spreadsheets write month first
_FR = re.compile(r"^(?:(\d{1,2})([/.]))?(\d{1,2})(?(2)\2|[/.])(\d{4})$")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_TRUE = {"true", "yes", "oui", "vrai", "1", "x"}
_FALSE = {"false", "no", "non", "faux", "0"}


def blank(value: Any) -> bool:
    """Empty cells mean "not known" (formats.md)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple):
        return len(value) == 0
    return False


# What no text holds: control characters other than tab and line breaks
# (exports would drop them from XML, and the CSV reader refuses them), and
# the noncharacters U+FFFE, U+FFFF.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def text(max_len: int) -> Parser:
    def parse(value: Any) -> str:
        out = (value if isinstance(value, str) else str(value)).strip()
        if len(out) > max_len:
            raise ValueError(f"is {len(out)} characters long; at most {max_len} allowed")
        if found := _NOT_TEXT.search(out):
            raise ValueError(f"contains a control character (U+{ord(found.group()):04X})")
        return out

    return parse


_id_text = text(MAX_ID)


def identifier(value: Any) -> str:
    if isinstance(value, str):  # the common case, in one match: no control character
        quick = value.strip()
        if len(quick) <= MAX_ID and _ID.fullmatch(quick):
            return quick
    out: str = _id_text(value)
    if not _ID.fullmatch(out):
        raise ValueError(
            "must start with a letter or digit and hold only letters without accents, "
            "digits and _ . : - /" + _why_not_an_id(out)
        )
    return out


def _why_not_an_id(text: str) -> str:
    """A hint for a common mistake in an id (or a list of them)."""
    if re.search(r"[A-Za-z0-9]\s*[,\n]\s*[A-Za-z0-9]", text):
        return " (several ids or codes are separated by ;)"
    if " " in text:
        return " (no spaces)"
    return ""


def enum(kind: type[E]) -> Parser:
    allowed = ", ".join(str(m.value) for m in kind)
    # a column of 100k cells holds a handful of spellings: each parsed once
    seen: dict[str, str] = {}

    def parse(value: Any) -> str:
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, str) and value in seen:
            return seen[value]
        key = str(value).strip().upper().replace(" ", "_").replace("-", "_")
        try:
            out = str(kind(key).value)
        except ValueError:
            raise ValueError(f"is not one of {allowed}") from None
        if isinstance(value, str) and len(seen) < 1024:
            seen[value] = out
        return out

    return parse


def parse_date(value: Any, *, end: bool = False) -> date:
    """ISO ``2024-03-01``, ``2024-03`` or ``2024``; French ``01/03/2024`` (or
    ``01.03.2024``) or a month ``03/2024``; a date.

    A year or a month stands for its first day, or for its last day when
    ``end`` (an alliance "until 2016" ran through 2016).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _date_text(str(value).strip(), end)


@lru_cache(maxsize=65536)  # dates repeat across rows (years, first days of months)
def _date_text(raw: str, end: bool) -> date:
    try:
        m = _ISO.match(raw)
        if m:
            year = int(m.group(1))
            if m.group(3) or not end:
                return date(year, int(m.group(2) or 1), int(m.group(3) or 1))
            month = int(m.group(2) or 12)
            return date(year, month, calendar.monthrange(year, month)[1])
        m = _FR.match(raw)
        if m:
            year, month = int(m.group(4)), int(m.group(3))
            if m.group(1):
                return date(year, month, int(m.group(1)))
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    except ValueError:
        raise ValueError("is not a real calendar date") from None
    raise ValueError("is not a date (expected 2024-03-01, 2024-03, 2024, 01/03/2024 or 03/2024)")


def parse_end_date(value: Any) -> date:
    """An end date: ``2016`` is 2016-12-31, ``2016-02`` is 2016-02-29."""
    return parse_date(value, end=True)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError("is not true or false")


def integer(minimum: int = 0) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("is not a whole number")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raw = str(value).strip().replace("\u202f", "").replace(" ", "").replace("\xa0", "")
            if not re.fullmatch(r"-?\d+", raw):
                raise ValueError("is not a whole number")
            number = int(raw)
        if number < minimum:
            raise ValueError(f"must be at least {minimum}")
        if number > MAX_INTEGER:
            raise ValueError(f"is over {MAX_INTEGER}, the largest whole number stored")
        return number

    return parse


_url_text = text(500)


def url(value: Any) -> str:
    out: str = _url_text(value)
    if not _URL.match(out):
        raise ValueError("is not a web address (http:// or https://)")
    return out


def siren(value: Any) -> str:
    out = _digits(value)
    if not domain.is_siren(out):
        raise ValueError("is not a valid SIREN (9 digits with a valid Luhn checksum)")
    return out


def siret(value: Any) -> str:
    out = _digits(value)
    if not domain.is_siret(out):
        raise ValueError("is not a valid SIRET (14 digits with a valid Luhn checksum)")
    return out


_rna_text = text(20)


def rna(value: Any) -> str:
    out: str = _rna_text(value).upper()
    if not domain.is_rna(out):
        raise ValueError("is not a valid RNA number (W followed by 9 digits or letters)")
    return out


def _digits(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return re.sub(r"[\s\u202f\xa0]", "", str(value))


def many(item: Parser) -> Parser:
    """A list: a Python list, or a ``;``-separated cell (formats.md)."""

    def parse(value: Any) -> list[Any]:
        items: Iterable[Any]
        if isinstance(value, list | tuple):
            items = value
        else:
            items = str(value).split(";")
        out: list[Any] = []
        for raw in items:
            if blank(raw):
                continue
            parsed = item(raw)
            if parsed not in out:
                out.append(parsed)
        if len(out) > MAX_LIST:
            raise ValueError(f"has {len(out)} items; at most {MAX_LIST} allowed")
        return out

    return parse
