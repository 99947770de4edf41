"""The generic /v1 record routes: listing, filters, cursors, CRUD, ETags, visibility, audit."""

from __future__ import annotations

import pytest

from graph.model import RecordKind
from graph.store.audit import COLLECTION as AUDIT
from tests.api.conftest import ApiEnv


def _all_pages(api: ApiEnv, path: str, role: str = "admin", **params: object) -> list[dict]:
    items: list[dict] = []
    after = None
    while True:
        query = dict(params)
        if after:
            query["after"] = after
        r = api.client.get(path, params=query, headers=api.auth(role))
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        after = page["next_cursor"]
        if after is None:
            return items


def test_cursor_pagination_visits_every_record_once_in_key_order(api: ApiEnv) -> None:
    items = _all_pages(api, "/v1/contacts", limit=2)
    ids = [c["id"] for c in items]
    assert ids == sorted(ids) == ["P1", "P1a", "P2", "P3", "P4"]


def test_limit_is_capped(api: ApiEnv) -> None:
    r = api.client.get("/v1/customers", params={"limit": 100000}, headers=api.auth("admin"))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_filters_are_model_fields_pushed_to_the_store(api: ApiEnv) -> None:
    tiers = _all_pages(api, "/v1/customers", tier="key")
    assert {c["id"] for c in tiers} == {"C1", "C2"}
    branch = _all_pages(api, "/v1/customers", parent_id="C1")
    assert [c["id"] for c in branch] == ["C1a"]
    cov = _all_pages(api, "/v1/coverage", holder_kind="employee", holder_id="E1")
    assert [(c["customer_id"], c["role"]) for c in cov] == [("C1", "owner")]


@pytest.mark.parametrize(
    "params",
    [
        {"nonsense": "1"},
        {"tier": "gigantic"},
        {"after": "%%%"},
        {"revenue": "lots"},
        {"sort": "colour"},
        {"sort": "-id"},
    ],
)
def test_unknown_or_invalid_query_parameters_are_422(api: ApiEnv, params: dict) -> None:
    r = api.client.get("/v1/customers", params=params, headers=api.auth("admin"))
    assert r.status_code == 422
    assert r.json()["status"] == 422


def test_create_get_and_duplicate_create(api: ApiEnv) -> None:
    h = api.auth("admin")
    body = {"id": "C9", "name": "Nine Co", "tier": "mid"}
    r = api.client.post("/v1/customers", json=body, headers=h)
    assert r.status_code == 201
    assert r.headers["location"] == "/v1/customers/C9"
    got = api.client.get("/v1/customers/C9", headers=h)
    assert got.json()["tier"] == "mid"
    assert got.headers["etag"] == r.headers["etag"]
    again = api.client.post("/v1/customers", json=body, headers=h)
    assert again.status_code == 409


def test_invalid_body_is_422_naming_the_field(api: ApiEnv) -> None:
    r = api.client.post(
        "/v1/customers", json={"id": "C9", "name": "x", "winnability": 7}, headers=api.auth("admin")
    )
    assert r.status_code == 422
    assert any(e["field"].endswith("winnability") for e in r.json()["errors"])


def test_reference_to_a_missing_record_is_422(api: ApiEnv) -> None:
    r = api.client.post(
        "/v1/contacts",
        json={"id": "P9", "customer_id": "nope", "name": "x"},
        headers=api.auth("admin"),
    )
    assert r.status_code == 422
    assert api.store.get(RecordKind.CONTACT, "P9") is None


def test_links_are_addressed_by_composite_key(api: ApiEnv) -> None:
    h = api.auth("admin")
    r = api.client.get("/v1/coverage/employee/E1/C1", headers=h)
    assert r.status_code == 200 and r.json()["role"] == "owner"
    assert api.client.get("/v1/coverage/robot/E1/C1", headers=h).status_code == 422
    assert api.client.get("/v1/influences/P1/P2", headers=h).json()["strength"] == 0.7


def test_update_needs_if_match_and_refuses_a_stale_etag(api: ApiEnv) -> None:
    h = api.auth("admin")
    etag = api.client.get("/v1/customers/C1", headers=h).headers["etag"]
    assert api.client.patch("/v1/customers/C1", json={"revenue": 1}, headers=h).status_code == 428
    first = api.client.patch(
        "/v1/customers/C1", json={"revenue": 1}, headers={**h, "If-Match": etag}
    )
    assert first.status_code == 200 and first.headers["etag"] != etag
    stale = api.client.patch(
        "/v1/customers/C1", json={"revenue": 2}, headers={**h, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.headers["etag"] == first.headers["etag"]
    assert api.client.get("/v1/customers/C1", headers=h).json()["revenue"] == 1


def test_put_replaces_the_whole_record_and_key_must_match_path(api: ApiEnv) -> None:
    h = {**api.auth("admin"), "If-Match": "*"}
    r = api.client.put("/v1/customers/C3", json={"id": "C3", "name": "Renamed"}, headers=h)
    assert r.status_code == 200
    assert r.json()["tier"] == "small" and r.json()["name"] == "Renamed"
    r = api.client.put("/v1/customers/C3", json={"id": "C2", "name": "x"}, headers=h)
    assert r.status_code == 422


def test_patch_cannot_change_key_fields_or_set_unknown_fields(api: ApiEnv) -> None:
    h = {**api.auth("admin"), "If-Match": "*"}
    assert api.client.patch("/v1/customers/C3", json={"id": "X"}, headers=h).status_code == 422
    assert (
        api.client.patch("/v1/customers/C3", json={"colour": "red"}, headers=h).status_code == 422
    )
    assert api.client.patch("/v1/customers/C3", json={"name": None}, headers=h).status_code == 422


def test_delete_takes_links_and_honours_if_match(api: ApiEnv) -> None:
    h = api.auth("admin")
    assert (
        api.client.delete("/v1/contacts/P1", headers={**h, "If-Match": '"stale"'}).status_code
        == 412
    )
    assert api.client.delete("/v1/contacts/P1", headers=h).status_code == 204
    assert api.client.get("/v1/contacts/P1", headers=h).status_code == 404
    assert api.client.get("/v1/influences/P1/P2", headers=h).status_code == 404
    assert api.client.delete("/v1/contacts/P1", headers=h).status_code == 404


def test_every_write_is_audited_with_who_and_what(api: ApiEnv) -> None:
    h = api.auth("admin")
    api.client.post(
        "/v1/teams", json={"id": "T9", "name": "Gov", "team_kind": "government"}, headers=h
    )
    api.client.patch("/v1/teams/T9", json={"industry": "public"}, headers={**h, "If-Match": "*"})
    api.client.delete("/v1/teams/T9", headers=h)
    entries = [d for _id, d in api.store.list_docs(AUDIT)]
    assert [(e["action"], e["kind"], e["key"]) for e in entries] == [
        ("create", "team", "T9"),
        ("patch", "team", "T9"),
        ("delete", "team", "T9"),
    ]
    assert entries[1]["changes"] == {"industry": ["", "public"]}
    assert all(e["actor"].startswith("token:") and e["role"] == "admin" for e in entries)
    listed = api.client.get("/v1/audit", params={"action": "patch"}, headers=h).json()["items"]
    assert [e["key"] for e in listed] == ["T9"]


def test_rejected_write_leaves_no_audit_entry(api: ApiEnv) -> None:
    api.client.post(
        "/v1/contacts",
        json={"id": "P9", "customer_id": "nope", "name": "x"},
        headers=api.auth("admin"),
    )
    assert api.store.list_docs(AUDIT) == []


def test_audit_is_admin_only_and_paginates(api: ApiEnv) -> None:
    h = api.auth("admin")
    for i in range(5):
        api.client.post("/v1/employees", json={"id": f"N{i}", "name": f"n{i}"}, headers=h)
    for role in ("org_designer", "account_manager", "viewer"):
        assert api.client.get("/v1/audit", headers=api.auth(role)).status_code == 403
    page = api.client.get("/v1/audit", params={"limit": 2}, headers=h).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.client.get("/v1/audit", params={"after": page["next_cursor"]}, headers=h).json()
    keys = [e["key"] for e in page["items"] + rest["items"]]
    assert keys == [f"N{i}" for i in range(5)]


# ------------------------------------------------------------------------ visibility


def test_account_manager_lists_only_their_accounts(api: ApiEnv) -> None:
    am = "account_manager"
    assert {c["id"] for c in _all_pages(api, "/v1/customers", am)} == {"C1", "C1a"}
    assert {c["id"] for c in _all_pages(api, "/v1/contacts", am)} == {"P1", "P1a", "P2"}
    assert [(i["source_id"], i["target_id"]) for i in _all_pages(api, "/v1/influences", am)] == [
        ("P1", "P2")
    ]
    assert [r["contact_id"] for r in _all_pages(api, "/v1/relationships", am)] == ["P1"]
    assert [c["customer_id"] for c in _all_pages(api, "/v1/coverage", am)] == ["C1"]
    assert _all_pages(api, "/v1/customers", am, tier="key", id="C2") == []
    assert _all_pages(api, "/v1/contacts", am, customer_id="C2") == []


@pytest.mark.parametrize(
    "path",
    [
        "/v1/customers/C2",
        "/v1/contacts/P3",
        "/v1/influences/P3/P4",
        "/v1/contact-reports-to/P4/P3",
        "/v1/coverage/team/T1/C2",
        "/v1/relationships/E2/P3",
    ],
)
def test_account_manager_gets_404_outside_their_accounts(api: ApiEnv, path: str) -> None:
    h = {**api.auth("account_manager"), "If-Match": "*"}
    assert api.client.get(path, headers=h).status_code == 404
    assert api.client.patch(path, json={}, headers=h).status_code in (403, 404)
    assert api.client.delete(path, headers=h).status_code in (403, 404)


def test_account_manager_edits_inside_but_cannot_reach_outside(api: ApiEnv) -> None:
    h = {**api.auth("account_manager"), "If-Match": "*"}
    assert (
        api.client.patch("/v1/contacts/P1", json={"stance": "champion"}, headers=h).status_code
        == 200
    )
    r = api.client.post(
        "/v1/contacts", json={"id": "P9", "customer_id": "C2", "name": "x"}, headers=h
    )
    assert r.status_code == 422
    r = api.client.post("/v1/influences", json={"source_id": "P1", "target_id": "P3"}, headers=h)
    assert r.status_code == 422
    r = api.client.patch("/v1/contacts/P1", json={"customer_id": "C2"}, headers=h)
    assert r.status_code == 422
    r = api.client.post(
        "/v1/customers", json={"id": "C1b", "name": "Branch B", "parent_id": "C1"}, headers=h
    )
    assert r.status_code == 201
    r = api.client.post("/v1/customers", json={"id": "C7", "name": "Not mine"}, headers=h)
    assert r.status_code == 403
    r = api.client.post(
        "/v1/coverage",
        json={"holder_kind": "employee", "holder_id": "E1", "customer_id": "C2"},
        headers=h,
    )
    assert r.status_code == 403
    assert api.client.delete("/v1/customers/C1", headers=h).status_code == 403


def test_viewer_sees_no_personal_data_and_writes_nothing(api: ApiEnv) -> None:
    h = api.auth("viewer")
    for path in (
        "/v1/contacts",
        "/v1/employees",
        "/v1/influences",
        "/v1/relationships",
        "/v1/memberships",
        "/v1/contact-reports-to",
        "/v1/employee-reports-to",
    ):
        assert api.client.get(path, headers=h).status_code == 403, path
    assert api.client.get("/v1/customers", headers=h).status_code == 200
    r = api.client.post(
        "/v1/teams", json={"id": "T9", "name": "x", "team_kind": "regional"}, headers=h
    )
    assert r.status_code == 403


def test_org_designer_reads_everything_but_writes_through_scenarios(api: ApiEnv) -> None:
    h = api.auth("org_designer")
    assert len(_all_pages(api, "/v1/contacts", "org_designer")) == 5
    r = api.client.post(
        "/v1/coverage",
        json={"holder_kind": "team", "holder_id": "T2", "customer_id": "C3"},
        headers=h,
    )
    assert r.status_code == 403


def test_imports_are_audited_too(api: ApiEnv) -> None:
    h = api.auth("admin")
    files = {"files": ("customers.csv", b"id,name\nC50,Fifty\n", "text/csv")}
    assert api.client.post("/v1/imports", files=files, headers=h).status_code == 200
    entries = api.client.get("/v1/audit", params={"action": "import"}, headers=h).json()["items"]
    assert len(entries) == 1 and entries[0]["key"] == "customers.csv"
    assert entries[0]["actor"].startswith("token:")


def test_audit_time_window_and_filters(api: ApiEnv) -> None:
    import datetime as dt

    h = api.auth("admin")
    before = dt.datetime.now(dt.UTC)
    api.client.post("/v1/teams", json={"id": "T7", "name": "x", "team_kind": "partner"}, headers=h)
    after = dt.datetime.now(dt.UTC)
    api.client.post("/v1/teams", json={"id": "T8", "name": "y", "team_kind": "partner"}, headers=h)
    window = {"since": before.isoformat(), "until": after.isoformat()}
    keys = [e["key"] for e in api.client.get("/v1/audit", params=window, headers=h).json()["items"]]
    assert keys == ["T7"]
    by_kind = api.client.get("/v1/audit", params={"kind": "team", "key": "T8"}, headers=h).json()
    assert [e["key"] for e in by_kind["items"]] == ["T8"]
    assert api.client.get("/v1/audit", params={"who": "x"}, headers=h).status_code == 422


def test_descending_sort_pages_backwards_at_any_size(
    api: ApiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stores page in descending order themselves (keyset), so there is no size cap: the
    route neither counts nor reads the whole set."""

    def whole_set(*_args: object, **_kw: object) -> None:
        raise AssertionError("a descending page must not read or count every match")

    monkeypatch.setattr(api.store, "scan", whole_set)
    monkeypatch.setattr(api.store, "count", whole_set)
    items = _all_pages(api, "/v1/contacts", sort="-key", limit=2)
    assert [c["id"] for c in items] == ["P4", "P3", "P2", "P1a", "P1"]
    am = _all_pages(api, "/v1/contacts", "account_manager", sort="-key", limit=2)
    assert [c["id"] for c in am] == ["P2", "P1a", "P1"]
    narrowed = _all_pages(api, "/v1/contacts", sort="-key", customer_id="C1", limit=1)
    assert [c["id"] for c in narrowed] == ["P2", "P1"]
