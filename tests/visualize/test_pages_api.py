"""The pages and maps served by the API, over a real SQLite store: status codes, the strict CSP,
escaping in pages, access rules (account managers see their accounts only, viewers no contact
names), static assets, and ``relmap map`` writing a self-contained file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from graph.auth.tokens import create_token
from graph.model import Coverage, CoverageRole, HolderKind
from graph.settings import Settings
from graph.store.base import ChangeSet
from graph.store.open import open_store
from tests.support.map_samples import (
    CHINESE_NAME,
    XSS_IMG,
    XSS_SCRIPT,
    account_records,
    book_records,
)
from tests.support.stores import fill_store, sqlite_settings


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    settings = sqlite_settings(tmp_path_factory.mktemp("pages"))
    return fill_store(settings, book_records(200), account_records(60)[0])


@pytest.fixture(scope="module")
def client(store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_url, auth_required=False))) as c:
        yield c


def test_html_pages_answer_with_a_strict_csp(client: TestClient) -> None:
    for path in (
        "/",
        "/?q=acme",
        "/accounts/acme",
        "/accounts/acme/map",
        "/coverage/map",
        "/accounts/acme/map?hierarchical=true&subsidiaries=false",
        "/coverage/map?group_by=industry",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_unknown_account_is_a_404_page(client: TestClient) -> None:
    for path in ("/accounts/nope", "/accounts/nope/map"):
        r = client.get(path)
        assert r.status_code == 404 and "Not found" in r.text


def test_search_finds_accounts_by_name_and_escapes_the_query(client: TestClient) -> None:
    r = client.get("/", params={"q": "acme"})
    assert 'href="/accounts/acme"' in r.text
    r = client.get("/", params={"q": XSS_SCRIPT})
    assert XSS_SCRIPT not in r.text and "&lt;/script&gt;&lt;script&gt;" in r.text
    r = client.get("/", params={"q": "华东"})
    assert "华东" in r.text and r.text.count('<a href="/accounts/cust') >= 1
    strategic = client.get("/").text  # no query: the strategic accounts
    assert 'href="/accounts/acme"' in strategic


def test_account_page_lists_key_contacts_and_gaps_with_names_as_text(client: TestClient) -> None:
    r = client.get("/accounts/acme")
    text = r.text
    assert "Relationship gaps" in text and "Key contacts" in text
    assert "Key contacts nobody of ours knows" in text
    assert XSS_IMG not in text and XSS_SCRIPT not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script" not in text.lower()  # the pages run no script at all
    assert 'href="/accounts/acme/map"' in text


def test_static_assets_are_served_and_revalidated(client: TestClient) -> None:
    r = client.get("/static/vis-network.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.content.startswith(b"/**\n * vis-network")
    again = client.get("/static/vis-network.min.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/static/LICENSE-vis-network.txt").status_code == 200
    for bad in ("/static/nope.js", "/static/..%2Fhtml.py", "/static/__init__.py"):
        assert client.get(bad).status_code == 404


def _token(store_url: str, role: str, employee: str | None = None) -> str:
    store = open_store(Settings(store=store_url))
    with store:
        secret, _ = create_token(store, name=f"test {role}", role=role, employee_id=employee)
    return secret


def test_account_manager_sees_only_covered_accounts(store_url: str) -> None:
    store = open_store(Settings(store=store_url))
    with store:  # am0 covers acme's sibling customer cust0000 only
        store.write(
            ChangeSet(
                upserts=[
                    Coverage(
                        holder_kind=HolderKind.EMPLOYEE,
                        holder_id="am0",
                        customer_id="cust0000",
                        role=CoverageRole.SUPPORT,
                        credit_share=0,
                    )
                ]
            )
        )
    secret = _token(store_url, "account_manager", "am0")
    app = create_app(Settings(store=store_url, auth_required=True))
    with TestClient(app) as c:
        auth = {"Authorization": f"Bearer {secret}"}
        assert c.get("/accounts/acme", headers=auth).status_code == 404
        assert c.get("/accounts/acme/map", headers=auth).status_code == 404
        assert c.get("/accounts/cust0000", headers=auth).status_code == 200
        home = c.get("/", headers=auth).text
        assert "Your accounts" in home and "/accounts/cust0000" in home
        assert "/accounts/acme" not in c.get("/", params={"q": "acme"}, headers=auth).text
        cov = c.get("/coverage/map", headers=auth).text
        assert "cust0000" in cov and "customer:cust0001" not in cov


def test_viewer_map_and_page_hold_no_contact_names(store_url: str) -> None:
    secret = _token(store_url, "viewer")
    app = create_app(Settings(store=store_url, auth_required=True))
    with TestClient(app) as c:
        auth = {"Authorization": f"Bearer {secret}"}
        for path in ("/accounts/acme", "/accounts/acme/map"):
            r = c.get(path, headers=auth)
            assert r.status_code == 200
            assert CHINESE_NAME not in r.text and "@acme.example" not in r.text


def test_browser_without_a_session_is_sent_to_sign_in(store_url: str) -> None:
    app = create_app(Settings(store=store_url, auth_required=True))
    with TestClient(app) as c:
        r = c.get("/accounts/acme/map", follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == "/login?next=%2Faccounts%2Facme%2Fmap"


def test_relmap_map_writes_self_contained_files(store_url: str, tmp_path: Path) -> None:
    from cli.main import app

    runner = CliRunner()
    out = tmp_path / "acme.html"
    result = runner.invoke(
        app, ["--store", store_url, "map", "acme", "-o", str(out), "--hierarchical"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and '"hierarchical":true' in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    cov = tmp_path / "cov.html"
    result = runner.invoke(app, ["--store", store_url, "map", "--coverage", "-o", str(cov)])
    assert result.exit_code == 0, result.output
    assert '"kind":"coverage"' in cov.read_text(encoding="utf-8")
    missing = runner.invoke(app, ["--store", store_url, "map", "nope", "-o", str(cov)])
    assert missing.exit_code == 1
    neither = runner.invoke(app, ["--store", store_url, "map", "-o", str(cov)])
    assert neither.exit_code == 2


def test_maps_and_pages_render_from_either_store(settings: Settings) -> None:
    """The same pages over SQLite and Neo4j (the ``settings`` fixture runs both)."""
    store = open_store(settings)
    with store:
        store.clear()
        store.write(ChangeSet(upserts=account_records(40)[0]))
        store.write(ChangeSet(upserts=book_records(60)))
    app = create_app(settings.model_copy(update={"auth_required": False}))
    with TestClient(app) as c:
        page = c.get("/accounts/acme").text
        assert "Key contacts" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        political = c.get("/accounts/acme/map").text
        assert political.count('"kind":"contact"') + political.count('"kind":"third_party"') == 40
        coverage = c.get("/coverage/map").text
        assert coverage.count('"kind":"customer"') == 60 + 1  # the book and acme
        assert "/accounts/acme" in c.get("/", params={"q": "ACME"}).text
