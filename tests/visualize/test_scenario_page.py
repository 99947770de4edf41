"""The scenario comparison page names teams instead of ids, links customers to their accounts,
and reads in Chinese (the same move as tests/scenarios/test_scenario_map_browser.py)."""

from __future__ import annotations

from pathlib import Path

from graph.coverage.inputs import read_org
from graph.i18n import translator
from graph.scenarios.export import comparison
from graph.scenarios.service import evaluate_scenario
from graph.store.sqlite import SqliteStore
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import scenario
from visualize.names import NameBook
from visualize.scenario_page import render_comparison_page


def _page(tmp_path: Path, language: str) -> tuple[str, NameBook]:
    store = SqliteStore(str(tmp_path / "s.db"))
    store.ensure_schema()
    load_world(store)
    sc = scenario(
        {"op": "move_customers", "select": {"tier": "key", "region": "north"}, "to_team": "KA-FIN"}
    )
    ev, _v = evaluate_scenario(store, sc)
    book = NameBook.from_org(read_org(store))
    store.close()
    return render_comparison_page(comparison([ev]), names=book, tr=translator(language)), book


def test_owner_changes_name_the_teams_and_link_the_accounts(tmp_path: Path) -> None:
    html, book = _page(tmp_path, "en")
    assert book.name("KA-FIN") != "KA-FIN"
    assert book.name("KA-FIN") in html
    assert 'href="/accounts/' in html and "owner changes" in html


def test_the_comparison_reads_in_chinese(tmp_path: Path) -> None:
    html, _book = _page(tmp_path, "zh-CN")
    assert '<html lang="zh-CN">' in html
    assert "调整方案对比" in html and "负责方变化" in html and "有负责方的客户" in html
