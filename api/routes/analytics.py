"""Coverage analytics under ``/v1``: the analyses, the policy and the manual tier overrides; plus
the coverage health page at ``/reports/coverage`` (``pages_router``, no prefix).

Who sees what (each answer is narrowed per request from one full report, kept per graph
version by :mod:`api.report_cache`):

* ``admin`` / ``org_designer``: everything; only they change the policy and the overrides.
* ``account_manager``: only the rows of the accounts they see (``Principal.visible_customers``);
  aggregates are recomputed from those rows, team-wide aggregates are left out, and capacity
  shows their own book only.
* ``viewer``: aggregates only: counts, money, groups per tier/industry/region and per team; no
  customer- or person-level rows.

Every analysis answers JSON by default, or a download with ``?format=csv`` (one table, chosen
with ``?table=``) or ``?format=xlsx`` (every table as a sheet).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, ValidationError

from api.deps import Principal, PrincipalDep, ReportCacheDep, Role, SettingsDep, StoreDep
from api.report_cache import ReportCache, report_key
from graph.coverage.capacity import CapacityReport, PersonLoad, TeamLoad
from graph.coverage.conflicts import (
    ConflictFinding,
    ConflictReport,
    CreditReport,
    InflationFinding,
    OverlayCredit,
    TeamCredit,
    TeamPairCredit,
)
from graph.coverage.export import (
    MEDIA_TYPES,
    Analysis,
    ExportFormat,
    analysis_tables,
    to_csv,
    to_xlsx,
)
from graph.coverage.gaps import GapFinding, GapGroup, GapReport, group_gaps
from graph.coverage.hierarchy import HierarchyReport, HqBranchConflict, HqRollup, UncoveredBranch
from graph.coverage.inputs import override_document, read_org, read_overrides
from graph.coverage.policy import (
    OVERRIDES_COLLECTION,
    POLICY_COLLECTION,
    POLICY_DOC_ID,
    Policy,
    PolicyError,
    Preset,
    Weights,
    load_policy,
    policy_document,
    policy_errors,
)
from graph.coverage.report import (
    CoverageReport,
    MoneyAtStake,
    Offender,
    SummaryCounts,
    TierCoverage,
    report_from_source,
    summarise,
)
from graph.coverage.resolve import CoverageResolver, CoverageRow, build_org_index, coverage_row
from graph.coverage.scoring import Override, ScoredCustomer
from graph.model import Coverage, Customer, RecordKind, Tier
from graph.store.audit import audit_doc
from graph.store.base import ChangeSet, Store

router = APIRouter(tags=["analytics"])
pages_router = APIRouter(tags=["pages"])

DESIGNERS = (Role.ORG_DESIGNER,)
FormatQ = Annotated[ExportFormat, Query(alias="format", description="json, csv or xlsx")]
TableQ = Annotated[str | None, Query(description="which table a CSV holds (default: the first)")]


# ----------------------------------------------------------------------------- response models


class GapsOut(BaseModel):
    findings: list[GapFinding]
    groups: list[GapGroup]


class ConflictsOut(BaseModel):
    conflicts: list[ConflictFinding]


class CreditOut(BaseModel):
    inflation: list[InflationFinding]
    disallowed_overlays: list[OverlayCredit]
    allowed_overlays: list[OverlayCredit]
    per_team: list[TeamCredit]
    per_pair: list[TeamPairCredit]
    double_counted_revenue: float
    inflated_revenue: float


class CapacityOut(BaseModel):
    people: list[PersonLoad]
    teams: list[TeamLoad]


class HierarchyOut(BaseModel):
    uncovered_branches: list[UncoveredBranch]
    conflicts: list[HqBranchConflict]
    rollups: list[HqRollup]


class ScoresOut(BaseModel):
    weights: Weights
    key_top_percent: float
    key_slots: int
    threshold: float
    changes: list[ScoredCustomer]
    top: list[ScoredCustomer]
    proposed_counts: dict[Tier, int]


class SummaryOut(BaseModel):
    counts: SummaryCounts
    money: MoneyAtStake
    by_tier: list[TierCoverage]
    top_offenders: list[Offender]


class CoveragePage(BaseModel):
    items: list[CoverageRow]
    next_cursor: str | None


class OverrideIn(BaseModel):
    tier: Tier
    reason: str = Field(default="", max_length=500)


class OverrideOut(OverrideIn):
    customer_id: str
    by: str = ""


# ----------------------------------------------------------------------------- gathering


def _policy(store: Store, policy_file: str | None) -> Policy:
    try:
        return load_policy(store, policy_file)
    except PolicyError as exc:
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, str(exc)) from exc


def _report(
    reports: ReportCache,
    store: Store,
    principal: Principal,
    policy: Policy,
    top_limit: int = 100,
) -> CoverageReport:
    """The full report (from this process's cache while the graph, policy and overrides are
    unchanged), narrowed to what ``principal`` may see."""
    overrides = read_overrides(store)
    key = report_key(store.version(), policy, overrides, top_limit)
    report = reports.get(
        key,
        lambda: report_from_source(store, policy, overrides, top_limit=top_limit),
        store.version,
    )
    return visible_report(report, principal)


def visible_report(report: CoverageReport, principal: Principal) -> CoverageReport:
    """What ``principal`` may see of a report (see the module docstring)."""
    if principal.role is Role.VIEWER:
        return _aggregates_only(report)
    if principal.visible_customers is None:
        return report
    return _own_accounts(report, principal)


def _aggregates_only(r: CoverageReport) -> CoverageReport:
    gaps = GapReport(findings=(), groups=r.gaps.groups)
    conflicts = ConflictReport(conflicts=())
    credit = dataclasses.replace(
        r.credit, inflation=(), allowed_overlays=(), disallowed_overlays=()
    )
    capacity = CapacityReport(people=(), teams=r.capacity.teams)
    hierarchy = HierarchyReport(rollups=(), uncovered_branches=(), conflicts=())
    scores = dataclasses.replace(r.scores, top=(), changes=())
    summary = dataclasses.replace(r.summary, top_offenders=())
    return dataclasses.replace(
        r,
        gaps=gaps,
        conflicts=conflicts,
        credit=credit,
        capacity=capacity,
        hierarchy=hierarchy,
        scores=scores,
        summary=summary,
    )


def _own_accounts(r: CoverageReport, principal: Principal) -> CoverageReport:
    sees = principal.sees_customer
    findings = [f for f in r.gaps.findings if sees(f.customer_id)]
    gaps = GapReport(findings=tuple(findings), groups=group_gaps(findings))
    conflicts = ConflictReport(tuple(c for c in r.conflicts.conflicts if sees(c.customer_id)))
    inflation = tuple(f for f in r.credit.inflation if sees(f.customer_id))
    credit = CreditReport(
        allowed_overlays=tuple(o for o in r.credit.allowed_overlays if sees(o.customer_id)),
        disallowed_overlays=tuple(o for o in r.credit.disallowed_overlays if sees(o.customer_id)),
        inflation=inflation,
        per_team=(),
        per_pair=(),
        double_counted_revenue=0.0,
        inflated_revenue=sum(f.inflated_revenue for f in inflation),
    )
    capacity = CapacityReport(
        people=tuple(p for p in r.capacity.people if p.employee_id == principal.employee_id),
        teams=(),
    )
    hierarchy = HierarchyReport(
        rollups=tuple(h for h in r.hierarchy.rollups if sees(h.hq_id)),
        uncovered_branches=tuple(u for u in r.hierarchy.uncovered_branches if sees(u.branch_id)),
        conflicts=tuple(c for c in r.hierarchy.conflicts if sees(c.branch_id)),
    )
    scores = dataclasses.replace(
        r.scores,
        top=tuple(s for s in r.scores.top if sees(s.customer_id)),
        changes=tuple(s for s in r.scores.changes if sees(s.customer_id)),
    )
    summary = summarise((), gaps, conflicts, credit, capacity, hierarchy, scores)
    return dataclasses.replace(
        r,
        summary=summary,
        gaps=gaps,
        conflicts=conflicts,
        credit=credit,
        capacity=capacity,
        hierarchy=hierarchy,
        scores=scores,
    )


def _answer(
    report: CoverageReport, analysis: Analysis, fmt: ExportFormat, table: str | None, body: Any
) -> Any:
    if fmt is ExportFormat.JSON or fmt is ExportFormat.TABLE:
        return body
    tables = analysis_tables(report, analysis)
    return _download(analysis.value, tables, fmt, table)


def _download(name: str, tables: dict[str, Any], fmt: ExportFormat, table: str | None) -> Response:
    if fmt is ExportFormat.XLSX:
        data, filename = to_xlsx(tables), f"{name}.xlsx"
    else:
        chosen = table or next(iter(tables))
        if chosen not in tables:
            raise HTTPException(
                422,
                f"table: {chosen!r} is not one of {', '.join(tables)}",
            )
        data, filename = to_csv(tables[chosen]), f"{name}-{chosen}.csv"
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _dump(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


# ----------------------------------------------------------------------------- analyses


@router.get("/analytics/gaps", response_model=GapsOut)
def gaps(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """Customers nobody owns; strategic/key accounts without a (dedicated) named AM; owners of a
    kind that does not fit the tier; inactive owners. Grouped by tier, industry and region."""
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return _answer(report, Analysis.GAPS, fmt, table, _dump(report.gaps))


@router.get("/analytics/conflicts", response_model=ConflictsOut)
def conflicts(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """Customers with more than one owner: which teams, since when."""
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return _answer(report, Analysis.CONFLICTS, fmt, table, _dump(report.conflicts))


@router.get("/analytics/credit", response_model=CreditOut)
def credit(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """Credit inflation, overlay dual credit (allowed: listed; not allowed: flagged) and the
    revenue counted more than once per team and team pair."""
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return _answer(report, Analysis.CREDIT, fmt, table, _dump(report.credit))


@router.get("/analytics/capacity", response_model=CapacityOut)
def capacity(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """Load per account manager and team against the tier norms; overloaded and idle people."""
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return _answer(report, Analysis.CAPACITY, fmt, table, _dump(report.capacity))


@router.get("/analytics/hierarchy", response_model=HierarchyOut)
def hierarchy(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """HQ -> branch roll-up, uncovered branches of covered HQs, HQ-branch owner conflicts."""
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return _answer(report, Analysis.HIERARCHY, fmt, table, _dump(report.hierarchy))


def _weights(text: str) -> Weights:
    try:
        parts = dict(p.split(":", 1) for p in text.split(",") if p.strip())
        return Weights.model_validate({k.strip(): float(v) for k, v in parts.items()})
    except (ValueError, ValidationError) as exc:
        msg = policy_errors(exc) if isinstance(exc, ValidationError) else str(exc)
        raise HTTPException(
            422,
            f"weights: use revenue:0.4,potential:0.4,reference:0.1,winnability:0.1 ({msg})",
        ) from exc


@router.get("/analytics/scores", response_model=ScoresOut)
def scores(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    preset: Annotated[Preset | None, Query(description="weights preset")] = None,
    weights: Annotated[
        str | None,
        Query(
            description="custom weights summing to 1, e.g. "
            "revenue:0.4,potential:0.4,reference:0.1,winnability:0.1"
        ),
    ] = None,
    top_percent: Annotated[float | None, Query(gt=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """Key-account scores (what-if: preset, weights, top_percent do not change the policy) and
    the tier changes against today, manual overrides applied."""
    policy = _policy(store, settings.policy_file).with_scoring(
        preset=preset,
        weights=_weights(weights) if weights else None,
        key_top_percent=top_percent,
    )
    report = _report(reports, store, principal, policy, top_limit=limit)
    body = _dump(report.scores)
    body["proposed_counts"] = dict(report.scores.proposed_counts)
    return _answer(report, Analysis.SCORES, fmt, table, body)


@router.get("/analytics/summary", response_model=SummaryOut)
def summary(
    store: StoreDep,
    reports: ReportCacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    fmt: FormatQ = ExportFormat.JSON,
    table: TableQ = None,
) -> Any:
    """The coverage health report: counts, money at stake, top offenders."""
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return _answer(report, Analysis.SUMMARY, fmt, table, _dump(report.summary))


@router.get("/analytics/coverage", response_model=CoveragePage)
def coverage(
    store: StoreDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    after: Annotated[str | None, Query(description="cursor: last customer id seen")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    fmt: FormatQ = ExportFormat.JSON,
) -> Any:
    """Effective coverage per customer: owners, named AMs, overlays, support and why. Paged by
    customer id; a download (csv/xlsx) holds the same page."""
    if principal.role is Role.VIEWER:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "viewers see aggregates only: use /v1/analytics/summary",
        )
    resolver = CoverageResolver(
        build_org_index(read_org(store)), _policy(store, settings.policy_file)
    )
    customers, more = _customer_page(store, principal, after, limit)
    covs = _coverage_of(store, [c.id for c in customers])
    rows = [coverage_row(resolver.resolve(c, covs.get(c.id, []))) for c in customers]
    last = customers[-1].id if more and customers else None
    if fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        return _download("coverage", {"coverage": rows}, fmt, None)
    return CoveragePage(items=rows, next_cursor=last)


def _customer_page(
    store: Store, principal: Principal, after: str | None, limit: int
) -> tuple[list[Customer], bool]:
    """One page of the customers ``principal`` sees, by id, and whether more follow. An account
    manager's page comes from their own accounts, never from scanning everyone's."""
    if principal.visible_customers is not None:
        ids = sorted(i for i in principal.visible_customers if after is None or i > after)
        chosen = ids[:limit]
        found = [c for c in store.scan(RecordKind.CUSTOMER, where={"id": chosen})] if chosen else []
        customers = sorted((c for c in found if isinstance(c, Customer)), key=lambda c: c.id)
        return customers, len(ids) > limit
    page = [
        c
        for c in store.page(RecordKind.CUSTOMER, after=after, limit=limit)
        if isinstance(c, Customer)
    ]
    return page, len(page) == limit


def _coverage_of(store: Store, ids: list[str]) -> dict[str, list[Coverage]]:
    out: dict[str, list[Coverage]] = {}
    if not ids:
        return out
    for cov in store.scan(RecordKind.COVERAGE, where={"customer_id": ids}):
        if isinstance(cov, Coverage):
            out.setdefault(cov.customer_id, []).append(cov)
    return out


# ----------------------------------------------------------------------------- policy


@router.get("/policy", response_model=Policy)
def get_policy(store: StoreDep, principal: PrincipalDep, settings: SettingsDep) -> Policy:
    """The coverage policy in force (stored, else the policy file, else the default)."""
    return _policy(store, settings.policy_file)


@router.put("/policy", response_model=Policy)
def put_policy(
    store: StoreDep, principal: PrincipalDep, policy: Annotated[Policy, Body()]
) -> Policy:
    """Replace the stored policy (org designers); every analysis reads it from now on."""
    principal.require(*DESIGNERS)
    doc = policy_document(policy)
    audit = audit_doc(
        actor=principal.id,
        role=principal.role.value,
        action="update",
        kind=POLICY_COLLECTION,
        key=POLICY_DOC_ID,
        changes=doc,
    )
    store.write(ChangeSet(docs=[(POLICY_COLLECTION, POLICY_DOC_ID, doc), audit]))
    return policy


# ----------------------------------------------------------------------------- overrides


def _existing_customer(store: Store, principal: Principal, customer_id: str) -> None:
    if (
        not principal.sees_customer(customer_id)
        or store.get(RecordKind.CUSTOMER, customer_id) is None
    ):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"customer {customer_id!r} not found")


CustomerIdP = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/scores/overrides", response_model=list[OverrideOut])
def list_overrides(store: StoreDep, principal: PrincipalDep) -> list[OverrideOut]:
    """Manual tier overrides (they survive every re-scoring)."""
    if principal.role is Role.VIEWER:
        return []
    return [
        OverrideOut(customer_id=cid, tier=o.tier, reason=o.reason)
        for cid, o in sorted(read_overrides(store).items())
        if principal.sees_customer(cid)
    ]


@router.put("/scores/overrides/{customer_id}", response_model=OverrideOut)
def put_override(
    store: StoreDep,
    principal: PrincipalDep,
    customer_id: CustomerIdP,
    override: Annotated[OverrideIn, Body()],
) -> OverrideOut:
    """Set the tier of one customer by hand, whatever its score."""
    principal.require(*DESIGNERS)
    _existing_customer(store, principal, customer_id)
    doc = override_document(Override(override.tier, override.reason), by=principal.id)
    audit = audit_doc(
        actor=principal.id,
        role=principal.role.value,
        action="update",
        kind=OVERRIDES_COLLECTION,
        key=customer_id,
        changes=doc,
    )
    store.write(ChangeSet(docs=[(OVERRIDES_COLLECTION, customer_id, doc), audit]))
    return OverrideOut(
        customer_id=customer_id, tier=override.tier, reason=override.reason, by=principal.id
    )


@router.delete("/scores/overrides/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_override(store: StoreDep, principal: PrincipalDep, customer_id: CustomerIdP) -> Response:
    """Remove a manual override: the score decides again."""
    principal.require(*DESIGNERS)
    if store.get_doc(OVERRIDES_COLLECTION, customer_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no override for {customer_id!r}")
    audit = audit_doc(
        actor=principal.id,
        role=principal.role.value,
        action="delete",
        kind=OVERRIDES_COLLECTION,
        key=customer_id,
    )
    store.write(ChangeSet(docs=[(OVERRIDES_COLLECTION, customer_id, None), audit]))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ----------------------------------------------------------------------------- page


@pages_router.get("/reports/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request, store: StoreDep, reports: ReportCacheDep, settings: SettingsDep
) -> Response:
    """The coverage health report as a page with charts (browsers without a session are sent
    to /login, like every other page)."""
    from api.routes.pages import _principal
    from visualize.coverage_report_page import render_coverage_report

    principal = _principal(request)
    if not isinstance(principal, Principal):
        return principal
    report = _report(reports, store, principal, _policy(store, settings.policy_file))
    return HTMLResponse(render_coverage_report(report))
