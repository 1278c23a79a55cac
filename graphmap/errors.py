"""One exception root. Expected failures (``NotFound``, ``InvalidInput``) become
typed GraphQL results naming the field; anything else is masked and logged."""

from __future__ import annotations

from dataclasses import dataclass


class GraphmapError(Exception):
    """Root of every error graphmap raises on purpose."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input value: which field, which value, why."""

    field: str
    message: str
    value: str | None = None
    file: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (got {self.value!r})"
        where = ""
        if self.file is not None:
            where = f"{self.file}" + ("" if self.row is None else f" row {self.row}") + ", "
        return f"{where}{self.field}: {self.message}{shown}"


class InvalidInput(GraphmapError):
    """The input breaks a rule; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class TooLarge(GraphmapError):
    """One transaction needed more memory than the database allows it: the
    database refused it and nothing was written. Retrying the same
    transaction would fail the same way."""


class NotFound(GraphmapError):
    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class Conflict(GraphmapError):
    """The write would break a uniqueness rule (same id, SIREN, ...)."""

    def __init__(self, field: str, value: str, message: str) -> None:
        self.field = field
        self.value = value
        super().__init__(message)
