"""Reading tabular files (CSV, XLSX, JSON) as streams of rows, whatever their encoding.

Every importer reads through :func:`tables_in`: it turns the paths a user gives (files or folders)
into :class:`Table` objects. A table has a name (the file stem, or the sheet name of a workbook),
its headers and a re-iterable stream of ``(row_number, {header: text})``. Row numbers are what a
spreadsheet shows: the header is row 1, the first data row is row 2 (a CSV record that spans
several lines because of a quoted newline still counts as one row).

Encodings: UTF-8 with or without BOM is tried first (strictly, over the whole file, streaming),
then GB18030 (a superset of GBK, what Chinese Excel saves as "CSV"), then charset-normalizer's
best guess. ``encoding=`` overrides detection.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import RelmapError

TABULAR_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl")
_CHUNK = 1 << 20

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class FileProblem(RelmapError):
    """A file cannot be read at all (unknown encoding, not a workbook, bad JSON...)."""

    def __init__(self, file: str, message: str, row: int | None = None) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
        self.row = row


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: utf-8-sig if it decodes strictly, else gb18030, else
    charset-normalizer's guess. Raises FileProblem if nothing fits."""
    for candidate in ("utf-8-sig", "gb18030"):
        if _decodes(path, candidate):
            return candidate
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None:
        raise FileProblem(
            path.name,
            "cannot tell the text encoding; save the file as UTF-8 or give --encoding",
        )
    return str(best.encoding)


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def cell_text(value: Any) -> str:
    """A spreadsheet or JSON cell as the text a CSV would hold (numbers without a spurious
    ``.0``, dates in ISO form, booleans as true/false, empty as '')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(cell_text(v) for v in value)
    return str(value).strip()


def normalise_header(header: str) -> str:
    """Header as compared: case-insensitive, quotes, BOM and surrounding space removed."""
    return header.strip().strip('"').lstrip("\ufeff").strip().lower()


def header_index(headers: list[str]) -> dict[str, str]:
    """Normalised header -> header as written (first one wins on duplicates)."""
    out: dict[str, str] = {}
    for h in headers:
        out.setdefault(normalise_header(h), h)
    return out


@dataclass
class Table:
    """One sheet of data: ``name`` is the file stem or sheet name, ``file`` how errors name it.

    ``index`` is the header row as compared (:func:`header_index`), worked out once here so
    that format detection and the sources read it instead of normalising the headers again."""

    name: str
    file: str
    path: Path
    headers: list[str]
    kind: str  # "csv", "xlsx" or "json"
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str = ","
    extra: dict[str, Any] = field(default_factory=dict)
    index: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = header_index(self.headers)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Data rows as ``(row_number, {header: text})``; may be called again for a new pass."""
        if self.kind == "csv":
            return self._csv_rows()
        if self.kind == "xlsx":
            return self._xlsx_rows()
        return self._json_rows()

    def _csv_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        headers = self.headers
        width = len(headers)
        with self.path.open(encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            try:
                next(reader)
                for number, values in enumerate(reader, start=2):
                    if not values or (len(values) == 1 and not values[0].strip()):
                        continue  # blank line
                    if len(values) < width:
                        values = values + [""] * (width - len(values))
                    yield number, dict(zip(headers, values, strict=False))
            except csv.Error as exc:
                raise FileProblem(
                    self.file, f"broken CSV near row {reader.line_num}: {exc}"
                ) from exc

    def _xlsx_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        import openpyxl

        book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = book[self.sheet or book.sheetnames[0]]
            headers = self.headers
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number == 1:
                    continue
                texts = [cell_text(v) for v in values]
                if not any(texts):
                    continue
                texts += [""] * (len(headers) - len(texts))
                yield number, dict(zip(headers, texts, strict=False))
        finally:
            book.close()

    def _json_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        for number, item in _json_items(self.path, self.file):
            yield number, {str(k): cell_text(v) for k, v in item.items()}


def _json_items(path: Path, file: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Objects of a JSON array file (numbered from 1) or of a JSON Lines file (line numbers)."""
    if path.suffix.lower() == ".jsonl":
        with path.open(encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise FileProblem(
                        file, f"line {number} is not JSON: {exc.msg}", number
                    ) from exc
                if not isinstance(item, dict):
                    raise FileProblem(file, f"line {number} is not a JSON object", number)
                yield number, item
        return
    yield from _json_array_items(path, file)


_JSON_CHUNK = 64 * 1024
_JSON_SPACE = " \t\n\r"


class _JsonArrayReader:
    """The items of a top-level JSON array, decoded one at a time from a text stream.

    ``json.load`` would hold the whole file (and every decoded item) in memory at once; this
    keeps only the unread part of the current chunk and the item being decoded, refilling the
    buffer in chunks (growing them while one item is larger than what is buffered). It also
    counts the lines it drops, so an error can say where it is in the file."""

    def __init__(self, fh: Any, file: str) -> None:
        self.fh = fh
        self.file = file
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.dropped = 0  # characters dropped from the front of the buffer
        self.lines = 0  # ... and the newlines among them
        self.line_start = 0  # position in the file of the first character of the current line
        self.decoder = json.JSONDecoder()

    def _fill(self) -> None:
        """Read more: at least a chunk, else as much again as is buffered but unread."""
        if self.eof:
            return
        done = self.buf[: self.pos]
        newlines = done.count("\n")
        if newlines:
            self.lines += newlines
            self.line_start = self.dropped + done.rindex("\n") + 1
        self.dropped += self.pos
        rest = self.buf[self.pos :]
        try:
            chunk = self.fh.read(max(_JSON_CHUNK, len(rest)))
        except UnicodeDecodeError as exc:
            raise FileProblem(self.file, f"is not valid JSON: {exc}") from exc
        self.eof = not chunk
        self.buf = rest + chunk
        self.pos = 0

    def where(self, pos: int) -> str:
        """'line L column C' of a position in the buffer (1-based, as json's messages)."""
        before = self.buf[:pos]
        newlines = before.count("\n")
        start = self.dropped + before.rindex("\n") + 1 if newlines else self.line_start
        column = self.dropped + pos - start + 1
        return f"line {self.lines + newlines + 1} column {column}"

    def next_char(self) -> str:
        """The next character that is not whitespace ('' at the end of the file), unread."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _JSON_SPACE:
                self.pos += 1
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos] if self.pos < len(self.buf) else ""
            self._fill()

    def problem(self, message: str, number: int | None = None) -> FileProblem:
        return FileProblem(
            self.file, f"is not valid JSON: {message} ({self.where(self.pos)})", number
        )

    def item(self, number: int) -> Any:
        """Decode the value at the current position (item ``number`` of the array)."""
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Cut off by the end of the buffer (or an error close to it): read more.
                # Anything else is wrong whatever follows.
                cut = exc.pos >= len(self.buf) - 8 or exc.msg.startswith("Unterminated string")
                if self.eof or not cut:
                    where = self.where(exc.pos)
                    raise FileProblem(
                        self.file, f"is not valid JSON: item {number}: {exc.msg} ({where})", number
                    ) from exc
            else:
                # A value that runs to the end of the buffer may go on (a number: 12|34).
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return value
            self._fill()

    def items(self) -> Iterator[tuple[int, Any]]:
        """``(number, value)`` of each item, numbered from 1; the opening ``[`` is read."""
        self.pos += 1
        number = 0
        if self.next_char() == "]":
            self.pos += 1
        else:
            while True:
                number += 1
                self.next_char()  # raw_decode does not skip whitespace
                yield number, self.item(number)
                c = self.next_char()
                if c not in (",", "]"):
                    if not c:
                        raise self.problem(f"the array is not closed after item {number}", number)
                    raise self.problem(f"',' or ']' expected after item {number}", number)
                self.pos += 1
                if c == "]":
                    break
        if self.next_char():
            raise self.problem(f"text after the end of the array (after item {number})", number)


def _json_array_items(path: Path, file: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Objects of a JSON array file, numbered from 1, streamed (memory: the largest item plus
    a chunk). A file that is not an array is decoded whole, as before, for the message."""
    with path.open(encoding="utf-8-sig") as fh:
        reader = _JsonArrayReader(fh, file)
        if reader.next_char() == "[":
            for number, item in reader.items():
                if not isinstance(item, dict):
                    raise FileProblem(file, f"item {number} is not a JSON object", number)
                yield number, item
            return
    try:
        with path.open(encoding="utf-8-sig") as fh:
            json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FileProblem(file, f"is not valid JSON: {exc}") from exc
    raise FileProblem(file, "must hold a JSON array of objects, one per record")


def _csv_table(path: Path, encoding: str | None) -> Table:
    """A CSV/TSV file's table: its encoding, delimiter and header row, read in one opening."""
    enc = encoding or detect_encoding(path)
    try:
        fh = path.open(encoding=enc, newline="")
    except LookupError as exc:
        raise FileProblem(path.name, f"cannot be read as {enc}: {exc}") from exc
    with fh:
        try:
            sample = fh.read(64 * 1024)
        except UnicodeDecodeError as exc:
            raise FileProblem(path.name, f"cannot be read as {enc}: {exc}") from exc
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        if delimiter == "," and path.suffix.lower() == ".txt":
            first = sample.split("\n", 1)[0]
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
        fh.seek(0)
        headers = next(csv.reader(fh, delimiter=delimiter), None)
    if not headers or not any(h.strip() for h in headers):
        raise FileProblem(path.name, "is empty: the first row must name the columns", 1)
    return Table(
        name=path.stem,
        file=path.name,
        path=path,
        headers=[h.strip().lstrip("\ufeff") for h in headers],
        kind="csv",
        encoding=enc,
        delimiter=delimiter,
    )


def _xlsx_tables(path: Path) -> list[Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileProblem(path.name, f"is not a readable .xlsx workbook: {exc}") from exc
    tables = []
    try:
        for sheet_name in book.sheetnames:
            sheet = book[sheet_name]
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
            headers = [cell_text(v) for v in first or ()]
            while headers and not headers[-1]:
                headers.pop()
            if not headers:
                continue  # empty sheet
            tables.append(
                Table(
                    name=sheet_name,
                    file=f"{path.name} sheet {sheet_name}",
                    path=path,
                    headers=headers,
                    kind="xlsx",
                    sheet=sheet_name,
                )
            )
    finally:
        book.close()
    return tables


def _json_table(path: Path) -> Table:
    headers: list[str] = []
    seen: set[str] = set()
    for _number, item in _json_items(path, path.name):
        for key in item:
            if key not in seen:
                seen.add(key)
                headers.append(str(key))
    return Table(name=path.stem, file=path.name, path=path, headers=headers, kind="json")


def files_in(paths: list[Path]) -> list[Path]:
    """The tabular files named by ``paths``: files as given, folders by their direct contents
    (sorted by name). Raises FileProblem for a path that does not exist."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.iterdir())
                if p.is_file()
                and p.suffix.lower() in TABULAR_SUFFIXES
                and not p.name.startswith(".")
            )
        elif path.is_file():
            out.append(path)
        else:
            raise FileProblem(str(path), "no such file or folder")
    return out


def tables_in(paths: list[Path], encoding: str | None = None) -> list[Table]:
    """Every table in the given files and folders (a workbook gives one table per sheet)."""
    tables: list[Table] = []
    for path in files_in(paths):
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            tables.extend(_xlsx_tables(path))
        elif suffix in (".json", ".jsonl"):
            tables.append(_json_table(path))
        elif suffix in (".csv", ".tsv", ".txt"):
            tables.append(_csv_table(path, encoding))
        else:
            raise FileProblem(path.name, "is not a CSV, XLSX or JSON file")
    return tables
