"""The analytics API: JSON, downloads, policy and overrides, and who sees what."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_principal
from graph.auth.principal import Principal, Role
from graph.model import RecordKind
from graph.settings import Settings
from graph.store.open import open_store
from tests.coverage.worlds import sales_world, scoring_world
from tests.support.stores import fill_store


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The API over a store of each kind holding the sales world."""
    fill_store(settings, sales_world())
    app = create_app(settings.model_copy(update={"auth_required": False}))
    with TestClient(app) as c:
        yield c


def as_role(client: TestClient, principal: Principal) -> None:
    client.app.dependency_overrides[get_principal] = lambda: principal  # type: ignore[attr-defined]


AM_LI = Principal(
    id="t-li",
    name="李",
    role=Role.ACCOUNT_MANAGER,
    employee_id="am-li",
    visible_customers=frozenset({"bank-zs", "hq-grp", "br-gansu", "br-bj"}),
)
VIEWER = Principal(id="t-v", name="viewer", role=Role.VIEWER)


def test_gaps_conflicts_credit_as_json(client: TestClient) -> None:
    gaps = client.get("/v1/analytics/gaps").json()
    assert sorted(f["customer_id"] for f in gaps["findings"] if f["kind"] == "no_owner") == [
        "br-gansu",
        "cu-gansu",
    ]
    conflicts = client.get("/v1/analytics/conflicts").json()["conflicts"]
    assert [c["customer_id"] for c in conflicts] == ["bank-zs"]
    credit = client.get("/v1/analytics/credit").json()
    assert [i["customer_id"] for i in credit["inflation"]] == ["ins-pa"]
    assert [o["customer_id"] for o in credit["allowed_overlays"]] == ["fac-bj"]
    capacity = client.get("/v1/analytics/capacity").json()
    assert [p["employee_id"] for p in capacity["people"] if p["status"] == "overloaded"] == [
        "am-busy"
    ]
    hierarchy = client.get("/v1/analytics/hierarchy").json()
    assert [u["branch_id"] for u in hierarchy["uncovered_branches"]] == ["br-gansu"]
    summary = client.get("/v1/analytics/summary").json()
    assert summary["counts"]["conflicts"] == 1


def test_csv_and_xlsx_downloads(client: TestClient) -> None:
    from openpyxl import load_workbook

    r = client.get("/v1/analytics/gaps", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("kind,customer_id,customer_name")
    assert "甘肃农村信用社" in text
    r = client.get("/v1/analytics/credit", params={"format": "xlsx"})
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == [
        "inflation",
        "disallowed_overlays",
        "allowed_overlays",
        "per_team",
        "per_pair",
    ]
    assert wb["inflation"]["A2"].value == "ins-pa"
    bad = client.get("/v1/analytics/gaps", params={"format": "csv", "table": "nope"})
    assert bad.status_code == 422


def test_scores_what_if_and_persistent_override(client: TestClient, settings: Settings) -> None:
    store = open_store(settings)
    store.upsert(scoring_world())
    store.close()
    params = {"preset": "saturated", "top_percent": 5}
    before = client.get("/v1/analytics/scores", params=params).json()
    assert before["key_slots"] == 2  # 29 customers * 5 % -> 2
    bad = client.get(
        "/v1/analytics/scores",
        params={"weights": "revenue:0.5,potential:0.6,reference:0,winnability:0"},
    )
    assert bad.status_code == 422 and "must sum to 1" in bad.text
    r = client.put("/v1/scores/overrides/c-fill1", json={"tier": "key", "reason": "新市场灯塔"})
    assert r.status_code == 200
    after = client.get("/v1/analytics/scores", params=params).json()
    override = [c for c in after["changes"] if c["customer_id"] == "c-fill1"]
    assert override and override[0]["proposed_tier"] == "key"
    assert client.get("/v1/scores/overrides").json()[0]["reason"] == "新市场灯塔"
    assert client.delete("/v1/scores/overrides/c-fill1").status_code == 204
    assert client.delete("/v1/scores/overrides/c-fill1").status_code == 404
    assert client.put("/v1/scores/overrides/nobody", json={"tier": "key"}).status_code == 404


def test_policy_put_changes_every_analysis(client: TestClient) -> None:
    policy = client.get("/v1/policy").json()
    policy["credit"]["max_owner_credit"] = 2.0
    assert client.put("/v1/policy", json=policy).status_code == 200
    assert client.get("/v1/analytics/credit").json()["inflation"] == []
    policy["scoring"]["weights"] = {"revenue": 1, "potential": 1, "reference": 0, "winnability": 0}
    r = client.put("/v1/policy", json=policy)
    assert r.status_code == 422 and "sum to 1" in r.text


def test_account_manager_sees_only_their_accounts(client: TestClient) -> None:
    as_role(client, AM_LI)
    gaps = client.get("/v1/analytics/gaps").json()
    assert [f["customer_id"] for f in gaps["findings"]] == ["br-gansu"]  # not cu-gansu
    assert client.get("/v1/analytics/credit").json()["inflation"] == []  # ins-pa is not theirs
    assert [p["employee_id"] for p in client.get("/v1/analytics/capacity").json()["people"]] == [
        "am-li"
    ]
    rows = client.get("/v1/analytics/coverage", params={"limit": 1000}).json()["items"]
    assert sorted(r["customer_id"] for r in rows) == ["bank-zs", "br-bj", "br-gansu", "hq-grp"]
    first = client.get("/v1/analytics/coverage", params={"limit": 3}).json()
    assert [r["customer_id"] for r in first["items"]] == ["bank-zs", "br-bj", "br-gansu"]
    rest = client.get("/v1/analytics/coverage", params={"limit": 3, "after": first["next_cursor"]})
    assert [r["customer_id"] for r in rest.json()["items"]] == ["hq-grp"]
    assert rest.json()["next_cursor"] is None
    assert client.put("/v1/policy", json={}).status_code == 403
    assert client.put("/v1/scores/overrides/bank-zs", json={"tier": "key"}).status_code == 403


def test_viewer_gets_aggregates_only(client: TestClient) -> None:
    as_role(client, VIEWER)
    gaps = client.get("/v1/analytics/gaps").json()
    assert gaps["findings"] == [] and gaps["groups"]
    summary = client.get("/v1/analytics/summary").json()
    assert summary["counts"]["no_owner"] == 2 and summary["top_offenders"] == []
    assert client.get("/v1/analytics/capacity").json()["people"] == []
    assert client.get("/v1/analytics/coverage").status_code == 403


def test_coverage_pages_through_every_customer(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 7} | ({"after": cursor} if cursor else {})
        page = client.get("/v1/analytics/coverage", params=params).json()
        seen += [r["customer_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 19
    assert seen == sorted(seen)


def test_report_page_escapes_names_and_draws_charts(client: TestClient, settings: Settings) -> None:
    store = open_store(settings)
    from graph.model import Customer, Tier

    store.upsert(
        [
            Customer(
                id="evil",
                name="<script>alert(1)</script>",
                tier=Tier.SMALL,
                region="火星",
                revenue=1e6,
            )
        ]
    )
    store.close()
    r = client.get("/reports/coverage")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<svg" in r.text and "http://" not in r.text.replace("http://www.w3.org", "")


def test_repeated_analytics_reuse_one_report_until_the_graph_changes(
    client: TestClient, settings: Settings
) -> None:
    cache = client.app.state.report_cache  # type: ignore[attr-defined]
    first = client.get("/v1/analytics/gaps").json()
    client.get("/v1/analytics/conflicts")
    client.get("/v1/analytics/summary")
    assert cache.computed == 1  # three analyses, one full report
    store = open_store(settings)
    store.delete(RecordKind.CUSTOMER, ["cu-gansu"])  # a write by another process or replica
    store.close()
    after = client.get("/v1/analytics/gaps").json()
    assert cache.computed == 2
    gone = {f["customer_id"] for f in first["findings"]} - {
        f["customer_id"] for f in after["findings"]
    }
    assert gone == {"cu-gansu"}


def test_a_policy_or_override_change_is_answered_without_a_graph_write(client: TestClient) -> None:
    assert client.get("/v1/analytics/credit").json()["inflation"] != []
    policy = client.get("/v1/policy").json()
    policy["credit"]["max_owner_credit"] = 2.0
    assert client.put("/v1/policy", json=policy).status_code == 200  # a document: no new version
    assert client.get("/v1/analytics/credit").json()["inflation"] == []


def test_report_cache_off_computes_every_request(settings: Settings) -> None:
    fill_store(settings, sales_world())
    app = create_app(
        settings.model_copy(update={"auth_required": False, "report_cache_entries": 0})
    )
    with TestClient(app) as c:
        assert c.get("/v1/analytics/gaps").status_code == 200
        assert c.get("/v1/analytics/gaps").status_code == 200
        assert app.state.report_cache.computed == 2
