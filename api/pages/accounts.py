"""Account pages: the start page (account search), an account's page and its political map.

* ``GET /``                      start page: account search (strategic accounts without a query)
* ``GET /accounts/{id}``         account page: key contacts and relationship gaps, links to maps
* ``GET /accounts/{id}/map``     the interactive political map (``?hierarchical=true``,
                                 ``?subsidiaries=false``)

Access follows the API's rules: an account manager sees only the accounts they cover (others
404), a viewer sees roles and departments instead of contact names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import PolicyDep, StoreDep, visible_customer
from api.pages.html import PageNotFound, PagePrincipalDep, html_page, page_here
from api.pages.language import PageTranslatorDep
from graph.accounts.analysis import AccountRisk, account_key_contacts, account_risks
from graph.accounts.gather import subsidiaries
from graph.accounts.introductions import introductions
from graph.accounts.relationship_coverage import relationship_coverage
from graph.auth.principal import Principal
from graph.coverage.inputs import CustomerChunk, OrgRecords, read_org
from graph.coverage.policy import Policy
from graph.coverage.resolve import CustomerCoverage, effective_coverage
from graph.model import Coverage, Customer, RecordKind, Tier
from graph.store.base import Store
from visualize.account_map import render_account_map
from visualize.names import NameBook
from visualize.pages import account_href, account_page, start_page

router = APIRouter(tags=["pages"], include_in_schema=False)

SEARCH_LIMIT = 50
SEARCH_SCAN_LIMIT = 200_000  # customers looked at per search before giving up


def get_visible_account(account_id: str, store: StoreDep, who: PagePrincipalDep) -> Customer:
    """The page's account if the caller sees it; the "not found" page otherwise."""
    customer = visible_customer(store, who, account_id)
    if customer is None:
        raise PageNotFound("account")
    return customer


VisibleAccountDep = Annotated[Customer, Depends(get_visible_account)]


def _search(store: Store, who: Principal, query: str) -> tuple[list[Customer], bool]:
    """Up to ``SEARCH_LIMIT`` visible customers whose name or id holds ``query``; whether more
    (or too many to look at) matched."""
    needle = query.casefold()
    results: list[Customer] = []
    for i, rec in enumerate(store.scan(RecordKind.CUSTOMER)):
        if i >= SEARCH_SCAN_LIMIT:
            return results, True
        if not isinstance(rec, Customer) or not who.sees_customer(rec.id):
            continue
        if needle in rec.name.casefold() or needle in rec.id.casefold():
            if len(results) == SEARCH_LIMIT:
                return results, True
            results.append(rec)
    return results, False


def _suggested(store: Store, who: Principal) -> tuple[list[Customer], bool]:
    """Without a query: an account manager's own accounts, else the strategic accounts."""
    results: list[Customer] = []
    if who.visible_customers is not None:
        for cid in sorted(who.visible_customers)[:SEARCH_LIMIT]:
            found = store.get(RecordKind.CUSTOMER, cid)
            if isinstance(found, Customer):
                results.append(found)
        return results, len(who.visible_customers) > SEARCH_LIMIT
    for rec in store.scan(RecordKind.CUSTOMER, where={"tier": Tier.STRATEGIC.value}):
        if isinstance(rec, Customer):
            if len(results) == SEARCH_LIMIT:
                return results, True
            results.append(rec)
    return results, False


@router.get("/")
def start(
    request: Request,
    store: StoreDep,
    who: PagePrincipalDep,
    tr: PageTranslatorDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Start page: an account manager's accounts by risk, and the account search."""
    query = q.strip()
    results, more = _search(store, who, query) if query else _suggested(store, who)
    own = who.visible_customers is not None and not query
    risks = _my_risks(store, who) if own else []
    return html_page(
        start_page(
            query,
            results,
            more=more,
            risks=risks,
            tr=tr,
            here=page_here(request),
            heading=tr.gettext("Your accounts") if own else None,
        )
    )


MY_ACCOUNTS_LIMIT = 100


def _my_risks(store: Store, who: Principal) -> list[AccountRisk]:
    """Relationship risks of the accounts an account manager covers directly (their book)."""
    ids = sorted(who.visible_customers or ())[:MY_ACCOUNTS_LIMIT]
    return account_risks(store, ids, today=dt.date.today()) if ids else []


def _account_team(
    store: Store, org: OrgRecords, customer: Customer, policy: Policy
) -> CustomerCoverage | None:
    """The account's effective coverage: owner teams, named AMs, overlays, support."""
    coverage = tuple(
        c
        for c in store.scan(RecordKind.COVERAGE, where={"customer_id": [customer.id]})
        if isinstance(c, Coverage)
    )
    chunk = CustomerChunk((customer,), coverage)
    return next(iter(effective_coverage(org, [chunk], policy)), None)


@router.get("/accounts/{account_id}")
def account(
    request: Request,
    account_id: str,
    store: StoreDep,
    who: PagePrincipalDep,
    customer: VisibleAccountDep,
    policy: PolicyDep,
    tr: PageTranslatorDep,
) -> Response:
    """Account page: the account team, relationship gaps and who could close them, key
    contacts."""
    g, ranking = account_key_contacts(
        store, account_id, include_subsidiaries=True, customer_filter=who.sees_customer
    )
    coverage = relationship_coverage(g, ranking, dt.date.today())
    org = read_org(store)
    parent = visible_customer(store, who, customer.parent_id) if customer.parent_id else None
    subs = [c for c in subsidiaries(store, account_id) if who.sees_customer(c.id)]
    return html_page(
        account_page(
            customer,
            ranking,
            coverage,
            parent=parent,
            subsidiaries=subs,
            personal_data=who.sees_personal_data,
            team=_account_team(store, org, customer, policy),
            names=NameBook.from_org(org),
            intros=introductions(g, coverage.uncovered),
            tr=tr,
            here=page_here(request),
        )
    )


@router.get("/accounts/{account_id}/map")
def account_map(
    request: Request,
    tr: PageTranslatorDep,
    account_id: str,
    store: StoreDep,
    who: PagePrincipalDep,
    subsidiaries_: Annotated[bool, Query(alias="subsidiaries")] = True,
    hierarchical: bool = False,
) -> Response:
    """The interactive political map of one account."""
    built = render_account_map(
        store,
        account_id,
        include_subsidiaries=subsidiaries_,
        hierarchical=hierarchical,
        personal_data=who.sees_personal_data,
        customer_filter=who.sees_customer,
        links=[(account_href(account_id), tr.gettext("Account page"))],
        tr=tr,
        here=page_here(request),
    )
    if built is None:
        raise PageNotFound("account")
    return html_page(built.html)
