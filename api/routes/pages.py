"""HTML pages and maps at root paths (JSON lives under ``/v1``):

* ``GET /``                      start page: account search (strategic accounts without a query)
* ``GET /accounts/{id}``         account page: key contacts and relationship gaps, links to maps
* ``GET /accounts/{id}/map``     the interactive political map (``?hierarchical=true``,
                                 ``?subsidiaries=false``)
* ``GET /coverage/map``          the coverage map for org designers (``?group_by=industry``)
* ``GET /static/{name}``         the bundled scripts and styles (vis-network, relmap's own)

Every HTML response carries a strict Content-Security-Policy: scripts only from relmap itself
(``script-src 'self'``: the map data is a JSON block, the code a served file; no inline code,
no inline handlers), styles only from relmap, nothing fetched from anywhere else. Access
follows the API's rules: an account manager sees only the accounts they cover (others 404), a
viewer sees roles and departments instead of contact names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import Principal, Role, SettingsDep, StoreDep, get_principal
from graph.accounts.analysis import account_key_contacts
from graph.accounts.gather import AccountNotFound, subsidiaries
from graph.accounts.relationship_coverage import relationship_coverage
from graph.coverage.inputs import read_org, read_overrides
from graph.coverage.policy import load_policy
from graph.coverage.report import report_from_source
from graph.coverage.resolve import CustomerCoverage
from graph.model import Customer, RecordKind, Tier
from graph.store.base import Store
from visualize.coverage_map import (
    GROUPINGS,
    CoverageCollector,
    build_coverage_map,
    render_coverage_map,
)
from visualize.html import ASSETS, asset_bytes, asset_etag
from visualize.pages import account_href, account_page, message_page, start_page
from visualize.political_map import build_political_map, render_political_map

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SEARCH_LIMIT = 50
SEARCH_SCAN_LIMIT = 200_000  # customers looked at per search before giving up


def _html(body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"},
    )


def _not_found(what: str) -> HTMLResponse:
    return _html(message_page("Not found", f"There is no {what} you can see here."), 404)


def _principal(request: Request) -> Principal | RedirectResponse:
    """The caller, or a redirect to the sign-in page for a browser without a session."""
    try:
        return get_principal(request)
    except HTTPException as exc:
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(
                "/login?next=" + quote(target, safe=""), status.HTTP_303_SEE_OTHER
            )
        raise


def _visible_account(store: Store, principal: Principal, account_id: str) -> Customer | None:
    record = store.get(RecordKind.CUSTOMER, account_id)
    if not isinstance(record, Customer) or not principal.sees_customer(record.id):
        return None
    return record


# ------------------------------------------------------------------------------ static


@router.get("/static/{name}")
def static_asset(name: str, request: Request) -> Response:
    """One bundled asset (fixed list; cached by the browser, revalidated by ETag)."""
    if name not in ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such asset")
    etag = asset_etag(name)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(asset_bytes(name), media_type=ASSETS[name], headers=headers)


# ------------------------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse)
def start(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Start page: find an account by name or id."""
    who = _principal(request)
    if isinstance(who, RedirectResponse):
        return who
    query = q.strip()
    results: list[Customer] = []
    more = False
    if query:
        needle = query.casefold()
        for i, rec in enumerate(store.scan(RecordKind.CUSTOMER)):
            if i >= SEARCH_SCAN_LIMIT:
                more = True
                break
            if not isinstance(rec, Customer) or not who.sees_customer(rec.id):
                continue
            if needle in rec.name.casefold() or needle in rec.id.casefold():
                if len(results) == SEARCH_LIMIT:
                    more = True
                    break
                results.append(rec)
    elif who.visible_customers is not None:
        for cid in sorted(who.visible_customers)[:SEARCH_LIMIT]:
            found = store.get(RecordKind.CUSTOMER, cid)
            if isinstance(found, Customer):
                results.append(found)
        more = len(who.visible_customers) > SEARCH_LIMIT
    else:
        for rec in store.scan(RecordKind.CUSTOMER, where={"tier": Tier.STRATEGIC.value}):
            if isinstance(rec, Customer):
                if len(results) == SEARCH_LIMIT:
                    more = True
                    break
                results.append(rec)
    heading = (
        "Your accounts" if who.visible_customers is not None and not query else ("Find an account")
    )
    return _html(start_page(query, results, more=more, heading=heading))


@router.get("/accounts/{account_id}", response_class=HTMLResponse)
def account(account_id: str, request: Request, store: StoreDep) -> Response:
    """Account page: relationship gaps and the key-contact table."""
    who = _principal(request)
    if isinstance(who, RedirectResponse):
        return who
    customer = _visible_account(store, who, account_id)
    if customer is None:
        return _not_found("account")
    g, ranking = account_key_contacts(
        store, account_id, include_subsidiaries=True, customer_filter=who.sees_customer
    )
    coverage = relationship_coverage(g, ranking, dt.date.today())
    parent = _visible_account(store, who, customer.parent_id) if customer.parent_id else None
    subs = [c for c in subsidiaries(store, account_id) if who.sees_customer(c.id)]
    return _html(
        account_page(
            customer,
            ranking,
            coverage,
            parent=parent,
            subsidiaries=subs,
            personal_data=who.sees_personal_data,
        )
    )


@router.get("/accounts/{account_id}/map", response_class=HTMLResponse)
def account_map(
    account_id: str,
    request: Request,
    store: StoreDep,
    subsidiaries_: Annotated[bool, Query(alias="subsidiaries")] = True,
    hierarchical: bool = False,
) -> Response:
    """The interactive political map of one account."""
    who = _principal(request)
    if isinstance(who, RedirectResponse):
        return who
    customer = _visible_account(store, who, account_id)
    if customer is None:
        return _not_found("account")
    try:
        g, ranking = account_key_contacts(
            store,
            account_id,
            include_subsidiaries=subsidiaries_,
            customer_filter=who.sees_customer,
        )
    except AccountNotFound:
        return _not_found("account")
    tier = customer.tier.value
    view = build_political_map(
        g,
        subtitle=f"{tier} account · {customer.industry or 'no industry'} · "
        f"{customer.region or 'no region'}",
        ranking=ranking,
        hierarchical=hierarchical,
        personal_data=who.sees_personal_data,
    )
    links = [(account_href(account_id), "Account page"), ("/", "Find an account")]
    return _html(render_political_map(view, links=links))


@router.get("/coverage/map", response_class=HTMLResponse)
def coverage_map(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    group_by: Annotated[str, Query(pattern="^(region|industry)$")] = "region",
) -> Response:
    """The coverage map: our teams and people to the customers they cover."""
    who = _principal(request)
    if isinstance(who, RedirectResponse):
        return who
    policy = load_policy(store, settings.policy_file)
    collector = CoverageCollector()

    def keep(cc: CustomerCoverage) -> None:
        if who.sees_customer(cc.customer.id):
            collector.add(cc)

    report = report_from_source(store, policy, read_overrides(store), on_coverage=keep)
    coverages = collector.coverages()
    visible = {cc.customer.id for cc in coverages}
    if who.visible_customers is not None:
        # an account manager's map shows their book only; findings elsewhere stay hidden
        from dataclasses import replace

        gaps = replace(
            report.gaps, findings=tuple(f for f in report.gaps.findings if f.customer_id in visible)
        )
        conflicts = replace(
            report.conflicts,
            conflicts=tuple(c for c in report.conflicts.conflicts if c.customer_id in visible),
        )
    else:
        gaps, conflicts = report.gaps, report.conflicts
    view = build_coverage_map(
        read_org(store),
        coverages,
        gaps=gaps,
        conflicts=conflicts,
        subtitle="your accounts" if who.role is Role.ACCOUNT_MANAGER else "the whole book",
        group_by=group_by if group_by in GROUPINGS else "region",
        not_passed=collector.dropped,
    )
    return _html(render_coverage_map(view, links=[("/", "Find an account")]))
