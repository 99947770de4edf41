"""/docs in headless Chromium: Swagger UI renders relmap's OpenAPI 3.1 document offline, lists
the operations, and runs under the default Content-Security-Policy without an error."""

from __future__ import annotations

import pytest

from tests.support.browser import Guard, Served, screenshot

pytestmark = pytest.mark.browser

OPERATIONS = (
    "() => Array.from(document.querySelectorAll('.opblock-summary-path')).map(e => e.textContent)"
)


def test_docs_list_the_operations_of_the_openapi_31_document(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    tab.goto(f"{served.base}/docs")  # type: ignore[attr-defined]
    tab.wait_for_selector(".opblock", timeout=30_000)  # type: ignore[attr-defined]
    paths = tab.evaluate(OPERATIONS)  # type: ignore[attr-defined]
    assert len(paths) >= 30
    assert any(p.replace("\u200b", "").startswith("/v1/customers") for p in paths)
    assert any("analytics" in p for p in paths)
    body = tab.inner_text("body")  # type: ignore[attr-defined]
    assert "Unable to render this definition" not in body
    assert "3.1" in tab.inner_text(".info")  # type: ignore[attr-defined]
    screenshot(tab, "api-docs")
    guard.check()


def test_docs_page_keeps_the_default_csp_and_loads_only_its_own_assets(
    page: tuple[object, Guard], served: Served
) -> None:
    tab, guard = page
    response = tab.goto(f"{served.base}/docs")  # type: ignore[attr-defined]
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    tab.wait_for_selector(".opblock", timeout=30_000)  # type: ignore[attr-defined]
    assert all(r.startswith(served.base) for r in guard.requests), guard.requests
    guard.check()
