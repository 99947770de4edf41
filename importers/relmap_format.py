"""relmap's own file format: one table per record kind, columns named like the model's fields.

``customer.csv``, ``contact.csv``, ``employee.csv``, ``team.csv`` and one per link
(``contact_reports_to.csv``, ``influence.csv``, ``membership.csv``, ``employee_reports_to.csv``,
``coverage.csv``, ``relationship.csv``); the same as sheets of one .xlsx workbook (sheet named
like the kind) or as ``<kind>.json`` / ``<kind>.jsonl``. Columns are the model's field names
(case-insensitive, any order); an empty cell means the field's default; list fields such as
``Team.regions`` are joined with ``;``; enum values may be written with spaces or capitals
("Key Account" for ``key_account``). ``relmap export`` writes exactly this format.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import Enum
from typing import Any, get_args

from graph.model import RECORD_TYPES, WRITE_ORDER, Record, RecordKind, record_to_dict
from importers.files import Table, header_index, normalise_header
from importers.report import ImportProblem
from importers.source import SourceRow


def columns(kind: RecordKind) -> list[str]:
    """The columns of a kind's table, in the model's field order."""
    return list(RECORD_TYPES[kind].model_fields)


def required_columns(kind: RecordKind) -> list[str]:
    return [name for name, f in RECORD_TYPES[kind].model_fields.items() if f.is_required()]


def _enum_fields(kind: RecordKind) -> set[str]:
    out = set()
    for name, f in RECORD_TYPES[kind].model_fields.items():
        types = (f.annotation, *get_args(f.annotation))
        if any(isinstance(t, type) and issubclass(t, Enum) for t in types):
            out.add(name)
    return out


_ENUM_FIELDS = {kind: _enum_fields(kind) for kind in RecordKind}


def kind_of_name(name: str) -> RecordKind | None:
    """The kind a file or sheet name stands for: ``customer``, ``Customers``, ``coverage``..."""
    norm = normalise_header(name).replace("-", "_").replace(" ", "_")
    for candidate in (norm, norm[:-1] if norm.endswith("s") else norm):
        try:
            return RecordKind(candidate)
        except ValueError:
            continue
    return None


def kind_of_headers(headers: list[str]) -> RecordKind | None:
    """The kind whose columns fit the headers best (all required present, most columns known)."""
    return _kind_of_columns(set(header_index(headers)))


def _kind_of_columns(names: set[str]) -> RecordKind | None:
    """:func:`kind_of_headers` for headers already normalised."""
    best: tuple[int, RecordKind] | None = None
    for kind in RecordKind:
        cols = set(columns(kind))
        if not set(required_columns(kind)) <= names:
            continue
        score = len(names & cols) * 10 - len(names - cols)
        if best is None or score > best[0]:
            best = (score, kind)
    return best[1] if best else None


def kind_of_table(table: Table) -> RecordKind | None:
    """The kind a table holds: by its name, failing that by its headers; None if neither says."""
    return kind_of_name(table.name) or _kind_of_columns(set(table.index))


def looks_like_relmap(table: Table) -> bool:
    """Does the table's name (or failing that its headers) say it is in relmap's format?"""
    return kind_of_table(table) is not None


def row_data(kind: RecordKind, values: dict[str, str], fields: dict[str, str]) -> dict[str, Any]:
    """Model data from one row's cells: empty cells left out (defaults apply), enum values
    normalised ("Key Account" -> key_account)."""
    data: dict[str, Any] = {}
    enums = _ENUM_FIELDS[kind]
    for field, header in fields.items():
        value = values.get(header, "")
        if value is None:
            continue
        value = value.strip()
        if value == "":
            continue
        if field in enums:
            value = value.lower().replace(" ", "_").replace("-", "_")
        data[field] = value
    return data


def record_row(record: Record) -> list[str]:
    """A record as its table's row of text cells (the inverse of :func:`row_data`)."""
    data = record_to_dict(record)
    return [_cell(data[c]) for c in columns(record.kind)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


class RelmapSource:
    """Tables in relmap's format, each mapped to its kind by name (or, failing that, headers)."""

    format = "relmap"

    def __init__(
        self, tables: list[Table], kinds: Sequence[RecordKind | None] | None = None
    ) -> None:
        """``kinds``: each table's kind when format detection has worked it out already
        (:func:`kind_of_table`), so it is not worked out again."""
        self.problems: list[ImportProblem] = []
        self.warnings: list[str] = []
        self._tables: dict[RecordKind, list[tuple[Table, dict[str, str]]]] = {}
        if kinds is None:
            kinds = [kind_of_table(t) for t in tables]
        for table, kind in zip(tables, kinds, strict=True):
            if kind is None:
                self.problems.append(
                    ImportProblem(
                        table.file,
                        None,
                        "",
                        "cannot tell which records this file holds: name it after a record kind "
                        f"({', '.join(k.value for k in WRITE_ORDER)}) with .csv, .xlsx or .json",
                    )
                )
                continue
            fields = self._map_columns(kind, table)
            if fields is not None:
                self._tables.setdefault(kind, []).append((table, fields))

    def _map_columns(self, kind: RecordKind, table: Table) -> dict[str, str] | None:
        index = table.index
        missing = [c for c in required_columns(kind) if c not in index]
        for column in missing:
            self.problems.append(
                ImportProblem(table.file, 1, column, f"required column {column!r} is missing")
            )
        known = set(columns(kind))
        unknown = [h for n, h in index.items() if n not in known]
        if unknown:
            self.warnings.append(
                f"{table.file}: ignored unknown column(s) {', '.join(map(repr, unknown))}"
            )
        if missing:
            return None
        return {c: index[c] for c in columns(kind) if c in index}

    def kinds(self) -> list[RecordKind]:
        return [k for k in WRITE_ORDER if k in self._tables]

    def rows(self, kind: RecordKind) -> Iterator[SourceRow]:
        for table, fields in self._tables.get(kind, []):
            for number, values in table.rows():
                yield SourceRow(
                    kind=kind,
                    data=row_data(kind, values, fields),
                    file=table.file,
                    row=number,
                    columns=fields,
                    values=values,
                )
