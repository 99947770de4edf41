"""Coverage analytics under ``/v1/analytics``: gaps, conflicts, credit, capacity, hierarchy,
scores, the summary and effective coverage per customer.

Each answer is narrowed per request from one full report (``CoverageReportDep``: see
:mod:`api.coverage_visibility` for who sees what). The policy and the manual tier overrides
have their own routes (``api.routes.policy``, ``api.routes.overrides``); the coverage health
page lives with the other pages (``api.pages``).

Every analysis answers JSON by default, or a download with ``?format=csv`` (one table, chosen
with ``?table=``) or ``?format=xlsx`` (every table as a sheet).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, ValidationError

from api.coverage_visibility import coverage_report
from api.deps import CoverageReportDep, PolicyDep, PrincipalDep, ReportCacheDep, StoreDep
from graph.auth.principal import Principal, Role
from graph.coverage.capacity import PersonLoad, TeamLoad
from graph.coverage.conflicts import (
    ConflictFinding,
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
from graph.coverage.gaps import GapFinding, GapGroup
from graph.coverage.hierarchy import HqBranchConflict, HqRollup, UncoveredBranch
from graph.coverage.inputs import read_org
from graph.coverage.policy import (
    Preset,
    Weights,
    policy_errors,
)
from graph.coverage.report import (
    CoverageReport,
    MoneyAtStake,
    Offender,
    SummaryCounts,
    TierCoverage,
)
from graph.coverage.resolve import CoverageResolver, CoverageRow, build_org_index, coverage_row
from graph.coverage.scoring import ScoredCustomer
from graph.model import Coverage, Customer, RecordKind, Tier
from graph.store.base import Store

router = APIRouter(tags=["analytics"])

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


# ----------------------------------------------------------------------------- answers


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
def gaps(report: CoverageReportDep, fmt: FormatQ = ExportFormat.JSON, table: TableQ = None) -> Any:
    """Customers nobody owns; strategic/key accounts without a (dedicated) named AM; owners of a
    kind that does not fit the tier; inactive owners. Grouped by tier, industry and region."""
    return _answer(report, Analysis.GAPS, fmt, table, _dump(report.gaps))


@router.get("/analytics/conflicts", response_model=ConflictsOut)
def conflicts(
    report: CoverageReportDep, fmt: FormatQ = ExportFormat.JSON, table: TableQ = None
) -> Any:
    """Customers with more than one owner: which teams, since when."""
    return _answer(report, Analysis.CONFLICTS, fmt, table, _dump(report.conflicts))


@router.get("/analytics/credit", response_model=CreditOut)
def credit(
    report: CoverageReportDep, fmt: FormatQ = ExportFormat.JSON, table: TableQ = None
) -> Any:
    """Credit inflation, overlay dual credit (allowed: listed; not allowed: flagged) and the
    revenue counted more than once per team and team pair."""
    return _answer(report, Analysis.CREDIT, fmt, table, _dump(report.credit))


@router.get("/analytics/capacity", response_model=CapacityOut)
def capacity(
    report: CoverageReportDep, fmt: FormatQ = ExportFormat.JSON, table: TableQ = None
) -> Any:
    """Load per account manager and team against the tier norms; overloaded and idle people."""
    return _answer(report, Analysis.CAPACITY, fmt, table, _dump(report.capacity))


@router.get("/analytics/hierarchy", response_model=HierarchyOut)
def hierarchy(
    report: CoverageReportDep, fmt: FormatQ = ExportFormat.JSON, table: TableQ = None
) -> Any:
    """HQ -> branch roll-up, uncovered branches of covered HQs, HQ-branch owner conflicts."""
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
    policy_in_force: PolicyDep,
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
    policy = policy_in_force.with_scoring(
        preset=preset,
        weights=_weights(weights) if weights else None,
        key_top_percent=top_percent,
    )
    report = coverage_report(reports, store, principal, policy, top_limit=limit)
    body = _dump(report.scores)
    body["proposed_counts"] = dict(report.scores.proposed_counts)
    return _answer(report, Analysis.SCORES, fmt, table, body)


@router.get("/analytics/summary", response_model=SummaryOut)
def summary(
    report: CoverageReportDep, fmt: FormatQ = ExportFormat.JSON, table: TableQ = None
) -> Any:
    """The coverage health report: counts, money at stake, top offenders."""
    return _answer(report, Analysis.SUMMARY, fmt, table, _dump(report.summary))


@router.get("/analytics/coverage", response_model=CoveragePage)
def coverage(
    store: StoreDep,
    principal: PrincipalDep,
    policy: PolicyDep,
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
    resolver = CoverageResolver(build_org_index(read_org(store)), policy)
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
