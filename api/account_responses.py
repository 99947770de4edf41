"""The answers of the account analytics routes (``api.routes.accounts``) and the conversions
from the analyses' results to them; viewers get counts only, never a person's data.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from graph.accounts.relationship_coverage import AccountCoverage, LeaverImpact


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


def coverage_out(cov: AccountCoverage, personal: bool) -> CoverageOut:
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


def impact_out(impact: LeaverImpact, personal: bool) -> LeaverImpactOut:
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
