"""Reading files: encodings (UTF-8 with/without BOM, GB18030), quoting, XLSX, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from import_helpers import write_csv

from importers.files import FileProblem, cell_text, detect_encoding, tables_in

NAMES = ["赵强", "孙丽", "欧阳娜娜"]


def _rows(path: Path, encoding: str | None = None) -> list[tuple[int, dict[str, str]]]:
    (table,) = tables_in([path], encoding)
    return list(table.rows())


def test_utf8_with_bom_is_detected_and_the_bom_is_not_part_of_the_first_header(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "contact.csv", ["id", "name"], [["K1", NAMES[0]]], "utf-8-sig")
    assert detect_encoding(path) == "utf-8-sig"
    (table,) = tables_in([path])
    assert table.headers == ["id", "name"]
    assert list(table.rows()) == [(2, {"id": "K1", "name": "赵强"})]


def test_utf8_without_bom_reads_chinese_names(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv", ["id", "name"], [[f"K{i}", n] for i, n in enumerate(NAMES)]
    )
    assert [r["name"] for _, r in _rows(path)] == NAMES


def test_gb18030_file_from_chinese_excel_is_detected(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv", ["id", "name"], [[f"K{i}", n] for i, n in enumerate(NAMES)], "gb18030"
    )
    assert detect_encoding(path) == "gb18030"
    assert [r["name"] for _, r in _rows(path)] == NAMES


def test_gbk_file_given_with_encoding_option_reads_the_same(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", ["id", "name"], [["K1", "孙丽"]], "gbk")
    assert _rows(path, "gbk") == [(2, {"id": "K1", "name": "孙丽"})]


def test_quoted_fields_keep_commas_and_newlines_and_rows_count_records_not_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        'id,title\nK1,"Plant Manager\n(Shenzhen, site)"\nK2,"Smith, John"\n', encoding="utf-8"
    )
    assert _rows(path) == [
        (2, {"id": "K1", "title": "Plant Manager\n(Shenzhen, site)"}),
        (3, {"id": "K2", "title": "Smith, John"}),
    ]


def test_short_rows_are_padded_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,name,title\nK1,A\n\nK2,B,CTO\n", encoding="utf-8")
    assert _rows(path) == [
        (2, {"id": "K1", "name": "A", "title": ""}),
        (4, {"id": "K2", "name": "B", "title": "CTO"}),
    ]


def test_xlsx_sheets_become_tables_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "customer"
    sheet.append(["id", "name", "revenue"])
    sheet.append(["C1", "华东银行", 1200000])
    sheet.append([None, None, None])
    sheet.append([1002, "Acme", 3.5])
    empty = book.create_sheet("notes")
    del empty
    book.save(tmp_path / "book.xlsx")
    tables = tables_in([tmp_path / "book.xlsx"])
    assert [(t.name, t.file) for t in tables] == [("customer", "book.xlsx sheet customer")]
    assert list(tables[0].rows()) == [
        (2, {"id": "C1", "name": "华东银行", "revenue": "1200000"}),
        (4, {"id": "1002", "name": "Acme", "revenue": "3.5"}),
    ]


def test_json_array_and_json_lines_read_as_rows(tmp_path: Path) -> None:
    (tmp_path / "team.json").write_text(
        json.dumps([{"id": "T1", "regions": ["上海", "江苏"], "active": True}], ensure_ascii=False),
        encoding="utf-8",
    )
    (tmp_path / "x.jsonl").write_text('{"id": "A"}\n\n{"id": "B"}\n', encoding="utf-8")
    tables = {t.name: list(t.rows()) for t in tables_in([tmp_path])}
    assert tables["team"] == [(1, {"id": "T1", "regions": "上海;江苏", "active": "true"})]
    assert tables["x"] == [(1, {"id": "A"}), (3, {"id": "B"})]


def test_unreadable_inputs_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(FileProblem, match="empty.csv"):
        tables_in([tmp_path / "empty.csv"])
    with pytest.raises(FileProblem, match="no such file"):
        tables_in([tmp_path / "missing"])
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(FileProblem, match="bad.json"):
        tables_in([tmp_path / "bad.json"])


def test_cell_text_writes_numbers_dates_and_booleans_as_a_csv_would() -> None:
    import datetime as dt

    assert cell_text(3.0) == "3"
    assert cell_text(0.25) == "0.25"
    assert cell_text(dt.datetime(2025, 1, 2)) == "2025-01-02"
    assert cell_text(False) == "false"
    assert cell_text(None) == ""
