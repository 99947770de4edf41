"""Coverage pages: the coverage map and the coverage health report.

* ``GET /coverage/map``          our teams and people to the customers they cover
                                 (``?group_by=industry``)
* ``GET /reports/coverage``      the coverage health report with charts

An account manager's map and report show their own book only; findings elsewhere stay hidden.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.coverage_visibility import coverage_report
from api.deps import PolicyDep, ReportCacheDep, SettingsDep, StoreDep
from api.pages.html import PageDesignerDep, PagePrincipalDep, html_page, page_here
from api.pages.language import PageTranslatorDep
from graph.auth.principal import Role
from graph.coverage.inputs import customer_chunks, read_org, read_overrides
from graph.coverage.matrix import Segment, cell_customers, coverage_matrix, flags
from graph.coverage.report import report_from_source
from graph.coverage.resolve import CustomerCoverage, effective_coverage
from graph.i18n.vocabulary import term
from visualize.coverage_map import (
    GROUPINGS,
    CoverageCollector,
    build_coverage_map,
    render_coverage_map,
)
from visualize.coverage_matrix_page import render_cell_customers, render_coverage_matrix
from visualize.coverage_report_page import render_coverage_report
from visualize.names import NameBook

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/coverage/map")
def coverage_map(
    who: PagePrincipalDep,
    store: StoreDep,
    policy: PolicyDep,
    group_by: Annotated[str, Query(pattern="^(region|industry)$")] = "region",
) -> Response:
    """The coverage map: our teams and people to the customers they cover."""
    collector = CoverageCollector()

    def keep(cc: CustomerCoverage) -> None:
        if who.sees_customer(cc.customer.id):
            collector.add(cc)

    report = report_from_source(store, policy, read_overrides(store), on_coverage=keep)
    coverages = collector.coverages()
    visible = {cc.customer.id for cc in coverages}
    gaps, conflicts = report.gaps, report.conflicts
    if who.visible_customers is not None:
        gaps = replace(gaps, findings=tuple(f for f in gaps.findings if f.customer_id in visible))
        conflicts = replace(
            conflicts,
            conflicts=tuple(c for c in conflicts.conflicts if c.customer_id in visible),
        )
    view = build_coverage_map(
        read_org(store),
        coverages,
        gaps=gaps,
        conflicts=conflicts,
        subtitle="your accounts" if who.role is Role.ACCOUNT_MANAGER else "the whole book",
        group_by=group_by if group_by in GROUPINGS else "region",
        not_passed=collector.dropped,
    )
    return html_page(render_coverage_map(view, links=[("/", "Find an account")]))


@router.get("/reports/coverage")
def coverage_report_page(
    who: PagePrincipalDep,
    store: StoreDep,
    reports: ReportCacheDep,
    policy: PolicyDep,
    settings: SettingsDep,
    tr: PageTranslatorDep,
) -> Response:
    """The coverage health report as a page with charts."""
    report = coverage_report(reports, store, who, policy)
    names = NameBook.from_org(read_org(store)).by_id
    page = render_coverage_report(report, tr=tr, currency=settings.currency, names=names)
    return html_page(page)


@router.get("/coverage/matrix")
def coverage_matrix_page(
    request: Request,
    who: PageDesignerDep,
    store: StoreDep,
    reports: ReportCacheDep,
    policy: PolicyDep,
    settings: SettingsDep,
    tr: PageTranslatorDep,
    by: Segment = Segment.REGION,
    problems: bool = False,
) -> Response:
    """Teams against regions, industries or tiers, problems lit, every cell a link."""
    report = coverage_report(reports, store, who, policy)
    org = read_org(store)
    names = {t.id: t.name for t in org.teams}
    kinds = {t.id: t.team_kind.value for t in org.teams}
    matrix = coverage_matrix(report, names, by, kinds)
    here = page_here(request)
    page = render_coverage_matrix(
        matrix, tr=tr, currency=settings.currency, problems_only=problems, here=here
    )
    return html_page(page)


@router.get("/coverage/customers")
def cell_customers_page(
    request: Request,
    who: PageDesignerDep,
    store: StoreDep,
    reports: ReportCacheDep,
    policy: PolicyDep,
    settings: SettingsDep,
    tr: PageTranslatorDep,
    team: Annotated[str | None, Query(max_length=200)] = None,
    by: Segment | None = None,
    value: Annotated[str | None, Query(max_length=200)] = None,
    problems: bool = False,
) -> Response:
    """The customers behind one cell of the matrix, biggest first, each linked to its page."""
    report = coverage_report(reports, store, who, policy)
    org = read_org(store)
    book = NameBook.from_org(org)
    coverages = effective_coverage(org, customer_chunks(store), policy)
    found = flags(report.gaps, report.conflicts)
    rows, total = cell_customers(coverages, found, team, by, value, problems_only=problems)
    parts = [
        tr.gettext("nobody owns") if team == "" else book.name(team) if team else "",
        term(tr, value) if by is Segment.TIER and value else (value or ""),
    ]
    heading = " · ".join(p for p in parts if p) or tr.gettext("All customers")
    here = page_here(request)
    page = render_cell_customers(
        rows,
        total,
        heading,
        team_names=dict(book.by_id),
        tr=tr,
        currency=settings.currency,
        here=here,
    )
    return html_page(page)
