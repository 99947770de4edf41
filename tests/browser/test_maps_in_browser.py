"""The maps and pages in headless Chromium (the political map in its network mode,
``#network``; the org chart mode is test_org_chart_in_browser.py), served by the running API: the
network is drawn (nodes in the vis data, canvas painted), nothing is fetched from outside
127.0.0.1, no console errors, hostile names stay text and run nothing, filters and layouts work,
big maps settle fast.
Screenshots land in artifacts/screenshots/."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support.browser import BIG_ACCOUNT, Guard, Served, screenshot
from tests.support.map_samples import CHINESE_NAME, XSS_IMG, XSS_SCRIPT

pytestmark = pytest.mark.browser

READY = "html[data-relmap-ready=true]"

COUNTS = """() => {
  const r = window.relmap;
  const shown = r.nodes.get({filter: (n) => !n.hidden});
  return {
    nodes: r.nodes.length,
    edges: r.edges.length,
    shown: shown.length,
    shownIds: shown.map((n) => n.id),
    drawn: r.network.body.nodeIndices.length,
    clusters: r.network.body.nodeIndices.filter((id) => r.network.isCluster(id)).length,
    readyMs: r.readyMs,
  };
}"""

PAINTED = """() => {
  const canvas = document.querySelector('#relmap-network canvas');
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) painted++;
  }
  return painted;
}"""

HOVER_POINT = """(id) => {
  const net = window.relmap.network;
  net.focus(id, {scale: 2.2, animation: false});
  net.redraw();
  const p = net.canvasToDOM(net.getPosition(id));
  const box = document.querySelector('#relmap-network').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}"""


def open_map(tab: object, url: str, timeout_ms: int = 30_000) -> float:
    """Go to a map and wait until it has settled; returns the wall-clock seconds."""
    started = time.perf_counter()
    tab.goto(url)  # type: ignore[attr-defined]
    tab.wait_for_selector(READY, state="attached", timeout=timeout_ms)  # type: ignore[attr-defined]
    return time.perf_counter() - started


def hover_node(tab: object, node_id: str) -> str:
    """Hover a node and return its tooltip's text."""
    point = tab.evaluate(HOVER_POINT, node_id)  # type: ignore[attr-defined]
    tab.mouse.move(point["x"] - 40, point["y"] - 40)  # type: ignore[attr-defined]
    tab.mouse.move(point["x"], point["y"], steps=4)  # type: ignore[attr-defined]
    tip = tab.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)  # type: ignore[attr-defined]
    return str(tip.text_content())


def node_id_named(tab: object, name: str) -> str:
    return str(
        tab.evaluate(  # type: ignore[attr-defined]
            "(name) => window.relmap.nodes.get({filter: (n) => n.label === name})[0].id", name
        )
    )


def test_account_map_draws_every_node_and_fetches_nothing_from_outside(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    seconds = open_map(tab, f"{served.base}/accounts/acme/map#network")
    counts = tab.evaluate(COUNTS)  # type: ignore[attr-defined]
    assert counts["nodes"] == 300 + 8  # 300 contacts + 8 of our people
    assert counts["drawn"] == counts["shown"] == 300  # our people hidden at this size
    assert counts["edges"] > 300
    assert tab.evaluate(PAINTED) > 20_000  # type: ignore[attr-defined]
    legend = tab.inner_text("#relmap-legend")  # type: ignore[attr-defined]
    assert "Champion" in legend and "Decision maker" in legend and "Our people" in legend
    assert any(u.endswith("/static/vis-network.min.js") for u in guard.requests)
    assert all(u.startswith(served.base) for u in guard.requests)
    screenshot(tab, "account-map-300")
    print(f"\n300-contact map settled in {seconds:.2f} s (page: {counts['readyMs']} ms)")
    guard.check()


def test_hostile_names_show_as_text_and_run_nothing(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    open_map(tab, f"{served.base}/accounts/acme/map#network")
    assert tab.evaluate("() => document.querySelectorAll('img').length") == 0  # type: ignore[attr-defined]
    for name in (XSS_IMG, XSS_SCRIPT, CHINESE_NAME):
        text = hover_node(tab, node_id_named(tab, name))
        assert name in text  # the tooltip shows the name literally
        tab.mouse.move(5, 5)  # type: ignore[attr-defined]
    hover_node(tab, node_id_named(tab, XSS_IMG))
    screenshot(tab, "xss-name-tooltip")
    assert tab.evaluate("() => document.querySelectorAll('img').length") == 0  # type: ignore[attr-defined]

    tab.goto(f"{served.base}/?q={quote(XSS_SCRIPT)}")  # type: ignore[attr-defined]
    assert XSS_SCRIPT in tab.inner_text("main")  # type: ignore[attr-defined]
    tab.goto(f"{served.base}/accounts/cust0005")  # type: ignore[attr-defined]
    assert tab.inner_text("h1") == XSS_IMG  # type: ignore[attr-defined]
    tab.goto(f"{served.base}/coverage/map?group_by=industry")  # type: ignore[attr-defined]
    tab.wait_for_selector(READY, state="attached")  # type: ignore[attr-defined]
    assert tab.evaluate("() => document.querySelectorAll('img').length") == 0  # type: ignore[attr-defined]
    guard.check()


def test_filters_department_and_reporting_line_layout(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    open_map(tab, f"{served.base}/accounts/acme/map#network")
    total = tab.evaluate(COUNTS)["shown"]  # type: ignore[attr-defined]

    tab.check("#f-key")  # type: ignore[attr-defined]
    shown = tab.evaluate(COUNTS)["shownIds"]  # type: ignore[attr-defined]
    flags = tab.evaluate(  # type: ignore[attr-defined]
        "(ids) => window.relmap.nodes.get(ids).map((n) => n.key)", shown
    )
    assert 0 < len(shown) < total and all(flags)
    tab.uncheck("#f-key")  # type: ignore[attr-defined]

    tab.check("#f-uncovered")  # type: ignore[attr-defined]
    shown = tab.evaluate(COUNTS)["shownIds"]  # type: ignore[attr-defined]
    assert shown and all(
        tab.evaluate(  # type: ignore[attr-defined]
            "(ids) => window.relmap.nodes.get(ids).map((n) => n.uncovered)", shown
        )
    )
    tab.uncheck("#f-uncovered")  # type: ignore[attr-defined]

    tab.select_option("#f-dept", "采购部")  # type: ignore[attr-defined]
    shown = tab.evaluate(COUNTS)["shownIds"]  # type: ignore[attr-defined]
    depts = tab.evaluate(  # type: ignore[attr-defined]
        "(ids) => window.relmap.nodes.get(ids).filter((n) => n.kind !== 'employee')"
        ".map((n) => n.dept)",
        shown,
    )
    assert depts and set(depts) == {"采购部"}
    screenshot(tab, "account-map-one-department")
    tab.select_option("#f-dept", "")  # type: ignore[attr-defined]

    tab.fill("#f-find", CHINESE_NAME)  # type: ignore[attr-defined]
    tab.press("#f-find", "Enter")  # type: ignore[attr-defined]
    selected = tab.evaluate("() => window.relmap.network.getSelectedNodes()")  # type: ignore[attr-defined]
    assert selected == [node_id_named(tab, CHINESE_NAME)]
    assert "1 match" in tab.inner_text("#relmap-status")  # type: ignore[attr-defined]

    tab.check("#f-hier")  # type: ignore[attr-defined]
    tab.wait_for_selector(READY, state="attached")  # type: ignore[attr-defined]
    below = tab.evaluate(  # type: ignore[attr-defined]
        "() => { const net = window.relmap.network;"
        " const lines = window.relmap.edges.get({filter: (e) => e.kind === 'reports_to'});"
        " return lines.every((e) => net.getPosition(e.from).y > net.getPosition(e.to).y); }"
    )
    assert below  # everyone drawn below their manager
    assert tab.evaluate(PAINTED) > 5_000  # type: ignore[attr-defined]
    screenshot(tab, "account-map-reporting-lines")
    guard.check()


def test_a_1200_contact_map_opens_and_settles_quickly(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    seconds = open_map(tab, f"{served.base}/accounts/{BIG_ACCOUNT}/map#network", timeout_ms=60_000)
    counts = tab.evaluate(COUNTS)  # type: ignore[attr-defined]
    assert counts["nodes"] >= 1200
    assert tab.evaluate(PAINTED) > 20_000  # type: ignore[attr-defined]
    screenshot(tab, "account-map-1200")
    print(f"\n1,200-contact map: open + settle {seconds:.2f} s (page: {counts['readyMs']} ms)")
    guard.check()


def test_demo_strategic_account_map_and_page(page: tuple[object, Guard], served: Served) -> None:
    tab, guard = page
    seconds = open_map(tab, f"{served.base}/accounts/{quote(served.demo_account)}/map#network")
    counts = tab.evaluate(COUNTS)  # type: ignore[attr-defined]
    assert counts["nodes"] > 50 and tab.evaluate(PAINTED) > 20_000  # type: ignore[attr-defined]
    screenshot(tab, "demo-strategic-account-map")
    tab.check("#f-ours")  # type: ignore[attr-defined]
    tab.check("#f-key")  # type: ignore[attr-defined]
    screenshot(tab, "demo-strategic-account-key-contacts")
    tab.goto(f"{served.base}/accounts/{quote(served.demo_account)}")  # type: ignore[attr-defined]
    # the browser asks for zh-CN (Accept-Language), so the page answers in Chinese
    assert "关键联系人" in tab.inner_text("main")  # type: ignore[attr-defined]
    assert tab.locator("table tbody tr").count() > 0  # type: ignore[attr-defined]
    screenshot(tab, "demo-account-page")
    print(f"\ndemo strategic account map ({counts['nodes']} nodes) settled in {seconds:.2f} s")
    guard.check()


def test_coverage_map_clusters_regions_and_opens_them(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    seconds = open_map(tab, f"{served.base}/coverage/map")
    counts = tab.evaluate(COUNTS)  # type: ignore[attr-defined]
    assert counts["clusters"] >= 5
    assert counts["drawn"] < counts["nodes"]  # clustered: fewer drawn than in the data
    assert tab.evaluate(PAINTED) > 20_000  # type: ignore[attr-defined]
    screenshot(tab, "coverage-map")
    before = counts["drawn"]
    tab.evaluate(  # type: ignore[attr-defined]
        "() => { const n = window.relmap.network;"
        " const c = n.body.nodeIndices.filter((id) => n.isCluster(id));"
        " n.openCluster(c[0]); n.redraw(); }"
    )
    assert tab.evaluate(COUNTS)["drawn"] > before  # type: ignore[attr-defined]

    tab.check("#f-problems")  # type: ignore[attr-defined]
    tab.uncheck("#f-cluster")  # type: ignore[attr-defined]
    tab.wait_for_selector(READY, state="attached")  # type: ignore[attr-defined]
    shown = tab.evaluate(COUNTS)["shownIds"]  # type: ignore[attr-defined]
    statuses = tab.evaluate(  # type: ignore[attr-defined]
        "(ids) => window.relmap.nodes.get(ids).filter((n) => n.kind === 'customer')"
        ".map((n) => n.status)",
        shown,
    )
    assert statuses and "ok" not in statuses and {"gap", "conflict"} <= set(statuses)
    screenshot(tab, "coverage-map-problems-only")
    tab.select_option("#f-group", "industry")  # type: ignore[attr-defined]
    tab.check("#f-cluster")  # type: ignore[attr-defined]
    tab.wait_for_selector(READY, state="attached")  # type: ignore[attr-defined]
    assert tab.evaluate(COUNTS)["clusters"] >= 2  # type: ignore[attr-defined]
    print(f"\ncoverage map ({counts['nodes']} nodes) settled in {seconds:.2f} s")
    guard.check()


def test_find_an_account_read_it_and_open_its_map(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    tab.goto(f"{served.base}/")  # type: ignore[attr-defined]
    screenshot(tab, "start-page")
    tab.fill("#q", "Acme")  # type: ignore[attr-defined]
    tab.press("#q", "Enter")  # type: ignore[attr-defined]
    tab.wait_for_url("**/?q=Acme")  # type: ignore[attr-defined]
    tab.click("text=华东重工 <b>Acme</b> & Co")  # type: ignore[attr-defined]
    tab.wait_for_url("**/accounts/acme")  # type: ignore[attr-defined]
    assert "关系缺口" in tab.inner_text("main")  # type: ignore[attr-defined]  (zh-CN browser)
    screenshot(tab, "account-page")
    tab.click("text=打开客户关系图")  # type: ignore[attr-defined]
    tab.wait_for_selector(READY, state="attached")  # type: ignore[attr-defined]
    tab.click("#m-network")  # type: ignore[attr-defined]  # the org chart is the default view
    tab.wait_for_function("() => window.relmap.ready")  # type: ignore[attr-defined]
    assert tab.evaluate(COUNTS)["nodes"] == 308  # type: ignore[attr-defined]
    guard.check()


def test_a_written_map_file_works_offline(
    page: tuple[object, Guard], served: Served, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    out = tmp_path / "acme map.html"
    result = CliRunner().invoke(app, ["--store", served.store_url, "map", "acme", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tab, guard = page
    open_map(tab, out.as_uri() + "#network")
    assert tab.evaluate(COUNTS)["nodes"] == 308  # type: ignore[attr-defined]
    assert tab.evaluate(PAINTED) > 20_000  # type: ignore[attr-defined]
    assert all(u.startswith("file:") for u in guard.requests)
    guard.check()


def test_an_account_without_contacts_opens_an_empty_map_cleanly(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    open_map(tab, f"{served.base}/accounts/cust0001/map#network")
    assert tab.evaluate(COUNTS)["nodes"] == 0  # type: ignore[attr-defined]
    assert "0 个联系人" in tab.inner_text("#relmap-summary")  # type: ignore[attr-defined]
    guard.check()
