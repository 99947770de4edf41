"""``relmap export``: write a store's records in relmap's own format, streaming.

One table per record kind (``customer.csv``... or sheets of one ``relmap.xlsx`` or
``<kind>.json``), the columns of :mod:`importers.relmap_format`, so that export -> import into
an empty store gives back the same records and import of an export into the store it came from
changes nothing. Records are read with ``store.scan`` (bounded memory).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from graph.model import WRITE_ORDER, RecordKind, record_to_dict
from graph.store.base import Store
from importers.relmap_format import columns, record_row

FORMATS = ("csv", "xlsx", "json")


def export_store(
    store: Store,
    folder: Path,
    fmt: str = "csv",
    on_record: Callable[[RecordKind], None] | None = None,
) -> dict[RecordKind, int]:
    """Write every kind of record to ``folder``; returns how many of each were written.
    CSV is written as UTF-8 with BOM so that Excel shows Chinese names correctly."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    tick = on_record or (lambda kind: None)
    counts: dict[RecordKind, int] = {}
    if fmt == "xlsx":
        return _export_xlsx(store, folder / "relmap.xlsx", tick)
    for kind in WRITE_ORDER:
        n = 0
        if fmt == "csv":
            with (folder / f"{kind.value}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns(kind))
                for record in store.scan(kind):
                    writer.writerow(record_row(record))
                    n += 1
                    tick(kind)
        else:
            with (folder / f"{kind.value}.json").open("w", encoding="utf-8") as fh:
                fh.write("[")
                for record in store.scan(kind):
                    fh.write(",\n " if n else "\n ")
                    fh.write(json.dumps(record_to_dict(record), ensure_ascii=False))
                    n += 1
                    tick(kind)
                fh.write("\n]\n")
        counts[kind] = n
    return counts


def _export_xlsx(
    store: Store, path: Path, tick: Callable[[RecordKind], None]
) -> dict[RecordKind, int]:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    counts: dict[RecordKind, int] = {}
    for kind in WRITE_ORDER:
        sheet = book.create_sheet(kind.value)
        sheet.append(columns(kind))
        n = 0
        for record in store.scan(kind):
            sheet.append(record_row(record))
            n += 1
            tick(kind)
        counts[kind] = n
    book.save(path)
    return counts
