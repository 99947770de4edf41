"""Political map in headless Chromium: the org chart's first paint and settle against vis-network's
physics default on the same data, at 50 / 300 / 1,000 / 3,000 contacts.

Run: ``python -m benchmarks.run map [--sizes 50,300,1000,3000 --repeat 3 --timeout 180]``

Both sides get the same account in the same run (``benchmarks.key_contacts.synthetic_account``:
departments under a reporting tree, influence links, 50 of our people), ranked and built into
one view by ``visualize.political_map.build_political_map``, each written as a self-contained
map file (``AssetMode.INLINE``, as ``relmap map -o`` writes it) and opened in a fresh tab of
headless Debian Chromium at 1366x768:

- **relmap**: the page in its default mode, the org chart (d3-hierarchy tidy tree, DOM cards);
  a big account opens collapsed to its key contacts. Also timed: "expand all" (every card
  shown and laid out), to show the page stays responsive at size;
- **baseline**: the same view in the network mode with vis-network's physics switched on
  (barnesHut, stabilisation as the page configures it for small maps), i.e. what a vis-network
  map of that size costs when the browser lays it out.

*First paint* is the browser's first-contentful-paint; *settle* is when the page says it is
drawn (``readyMs`` of the org chart or of the network, both from navigation start). Prints the
best of ``repeat`` (interleaved) and the ratio baseline settle / relmap settle; the target is an
org chart settled in under 1 s at 1,000 contacts. Needs Chromium (``scripts/install-browser``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.key_contacts import synthetic_account
from graph.accounts.key_contacts import rank_key_contacts
from graph.accounts.map_graph import build_map_graph
from visualize.html import AssetMode
from visualize.political_map import MapMode, build_political_map, render_political_map

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
TIMES = """(mode) => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const ready = mode === 'org' ? window.relmapOrgChart.readyMs : window.relmap.readyMs;
  return {paint: paint ? paint.startTime : null, settle: ready};
}"""
EXPAND = """() => {
  const t = performance.now();
  window.relmapOrgChart.expandAll();
  const shown = window.relmapOrgChart.cards().length;
  return {ms: performance.now() - t, shown: shown};
}"""


@dataclass
class Sample:
    paint: float = float("inf")
    settle: float = float("inf")
    expand: float | None = None

    def keep_best(self, other: Sample) -> None:
        self.paint = min(self.paint, other.paint)
        self.settle = min(self.settle, other.settle)
        if other.expand is not None:
            self.expand = min(self.expand or other.expand, other.expand)


def write_pages(contacts: int, folder: Path) -> tuple[Path, Path, float]:
    """The org chart page and the vis-physics page of one synthetic account, and the seconds
    relmap took to build and render the view (Python side)."""
    started = time.perf_counter()
    g = build_map_graph(synthetic_account(contacts, contacts * 3))
    view = build_political_map(g, ranking=rank_key_contacts(g))
    org_html = render_political_map(view, mode=AssetMode.INLINE)
    took = time.perf_counter() - started
    physics = replace(view, options={**view.options, "physics": True, "smooth": True})
    physics.options["mode"] = MapMode.NETWORK.value
    physics.options["show_ours"] = True
    org = folder / f"org-{contacts}.html"
    vis = folder / f"vis-{contacts}.html"
    org.write_text(org_html, encoding="utf-8")
    vis.write_text(render_political_map(physics, mode=AssetMode.INLINE), encoding="utf-8")
    return org, vis, took


def measure(browser: Any, page_file: Path, mode: str, timeout_s: float) -> Sample:
    """Open one page in a fresh tab and read its paint and settle times."""
    tab = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        tab.goto(page_file.as_uri())
        tab.wait_for_selector(
            "html[data-relmap-ready=true]", state="attached", timeout=timeout_s * 1000
        )
        t = tab.evaluate(TIMES, mode)
        sample = Sample(paint=float(t["paint"] or "inf"), settle=float(t["settle"]))
        if mode == "org":
            sample.expand = float(tab.evaluate(EXPAND)["ms"])
        return sample
    except Exception as exc:  # a timeout: reported as such, the run goes on
        print(f"  {page_file.name}: {type(exc).__name__} after {timeout_s:.0f} s")
        return Sample()
    finally:
        tab.close()


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(prog="benchmarks.map", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,300,1000,3000", help="contacts per account")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per page")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from playwright.sync_api import sync_playwright

    results: dict[int, tuple[Sample, Sample, float]] = {}
    with tempfile.TemporaryDirectory(prefix="relmap-map-bench-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for n in sizes:
            org_page, vis_page, build_s = write_pages(n, Path(tmp))
            org, vis = Sample(), Sample()
            for _ in range(args.repeat):
                org.keep_best(measure(browser, org_page, "org", args.timeout))
                vis.keep_best(measure(browser, vis_page, "network", args.timeout))
            results[n] = (org, vis, build_s)
            print(
                f"{n:>6,} contacts: org chart paint {org.paint:7.0f} ms, settle {org.settle:7.0f}"
                f" ms (expand all {org.expand or float('inf'):6.0f} ms) | vis physics paint"
                f" {vis.paint:7.0f} ms, settle {vis.settle:8.0f} ms | view built in"
                f" {build_s:.2f} s",
                flush=True,
            )
        browser.close()

    print("\ncontacts  org settle  vis settle  vis/org")
    for n, (org, vis, _) in results.items():
        ratio = vis.settle / org.settle if org.settle else float("inf")
        print(f"{n:>8,}  {org.settle:8.0f} ms  {vis.settle:8.0f} ms  {ratio:7.1f}x")
    at = results.get(1000)
    if at:
        verdict = "met" if at[0].settle < 1000 else "missed"
        print(f"target (org chart settled < 1 s at 1,000 contacts): {verdict}")
    key = at or next(iter(results.values()))
    return key[1].settle / key[0].settle if key[0].settle else float("inf")


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
