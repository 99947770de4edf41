"""Political-map analytics over HTTP: account search, key contacts, relationship coverage,
what-if-an-employee-leaves, and the map as JSON (all mounted under ``/v1``).

Access (``graph.auth.principal.Principal``; ``api.deps`` turns the rules into dependencies):

* an account manager sees only the accounts they cover: any other account is 404 and never
  listed; subsidiaries they do not see are left off an account's map; what-if-leaves looks only
  at their accounts;
* a viewer gets aggregates only: ``/accounts`` (organisation-level), relationship risks,
  coverage and what-if as counts without any person's data; key contacts and the map are
  contact-level: 403;
* admins and org designers see everything.

Answers are computed per request from the store (gather -> map -> analysis); centrality is
cached by graph content, so repeated calls on an unchanged account are cheap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status

from api.account_responses import (
    AccountPage,
    AccountRiskOut,
    AccountRiskPage,
    AccountSummary,
    CoverageOut,
    KeyContactOut,
    KeyContactsOut,
    LeaverImpactOut,
    coverage_out,
    impact_out,
)
from api.deps import PrincipalDep, RequirePersonalData, StoreDep, VisibleCustomerDep
from graph.accounts.analysis import (
    AccountRisk,
    account_key_contacts,
    account_risks,
    employee_what_if_leaves,
)
from graph.accounts.export import coverage_sheets, key_contact_sheet, risk_sheet
from graph.accounts.key_contacts import KeyContactsResult
from graph.accounts.map_graph import map_to_json
from graph.accounts.relationship_coverage import relationship_coverage
from graph.auth.principal import Principal
from graph.errors import PermissionDenied
from graph.model import Customer, Employee, RecordKind, Tier
from graph.store.base import Store
from graph.tabular import Sheet, csv_bytes, xlsx_bytes

router = APIRouter(tags=["accounts"])


# ------------------------------------------------------------------------------ helpers


def _key_contacts(
    customer: Customer, store: Store, principal: Principal, include_subsidiaries: bool
) -> tuple[Any, KeyContactsResult]:
    """The account's map and ranking (``AccountNotFound``, a 404, if deleted meanwhile)."""
    return account_key_contacts(
        store,
        customer.id,
        include_subsidiaries=include_subsidiaries,
        customer_filter=principal.sees_customer,
    )


# ------------------------------------------------------------------------------- routes


@router.get("/accounts", response_model=AccountPage)
def search_accounts(
    store: StoreDep,
    principal: PrincipalDep,
    q: str = Query("", max_length=200, description="part of the account's name or id"),
    after: str | None = Query(None, max_length=200, description="cursor: the last id seen"),
    limit: int = Query(50, ge=1, le=500),
) -> AccountPage:
    """Accounts whose name or id contains ``q`` (case-insensitive), ordered by id, paginated by
    cursor; an account manager finds only their accounts."""
    needle = q.strip().casefold()
    where = None
    if principal.visible_customers is not None:
        visible = sorted(c for c in principal.visible_customers if after is None or c > after)
        if not visible:
            return AccountPage(items=[])
        where = {"id": visible}
    items: list[AccountSummary] = []
    cursor = after
    while len(items) <= limit:
        batch = store.page(RecordKind.CUSTOMER, where=where, after=cursor, limit=1000)
        for c in batch:
            if isinstance(c, Customer) and (
                not needle or needle in c.id.casefold() or needle in c.name.casefold()
            ):
                items.append(AccountSummary.model_validate(c))
                if len(items) > limit:
                    break
        if len(batch) < 1000:
            break
        cursor = batch[-1].key
    more = len(items) > limit
    items = items[:limit]
    return AccountPage(items=items, next_after=items[-1].id if more and items else None)


SHEET_FORMAT = Annotated[
    str,
    Query(
        pattern="^(json|csv|xlsx)$",
        description="json (default), or a spreadsheet: csv (the first sheet) or xlsx (all)",
    ),
]
SHEET_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


SHEET_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            SHEET_MEDIA["csv"]: {"schema": {"type": "string"}},
            SHEET_MEDIA["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


def sheet_response(name: str, fmt: str, sheets: list[Sheet]) -> Response:
    """``sheets`` as a CSV (the first) or XLSX download named ``name``."""
    first = sheets[0]
    data = csv_bytes(first.headers, first.rows) if fmt == "csv" else xlsx_bytes(sheets)
    return Response(
        data,
        media_type=SHEET_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.get(
    "/accounts/relationship-risks", response_model=AccountRiskPage, responses=SHEET_RESPONSES
)
def relationship_risks(
    store: StoreDep,
    principal: PrincipalDep,
    tier: Annotated[list[Tier], Query(description="tiers to check")] = [  # noqa: B006
        Tier.STRATEGIC,
        Tier.KEY,
    ],
    at_risk: bool = Query(False, description="only accounts with a relationship risk"),
    stale_days: int = Query(180, ge=0, le=10_000),
    today: Annotated[
        dt.date | None, Query(description="the day staleness is counted to (UTC today)")
    ] = None,
    after: str | None = Query(None, max_length=200, description="cursor: the last id seen"),
    limit: int = Query(50, ge=1, le=200),
    format: SHEET_FORMAT = "json",  # noqa: A002 (the query parameter's name)
) -> AccountRiskPage | Response:
    """Relationship risks of many accounts in numbers (no person's data, so every role may
    ask): key contacts, hidden influencers, uncovered and single-threaded key contacts, our
    threads, stale relationships, missing buying roles. Each account on its own map; ordered
    by id, paginated by cursor; an account manager gets their accounts only."""
    day = today or dt.datetime.now(dt.UTC).date()
    where: dict[str, Any] = {"tier": [t.value for t in tier]}
    if principal.visible_customers is not None:
        where["id"] = sorted(principal.visible_customers)
        if not where["id"]:
            return AccountRiskPage(items=[])
    items: list[AccountRiskOut] = []
    cursor = after
    while len(items) <= limit:
        batch = store.page(RecordKind.CUSTOMER, where=where, after=cursor, limit=limit + 1)
        for risk in account_risks(store, [c.key for c in batch], today=day, stale_days=stale_days):
            if not at_risk or risk.at_risk:
                items.append(AccountRiskOut(**dataclasses.asdict(risk), at_risk=risk.at_risk))
            if len(items) > limit:
                break
        if len(batch) < limit + 1:
            break
        cursor = batch[-1].key
    more = len(items) > limit
    items = items[:limit]
    if format != "json":
        risks = [AccountRisk(**i.model_dump(exclude={"at_risk"})) for i in items]
        return sheet_response("account-risks", format, [risk_sheet(risks)])
    return AccountRiskPage(items=items, next_after=items[-1].account_id if more else None)


@router.get(
    "/accounts/{customer_id}/key-contacts", response_model=KeyContactsOut, responses=SHEET_RESPONSES
)
def key_contacts(
    principal: RequirePersonalData,
    customer: VisibleCustomerDep,
    store: StoreDep,
    include_subsidiaries: bool = True,
    key_only: bool = Query(False, description="only the key contacts"),
    limit: int = Query(500, ge=1, le=5000),
    format: SHEET_FORMAT = "json",  # noqa: A002
) -> KeyContactsOut | Response:
    """Every contact of the account ranked by influence-network centrality and decision role,
    each score with its parts; hidden influencers flagged with the reason."""
    g, result = _key_contacts(customer, store, principal, include_subsidiaries)
    rows = result.key_contacts if key_only else result.contacts
    if format != "json":
        name = f"key-contacts-{customer.id}"
        return sheet_response(name, format, [key_contact_sheet(result, key_only)])
    return KeyContactsOut(
        account_id=result.account_id,
        customer_ids=list(g.graph["customer_ids"]),
        version=result.version,
        total=len(result.contacts),
        key_contacts=len(result.key_contacts),
        hidden_influencers=len(result.hidden_influencers),
        contacts=[KeyContactOut.model_validate(c) for c in rows[:limit]],
    )


@router.get(
    "/accounts/{customer_id}/relationship-coverage",
    response_model=CoverageOut,
    responses=SHEET_RESPONSES,
)
def coverage(
    customer: VisibleCustomerDep,
    store: StoreDep,
    principal: PrincipalDep,
    stale_days: int = Query(180, ge=0, le=10_000),
    today: Annotated[
        dt.date | None, Query(description="the day staleness is counted to (UTC today)")
    ] = None,
    include_subsidiaries: bool = True,
    format: SHEET_FORMAT = "json",  # noqa: A002
) -> CoverageOut | Response:
    """Our strongest relationship per key contact and who holds it, uncovered and
    single-threaded key contacts, stale relationships and the buying-roles check. Viewers get
    the counts only."""
    g, result = _key_contacts(customer, store, principal, include_subsidiaries)
    day = today or dt.datetime.now(dt.UTC).date()
    cov = relationship_coverage(g, result, day, stale_days=stale_days)
    if format != "json":
        if not principal.sees_personal_data:
            raise PermissionDenied("the coverage spreadsheet names people: viewers get the counts")
        name = f"relationship-coverage-{customer.id}"
        return sheet_response(name, format, coverage_sheets(cov))
    return coverage_out(cov, principal.sees_personal_data)


@router.get("/employees/{employee_id}/what-if-leaves", response_model=LeaverImpactOut)
def what_if_leaves(employee_id: str, store: StoreDep, principal: PrincipalDep) -> LeaverImpactOut:
    """The relationships lost and key contacts orphaned if the employee leaves, per account and
    in total; an account manager sees only their accounts, a viewer only counts."""
    if not isinstance(store.get(RecordKind.EMPLOYEE, employee_id), Employee):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no employee {employee_id!r}")
    visible = principal.visible_customers
    impact = employee_what_if_leaves(
        store, employee_id, account_ids=sorted(visible) if visible is not None else None
    )
    return impact_out(impact, principal.sees_personal_data)


@router.get("/accounts/{customer_id}/map.json")
def map_json(
    principal: RequirePersonalData,
    customer: VisibleCustomerDep,
    store: StoreDep,
    include_subsidiaries: bool = True,
) -> dict[str, Any]:
    """The political map as nodes and edges (attribute names as in ``graph.accounts.map_graph``)
    for consumers who render it themselves; nodes carry their key-contact score and rank."""
    g, result = _key_contacts(customer, store, principal, include_subsidiaries)
    data = map_to_json(g)
    ranks = {c.node: c for c in result.contacts}
    for node in data["nodes"]:
        kc = ranks.get(node["key"])
        if kc is not None:
            node.update(
                score=kc.score,
                rank=kc.rank,
                is_key=kc.is_key,
                hidden_influencer=kc.hidden_influencer,
            )
    return data
