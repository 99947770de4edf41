"""The role matrix: every endpoint of the app, called as every role, answers the expected status.

Endpoints are enumerated from the app itself, so a new endpoint without a row in ``EXPECT``
fails ``test_every_endpoint_has_expectations``: whoever adds a route must say here who may call
it. Requests use sample keys inside the account manager's accounts (their 404s outside are in
``test_records``); after a request that changed data the seeded graph is restored.

Codes: ``"2xx"``/``"3xx"`` match a class, anything else the exact status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.routing import Mount, Route

from api.records.schema import PATHS
from graph.model import RECORD_TYPES, RecordKind, record_to_dict
from tests.api.conftest import ApiEnv, seed_records

ROLES = ("admin", "org_designer", "account_manager", "viewer", None)  # None: anonymous
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Case:
    """How to call one endpoint and what each role gets."""

    expect: dict[str | None, str]
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, Any] | None = None
    setup: Callable[[ApiEnv], None] | None = None  # run before each role's request
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def roles(
    admin: str, designer: str, am: str, viewer: str, anon: str = "401"
) -> dict[str | None, str]:
    return {
        "admin": admin,
        "org_designer": designer,
        "account_manager": am,
        "viewer": viewer,
        None: anon,
    }


OPEN = roles("2xx", "2xx", "2xx", "2xx", "2xx")
AUTHENTICATED = roles("2xx", "2xx", "2xx", "2xx")
ADMIN_ONLY = roles("2xx", "403", "403", "403")
PAGE = roles("2xx", "2xx", "2xx", "2xx", "3xx")

# --------------------------------------------------------------------- record routes, per kind

# A key inside the account manager's accounts, per kind (as path parameters).
SAMPLE_KEYS: dict[RecordKind, dict[str, str]] = {
    RecordKind.CUSTOMER: {"id": "C1"},
    RecordKind.CONTACT: {"id": "P1"},
    RecordKind.EMPLOYEE: {"id": "E1"},
    RecordKind.TEAM: {"id": "T1"},
    RecordKind.CONTACT_REPORTS_TO: {"contact_id": "P2", "manager_id": "P1"},
    RecordKind.INFLUENCE: {"source_id": "P1", "target_id": "P2"},
    RecordKind.MEMBERSHIP: {"employee_id": "E1", "team_id": "T1"},
    RecordKind.EMPLOYEE_REPORTS_TO: {"employee_id": "E1", "manager_id": "E2"},
    RecordKind.COVERAGE: {"holder_kind": "employee", "holder_id": "E1", "customer_id": "C1"},
    RecordKind.RELATIONSHIP: {"employee_id": "E1", "contact_id": "P1"},
}
# A new record inside the account manager's accounts, per kind.
NEW_RECORDS: dict[RecordKind, dict[str, Any]] = {
    RecordKind.CUSTOMER: {"id": "C-new", "name": "New branch", "parent_id": "C1"},
    RecordKind.CONTACT: {"id": "P-new", "customer_id": "C1", "name": "New person"},
    RecordKind.EMPLOYEE: {"id": "E-new", "name": "New hire"},
    RecordKind.TEAM: {"id": "T-new", "name": "New team", "team_kind": "solution"},
    RecordKind.CONTACT_REPORTS_TO: {"contact_id": "P1a", "manager_id": "P1"},
    RecordKind.INFLUENCE: {"source_id": "P2", "target_id": "P1", "strength": 0.3},
    RecordKind.MEMBERSHIP: {"employee_id": "E2", "team_id": "T1"},
    RecordKind.EMPLOYEE_REPORTS_TO: {"employee_id": "E3", "manager_id": "E1"},
    RecordKind.COVERAGE: {
        "holder_kind": "team",
        "holder_id": "T2",
        "customer_id": "C1",
        "role": "overlay",
        "credit_share": 0.5,
    },
    RecordKind.RELATIONSHIP: {"employee_id": "E2", "contact_id": "P2"},
}
# Deleting C1 would orphan its branch (422); delete the branch instead.
DELETE_KEYS: dict[RecordKind, dict[str, str]] = {RecordKind.CUSTOMER: {"id": "C1a"}}
VIEWER_READS = {RecordKind.CUSTOMER, RecordKind.TEAM, RecordKind.COVERAGE}
AM_WRITES = {
    RecordKind.CONTACT,
    RecordKind.CONTACT_REPORTS_TO,
    RecordKind.INFLUENCE,
    RecordKind.RELATIONSHIP,
}


def _existing(kind: RecordKind) -> dict[str, Any]:
    key = "\x1f".join(SAMPLE_KEYS[kind][f] for f in RECORD_TYPES[kind].key_fields)
    return next(record_to_dict(r) for r in seed_records() if r.kind is kind and r.key == key)


def _record_cases() -> dict[tuple[str, str], Case]:
    cases: dict[tuple[str, str], Case] = {}
    for kind, path in PATHS.items():
        fields = RECORD_TYPES[kind].key_fields
        item = (
            f"/v1/{path}/"
            + "/".join("{" + f + "}" for f in fields[:-1])
            + ("/" if len(fields) > 1 else "")
        )
        item += "{" + fields[-1] + ":path}"
        read = "2xx" if kind in VIEWER_READS else "403"
        am_write = "2xx" if kind in AM_WRITES else "403"
        am_customer = "2xx" if kind is RecordKind.CUSTOMER else am_write
        params = SAMPLE_KEYS[kind]
        if_match = {"If-Match": "*"}
        cases[("GET", f"/v1/{path}")] = Case(roles("2xx", "2xx", "2xx", read))
        cases[("GET", item)] = Case(roles("2xx", "2xx", "2xx", read), params)
        cases[("POST", f"/v1/{path}")] = Case(
            roles("2xx", "403", am_customer, "403"), json=NEW_RECORDS[kind]
        )
        cases[("PUT", item)] = Case(
            roles("2xx", "403", am_customer, "403"), params, json=_existing(kind), headers=if_match
        )
        cases[("PATCH", item)] = Case(
            roles("2xx", "403", am_customer, "403"), params, json={}, headers=if_match
        )
        cases[("DELETE", item)] = Case(
            roles("2xx", "403", am_write, "403"), DELETE_KEYS.get(kind, params)
        )
    return cases


# --------------------------------------------------------------------- scenarios

SCENARIO = {
    "id": "sc1",
    "name": "E1 leaves",
    "changes": [{"op": "person_leaves", "employee": "E1", "successor": "E2"}],
}
DESIGNERS = roles("2xx", "2xx", "403", "403")
DESIGNER_PAGE = roles("2xx", "2xx", "403", "403", "3xx")
SCENARIO_YAML = (
    b"id: sc-page\nname: From the page\nchanges:\n  - {op: person_leaves, employee: E1}\n"
)
APPLIERS = roles("2xx", "403", "403", "403")  # the test org designer has no can_apply


def stored_scenario(api: ApiEnv) -> None:
    admin = api.auth("admin")
    if api.client.get("/v1/scenarios/sc1", headers=admin).status_code == 404:
        assert api.client.post("/v1/scenarios", json=SCENARIO, headers=admin).status_code == 201


def applied_scenario(api: ApiEnv) -> None:
    stored_scenario(api)
    admin = api.auth("admin")
    if api.client.get("/v1/scenarios/sc1", headers=admin).json()["status"] != "applied":
        assert api.client.post("/v1/scenarios/sc1/apply", headers=admin).status_code == 200


SC = {"scenario_id": "sc1"}
SCENARIO_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/v1/scenarios"): Case(DESIGNERS, setup=stored_scenario),
    ("POST", "/v1/scenarios"): Case(DESIGNERS, json=SCENARIO),
    ("GET", "/v1/scenarios/compare"): Case(DESIGNERS, query={"ids": "sc1"}, setup=stored_scenario),
    ("GET", "/v1/scenarios/{scenario_id}"): Case(DESIGNERS, SC, setup=stored_scenario),
    ("PUT", "/v1/scenarios/{scenario_id}"): Case(
        DESIGNERS, SC, json=SCENARIO, setup=stored_scenario
    ),
    ("DELETE", "/v1/scenarios/{scenario_id}"): Case(DESIGNERS, SC, setup=stored_scenario),
    ("POST", "/v1/scenarios/{scenario_id}/evaluate"): Case(DESIGNERS, SC, setup=stored_scenario),
    ("POST", "/v1/scenarios/{scenario_id}/rebase"): Case(DESIGNERS, SC, setup=stored_scenario),
    ("POST", "/v1/scenarios/{scenario_id}/apply"): Case(APPLIERS, SC, setup=stored_scenario),
    ("POST", "/v1/scenarios/{scenario_id}/revert"): Case(APPLIERS, SC, setup=applied_scenario),
    ("GET", "/scenarios/compare"): Case(
        roles("2xx", "2xx", "403", "403", "3xx"), query={"ids": "sc1"}, setup=stored_scenario
    ),
    ("GET", "/scenarios/{scenario_id}/map"): Case(
        roles("2xx", "2xx", "403", "403", "3xx"), SC, setup=stored_scenario
    ),
    ("GET", "/scenarios"): Case(DESIGNER_PAGE, setup=stored_scenario),
    ("GET", "/scenarios/{scenario_id}"): Case(DESIGNER_PAGE, SC, setup=stored_scenario),
    # pages' forms answer with a redirect to the page that shows the result
    ("POST", "/scenarios"): Case(
        roles("3xx", "3xx", "403", "403", "3xx"),
        files={"file": ("page.yaml", SCENARIO_YAML, "application/x-yaml")},
    ),
    ("POST", "/scenarios/{scenario_id}/apply"): Case(
        roles("3xx", "403", "403", "403", "3xx"), SC, data={"version": "0"}, setup=stored_scenario
    ),
    ("POST", "/scenarios/{scenario_id}/revert"): Case(
        roles("3xx", "403", "403", "403", "3xx"), SC, data={"version": "0"}, setup=applied_scenario
    ),
}

# --------------------------------------------------------------------- every other endpoint

EXPECT: dict[tuple[str, str], Case] = {
    ("GET", "/openapi.json"): Case(OPEN),
    ("GET", "/docs"): Case(OPEN),
    ("GET", "/docs-assets/{path:path}"): Case(OPEN, {"path": "swagger-ui.css"}),
    ("GET", "/health"): Case(OPEN),
    ("GET", "/login"): Case(OPEN),
    # no CSRF pair: refused for everyone (login CSRF protection)
    ("POST", "/login"): Case(roles("403", "403", "403", "403", "403"), data={"token": "x"}),
    ("POST", "/logout"): Case(roles("3xx", "3xx", "3xx", "3xx", "3xx")),
    ("GET", "/v1/me"): Case(AUTHENTICATED),
    ("GET", "/v1/audit"): Case(ADMIN_ONLY),
    # accounts (issue: political maps); viewers get no contact-level data
    ("GET", "/v1/accounts"): Case(AUTHENTICATED),
    ("GET", "/v1/accounts/relationship-risks"): Case(AUTHENTICATED),
    ("GET", "/v1/accounts/{customer_id}/key-contacts"): Case(
        roles("2xx", "2xx", "2xx", "403"), {"customer_id": "C1"}
    ),
    ("GET", "/v1/accounts/{customer_id}/map.json"): Case(
        roles("2xx", "2xx", "2xx", "403"), {"customer_id": "C1"}
    ),
    ("GET", "/v1/accounts/{customer_id}/relationship-coverage"): Case(
        AUTHENTICATED, {"customer_id": "C1"}
    ),
    ("GET", "/v1/employees/{employee_id}/what-if-leaves"): Case(
        AUTHENTICATED, {"employee_id": "E1"}
    ),
    # coverage analytics: aggregates for everyone, per-customer rows not for viewers
    **{
        ("GET", f"/v1/analytics/{name}"): Case(AUTHENTICATED)
        for name in ("capacity", "conflicts", "credit", "gaps", "hierarchy", "scores", "summary")
    },
    ("GET", "/v1/analytics/coverage"): Case(roles("2xx", "2xx", "2xx", "403")),
    ("GET", "/reports/coverage"): Case(PAGE),
    ("GET", "/v1/policy"): Case(AUTHENTICATED),
    ("PUT", "/v1/policy"): Case(roles("2xx", "2xx", "403", "403"), json={}),
    ("GET", "/v1/scores/overrides"): Case(AUTHENTICATED),
    ("PUT", "/v1/scores/overrides/{customer_id}"): Case(
        roles("2xx", "2xx", "403", "403"),
        {"customer_id": "C1"},
        json={"tier": "key", "reason": "board decision"},
    ),
    ("DELETE", "/v1/scores/overrides/{customer_id}"): Case(
        roles("404", "404", "403", "403"), {"customer_id": "C1"}
    ),
    # imports: org designers and admins
    ("POST", "/v1/imports"): Case(
        roles("2xx", "2xx", "403", "403"),
        files={"files": ("customers.csv", b"id,name\nC50,Fifty\n", "text/csv")},
    ),
    # HTML pages: the same identities; anonymous browsers are sent to /login
    ("GET", "/"): Case(PAGE),
    ("GET", "/accounts/{account_id}"): Case(PAGE, {"account_id": "C1"}),
    ("GET", "/accounts/{account_id}/map"): Case(PAGE, {"account_id": "C1"}),
    ("GET", "/coverage/map"): Case(PAGE),
    ("GET", "/coverage/matrix"): Case(DESIGNER_PAGE),
    ("GET", "/coverage/customers"): Case(DESIGNER_PAGE, query={"team": ""}),
    ("GET", "/static/{name}"): Case(OPEN, {"name": "relmap-map.js"}),
    **SCENARIO_CASES,
    **_record_cases(),
}


def app_endpoints(app: Any) -> Iterator[tuple[str, str]]:
    """(method, path) of every endpoint the app serves, including included routers' routes."""

    def walk(routes: Any) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "effective_route_contexts"):  # FastAPI's included router
                for ctx in route.effective_route_contexts():
                    for method in sorted(ctx.methods or ()):
                        if method != "HEAD":
                            yield method, ctx.path
            elif isinstance(route, Mount):
                yield "GET", route.path + "/{path:path}"
            elif isinstance(route, Route) or hasattr(route, "methods"):
                for method in sorted(route.methods or ()):
                    if method != "HEAD":
                        yield method, route.path

    yield from walk(app.routes)


def _fill(path: str, params: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise AssertionError(f"no sample value for path parameter {name!r} of {path}")
        return params[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", sub, path)


def _matches(expected: str, status: int) -> bool:
    return str(status)[0] == expected[0] if expected.endswith("xx") else str(status) == expected


def test_every_endpoint_has_expectations(api_module: ApiEnv) -> None:
    endpoints = set(app_endpoints(api_module.client.app))
    missing = sorted(endpoints - set(EXPECT))
    assert not missing, f"add role expectations to tests/api/test_role_matrix.py for: {missing}"
    stale = sorted(set(EXPECT) - endpoints)
    assert not stale, f"expectations for endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("endpoint", sorted(EXPECT), ids=lambda e: f"{e[0]} {e[1]}")
def test_role_matrix(api_module: ApiEnv, endpoint: tuple[str, str]) -> None:
    method, path = endpoint
    case = EXPECT[endpoint]
    url = _fill(path, case.params)
    failures = []
    for role in ROLES:
        api_module.client.cookies.clear()
        if case.setup is not None:
            case.setup(api_module)
        response = api_module.client.request(
            method,
            url,
            params=case.query,
            json=case.json,
            data=case.data,
            files=case.files,
            headers={**case.headers, **api_module.auth(role)},
            follow_redirects=False,
        )
        expected = case.expect[role]
        if not _matches(expected, response.status_code):
            failures.append(
                f"{role or 'anonymous'}: expected {expected}, "
                f"got {response.status_code} {response.text[:200]}"
            )
        if response.status_code >= 400 and path.startswith(("/v1", "/health")):
            assert response.headers["content-type"].startswith("application/problem+json"), (
                role,
                response.text[:200],
            )
        if method in UNSAFE and response.status_code < 400:
            api_module.reset()
    assert not failures, f"{method} {path}:\n" + "\n".join(failures)
