"""Sorted listings of the /v1 record routes: any scalar field, both ways, keyset cursors that
remember their sort, and account managers still seeing only their accounts."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.api.conftest import ApiEnv


def _pages(api: ApiEnv, path: str, role: str = "admin", **params: object) -> list[list[str]]:
    """Every page's record keys (ids, or the key fields joined by '/' for links)."""
    pages: list[list[str]] = []
    after = None
    while True:
        query = dict(params) | ({"after": after} if after else {})
        r = api.client.get(path, params=query, headers=api.auth(role))
        assert r.status_code == 200, r.text
        body = r.json()
        pages.append([_key(item) for item in body["items"]])
        after = body["next_cursor"]
        if after is None:
            return pages


def _key(item: dict[str, Any]) -> str:
    if "id" in item:
        return str(item["id"])
    return "/".join(str(item[f]) for f in ("holder_id", "customer_id") if f in item)


def _flat(pages: list[list[str]]) -> list[str]:
    return [k for page in pages for k in page]


@pytest.mark.parametrize(
    ("path", "sort", "want"),
    [
        # Chen Jie, Li Wei, Liu Yang, Sun Li, Zhao Lei
        ("/v1/contacts", "name", ["P2", "P1", "P1a", "P4", "P3"]),
        ("/v1/contacts", "-name", ["P3", "P4", "P1a", "P1", "P2"]),
        # revenue: C1 100, the others 0 (ties by key)
        ("/v1/customers", "revenue", ["C1a", "C2", "C3", "C1"]),
        ("/v1/customers", "-revenue", ["C1", "C3", "C2", "C1a"]),
        # tier by value text: key (C1, C2) before small (C1a, C3)
        ("/v1/customers", "tier", ["C1", "C2", "C1a", "C3"]),
        ("/v1/customers", "-tier", ["C3", "C1a", "C2", "C1"]),
        # parent_id: only C1a has one; nulls last ascending, first descending
        ("/v1/customers", "parent_id", ["C1a", "C1", "C2", "C3"]),
        ("/v1/customers", "-parent_id", ["C3", "C2", "C1", "C1a"]),
        # a link kind by a number: credit share 0 (support), then 1.0 by key
        ("/v1/coverage", "credit_share", ["E2/C3", "E1/C1", "T1/C2"]),
        ("/v1/coverage", "-credit_share", ["T1/C2", "E1/C1", "E2/C3"]),
    ],
)
def test_sort_by_a_field_across_pages(api: ApiEnv, path: str, sort: str, want: list[str]) -> None:
    pages = _pages(api, path, sort=sort, limit=2)
    assert _flat(pages) == want
    assert all(len(p) == 2 for p in pages[:-1])  # every page but the last is full


def test_sort_combines_with_filters(api: ApiEnv) -> None:
    got = _flat(_pages(api, "/v1/contacts", sort="-name", customer_id="C1", limit=1))
    assert got == ["P1", "P2"]  # Li Wei, Chen Jie
    assert _flat(_pages(api, "/v1/customers", sort="revenue", tier="key", limit=1)) == ["C2", "C1"]


def test_account_manager_sorted_lists_show_only_their_accounts(api: ApiEnv) -> None:
    am = "account_manager"
    assert _flat(_pages(api, "/v1/contacts", am, sort="-name", limit=1)) == ["P1a", "P1", "P2"]
    assert _flat(_pages(api, "/v1/customers", am, sort="revenue", limit=1)) == ["C1a", "C1"]
    assert _flat(_pages(api, "/v1/customers", am, sort="-tier")) == ["C1a", "C1"]
    assert _flat(_pages(api, "/v1/coverage", am, sort="-credit_share")) == ["E1/C1"]
    assert _flat(_pages(api, "/v1/contacts", am, sort="name", customer_id="C2")) == []


@pytest.mark.parametrize(
    ("path", "sort"),
    [
        ("/v1/customers", "colour"),
        ("/v1/customers", "--name"),
        ("/v1/customers", "name;drop"),
        ("/v1/teams", "regions"),  # a list: not sortable
        ("/v1/teams", "-regions"),
        ("/v1/contacts", ""),
    ],
)
def test_an_unknown_or_unsortable_sort_is_422_naming_it(api: ApiEnv, path: str, sort: str) -> None:
    r = api.client.get(path, params={"sort": sort}, headers=api.auth("admin"))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["query.sort"]


def _cursor(payload: object) -> str:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _first_cursor(api: ApiEnv, sort: str) -> str:
    r = api.client.get(
        "/v1/customers", params={"sort": sort, "limit": 1}, headers=api.auth("admin")
    )
    cursor = r.json()["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


@pytest.mark.parametrize(
    ("made_for", "used_with"),
    [("name", "-name"), ("name", "key"), ("name", "revenue"), ("key", "name"), ("-key", "key")],
)
def test_a_cursor_used_with_another_sort_is_422(api: ApiEnv, made_for: str, used_with: str) -> None:
    cursor = _first_cursor(api, made_for)
    r = api.client.get(
        "/v1/customers", params={"sort": used_with, "after": cursor}, headers=api.auth("admin")
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert [e["field"] for e in body["errors"]] == ["query.after"]
    assert f"sort={made_for}" in body["detail"]


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("revenue", _cursor({"s": "revenue", "k": "C1", "v": "lots"})),  # wrong type
        ("tier", _cursor({"s": "tier", "k": "C1", "v": "gigantic"})),  # not a tier
        ("revenue", _cursor({"s": "revenue", "k": 7, "v": 1.0})),  # key not text
        ("revenue", _cursor({"s": "revenue", "k": "", "v": 1.0})),
        ("revenue", _cursor({"s": "revenue", "k": "C1", "x": 1})),  # not our shape
        ("revenue", "%%%"),
    ],
)
def test_a_forged_cursor_is_422(api: ApiEnv, sort: str, cursor: str) -> None:
    r = api.client.get(
        "/v1/customers", params={"sort": sort, "after": cursor}, headers=api.auth("admin")
    )
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["query.after"]


def test_a_bare_key_cursor_still_works_in_key_order(api: ApiEnv) -> None:
    """Cursors handed out before field sorts were base64 keys: still fine with sort=key."""
    h = api.auth("admin")
    r = api.client.get("/v1/customers", params={"after": _cursor("C1a")}, headers=h)
    assert [c["id"] for c in r.json()["items"]] == ["C2", "C3"]
    down = api.client.get(
        "/v1/customers", params={"sort": "-key", "after": _cursor("C2")}, headers=h
    )
    assert [c["id"] for c in down.json()["items"]] == ["C1a", "C1"]


def test_openapi_lists_each_kinds_sorts(api: ApiEnv) -> None:
    doc = api.client.get("/openapi.json").json()

    def sorts(path: str) -> list[str]:
        params = doc["paths"][path]["get"]["parameters"]
        schema = next(p["schema"] for p in params if p["name"] == "sort")
        return list(schema["enum"])

    customers = sorts("/v1/customers")
    assert customers[:2] == ["key", "-key"]
    assert {"name", "-name", "revenue", "-revenue", "tier", "parent_id"} <= set(customers)
    assert "id" not in customers  # an entity's id is its key
    teams = sorts("/v1/teams")
    assert "regions" not in teams and "-regions" not in teams and "team_kind" in teams
    assert {"holder_id", "-customer_id", "since"} <= set(sorts("/v1/coverage"))
