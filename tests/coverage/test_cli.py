"""``relmap analyze ...`` over a store of each kind: readable tables and files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graph.settings import Settings
from tests.coverage.worlds import sales_world
from tests.support.stores import fill_store


@pytest.fixture
def store_url(settings: Settings) -> str:
    return fill_store(settings, sales_world())


def run(store_url: str, *args: str) -> str:
    env = {"RELMAP_NEO4J_PASSWORD": "relmap-test-password"}
    result = CliRunner().invoke(app, ["--store", store_url, "analyze", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_summary_is_a_readable_table(store_url: str) -> None:
    out = run(store_url, "summary")
    assert "coverage health" in out and "money at stake" in out
    assert "招商银行" in out  # the conflict among the top offenders


def test_gaps_as_csv_and_conflicts_as_json(store_url: str) -> None:
    csv_out = run(store_url, "gaps", "--format", "csv")
    ids = [line.split(",")[1] for line in csv_out.splitlines()[1:] if line.startswith("no_owner")]
    assert ids == ["br-gansu", "cu-gansu"]
    conflicts = json.loads(run(store_url, "conflicts", "--format", "json"))["conflicts"]
    assert [c["customer_id"] for c in conflicts] == ["bank-zs"]


def test_xlsx_file_and_coverage_rows(store_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "capacity.xlsx"
    run(store_url, "capacity", "--format", "xlsx", "--output", str(target))
    assert load_workbook(target).sheetnames == ["people", "teams"]
    rows = json.loads(run(store_url, "coverage", "--format", "json"))
    why = {r["customer_id"]: r["why"] for r in rows}
    assert why["br-bj"] == "territory rule 1: regional team R-BJ covers region 北京"


def test_scores_with_a_preset_and_a_broken_policy_file(store_url: str, tmp_path: Path) -> None:
    out = run(store_url, "scores", "--preset", "new_market", "--format", "csv")
    assert out.splitlines()[0].lstrip("\ufeff").startswith("rank,customer_id")
    bad = tmp_path / "policy.yaml"
    bad.write_text("scoring:\n  key_top_percent: 0\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--store", store_url, "analyze", "gaps", "--policy", str(bad)]
    )
    assert result.exit_code == 2
    assert "scoring.key_top_percent" in result.output
