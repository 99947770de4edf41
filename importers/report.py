"""What an import tells its user: every problem (file, row, column, message) and a summary per
record kind (created, updated, unchanged, rejected), plus the reject file of ``--lenient``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.model import WRITE_ORDER, RecordKind
from graph.tabular import CsvFile


@dataclass(frozen=True)
class ImportProblem:
    """One problem, named so a sales-ops person can open the file and fix it.

    ``row`` is the spreadsheet row (header = row 1) or None for a problem with a whole file or
    column; ``column`` is the header as written in the file ('' when no single column is at
    fault)."""

    file: str
    row: int | None
    column: str
    message: str
    record: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
        what = f" ({self.record})" if self.record else ""
        return f"{where}: {self.message}{what}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "record": self.record,
        }


@dataclass
class KindSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0
    rows: int = 0  # rows read (pass 1)


@dataclass
class ImportReport:
    """The outcome of one import; ``written`` is False when nothing was written."""

    format: str = ""
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kinds: dict[RecordKind, KindSummary] = field(default_factory=dict)
    written: bool = False
    dry_run: bool = False
    prune_candidates: dict[RecordKind, list[str]] = field(default_factory=dict)
    prune_counts: dict[RecordKind, int] = field(default_factory=dict)
    rejects_file: str | None = None

    def of(self, kind: RecordKind) -> KindSummary:
        return self.kinds.setdefault(kind, KindSummary())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.kinds.values())

    def summary_rows(self) -> list[tuple[str, KindSummary]]:
        return [(k.value, self.kinds[k]) for k in WRITE_ORDER if k in self.kinds]

    def to_dict(self, max_problems: int | None = None) -> dict[str, Any]:
        problems = self.problems if max_problems is None else self.problems[:max_problems]
        return {
            "format": self.format,
            "written": self.written,
            "dry_run": self.dry_run,
            "summary": {
                kind: {
                    "created": s.created,
                    "updated": s.updated,
                    "unchanged": s.unchanged,
                    "rejected": s.rejected,
                    "deleted": s.deleted,
                }
                for kind, s in self.summary_rows()
            },
            "problem_count": len(self.problems),
            "problems": [p.to_dict() for p in problems],
            "warnings": list(self.warnings),
            "prune": {k.value: n for k, n in self.prune_counts.items()},
        }


class RejectWriter:
    """Writes rejected rows with their reasons, streaming, as CSV: file, row, column, message,
    record and the row's values as JSON (so the row can be fixed and imported again)."""

    HEADER = ("file", "row", "column", "message", "record", "values")

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file: CsvFile | None = None
        self.count = 0

    def write(self, problem: ImportProblem, values: dict[str, Any] | None) -> None:
        if self.path is None:
            return
        if self._file is None:
            self._file = CsvFile(self.path, self.HEADER)
        self._file.write(
            (
                problem.file,
                "" if problem.row is None else problem.row,
                problem.column,
                problem.message,
                problem.record,
                json.dumps(values or {}, ensure_ascii=False, default=str),
            )
        )
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
