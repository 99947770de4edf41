"""The /v1 account analytics routes on both stores, including who may see what."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.auth.tokens import create_token
from graph.model import Coverage, HolderKind, Record
from graph.settings import Settings
from tests.support.stores import filled_store


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]

    def get(self, url: str, role: str = "admin", **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(
            url, params=params, headers={"Authorization": f"Bearer {self.tokens[role]}"}
        )


@pytest.fixture
def api(settings: Settings, records: list[Record]) -> Iterator[Api]:
    """An app over the hand-built scenario; e1 (Ann) covers the account "solo" only."""
    cov = Coverage(holder_kind=HolderKind.EMPLOYEE, holder_id="e1", customer_id="solo")
    store = filled_store(settings, [*records, cov])
    tokens = {
        role: create_token(
            store,
            name=f"test {role}",
            role=role,
            employee_id="e1" if role == "account_manager" else None,
        )[0]
        for role in ("admin", "org_designer", "account_manager", "viewer")
    }
    store.close()
    app = create_app(settings.model_copy(update={"auth_required": True}))
    with TestClient(app) as client:
        yield Api(client, tokens)


def test_key_contacts_rank_the_broker_top_by_betweenness_and_flag_the_hidden_influencer(api):
    r = api.get("/v1/accounts/acme/key-contacts", include_subsidiaries=False)
    assert r.status_code == 200, r.text
    body = r.json()
    by_id = {c["contact_id"]: c for c in body["contacts"]}
    assert by_id["b"]["betweenness_rank"] == 1 and by_id["b"]["hidden_influencer"]
    assert body["hidden_influencers"] == 1 and body["customer_ids"] == ["acme"]
    assert [p["name"] for p in by_id["b"]["parts"]] == [
        "pagerank",
        "betweenness",
        "influence_in_degree",
        "role",
    ]
    assert by_id["b"]["explanation"].startswith("score ")
    key_only = api.get("/v1/accounts/acme/key-contacts", key_only=True).json()
    assert sorted(c["contact_id"] for c in key_only["contacts"]) == ["b", "i1", "s1", "sh1"]


def test_coverage_finds_uncovered_single_threaded_and_stale(api):
    r = api.get("/v1/accounts/acme/relationship-coverage", stale_days=180, today="2026-11-23")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["detail"]["uncovered"] == ["b"]
    assert sorted(body["detail"]["single_threaded_contacts"]) == ["i1", "sh1"]
    assert [(s["employee_id"], s["contact_id"]) for s in body["detail"]["stale"]] == [
        ("e1", "s2"),
        ("e1", "i1"),
    ]
    assert body["summary"]["roles_complete"] is True
    solo = api.get("/v1/accounts/solo/relationship-coverage", today="2026-11-23").json()
    assert solo["summary"]["single_threaded"] is True
    assert solo["summary"]["roles_met"]["champion"] is False


def test_what_if_leaves_lists_the_relationships_lost_per_account(api):
    r = api.get("/v1/employees/e1/what-if-leaves")
    assert r.status_code == 200, r.text
    body = r.json()
    lost = {a["account_id"]: sorted(x["contact_id"] for x in a["lost"]) for a in body["accounts"]}
    assert lost == {"acme": ["i1", "s1", "s2"], "solo": ["d1"]}
    assert body["relationships_lost"] == 4 and body["accounts_uncovered"] == ["solo"]


def test_map_json_has_nodes_edges_and_scores(api):
    body = api.get("/v1/accounts/acme/map.json", include_subsidiaries=False).json()
    nodes = {n["key"]: n for n in body["nodes"]}
    assert nodes["contact:b"]["hidden_influencer"] is True
    assert nodes["employee:e1"]["node_type"] == "employee"
    edges = body["edges"]
    influence = {(e["source"], e["target"]) for e in edges if e["edge_type"] == "influences"}
    assert influence >= {("contact:b", "contact:s1"), ("contact:b", "contact:i1")}


def test_search_finds_accounts_by_name_or_id_and_pages_by_cursor(api):
    found = api.get("/v1/accounts", q="ACME").json()["items"]
    assert [a["id"] for a in found] == ["acme", "acme-sh"]
    assert [a["id"] for a in api.get("/v1/accounts", q="上海").json()["items"]] == ["acme-sh"]
    first = api.get("/v1/accounts", limit=2).json()
    assert [a["id"] for a in first["items"]] == ["acme", "acme-sh"]
    assert first["next_after"] == "acme-sh"
    rest = api.get("/v1/accounts", limit=2, after=first["next_after"]).json()
    assert [a["id"] for a in rest["items"]] == ["other", "solo"] and rest["next_after"] is None


def test_an_account_manager_sees_only_the_accounts_they_cover(api):
    am = "account_manager"
    assert [a["id"] for a in api.get("/v1/accounts", am).json()["items"]] == ["solo"]
    assert api.get("/v1/accounts", am, q="acme").json()["items"] == []
    assert api.get("/v1/accounts/acme/key-contacts", am).status_code == 404
    assert api.get("/v1/accounts/acme/relationship-coverage", am).status_code == 404
    assert api.get("/v1/accounts/acme/map.json", am).status_code == 404
    assert api.get("/v1/accounts/solo/key-contacts", am).status_code == 200
    impact = api.get("/v1/employees/e1/what-if-leaves", am).json()
    assert [a["account_id"] for a in impact["accounts"]] == ["solo"]


def test_a_viewer_gets_aggregates_only(api):
    assert api.get("/v1/accounts/acme/key-contacts", "viewer").status_code == 403
    assert api.get("/v1/accounts/acme/map.json", "viewer").status_code == 403
    cov = api.get("/v1/accounts/acme/relationship-coverage", "viewer", today="2026-11-23").json()
    assert cov["detail"] is None and cov["summary"]["uncovered"] == 1
    impact = api.get("/v1/employees/e1/what-if-leaves", "viewer").json()
    assert impact["relationships_lost"] == 4
    assert all(a["lost"] is None for a in impact["accounts"])
    assert "王芳" not in str(cov) + str(impact)


def test_unknown_accounts_and_employees_are_404(api):
    assert api.get("/v1/accounts/nope/key-contacts").status_code == 404
    assert api.get("/v1/accounts/nope/relationship-coverage").status_code == 404
    assert api.get("/v1/employees/nobody/what-if-leaves").status_code == 404


def test_calls_without_a_token_are_401(api):
    assert api.client.get("/v1/accounts").status_code == 401


def test_relationship_risks_count_per_account_for_every_role(api):
    body = api.get("/v1/accounts/relationship-risks", "viewer", today="2026-11-23").json()
    rows = {r["account_id"]: r for r in body["items"]}
    assert sorted(rows) == ["acme", "acme-sh", "solo"]  # strategic and key by default
    assert rows["solo"]["single_threaded"] and rows["solo"]["at_risk"]
    assert rows["acme"]["uncovered"] == 1 and rows["acme"]["hidden_influencers"] == 1
    assert rows["solo"]["roles_missing"] == ["champion", "executive_sponsor"]
    assert "王芳" not in str(body)
    mid = api.get("/v1/accounts/relationship-risks", tier="mid").json()["items"]
    assert [r["account_id"] for r in mid] == ["other"]


def test_relationship_risks_page_by_cursor_and_filter_at_risk(api):
    first = api.get("/v1/accounts/relationship-risks", limit=2, today="2026-11-23").json()
    assert [r["account_id"] for r in first["items"]] == ["acme", "acme-sh"]
    rest = api.get("/v1/accounts/relationship-risks", limit=2, after=first["next_after"]).json()
    assert [r["account_id"] for r in rest["items"]] == ["solo"] and rest["next_after"] is None
    risky = api.get("/v1/accounts/relationship-risks", at_risk=True).json()["items"]
    assert all(r["at_risk"] for r in risky)


def test_an_account_manager_gets_risks_of_their_accounts_only(api):
    body = api.get("/v1/accounts/relationship-risks", "account_manager").json()
    assert [r["account_id"] for r in body["items"]] == ["solo"]
