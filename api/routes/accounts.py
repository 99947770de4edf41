"""Political-map analytics over HTTP: account search, key contacts, relationship coverage,
what-if-an-employee-leaves, and the map as JSON (all mounted under ``/v1``).

Access (``api.deps.Principal``):

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

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict

from api.deps import Principal, PrincipalDep, StoreDep
from graph.accounts.analysis import account_key_contacts, account_risks, employee_what_if_leaves
from graph.accounts.gather import AccountNotFound
from graph.accounts.key_contacts import KeyContactsResult
from graph.accounts.map_graph import map_to_json
from graph.accounts.relationship_coverage import (
    AccountCoverage,
    LeaverImpact,
    relationship_coverage,
)
from graph.model import Customer, Employee, RecordKind, Tier
from graph.store.base import Store

router = APIRouter(tags=["accounts"])


# ------------------------------------------------------------------------------ models


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AccountSummary(_Out):
    id: str
    name: str
    tier: str
    industry: str
    region: str
    parent_id: str | None


class AccountPage(BaseModel):
    items: list[AccountSummary]
    next_after: str | None = None


class ScorePartOut(_Out):
    name: str
    raw: float
    normalized: float
    weight: float
    contribution: float


class KeyContactOut(_Out):
    contact_id: str
    name: str
    title: str
    department: str
    level: int
    customer_id: str
    node_type: str
    decision_role: str
    stance: str
    pagerank: float
    betweenness: float
    influence_in_degree: float
    role_weight: float
    centrality: float
    score: float
    rank: int
    pagerank_rank: int
    betweenness_rank: int
    centrality_rank: int
    is_key: bool
    hidden_influencer: bool
    hidden_reason: str
    key_reason: str
    parts: list[ScorePartOut]
    explanation: str


class KeyContactsOut(BaseModel):
    account_id: str
    customer_ids: list[str]
    version: int | None
    total: int
    key_contacts: int
    hidden_influencers: int
    contacts: list[KeyContactOut]


class HolderOut(_Out):
    employee_id: str
    employee_name: str
    employee_title: str
    strength: str
    desired: str | None
    last_touch: dt.date | None


class ContactCoverageOut(_Out):
    contact_id: str
    name: str
    title: str
    department: str
    customer_id: str
    decision_role: str
    stance: str
    rank: int
    score: float
    hidden_influencer: bool
    strongest: str
    strongest_holders: list[str]
    holders: list[HolderOut]
    threads: int
    covered: bool
    single_threaded: bool
    desired: str | None
    gap: int


class StaleOut(_Out):
    employee_id: str
    employee_name: str
    contact_id: str
    contact_name: str
    strength: str
    last_touch: dt.date | None
    days_since: int | None
    key_contact: bool


class RoleCheckOut(_Out):
    requirement: str
    met: bool
    identified: list[str]
    covered: list[str]
    detail: str


class CoverageSummary(BaseModel):
    """Counts only: what a viewer gets."""

    key_contacts: int
    uncovered: int
    single_threaded_contacts: int
    threads: int
    single_threaded: bool
    stale: int
    roles_complete: bool
    roles_met: dict[str, bool]


class CoverageDetail(BaseModel):
    key_contacts: list[ContactCoverageOut]
    uncovered: list[str]
    single_threaded_contacts: list[str]
    threads: list[str]
    stale: list[StaleOut]
    roles: list[RoleCheckOut]


class CoverageOut(BaseModel):
    account_id: str
    customer_ids: list[str]
    version: int | None
    today: dt.date
    stale_days: int
    summary: CoverageSummary
    detail: CoverageDetail | None = None  # None for viewers (aggregates only)


class LostRelationshipOut(_Out):
    employee_id: str
    contact_id: str
    contact_name: str
    customer_id: str
    strength: str
    last_touch: dt.date | None
    key_contact: bool
    rank: int | None
    still_known_by: list[str]


class AccountLossOut(BaseModel):
    account_id: str
    relationships_lost: int
    key_contacts_orphaned: int
    threads_before: int
    threads_after: int
    becomes_single_threaded: bool
    becomes_uncovered: bool
    lost: list[LostRelationshipOut] | None = None  # None for viewers
    key_contacts_orphaned_ids: list[str] | None = None
    contacts_orphaned_ids: list[str] | None = None


class LeaverImpactOut(BaseModel):
    employee_id: str
    relationships_lost: int
    key_contacts_orphaned: int
    accounts_uncovered: list[str]
    accounts_single_threaded: list[str]
    accounts: list[AccountLossOut]


class AccountRiskOut(_Out):
    account_id: str
    name: str
    tier: str
    contacts: int
    key_contacts: int
    hidden_influencers: int
    uncovered: int
    single_threaded_contacts: int
    threads: int
    single_threaded: bool
    stale: int
    roles_complete: bool
    roles_missing: list[str]
    at_risk: bool


class AccountRiskPage(BaseModel):
    items: list[AccountRiskOut]
    next_after: str | None = None


# ------------------------------------------------------------------------------ helpers


def _require_personal(principal: Principal) -> None:
    if not principal.sees_personal_data:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"role {principal.role.value} sees aggregates only, not contact-level data",
        )


def _visible_account(store: Store, principal: Principal, customer_id: str) -> Customer:
    """The account, or 404 when it does not exist or the caller may not see it."""
    customer = (
        store.get(RecordKind.CUSTOMER, customer_id)
        if principal.sees_customer(customer_id)
        else None
    )
    if not isinstance(customer, Customer):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no account {customer_id!r}")
    return customer


def _key_contacts(
    store: Store, principal: Principal, customer_id: str, include_subsidiaries: bool
) -> tuple[Any, KeyContactsResult]:
    _visible_account(store, principal, customer_id)
    try:
        return account_key_contacts(
            store,
            customer_id,
            include_subsidiaries=include_subsidiaries,
            customer_filter=principal.sees_customer,
        )
    except AccountNotFound as exc:  # deleted meanwhile
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no account {customer_id!r}") from exc


def _coverage_out(cov: AccountCoverage, personal: bool) -> CoverageOut:
    summary = CoverageSummary(
        key_contacts=len(cov.key_contacts),
        uncovered=len(cov.uncovered),
        single_threaded_contacts=len(cov.single_threaded_contacts),
        threads=len(cov.threads),
        single_threaded=cov.single_threaded,
        stale=len(cov.stale),
        roles_complete=cov.roles_complete,
        roles_met={r.requirement: r.met for r in cov.roles},
    )
    detail = None
    if personal:
        detail = CoverageDetail(
            key_contacts=[ContactCoverageOut.model_validate(c) for c in cov.key_contacts],
            uncovered=list(cov.uncovered),
            single_threaded_contacts=list(cov.single_threaded_contacts),
            threads=list(cov.threads),
            stale=[StaleOut.model_validate(s) for s in cov.stale],
            roles=[RoleCheckOut.model_validate(r) for r in cov.roles],
        )
    return CoverageOut(
        account_id=cov.account_id,
        customer_ids=list(cov.customer_ids),
        version=cov.version,
        today=cov.today,
        stale_days=cov.stale_days,
        summary=summary,
        detail=detail,
    )


def _impact_out(impact: LeaverImpact, personal: bool) -> LeaverImpactOut:
    accounts = []
    for a in impact.accounts:
        out = AccountLossOut(
            account_id=a.account_id,
            relationships_lost=len(a.relationships_lost),
            key_contacts_orphaned=len(a.key_contacts_orphaned),
            threads_before=a.threads_before,
            threads_after=a.threads_after,
            becomes_single_threaded=a.becomes_single_threaded,
            becomes_uncovered=a.becomes_uncovered,
        )
        if personal:
            out.lost = [LostRelationshipOut.model_validate(r) for r in a.relationships_lost]
            out.key_contacts_orphaned_ids = list(a.key_contacts_orphaned)
            out.contacts_orphaned_ids = list(a.contacts_orphaned)
        accounts.append(out)
    return LeaverImpactOut(
        employee_id=impact.employee_id,
        relationships_lost=impact.relationships_lost,
        key_contacts_orphaned=impact.key_contacts_orphaned,
        accounts_uncovered=list(impact.accounts_uncovered),
        accounts_single_threaded=list(impact.accounts_single_threaded),
        accounts=accounts,
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


@router.get("/accounts/relationship-risks", response_model=AccountRiskPage)
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
) -> AccountRiskPage:
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
    return AccountRiskPage(items=items, next_after=items[-1].account_id if more else None)


@router.get("/accounts/{customer_id}/key-contacts", response_model=KeyContactsOut)
def key_contacts(
    customer_id: str,
    store: StoreDep,
    principal: PrincipalDep,
    include_subsidiaries: bool = True,
    key_only: bool = Query(False, description="only the key contacts"),
    limit: int = Query(500, ge=1, le=5000),
) -> KeyContactsOut:
    """Every contact of the account ranked by influence-network centrality and decision role,
    each score with its parts; hidden influencers flagged with the reason."""
    _require_personal(principal)
    g, result = _key_contacts(store, principal, customer_id, include_subsidiaries)
    rows = result.key_contacts if key_only else result.contacts
    return KeyContactsOut(
        account_id=result.account_id,
        customer_ids=list(g.graph["customer_ids"]),
        version=result.version,
        total=len(result.contacts),
        key_contacts=len(result.key_contacts),
        hidden_influencers=len(result.hidden_influencers),
        contacts=[KeyContactOut.model_validate(c) for c in rows[:limit]],
    )


@router.get("/accounts/{customer_id}/relationship-coverage", response_model=CoverageOut)
def coverage(
    customer_id: str,
    store: StoreDep,
    principal: PrincipalDep,
    stale_days: int = Query(180, ge=0, le=10_000),
    today: Annotated[
        dt.date | None, Query(description="the day staleness is counted to (UTC today)")
    ] = None,
    include_subsidiaries: bool = True,
) -> CoverageOut:
    """Our strongest relationship per key contact and who holds it, uncovered and
    single-threaded key contacts, stale relationships and the buying-roles check. Viewers get
    the counts only."""
    g, result = _key_contacts(store, principal, customer_id, include_subsidiaries)
    day = today or dt.datetime.now(dt.UTC).date()
    cov = relationship_coverage(g, result, day, stale_days=stale_days)
    return _coverage_out(cov, principal.sees_personal_data)


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
    return _impact_out(impact, principal.sees_personal_data)


@router.get("/accounts/{customer_id}/map.json")
def map_json(
    customer_id: str,
    store: StoreDep,
    principal: PrincipalDep,
    include_subsidiaries: bool = True,
) -> dict[str, Any]:
    """The political map as nodes and edges (attribute names as in ``graph.accounts.map_graph``)
    for consumers who render it themselves; nodes carry their key-contact score and rank."""
    _require_personal(principal)
    g, result = _key_contacts(store, principal, customer_id, include_subsidiaries)
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
