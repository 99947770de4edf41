"""Exports of the result types: JSON keeps nesting, CSV/XLSX flatten it readably."""

from __future__ import annotations

import io
import json

from graph.coverage.export import Analysis, analysis_tables, to_csv, to_json, to_xlsx
from graph.coverage.report import report_from_records
from tests.coverage.worlds import sales_world


def test_json_keeps_owners_nested_with_iso_dates() -> None:
    report = report_from_records(sales_world())
    data = json.loads(to_json(analysis_tables(report, Analysis.CONFLICTS)))
    owners = data["conflicts"][0]["owners"]
    assert [o["teams"] for o in owners] == [["KA-FIN"], ["R-SH"]]
    assert owners[0]["since"] == "2023-01-01"


def test_csv_flattens_nested_values_and_reads_in_excel() -> None:
    report = report_from_records(sales_world())
    raw = to_csv(analysis_tables(report, Analysis.CONFLICTS)["conflicts"])
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs then read UTF-8
    header, row = raw.decode("utf-8-sig").splitlines()
    assert header.split(",")[:2] == ["customer_id", "customer_name"]
    assert row.startswith("bank-zs,招商银行,key,finance,上海,1000.0,")
    assert "KA-FIN key_account am-li 2023-01-01 0.5 explicit; R-SH regional" in row


def test_every_analysis_exports_to_xlsx_with_one_sheet_per_table() -> None:
    from openpyxl import load_workbook

    report = report_from_records(sales_world())
    for analysis in Analysis:
        if analysis is Analysis.COVERAGE:
            continue
        tables = analysis_tables(report, analysis)
        wb = load_workbook(io.BytesIO(to_xlsx(tables)))
        assert wb.sheetnames == list(tables), analysis
