"""``relmap scenario evaluate|compare|apply|revert|map`` end to end (both stores)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from graph.settings import Settings
from graph.store.base import Store
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import graph_snapshot

MOVE = """
id: move-bank
name: Bank to finance
changes:
  - op: move_customers
    select: {ids: [bank-n]}
    to_team: KA-FIN
    to_account_manager: am-fin1
"""
LEAVE = """
id: leaver
name: am-fin1 leaves
changes:
  - {op: person_leaves, employee: am-fin1}
"""

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "move.yaml", tmp_path / "leave.yaml"
    a.write_text(MOVE, encoding="utf-8")
    b.write_text(LEAVE, encoding="utf-8")
    return a, b


def run(settings: Settings, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--store", settings.store, "scenario", *args])
    return result.exit_code, result.output


def test_evaluate_prints_the_diff_and_exports_json(
    store: Store, settings: Settings, files: tuple[Path, Path]
) -> None:
    load_world(store)
    code, out = run(settings, "evaluate", str(files[0]))
    assert code == 0, out
    assert "conflicts closed" in out and "bank-n" in out
    code, out = run(settings, "evaluate", str(files[0]), "--format", "json")
    data = json.loads(out)
    assert data["counts"]["conflicts_closed"] == 1
    assert data["diff"]["after"]["conflicts"] == 0


def test_compare_exports_csv_and_xlsx(
    store: Store, settings: Settings, files: tuple[Path, Path], tmp_path: Path
) -> None:
    load_world(store)
    code, out = run(settings, "compare", str(files[0]), str(files[1]), "--format", "csv")
    assert code == 0, out
    header = out.splitlines()[0]
    assert header.startswith("section,metric,label,today,move-bank after,leaver after")
    assert "customers,leaver,bank-n,North Bank,key,gap_opened,,inactive_owner" in out
    xlsx = tmp_path / "c.xlsx"
    code, out = run(
        settings, "compare", str(files[0]), str(files[1]), "-f", "xlsx", "-o", str(xlsx)
    )
    assert code == 0, out
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["headline", "customers"]
    rows = list(wb["customers"].iter_rows(values_only=True))
    assert ("move-bank", "bank-n", "North Bank", "key", "conflict_closed") in [r[:5] for r in rows]


def test_apply_and_revert_from_the_command_line(
    store: Store, settings: Settings, files: tuple[Path, Path]
) -> None:
    load_world(store)
    before = graph_snapshot(store)
    code, out = run(settings, "apply", str(files[0]), "--yes")
    assert code == 0, out
    assert "applied scenario move-bank" in out
    assert graph_snapshot(store) != before
    code, out = run(settings, "revert", str(files[0]))
    assert code == 0, out
    assert graph_snapshot(store) == before


def test_a_stale_scenario_is_refused_until_rebased(
    store: Store, settings: Settings, files: tuple[Path, Path]
) -> None:
    load_world(store)
    code, out = run(settings, "save", str(files[0]))
    assert code == 0, out
    from graph.model import Team, TeamKind

    store.upsert([Team(id="X", name="X", team_kind=TeamKind.PARTNER)])
    code, out = run(settings, "apply", str(files[0]), "--yes")
    assert code == 3
    assert "use --rebase" in out
    code, out = run(settings, "apply", str(files[0]), "--yes", "--rebase")
    assert code == 0, out
    assert "(rebased)" in out


def test_an_invalid_file_names_the_change(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: b\nname: B\nchanges:\n  - {op: person_leaves}\n", encoding="utf-8")
    code, out = run(settings, "evaluate", str(bad))
    assert code == 1
    assert "changes[0] (person_leaves) field 'employee': Field required" in out


def test_the_scenario_map_marks_added_and_removed_edges(
    store: Store, settings: Settings, files: tuple[Path, Path], tmp_path: Path
) -> None:
    load_world(store)
    out_file = tmp_path / "map.html"
    code, out = run(settings, "map", str(files[0]), "-o", str(out_file))
    assert code == 0, out
    html = out_file.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script src=" not in html  # self-contained
    data = json.loads(html.split('id="relmap-data">', 1)[1].split("</script>", 1)[0])
    colours = {(e["from"], e["color"]["color"]) for e in data["edges"]}
    assert ("h:team:R-N", "#d73027") in colours  # R-N's owner claim on bank-n removed
