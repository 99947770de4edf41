"""What every input format hands to the import pipeline: rows of record data, kind by kind.

A *source* (relmap's own format, a Salesforce export...) turns files into :class:`SourceRow`
objects: the data of one record plus where it came from (file, row, and which column holds
each field), so the pipeline can validate every row with the model and name the cell at fault.
Sources are read twice (validate everything first, then write), so ``rows(kind)`` must be
callable again and must stream.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from graph.model import Record, RecordKind, record_from_dict
from graph.store.validation import errors_from_pydantic
from importers.report import ImportProblem


@dataclass(slots=True)
class SourceRow:
    """One record's data as read from a file, with its origin."""

    kind: RecordKind
    data: dict[str, Any]
    file: str
    row: int | None
    columns: Mapping[str, str] = field(default_factory=dict)  # model field -> column header
    problems: list[ImportProblem] = field(default_factory=list)  # found while converting
    values: dict[str, str] | None = None  # the raw cells, for the reject file

    def column(self, model_field: str) -> str:
        """The column a model field came from (the field name itself when not mapped)."""
        return self.columns.get(model_field, model_field)

    def problem(self, column: str, message: str, record: str = "") -> ImportProblem:
        return ImportProblem(self.file, self.row, column, message, record)


def build_record(row: SourceRow) -> tuple[Record | None, list[ImportProblem]]:
    """The record of a row, or the problems that stop it, each naming the column at fault."""
    problems = list(row.problems)
    try:
        record = record_from_dict(row.kind, row.data)
    except ValidationError as exc:
        for err in errors_from_pydantic(row.kind, row.data, exc):
            field = err.field.split(".", 1)[0]
            message = err.message
            if field and field not in row.data and message == "Field required":
                message = "is required but empty"
            problems.append(row.problem(row.column(field) if field else "", message, err.record))
        return None, problems
    return record, problems


class Source(Protocol):
    """An input format, prepared from a set of tables."""

    format: str
    problems: list[ImportProblem]  # whole-file problems (missing columns, unknown files)
    warnings: list[str]

    def kinds(self) -> list[RecordKind]:
        """Kinds this source yields, in write order."""
        ...

    def rows(self, kind: RecordKind) -> Iterator[SourceRow]:
        """The rows of one kind, streamed; callable repeatedly."""
        ...


def cells(values: Mapping[str, str], index: Mapping[str, str], name: str) -> str:
    """The cell of a normalised column name ('' when the column is absent or the cell empty)."""
    header = index.get(name)
    return values.get(header, "").strip() if header is not None else ""
