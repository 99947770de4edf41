"""The scenario map in headless Chromium: it draws, changed edges are there, nothing is fetched
from outside, no script error, and a hostile scenario or customer name stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from graph.model import Customer, Tier
from graph.scenarios.service import evaluate_scenario
from graph.store.base import ChangeSet
from graph.store.sqlite import SqliteStore
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import scenario, team_cov
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from visualize.scenario_map import render_scenario_map

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.browser
def test_the_scenario_map_draws_offline_without_errors(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "s.db"))
    store.ensure_schema()
    load_world(store)
    store.write(
        ChangeSet(
            upserts=[
                Customer(
                    id="evil", name=HOSTILE, tier=Tier.KEY, industry="finance", region="north"
                ),
                team_cov("R-N", "evil"),
            ]
        )
    )
    sc = scenario(
        {"op": "move_customers", "select": {"tier": "key", "region": "north"}, "to_team": "KA-FIN"},
        sid="map",
    )
    ev, _v = evaluate_scenario(store, sc)
    store.close()
    html = tmp_path / "map.html"
    html.write_text(render_scenario_map(ev), encoding="utf-8")

    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None,
        )
        page.goto(html.as_uri())
        page.wait_for_selector("html[data-relmap-ready=true]", timeout=20_000)
        drawn = page.evaluate("() => [window.relmap.nodes.length, window.relmap.edges.length]")
        labels = page.evaluate("() => window.relmap.nodes.get().map(n => n.label)")
        browser.close()
    assert errors == [] and outside == []
    removed = sum(1 for e in ev.diff.edge_changes if e.change == "removed")
    added = len(ev.diff.edge_changes) - removed
    assert drawn[1] == added + removed and removed > 0 and added > 0
    assert HOSTILE in labels  # drawn as canvas text, never as markup
