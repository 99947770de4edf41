"""``relmap export``: write a store's records in relmap's own format, streaming.

One table per record kind (``customer.csv``... or sheets of one ``relmap.xlsx`` or
``<kind>.json``), the columns of :mod:`importers.relmap_format`, so that export -> import into
an empty store gives back the same records and import of an export into the store it came from
changes nothing. Records are read with ``store.scan`` (bounded memory).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.model import WRITE_ORDER, RecordKind, record_to_dict
from graph.store.base import Store
from graph.tabular import CSV_ENCODING, Sheet, write_csv, write_xlsx
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
        sheets = (
            Sheet(kind.value, columns(kind), _rows(store, kind, counts, tick))
            for kind in WRITE_ORDER
        )
        write_xlsx(folder / "relmap.xlsx", sheets)
        return counts
    for kind in WRITE_ORDER:
        if fmt == "csv":
            with (folder / f"{kind.value}.csv").open("w", encoding=CSV_ENCODING, newline="") as fh:
                counts[kind] = write_csv(fh, columns(kind), _rows(store, kind, {}, tick))
        else:
            counts[kind] = _write_json(store, kind, folder / f"{kind.value}.json", tick)
    return counts


def _rows(
    store: Store,
    kind: RecordKind,
    counts: dict[RecordKind, int],
    tick: Callable[[RecordKind], None],
) -> Iterator[list[str]]:
    """The stored records of ``kind`` as table rows, streamed; ``counts[kind]`` counts them."""
    counts[kind] = 0
    for record in store.scan(kind):
        yield record_row(record)
        counts[kind] += 1
        tick(kind)


def _write_json(
    store: Store, kind: RecordKind, path: Path, tick: Callable[[RecordKind], None]
) -> int:
    """The stored records of ``kind`` as a JSON array, one record per line."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for record in store.scan(kind):
            fh.write(",\n " if n else "\n ")
            fh.write(json.dumps(record_to_dict(record), ensure_ascii=False))
            n += 1
            tick(kind)
        fh.write("\n]\n")
    return n
