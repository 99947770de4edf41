"""Helpers for the importer tests: small files written on the spot, imports in one call."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from graph.store.base import Store
from importers.detect import open_source
from importers.pipeline import ImportOptions, run_import
from importers.report import ImportReport

ROOT = Path(__file__).resolve().parents[2]
RELMAP_EXAMPLE = ROOT / "examples" / "relmap-format"
SALESFORCE_EXAMPLE = ROOT / "examples" / "salesforce"


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], encoding: str = "utf-8"
) -> Path:
    """A CSV file with a header row (written with the csv module: quoting as Excel does)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_paths(
    store: Store,
    *paths: Path,
    fmt: str | None = None,
    encoding: str | None = None,
    **options: object,
) -> ImportReport:
    """Import files or folders into ``store`` like ``relmap import`` does."""
    source = open_source(list(paths), fmt, encoding)
    return run_import(store, source, ImportOptions(**options))  # type: ignore[arg-type]
