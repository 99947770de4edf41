"""The pages a person works in, served by the real app over the small scenario world
(tests/scenarios/worlds.py): the coverage matrix and its drill-down, the language switch,
scenarios uploaded, evaluated, applied and reverted in the browser with CSRF, the account page's
team and introductions, the sign-in page under the page CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.auth.tokens import create_token
from graph.settings import Settings
from graph.store.open import open_store
from tests.scenarios.worlds import world
from tests.support.stores import fill_store, sqlite_settings

SCENARIO = b"""id: fin-north
name: Finance banks to the industry team
changes:
  - op: move_customers
    select: {tier: key, industry: finance, region: north}
    to_team: KA-FIN
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return fill_store(sqlite_settings(tmp_path), world())


@pytest.fixture
def open_app(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=url, auth_required=False))) as c:
        yield c


def _token(url: str, role: str, **kw: object) -> str:
    with open_store(Settings(store=url)) as store:
        return create_token(store, name=f"t {role}", role=role, **kw)[0]  # type: ignore[arg-type]


def test_the_matrix_lights_the_planted_problems_and_drills_down(open_app: TestClient) -> None:
    page = open_app.get("/coverage/matrix", params={"by": "tier"})
    assert (
        page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    )
    html = page.text
    assert "North region" in html and "Finance" not in html.split("<tbody>")[0][-50:]
    assert 'class="cell bad"' in html  # bank-n's conflict, shop-w's missing owner
    nobody = open_app.get("/coverage/customers", params={"team": ""}).text
    assert "shop-w" in nobody and 'href="/accounts/shop-w"' in nobody
    north = open_app.get(
        "/coverage/customers", params={"team": "R-N", "by": "tier", "value": "key"}
    )
    assert "bank-n" in north.text and "plant-n" in north.text and "grid" not in north.text


def test_the_matrix_is_for_org_designers(url: str) -> None:
    am = _token(url, "account_manager", employee_id="am-fin1")
    designer = _token(url, "org_designer")
    with TestClient(create_app(Settings(store=url, auth_required=True))) as c:
        assert (
            c.get("/coverage/matrix", headers={"Authorization": f"Bearer {am}"}).status_code == 403
        )
        ok = c.get("/coverage/matrix", headers={"Authorization": f"Bearer {designer}"})
        assert ok.status_code == 200


def test_the_language_switch_is_remembered_and_accept_language_is_followed(
    open_app: TestClient,
) -> None:
    zh = open_app.get("/reports/coverage", params={"lang": "zh-CN"})
    assert '<html lang="zh-CN">' in zh.text and "覆盖健康度" in zh.text
    assert zh.cookies.get("relmap_lang") == "zh-CN"
    again = open_app.get("/coverage/matrix")  # the cookie holds
    assert "覆盖矩阵" in again.text
    open_app.cookies.clear()
    browser = open_app.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "查找客户" in browser.text
    assert "Find an account" in open_app.get("/", headers={"Accept-Language": "en"}).text


def test_account_page_shows_the_team_and_who_could_introduce_us(open_app: TestClient) -> None:
    html = open_app.get("/accounts/bank-n").text
    team = html.split("Account team")[1].split("</table>")[0]
    assert "North region" in team and "Finance" in team  # R-N and am-fin1's team both own it


def _session(c: TestClient, token: str) -> str:
    """Sign in through the form; the CSRF cookie's value for later forms."""
    c.get("/login")
    csrf = c.cookies.get("relmap_csrf")
    r = c.post(
        "/login", data={"token": token, "csrf_token": csrf, "next": "/"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return str(c.cookies.get("relmap_csrf"))


def test_a_scenario_is_uploaded_evaluated_applied_and_reverted_in_the_browser(url: str) -> None:
    admin = _token(url, "admin", can_apply=True)
    with TestClient(create_app(Settings(store=url, auth_required=True))) as c:
        csrf = _session(c, admin)
        files = {"file": ("fin-north.yaml", SCENARIO, "application/x-yaml")}
        refused = c.post("/scenarios", files=files, data={"csrf_token": "wrong"})
        assert refused.status_code == 403
        saved = c.post("/scenarios", files=files, data={"csrf_token": csrf}, follow_redirects=False)
        assert saved.status_code == 303 and saved.headers["location"] == "/scenarios/fin-north"
        listing = c.get("/scenarios").text
        assert "Finance banks to the industry team" in listing and 'value="fin-north"' in listing
        page = c.get("/scenarios/fin-north").text
        assert 'action="/scenarios/fin-north/apply"' in page and "owner changes" in page
        version = int(page.split('name="version" value="')[1].split('"')[0])
        stale = c.post(
            "/scenarios/fin-north/apply",
            data={"csrf_token": csrf, "version": str(version - 1)},
            follow_redirects=False,
        )
        assert stale.headers["location"] == "/scenarios/fin-north?moved=1"
        assert "Not applied" in c.get(stale.headers["location"]).text
        applied = c.post(
            "/scenarios/fin-north/apply",
            data={"csrf_token": csrf, "version": str(version)},
            follow_redirects=False,
        )
        assert applied.status_code == 303
        after = c.get("/scenarios/fin-north").text
        assert 'action="/scenarios/fin-north/revert"' in after
        new_version = int(after.split('name="version" value="')[1].split('"')[0])
        reverted = c.post(
            "/scenarios/fin-north/revert",
            data={"csrf_token": csrf, "version": str(new_version)},
            follow_redirects=False,
        )
        assert reverted.status_code == 303
        assert 'action="/scenarios/fin-north/apply"' in c.get("/scenarios/fin-north").text


def test_a_bad_scenario_file_is_answered_on_the_list_with_its_errors(open_app: TestClient) -> None:
    files = {"file": ("bad.yaml", b"id: x\nname: y\nchanges: [{op: nope}]\n", "text/yaml")}
    r = open_app.post("/scenarios", files=files, data={"csrf_token": ""})
    assert r.status_code == 422 and '<ul class="errors">' in r.text and "nope" in r.text


def test_designers_without_the_apply_right_get_no_apply_form(url: str) -> None:
    designer = _token(url, "org_designer")
    with TestClient(create_app(Settings(store=url, auth_required=True))) as c:
        csrf = _session(c, designer)
        files = {"file": ("fin-north.yaml", SCENARIO, "application/x-yaml")}
        c.post("/scenarios", files=files, data={"csrf_token": csrf})
        page = c.get("/scenarios/fin-north").text
        assert "/apply" not in page and "needs the apply right" in page
        r = c.post("/scenarios/fin-north/apply", data={"csrf_token": csrf, "version": "1"})
        assert r.status_code == 403


def test_the_sign_in_page_is_framed_and_under_the_page_csp(open_app: TestClient) -> None:
    r = open_app.get("/login")
    assert "style-src 'self';" in r.headers["content-security-policy"]
    assert 'class="topbar"' in r.text and 'name="csrf_token"' in r.text
