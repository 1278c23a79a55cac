"""Data in and out through GraphQL: ``importWorkbook`` (a multipart upload of
an .xlsx, a .zip of CSV files or one CSV) and ``exportUrl`` (the link to a
streamed ``GET /export/{format}`` download: files do not travel inside
GraphQL responses)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated
from urllib.parse import urlencode

import strawberry
from strawberry.file_uploads import Upload

from graphmap.api.context import Info
from graphmap.api.types import InvalidInputError
from graphmap.errors import FieldError, InvalidInput
from graphmap.services import exports, imports
from graphmap.services.workbook import SHEETS

MAX_UPLOAD = 256 << 20  # bytes


@strawberry.enum(description="What an export is written as.")
class ExportFormat(Enum):
    CSV = "csv"
    GRAPHML = "graphml"
    GEXF = "gexf"
    JSON = "json"
    WORKBOOK = "workbook"


@strawberry.enum(description="Which graph an export holds.")
class ExportProjection(Enum):
    FULL = "full"
    ACTORS = "actors"


@strawberry.type(description="What an import did (or would do) to one sheet.")
class ImportSheetCount:
    sheet: str
    created: int
    updated: int
    unchanged: int


@strawberry.type(description="What an import did; a dry run wrote nothing.")
class ImportSummary:
    file: str
    rows: int
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    sheets: list[ImportSheetCount]
    notes: list[str] = strawberry.field(description="E.g. a file read as Windows-1252.")
    revision: int = strawberry.field(
        description="The graph revision after the import (a dry run: the revision it keeps)."
    )
    seconds: float

    @classmethod
    def of(cls, s: imports.ImportSummary) -> ImportSummary:
        return cls(
            file=s.file,
            rows=s.rows,
            dry_run=s.dry_run,
            created=sum(s.created.values()),
            updated=sum(s.updated.values()),
            unchanged=sum(s.unchanged.values()),
            sheets=[
                ImportSheetCount(
                    sheet=k, created=s.created[k], updated=s.updated[k], unchanged=s.unchanged[k]
                )
                for k in SHEETS
            ],
            notes=s.notes,
            revision=s.revision,
            seconds=round(s.seconds, 3),
        )


ImportResult = Annotated[ImportSummary | InvalidInputError, strawberry.union("ImportResult")]


@strawberry.type
class IOMutation:
    @strawberry.mutation(
        description="Import a workbook (formats.md): all or nothing; the "
        "report names file, row, column, value and reason of every bad row."
    )
    async def import_workbook(
        self, info: Info, file: Upload, dry_run: bool | None = False
    ) -> ImportResult:
        ctx = info.context
        name = getattr(file, "filename", None) or "upload"
        try:
            if not hasattr(file, "read"):  # a form field, or a string, instead of a file
                raise InvalidInput([FieldError("file", "is not an uploaded file", None, name)])
            too_large = InvalidInput(
                [FieldError("file", f"is larger than {MAX_UPLOAD >> 20} MiB", None, name, None)]
            )
            # the upload is spooled to disk while the request is parsed: its
            # size is known before it is read into memory, and reading stops
            # past the limit when it is not
            if (getattr(file, "size", None) or 0) > MAX_UPLOAD:
                raise too_large
            data = await file.read(MAX_UPLOAD + 1)
            if len(data) > MAX_UPLOAD:
                raise too_large
            summary = await imports.import_bytes(
                ctx.db, data, name, by=ctx.user, dry_run=bool(dry_run)
            )
        except InvalidInput as exc:
            return InvalidInputError.of(exc, with_location=True)
        return ImportSummary.of(summary)


@strawberry.type
class IOQuery:
    @strawberry.field(
        description="The URL of a streamed export download (GET it); an unknown "
        "territory is an error here, not when the link is followed."
    )
    async def export_url(
        self,
        info: Info,
        format: ExportFormat,
        territory: strawberry.ID | None = None,
        as_of: date | None = None,
        projection: ExportProjection = ExportProjection.FULL,
    ) -> str:
        params = {"projection": projection.value}
        scope = exports.Scope(projection=projection.value)
        exports.check_request(format.value, scope)
        if territory:
            await exports.check_territory(info.context.db, str(territory))
            params["territory"] = str(territory)
        if as_of:
            params["asOf"] = as_of.isoformat()
        return f"/export/{format.value}?{urlencode(params)}"
