"""Choosing the input format of a set of files: relmap's own or a Salesforce export.

``open_source`` reads the headers of every file once (see :mod:`importers.files`) and, unless
the user said ``--format``, decides from them (:func:`recognise`, whose findings the chosen
source is given rather than working them out again): Salesforce exports carry API names such as
``AccountId`` or ``OwnerId``; relmap's files are named after record kinds with snake_case
columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.model import RecordKind
from importers.files import FileProblem, Table, tables_in
from importers.relmap_format import RelmapSource, kind_of_table
from importers.salesforce import SalesforceSource
from importers.salesforce.objects import has_salesforce_columns, object_of
from importers.salesforce.roles import SalesforceMapping
from importers.source import Source

FORMATS = ("relmap", "salesforce")


@dataclass(frozen=True)
class Recognised:
    """What each table looks like, worked out once from its name and header row and handed on
    to the source that reads it: its Salesforce object, whether it carries Salesforce's own
    columns, and its relmap record kind (None where a table is not one)."""

    tables: list[Table]
    objects: list[str | None]
    salesforce: list[bool]
    kinds: list[RecordKind | None]


def recognise(tables: list[Table]) -> Recognised:
    """Every table's Salesforce object and relmap kind (see :class:`Recognised`)."""
    objects = [object_of(t) for t in tables]
    salesforce = [
        obj is not None and has_salesforce_columns(t)
        for t, obj in zip(tables, objects, strict=True)
    ]
    return Recognised(tables, objects, salesforce, [kind_of_table(t) for t in tables])


def detect_format(tables: list[Table], recognised: Recognised | None = None) -> str:
    """'salesforce' or 'relmap' from the tables' names and headers; FileProblem if unclear."""
    if not tables:
        raise FileProblem("(input)", "no CSV, XLSX or JSON files found")
    seen = recognised or recognise(tables)
    salesforce = sum(seen.salesforce)
    relmap = sum(
        kind is not None and not sf for kind, sf in zip(seen.kinds, seen.salesforce, strict=True)
    )
    if salesforce > relmap:
        return "salesforce"
    if relmap:
        return "relmap"
    raise FileProblem(
        ", ".join(t.file for t in tables[:5]),
        "cannot tell whether these are relmap files or a Salesforce export: give --format",
    )


def open_source(
    paths: list[Path],
    fmt: str | None = None,
    encoding: str | None = None,
    mapping: SalesforceMapping | None = None,
) -> Source:
    """The prepared source for ``paths`` (files or folders). Raises FileProblem when a file
    cannot be read at all. Each file's header is read once (by :func:`tables_in`) and what
    detection learns from it is handed on to the source."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    tables = tables_in(paths, encoding)
    seen = recognise(tables) if fmt is None else None
    fmt = fmt or detect_format(tables, seen)
    if fmt == "salesforce":
        return SalesforceSource(tables, mapping, seen.objects if seen else None)
    return RelmapSource(tables, seen.kinds if seen else None)
