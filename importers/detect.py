"""Choosing the input format of a set of files: relmap's own or a Salesforce export.

``open_source`` reads the headers of every file (see :mod:`importers.files`) and, unless the
user said ``--format``, decides from them: Salesforce exports carry API names such as
``AccountId`` or ``OwnerId``; relmap's files are named after record kinds with snake_case
columns.
"""

from __future__ import annotations

from pathlib import Path

from importers.files import FileProblem, Table, tables_in
from importers.relmap_format import RelmapSource, looks_like_relmap
from importers.salesforce import SalesforceSource, looks_like_salesforce
from importers.salesforce.roles import SalesforceMapping
from importers.source import Source

FORMATS = ("relmap", "salesforce")


def detect_format(tables: list[Table]) -> str:
    """'salesforce' or 'relmap' from the tables' names and headers; FileProblem if unclear."""
    if not tables:
        raise FileProblem("(input)", "no CSV, XLSX or JSON files found")
    salesforce = sum(looks_like_salesforce(t) for t in tables)
    relmap = sum(looks_like_relmap(t) and not looks_like_salesforce(t) for t in tables)
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
    cannot be read at all."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    tables = tables_in(paths, encoding)
    fmt = fmt or detect_format(tables)
    if fmt == "salesforce":
        return SalesforceSource(tables, mapping)
    return RelmapSource(tables)
