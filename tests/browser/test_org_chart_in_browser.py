"""The political map's org chart mode in headless Chromium at 1366x768, served by the running API:
every card shown is labelled at a legible size and no two overlap (from the positions the page
exposes as ``window.relmapOrgChart``), managers sit above their reports, our people are in their
lane with lines to the contacts they know, a big account opens collapsed to the key contacts and
expands on demand, search opens the way to a person, hostile names stay text, nothing leaves
127.0.0.1. Screenshots land in artifacts/screenshots/."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest

from graph.model import Customer, RecordKind
from graph.settings import Settings
from graph.store.open import open_store
from tests.support.browser import BIG_ACCOUNT, Guard, Served, screenshot
from tests.support.map_samples import CHINESE_NAME, XSS_IMG, XSS_SCRIPT

pytestmark = pytest.mark.browser

READY = "html[data-relmap-ready=true]"
MIN_LABEL_PX = 11.0


def open_chart(tab: Any, url: str, timeout_ms: int = 30_000) -> float:
    """Open a map page at 1366x768 in its default mode; the wall-clock seconds until drawn."""
    tab.set_viewport_size({"width": 1366, "height": 768})
    started = time.perf_counter()
    tab.goto(url)
    tab.wait_for_selector(READY, state="attached", timeout=timeout_ms)
    assert tab.evaluate("() => document.documentElement.dataset.relmapMode") == "org"
    return time.perf_counter() - started


def cards(tab: Any) -> list[dict[str, Any]]:
    return list(tab.evaluate("() => window.relmapOrgChart.cards()"))


def overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of cards whose rectangles intersect (a sweep over x, fine for thousands)."""
    found = []
    ordered = sorted(boxes, key=lambda b: b["x"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b["x"] >= a["x"] + a["w"] - 0.5:
                break
            if b["y"] < a["y"] + a["h"] - 0.5 and a["y"] < b["y"] + b["h"] - 0.5:
                found.append((a["id"], b["id"]))
    return found


def check_readable(boxes: list[dict[str, Any]]) -> None:
    """Every card labelled at >= 11 px, none overlapping, every manager above their reports."""
    assert boxes
    unlabelled = [b["id"] for b in boxes if not b["visible"] or b["labelPx"] < MIN_LABEL_PX]
    assert not unlabelled, f"cards without a legible label: {unlabelled[:5]}"
    assert not overlaps(boxes), f"overlapping cards: {overlaps(boxes)[:5]}"
    by_id = {b["id"]: b for b in boxes}
    for b in boxes:
        boss = by_id.get(b["parent"] or "")
        if boss is not None:
            assert b["y"] >= boss["y"] + boss["h"], f"{b['id']} is not below its manager"


def small_demo_account(served: Served) -> str:
    """A demo account with a handful of contacts (the other end from the biggest)."""
    store = open_store(Settings(store=served.store_url))
    with store:
        for c in store.scan(RecordKind.CUSTOMER, where={"tier": "key"}):
            if isinstance(c, Customer) and c.id.startswith("C"):
                n = store.count(RecordKind.CONTACT, where={"customer_id": c.id})
                if 6 <= n <= 20:
                    return c.id
    raise AssertionError("the demo has no small account")


def test_demo_biggest_account_opens_as_a_readable_org_chart(
    page: tuple[Any, Guard], served: Served
) -> None:
    tab, guard = page
    seconds = open_chart(tab, f"{served.base}/accounts/{quote(served.demo_account)}/map")
    boxes = cards(tab)
    check_readable(boxes)
    contacts = [b for b in boxes if b["kind"] == "contact"]
    assert any(b["key"] for b in contacts) and any(b["more"].startswith("+") for b in boxes)
    total = tab.evaluate(
        "() => JSON.parse(document.getElementById('relmap-data').textContent).org.cards.length"
    )
    assert len(boxes) < total  # a big account opens collapsed to what matters
    ours = tab.evaluate("() => window.relmapOrgChart.ours()")
    assert ours and all(o["label"] and o["w"] > 100 for o in ours)
    links = tab.evaluate("() => window.relmapOrgChart.links()")
    assert links, "no relationship line drawn from our people"
    lane_right = max(o["x"] + o["w"] for o in ours)
    assert all(abs(line["x1"] - lane_right) < 20 for line in links)
    screenshot(tab, "org-chart-demo-biggest")

    tab.click("#o-all")
    expanded = cards(tab)
    assert len(expanded) == total + 1  # every person and the account
    check_readable(expanded)
    screenshot(tab, "org-chart-demo-biggest-expanded")
    tab.click("#o-influence")
    assert tab.evaluate("() => window.relmapOrgChart.influences()") > 0
    print(f"\ndemo biggest account as an org chart: {seconds:.2f} s, {total} people")
    guard.check()


def test_small_account_shows_everyone(page: tuple[Any, Guard], served: Served) -> None:
    tab, guard = page
    account = small_demo_account(served)
    open_chart(tab, f"{served.base}/accounts/{quote(account)}/map")
    boxes = cards(tab)
    check_readable(boxes)
    assert not any(b["more"].startswith("+") for b in boxes)  # nothing collapsed
    assert tab.evaluate("() => window.relmapOrgChart.ours()")
    screenshot(tab, "org-chart-small-account")
    guard.check()


def test_collapse_expand_and_search(page: tuple[Any, Guard], served: Served) -> None:
    tab, guard = page
    open_chart(tab, f"{served.base}/accounts/acme/map")
    before = cards(tab)
    opener = next(b for b in before if b["more"].startswith("+"))
    tab.click(f'.org-card[data-id="{opener["id"]}"] .org-more')
    after = cards(tab)
    assert len(after) > len(before)
    check_readable(after)
    tab.click(f'.org-card[data-id="{opener["id"]}"] .org-less')
    assert len(cards(tab)) < len(after)

    tab.click("#o-key")
    tab.fill("#o-find", CHINESE_NAME)
    tab.press("#o-find", "Enter")
    hit = [b for b in cards(tab) if b["label"] == CHINESE_NAME]
    assert hit and tab.locator(".org-card.hit").count() >= 1
    assert "个匹配" in tab.inner_text("#relmap-status")  # the zh-CN browser's words
    check_readable(cards(tab))

    tab.click("#m-network")  # the network stays as the second mode
    tab.wait_for_function("() => window.relmap.ready")
    assert tab.evaluate("() => window.relmap.nodes.length") == 308
    tab.click("#m-org")
    assert tab.evaluate("() => document.documentElement.dataset.relmapMode") == "org"
    guard.check()


def test_hostile_names_stay_text_in_the_org_chart(page: tuple[Any, Guard], served: Served) -> None:
    tab, guard = page
    open_chart(tab, f"{served.base}/accounts/acme/map")
    tab.click("#o-all")
    labels = {b["label"] for b in cards(tab)}
    assert {XSS_IMG, XSS_SCRIPT} <= labels
    assert (
        tab.evaluate("() => document.querySelectorAll('#relmap-org img, #relmap-ours img').length")
        == 0
    )
    tab.hover(f'.org-card:has(.org-name:text-is("{XSS_IMG}"))')
    assert XSS_IMG in tab.inner_text(".org-tip")
    assert all(u.startswith(served.base) for u in guard.requests)
    guard.check()


def test_a_1200_contact_org_chart_opens_fast_and_expands_readably(
    page: tuple[Any, Guard], served: Served
) -> None:
    tab, guard = page
    seconds = open_chart(tab, f"{served.base}/accounts/{BIG_ACCOUNT}/map", timeout_ms=60_000)
    check_readable(cards(tab))
    started = time.perf_counter()
    tab.click("#o-all")
    boxes = cards(tab)
    took = time.perf_counter() - started
    assert len(boxes) > 1100
    check_readable(boxes)
    assert took < 5, f"expanding 1,200 cards took {took:.1f} s"
    screenshot(tab, "org-chart-1200-expanded")
    print(f"\n1,200-contact org chart: open {seconds:.2f} s, expand all {took:.2f} s")
    guard.check()
