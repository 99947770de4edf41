"""``/v1/scenarios`` and the comparison page, over each store (auth off unless testing auth)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from graph.auth.tokens import create_token
from graph.model import Team, TeamKind
from graph.settings import Settings
from graph.store.base import ChangeSet, Store
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import graph_snapshot

MOVE = {
    "id": "move-bank",
    "name": "Bank to finance",
    "changes": [
        {
            "op": "move_customers",
            "select": {"ids": ["bank-n"]},
            "to_team": "KA-FIN",
            "to_account_manager": "am-fin1",
        }
    ],
}
LEAVE = {
    "id": "leaver",
    "name": "am-fin1 leaves",
    "changes": [{"op": "person_leaves", "employee": "am-fin1"}],
}


@pytest.fixture
def client(store: Store, settings: Settings) -> Iterator[TestClient]:
    load_world(store)
    app = create_app(settings.model_copy(update={"auth_required": False}))
    with TestClient(app) as c:
        yield c


def test_create_read_list_and_delete_a_scenario(client: TestClient) -> None:
    r = client.post("/v1/scenarios", json=MOVE)
    assert r.status_code == 201, r.text
    # touched: R-N link removed, the AM link 0.5 -> 0, a new KA-FIN link
    assert r.json()["status"] == "draft" and r.json()["touched_records"] == 3
    assert client.post("/v1/scenarios", json=MOVE).status_code == 409
    assert client.get("/v1/scenarios/move-bank").json()["scenario"]["changes"][0]["op"] == (
        "move_customers"
    )
    assert [s["id"] for s in client.get("/v1/scenarios").json()["items"]] == ["move-bank"]
    assert client.delete("/v1/scenarios/move-bank").status_code == 204
    assert client.get("/v1/scenarios/move-bank").status_code == 404


def test_invalid_scenarios_get_problem_details_naming_the_change(client: TestClient) -> None:
    r = client.post(
        "/v1/scenarios",
        json={
            "id": "x",
            "name": "X",
            "changes": [{"op": "move_customers", "select": {"ids": ["bank-n"]}, "to_team": "NOPE"}],
        },
    )
    assert r.status_code == 422
    body = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert body["errors"] == [
        {"change": 0, "op": "move_customers", "field": "to_team", "message": "unknown team 'NOPE'"}
    ]
    r = client.post("/v1/scenarios", json={"id": "x", "name": "X", "changes": [{"op": "nope"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "op"


def test_evaluate_and_compare_with_exports(client: TestClient) -> None:
    client.post("/v1/scenarios", json=MOVE)
    client.post("/v1/scenarios", json=LEAVE)
    r = client.post("/v1/scenarios/move-bank/evaluate")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["counts"]["conflicts_closed"] == 1 and data["stale"] is False
    assert data["diff"]["conflicts_closed"][0]["customer_id"] == "bank-n"
    comp = client.get("/v1/scenarios/compare", params={"ids": "move-bank,leaver"}).json()
    assert [s["id"] for s in comp["scenarios"]] == ["move-bank", "leaver"]
    conflicts = next(h for h in comp["headline"] if h["metric"] == "conflicts")
    assert conflicts["after"] == {"move-bank": 0, "leaver": 1}
    csv = client.get("/v1/scenarios/compare", params={"ids": "move-bank,leaver", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert "customers,leaver,bank-n" in csv.text
    xlsx = client.get("/v1/scenarios/compare", params={"ids": "leaver", "format": "xlsx"})
    import io

    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["headline", "customers"]
    assert client.get("/v1/scenarios/compare", params={"ids": "ghost"}).status_code == 404


def test_apply_revert_and_stale_over_http(client: TestClient, store: Store) -> None:
    before = graph_snapshot(store)
    client.post("/v1/scenarios", json=MOVE)
    store.write(ChangeSet(upserts=[Team(id="X", name="X", team_kind=TeamKind.PARTNER)]))
    r = client.post("/v1/scenarios/move-bank/apply")
    assert r.status_code == 409
    assert r.json()["stale"] is True and r.json()["changed_meanwhile"] == []
    r = client.post("/v1/scenarios/move-bank/apply", params={"rebase": "true"})
    assert r.status_code == 200, r.text
    audit = store.get_doc("audit", r.json()["audit_id"])
    assert audit is not None and audit["actor"] == "anonymous"
    assert client.post("/v1/scenarios/move-bank/apply").status_code == 409  # applied already
    assert client.delete("/v1/scenarios/move-bank").status_code == 409
    r = client.post("/v1/scenarios/move-bank/revert")
    assert r.status_code == 200, r.text
    store.delete(Team.kind, ["X"])
    assert graph_snapshot(store) == before


def test_the_comparison_page_is_escaped_and_self_contained(client: TestClient) -> None:
    hostile = {**LEAVE, "id": "evil", "name": "<script>alert(1)</script>"}
    client.post("/v1/scenarios", json=hostile)
    client.post("/v1/scenarios", json=MOVE)
    r = client.get("/scenarios/compare", params={"ids": "evil,move-bank"})
    assert r.status_code == 200
    html = r.text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "<script" not in html  # no script at all on this page
    assert "http://" not in html and "https://" not in html
    m = client.get("/scenarios/move-bank/map")
    assert m.status_code == 200 and 'id="relmap-data"' in m.text
    assert '<script src="/static/vis-network.min.js">' in m.text


def test_who_may_apply(store: Store, settings: Settings) -> None:
    load_world(store)
    tokens = {}
    for name, role, can_apply in (
        ("viewer", "viewer", False),
        ("designer", "org_designer", False),
        ("applier", "org_designer", True),
    ):
        tokens[name], _ = create_token(store, name=name, role=role, can_apply=can_apply)
    app = create_app(settings.model_copy(update={"auth_required": True}))
    with TestClient(app) as c:

        def h(who: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[who]}"}

        assert c.get("/v1/scenarios").status_code == 401
        assert c.get("/v1/scenarios", headers=h("viewer")).status_code == 403
        assert c.post("/v1/scenarios", json=MOVE, headers=h("designer")).status_code == 201
        assert c.post("/v1/scenarios/move-bank/evaluate", headers=h("designer")).status_code == 200
        r = c.post("/v1/scenarios/move-bank/apply", headers=h("designer"))
        assert r.status_code == 403
        r = c.post("/v1/scenarios/move-bank/apply", headers=h("applier"))
        assert r.status_code == 200, r.text
        r = c.post("/v1/scenarios/move-bank/revert", headers=h("designer"))
        assert r.status_code == 403


def test_rebase_moves_a_stale_draft_to_the_current_graph(client: TestClient, store: Store) -> None:
    client.post("/v1/scenarios", json=MOVE)
    store.write(ChangeSet(upserts=[Team(id="X", name="X", team_kind=TeamKind.PARTNER)]))
    assert client.post("/v1/scenarios/move-bank/evaluate").json()["stale"] is True
    r = client.post("/v1/scenarios/move-bank/rebase")
    assert r.status_code == 200 and r.json()["base_version"] == store.version()
    assert client.post("/v1/scenarios/move-bank/evaluate").json()["stale"] is False
    assert client.post("/v1/scenarios/move-bank/apply").status_code == 200
