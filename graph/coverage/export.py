"""Exporting coverage analysis results as JSON, CSV and XLSX.

Every analysis result is a set of named tables of frozen dataclasses (``analysis_tables``);
JSON keeps the nesting, CSV and XLSX flatten nested values to readable text
(``KA-FIN+R-SH; ...``) and are written by :mod:`graph.tabular` (CSV in UTF-8 with a BOM so
spreadsheet programs read Chinese names).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel

from graph.coverage.report import CoverageReport
from graph.tabular import Sheet, csv_bytes, xlsx_bytes


class Analysis(StrEnum):
    """The analyses of ``relmap analyze`` and ``/v1/analytics``."""

    COVERAGE = "coverage"
    GAPS = "gaps"
    CONFLICTS = "conflicts"
    CREDIT = "credit"
    CAPACITY = "capacity"
    HIERARCHY = "hierarchy"
    SCORES = "scores"
    SUMMARY = "summary"


class ExportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


Table = Sequence[Any]  # dataclass instances of one type


def analysis_tables(report: CoverageReport, analysis: Analysis) -> dict[str, Table]:
    """The named tables of one analysis (the first is the main one); not for ``coverage``,
    which is streamed per customer (``graph.coverage.resolve.coverage_row``)."""
    if analysis is Analysis.GAPS:
        return {"findings": report.gaps.findings, "groups": report.gaps.groups}
    if analysis is Analysis.CONFLICTS:
        return {"conflicts": report.conflicts.conflicts}
    if analysis is Analysis.CREDIT:
        c = report.credit
        return {
            "inflation": c.inflation,
            "disallowed_overlays": c.disallowed_overlays,
            "allowed_overlays": c.allowed_overlays,
            "per_team": c.per_team,
            "per_pair": c.per_pair,
        }
    if analysis is Analysis.CAPACITY:
        return {"people": report.capacity.people, "teams": report.capacity.teams}
    if analysis is Analysis.HIERARCHY:
        h = report.hierarchy
        return {
            "uncovered_branches": h.uncovered_branches,
            "conflicts": h.conflicts,
            "rollups": h.rollups,
        }
    if analysis is Analysis.SCORES:
        return {"changes": report.scores.changes, "top": report.scores.top}
    if analysis is Analysis.SUMMARY:
        s = report.summary
        return {
            "counts": [s.counts],
            "money": [s.money],
            "by_tier": s.by_tier,
            "top_offenders": s.top_offenders,
        }
    raise ValueError(f"analysis: {analysis.value} has no report tables (it is streamed)")


def plain(value: Any) -> Any:
    """JSON-ready data: dataclasses and pydantic models to dicts, enums to values, dates ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def to_json(tables: Mapping[str, Any]) -> str:
    return json.dumps(plain(tables), ensure_ascii=False, indent=2)


def cell(value: Any) -> Any:
    """One spreadsheet cell: scalars as they are, nested values as readable text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [cell(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return " ".join(str(p) for p in parts if p not in (None, "", ()))
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(cell(v)) for v in value)
    return str(value)


def headers_of(rows: Table, row_type: type | None = None) -> list[str]:
    kind = row_type or (type(rows[0]) if rows else None)
    if kind is None or not dataclasses.is_dataclass(kind):
        return []
    return [f.name for f in dataclasses.fields(kind)]


def flat_rows(rows: Iterable[Any]) -> Iterable[list[Any]]:
    for row in rows:
        yield [cell(getattr(row, f.name)) for f in dataclasses.fields(row)]


def to_csv(rows: Table, row_type: type | None = None) -> bytes:
    """One table as CSV (UTF-8 with BOM)."""
    return csv_bytes(headers_of(rows, row_type), flat_rows(rows))


def to_xlsx(tables: Mapping[str, Table]) -> bytes:
    """Every table as one sheet of a workbook."""
    return xlsx_bytes(
        Sheet(name, headers_of(rows), flat_rows(rows)) for name, rows in tables.items()
    )


MEDIA_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
