"""Real-browser fixtures: the real API served by uvicorn on a free 127.0.0.1 port over a SQLite
store filled with hand-built accounts (XSS payload names, Chinese names, a 1,200-contact account,
a coverage book) and the demo data set, and headless Chromium (Debian's ``chromium`` package,
installed by ``scripts/install-browser``; a missing browser fails the tests, it never skips
them).

Every page a test opens is guarded (:class:`Guard`): each request is recorded and any request to
a host other than 127.0.0.1 is aborted and fails the test; console errors, page errors and
dialogs (``alert`` from an XSS payload) fail it too. Screenshots go to
``artifacts/screenshots/``.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from graph.model import Customer, RecordKind
from graph.settings import Settings
from tests.support.browser import (
    BIG_ACCOUNT,
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_CUSTOMERS,
    Guard,
    Served,
    free_port,
)
from tests.support.map_samples import account_records, book_records
from tests.support.stores import filled_store


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The real relmap API (uvicorn, own thread) over a filled SQLite store."""
    import uvicorn

    from api.app import create_app
    from graph.demo.generate import generate

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'relmap.db'}"
    with filled_store(
        Settings(store=url),
        *generate(customers=DEMO_CUSTOMERS, seed=7),
        account_records(300)[0],
        account_records(1200, seed=3, account_id=BIG_ACCOUNT)[0],
        book_records(200),
    ) as store:
        strategic = [
            c
            for c in store.scan(RecordKind.CUSTOMER, where={"tier": "strategic"})
            if isinstance(c, Customer)
            and c.id not in ("acme", BIG_ACCOUNT)
            and not c.id.startswith("cust")
        ]
        demo_account = max(
            strategic,
            key=lambda c: (store.count(RecordKind.CONTACT, where={"customer_id": c.id}), c.id),
        ).id

    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(store=url, auth_required=False)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="relmap-test-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the relmap API did not start for the browser tests")
        time.sleep(0.05)
    try:
        yield Served(base=f"http://127.0.0.1:{port}", demo_account=demo_account, store_url=url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_context() -> Iterator[object]:
    """Headless Debian Chromium with a fresh profile (no Playwright browser download).

    Module-scoped: Playwright's sync API runs an event loop in this thread while it is open, and
    other test modules (their own browser, asyncio clients) need it closed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/install-browser (Debian's chromium package)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="relmap-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
            locale="zh-CN",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: object, served: Served) -> Iterator[tuple[object, Guard]]:
    """A fresh tab whose traffic is confined to 127.0.0.1 and whose errors fail the test."""
    guard = Guard()
    tab = browser_context.new_page()  # type: ignore[attr-defined]

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        guard.requests.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "file:")) or host == "127.0.0.1":
            r.continue_()  # type: ignore[attr-defined]
        else:
            guard.foreign.append(url)
            r.abort()  # type: ignore[attr-defined]

    tab.route("**/*", route)
    tab.on("console", lambda m: guard.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: guard.page_errors.append(str(e)))

    def dialog(d: object) -> None:
        guard.dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    tab.on("dialog", dialog)
    try:
        yield tab, guard
    finally:
        tab.close()
