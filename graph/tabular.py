"""Tables written as CSV or XLSX: the one writer every export uses.

A table is a row of headers and rows of cells. CSV is written by Python's ``csv`` module with
its default dialect (commas, ``\\r\\n`` line ends, quoting only where needed), encoded as UTF-8
with a BOM unless another encoding (e.g. ``gb18030``) is asked for: the BOM is what makes Excel
read Chinese names correctly. XLSX is written by openpyxl in write-only mode, one sheet per
table, so rows stream from the caller's iterators into the workbook without being held.

What goes into a cell (flattening nested values, neutralising formulas) is each caller's
choice; this module only writes. It sits at the root of ``graph/`` so that analyses, importers
and the CLI can all use it without depending on each other.

>>> csv_text(["id", "name"], [["K1", "赵强"], ["K2", "a, b"]])
'id,name\\r\\nK1,赵强\\r\\nK2,"a, b"\\r\\n'
>>> csv_bytes(["id"], [["K1"]])[:3] == "\\ufeff".encode()
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = [
    "CSV_ENCODING",
    "CsvFile",
    "Sheet",
    "csv_bytes",
    "csv_text",
    "spreadsheet_safe",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
]

CSV_ENCODING = "utf-8-sig"
_SHEET_TITLE = 31  # the most characters Excel allows in a sheet's name

Row = Sequence[Any]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1``, ``@x``),
    prefixed with ``'`` so it shows as the text it is; anything else as it is.

    >>> print(spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("-3"))
    '=HYPERLINK("http://x") '-3
    >>> spreadsheet_safe(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its sheet name, headers (None: no header row) and rows."""

    name: str
    headers: Row | None
    rows: Iterable[Row]


def write_csv(out: IO[str], headers: Row | None, rows: Iterable[Row]) -> int:
    """Write a header row (unless None) and ``rows`` to an open text stream; returns how many
    rows were written (not counting the header). The stream must be opened with
    ``newline=""`` when it is a file, as the ``csv`` module requires."""
    writer = csv.writer(out)
    if headers is not None:
        writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def csv_text(headers: Row | None, rows: Iterable[Row]) -> str:
    """A table as CSV text."""
    buf = io.StringIO()
    write_csv(buf, headers, rows)
    return buf.getvalue()


def csv_bytes(headers: Row | None, rows: Iterable[Row], encoding: str = CSV_ENCODING) -> bytes:
    """A table as an encoded CSV file (UTF-8 with BOM unless told otherwise)."""
    return csv_text(headers, rows).encode(encoding)


class CsvFile:
    """A CSV file written row by row (UTF-8 with BOM unless told otherwise); the header row is
    written on opening. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, headers: Row | None, encoding: str = CSV_ENCODING) -> None:
        self.path = path
        self._fh = path.open("w", encoding=encoding, newline="")
        self._writer = csv.writer(self._fh)
        if headers is not None:
            self._writer.writerow(headers)

    def write(self, row: Row) -> None:
        self._writer.writerow(row)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_xlsx(target: Path | IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Every sheet into one workbook, streamed (openpyxl's write-only mode). Sheet names are
    cut to Excel's 31 characters; a workbook without any table gets one sheet ``empty`` (a
    workbook must have one)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.name[:_SHEET_TITLE])
        for row in _with_headers(sheet):
            ws.append(list(row))
    if not book.worksheets:
        book.create_sheet("empty")
    book.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """Every sheet as one workbook, as the bytes of an .xlsx file."""
    buf = io.BytesIO()
    write_xlsx(buf, sheets)
    return buf.getvalue()


def _with_headers(sheet: Sheet) -> Iterator[Row]:
    if sheet.headers is not None:
        yield sheet.headers
    yield from sheet.rows
