"""``relmap import`` / ``relmap export`` as a user runs them: exit codes, messages, files."""

from __future__ import annotations

import csv
from pathlib import Path

from import_helpers import RELMAP_EXAMPLE, SALESFORCE_EXAMPLE, write_csv
from typer.testing import CliRunner

from cli.main import app
from graph.model import RecordKind
from graph.settings import Settings
from graph.store.base import Store

runner = CliRunner()


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "RELMAP_STORE": settings.store,
        "RELMAP_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "COLUMNS": "160",
    }
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_import_prints_the_summary_per_kind_and_export_writes_the_same_format(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    code, out = _run(settings, "import", str(RELMAP_EXAMPLE), "--batch-size", "5")
    assert code == 0, out
    assert "customer" in out and "coverage" in out
    code, out = _run(settings, "export", str(tmp_path / "out"))
    assert code == 0 and "exported 48 records" in out
    assert (
        (tmp_path / "out" / "customer.csv")
        .read_text(encoding="utf-8-sig")
        .startswith("id,name,tier,")
    )
    code, out = _run(settings, "import", str(tmp_path / "out"))
    assert code == 0
    assert store.count(RecordKind.CUSTOMER) == 6


def test_bad_rows_exit_1_with_every_problem_printed_and_nothing_written(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    write_csv(
        tmp_path / "customer.csv", ["id", "name", "tier"], [["C1", "A", "gold"], ["C2", "", "key"]]
    )
    code, out = _run(settings, "import", str(tmp_path))
    assert code == 1
    assert "customer.csv row 2, column tier" in out
    assert "customer.csv row 3, column name" in out
    assert "nothing was written" in out
    assert store.count(RecordKind.CUSTOMER) == 0


def test_lenient_writes_the_reject_file_and_exits_0(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    write_csv(
        tmp_path / "in" / "customer.csv",
        ["id", "name", "tier"],
        [["C1", "A", "gold"], ["C2", "B", "key"]],
    )
    rejects = tmp_path / "rejects.csv"
    code, out = _run(
        settings, "import", str(tmp_path / "in"), "--lenient", "--rejects", str(rejects)
    )
    assert code == 0, out
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["file"], row["row"], row["column"]) == ("customer.csv", "2", "tier")
    assert store.count(RecordKind.CUSTOMER) == 1


def test_prune_without_yes_only_shows_what_would_go(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    _run(settings, "import", str(RELMAP_EXAMPLE))
    write_csv(
        tmp_path / "team.csv", ["id", "name", "team_kind"], [["T-EAST", "华东区域团队", "regional"]]
    )
    code, out = _run(settings, "import", str(tmp_path), "--prune")
    assert code == 0
    assert "would delete 3 team" in out and "--prune --yes" in out
    assert store.count(RecordKind.TEAM) == 4
    code, out = _run(settings, "import", str(tmp_path), "--prune", "--yes")
    assert code == 0 and store.count(RecordKind.TEAM) == 1


def test_salesforce_format_and_unknown_format_option(settings: Settings, store: Store) -> None:
    code, out = _run(settings, "import", str(SALESFORCE_EXAMPLE), "--format", "salesforce")
    assert code == 0, out
    assert store.count(RecordKind.EMPLOYEE) == 5
    code, out = _run(settings, "import", str(SALESFORCE_EXAMPLE), "--format", "sap")
    assert code == 2


def test_missing_path_exits_2_naming_it(settings: Settings, tmp_path: Path) -> None:
    code, out = _run(settings, "import", str(tmp_path / "nope"))
    assert code == 2 and "nope" in out
