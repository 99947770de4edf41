"""Key contacts, relationship coverage and account risks as CSV and XLSX, from the API and the
CLI, on the hand-built account of tests/accounts/conftest.py: names with their ids, formulas
in names neutralised, viewers refused the sheet that names people."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from graph.auth.tokens import create_token
from graph.model import Contact, Record
from graph.settings import Settings
from tests.support.stores import fill_store, sqlite_settings

FORMULA = '=HYPERLINK("http://evil.example/","x")'


@pytest.fixture
def url(tmp_path: Path, records: list[Record]) -> str:
    hostile = [
        r.model_copy(update={"name": FORMULA}) if isinstance(r, Contact) and r.id == "b" else r
        for r in records
    ]
    return fill_store(sqlite_settings(tmp_path), hostile)


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=url, auth_required=False))) as c:
        yield c


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_key_contacts_as_csv_name_each_contact_and_neutralise_formulas(client: TestClient) -> None:
    r = client.get("/v1/accounts/acme/key-contacts", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="key-contacts-acme.csv"' in r.headers["content-disposition"]
    rows = _csv(r.content)
    assert rows[0][:3] == ["rank", "contact", "contact_id"]
    by_id = {row[2]: row for row in rows[1:]}
    assert by_id["b"][1] == "'" + FORMULA  # shown as text, never run
    assert rows[1][0] == "1"


def test_relationship_coverage_as_xlsx_has_its_three_sheets(client: TestClient) -> None:
    r = client.get("/v1/accounts/acme/relationship-coverage", params={"format": "xlsx"})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["key contact coverage", "stale relationships", "buying roles"]
    header = [c.value for c in next(book["key contact coverage"].iter_rows(max_row=1))]
    assert header[:3] == ["rank", "contact", "contact_id"]


def test_account_risks_as_csv_one_row_per_account(client: TestClient) -> None:
    r = client.get("/v1/accounts/relationship-risks", params={"format": "csv", "tier": "strategic"})
    rows = _csv(r.content)
    assert rows[0][0] == "account" and any(row[1] == "acme" for row in rows[1:])


def test_viewers_get_no_sheet_that_names_people(url: str) -> None:
    from graph.store.open import open_store

    with open_store(Settings(store=url)) as store:
        viewer = create_token(store, name="v", role="viewer")[0]
    with TestClient(create_app(Settings(store=url, auth_required=True))) as c:
        auth = {"Authorization": f"Bearer {viewer}"}
        r = c.get("/v1/accounts/acme/relationship-coverage", params={"format": "csv"}, headers=auth)
        assert r.status_code == 403


def test_the_cli_writes_the_same_sheets(url: str, tmp_path: Path) -> None:
    out = tmp_path / "kc.csv"
    result = CliRunner().invoke(
        cli_app, ["--store", url, "accounts", "key-contacts", "acme", "-f", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = _csv(out.read_bytes())
    assert rows[0][:3] == ["rank", "contact", "contact_id"] and len(rows) > 2
    bad = CliRunner().invoke(cli_app, ["--store", url, "accounts", "risks", "-f", "xlsx"])
    assert bad.exit_code == 2 and "--output" in bad.output
