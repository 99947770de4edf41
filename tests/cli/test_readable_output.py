"""The CLI reads well in an 80-column terminal: tables fit and show names before ids, help names
values in words, no markup leaks from data into messages, and ``--version`` answers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len
from typer.testing import CliRunner

from cli.main import app, human_help
from graph.settings import Settings
from tests.coverage.worlds import sales_world
from tests.support.stores import fill_store, sqlite_settings

ROOT = Path(__file__).resolve().parents[2]
ENV = {"COLUMNS": "80", "RELMAP_NEO4J_PASSWORD": "relmap-test-password"}


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return fill_store(sqlite_settings(tmp_path), sales_world())


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    assert run("--version").strip() == f"relmap {version('relmap')}"


def _commands(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    subs = getattr(command, "commands", {})
    found = [path]
    for name, sub in subs.items():
        found += _commands(sub, (*path, name))
    return found


def test_help_names_values_in_words_not_python_types() -> None:
    commands = _commands(human_help(typer.main.get_command(app)))
    assert len(commands) > 20
    for path in commands:
        text = run(*path, "--help")
        for internal in ("<str>", "<bool>", "<int", "<float", "<path>", "<Path"):
            assert internal not in text, (path, internal)


def test_coverage_tables_fit_80_columns_and_show_names_not_ids(store_url: str) -> None:
    for analysis in ("gaps", "conflicts", "credit", "capacity", "summary"):
        out = run("--store", store_url, "analyze", analysis)
        assert max(cell_len(line) for line in out.splitlines()) <= 80, (analysis, out)
    gaps = run("--store", store_url, "analyze", "gaps")
    assert "customer_name" in gaps and "hidden at this width: customer_id" in gaps
    wide = run("--store", store_url, "analyze", "gaps", "--wide")
    assert "customer_id" in wide.splitlines()[1] + wide.splitlines()[2]


def test_wide_shows_every_column(store_url: str) -> None:
    narrow = run("--store", store_url, "analyze", "capacity")
    wide = run("--store", store_url, "analyze", "capacity", "--wide")
    assert "--wide shows all" in narrow
    assert "--wide shows all" not in wide and "weighted_load" in wide


def test_import_problems_print_data_literally_never_as_markup(tmp_path: Path) -> None:
    with (ROOT / "examples" / "relmap-format" / "customer.csv").open(encoding="utf-8") as f:
        header, first = list(csv.reader(f))[:2]
    first[header.index("id")] = "[red]C9[/]"
    first[header.index("tier")] = "huge"
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "customer.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, first])
    url = Settings(store=f"sqlite:///{tmp_path / 'r.db'}").store
    out = run("--store", url, "import", str(folder))
    assert "'[red]C9[/]'" in out
    assert "\x1b[" not in out
