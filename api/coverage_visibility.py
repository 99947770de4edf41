"""What a caller may see of the coverage report, and the cached report itself.

Every coverage analysis, page and map is narrowed per request from one full report, kept per
graph version by :mod:`api.report_cache`:

* ``admin`` / ``org_designer``: everything;
* ``account_manager``: only the rows of the accounts they see (``Principal.visible_customers``);
  aggregates are recomputed from those rows, team-wide aggregates are left out, and capacity
  shows their own book only;
* ``viewer``: aggregates only: counts, money, groups per tier/industry/region and per team; no
  customer- or person-level rows.
"""

from __future__ import annotations

import dataclasses

from api.report_cache import ReportCache, report_key
from graph.auth.principal import Principal, Role
from graph.coverage.capacity import CapacityReport
from graph.coverage.conflicts import ConflictReport, CreditReport
from graph.coverage.gaps import GapReport, group_gaps
from graph.coverage.hierarchy import HierarchyReport
from graph.coverage.inputs import read_overrides
from graph.coverage.policy import Policy
from graph.coverage.report import CoverageReport, report_from_source, summarise
from graph.store.base import Store

__all__ = ["coverage_report", "visible_report"]


def coverage_report(
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
