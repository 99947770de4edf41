"""Synthetic data sets for import tests and benchmarks, written as relmap-format files.

``demo_batches`` is the project's one demo generator (``graph.demo.generate.generate``);
``write_relmap_files`` streams any record batches into one CSV per kind (bounded memory, so it
can write a million customers).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.demo.generate import generate
from graph.model import WRITE_ORDER, Record, RecordKind
from importers.relmap_format import columns, record_row


def demo_batches(customers: int, seed: int = 7) -> Iterator[list[Record]]:
    """The project's demo data (``graph.demo.generate.generate``), in batches in write order."""
    yield from generate(customers=customers, seed=seed)


def write_relmap_files(batches: Iterable[list[Record]], folder: Path) -> dict[RecordKind, int]:
    """Stream record batches into ``folder/<kind>.csv`` (UTF-8); returns rows per kind."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = {}
    writers = {}
    counts = dict.fromkeys(WRITE_ORDER, 0)
    try:
        for batch in batches:
            for record in batch:
                kind = record.kind
                if kind not in writers:
                    fh = (folder / f"{kind.value}.csv").open("w", encoding="utf-8", newline="")
                    handles[kind] = fh
                    writers[kind] = csv.writer(fh)
                    writers[kind].writerow(columns(kind))
                writers[kind].writerow(record_row(record))
                counts[kind] += 1
    finally:
        for fh in handles.values():
            fh.close()
    return {k: n for k, n in counts.items() if n}
