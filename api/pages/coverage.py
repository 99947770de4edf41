"""Coverage pages: the coverage map and the coverage health report.

* ``GET /coverage/map``          our teams and people to the customers they cover
                                 (``?group_by=industry``)
* ``GET /reports/coverage``      the coverage health report with charts

An account manager's map and report show their own book only; findings elsewhere stay hidden.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.coverage_visibility import coverage_report
from api.deps import PolicyDep, ReportCacheDep, StoreDep
from api.pages.html import PagePrincipalDep, html_page
from graph.auth.principal import Role
from graph.coverage.inputs import read_org, read_overrides
from graph.coverage.report import report_from_source
from graph.coverage.resolve import CustomerCoverage
from visualize.coverage_map import (
    GROUPINGS,
    CoverageCollector,
    build_coverage_map,
    render_coverage_map,
)
from visualize.coverage_report_page import render_coverage_report

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
    who: PagePrincipalDep, store: StoreDep, reports: ReportCacheDep, policy: PolicyDep
) -> Response:
    """The coverage health report as a page with charts."""
    report = coverage_report(reports, store, who, policy)
    return html_page(render_coverage_report(report), inline_styles=True)
