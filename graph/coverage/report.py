"""The coverage health report: every coverage analysis in one streaming pass, and a summary
(counts, money at stake, top offenders).

Entry points:

* ``build_report(org, chunks, policy, overrides)``: over streamed chunks (bounded memory).
* ``report_from_records(records, policy, overrides)``: over plain records in memory, e.g. a
  scenario's before/after record sets.
* ``report_from_source(source, policy, overrides)``: over a store (anything with ``scan``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from graph.coverage.capacity import CapacityAccumulator, CapacityReport
from graph.coverage.conflicts import ConflictReport, ConflictsAccumulator, CreditReport
from graph.coverage.customer_table import NO_OWNER, CustomerTable
from graph.coverage.gaps import GapKind, GapReport, GapsAccumulator
from graph.coverage.hierarchy import HierarchyReport, hierarchy_report
from graph.coverage.inputs import (
    DEFAULT_CHUNK,
    CustomerChunk,
    OrgRecords,
    customer_chunks,
    read_org,
)
from graph.coverage.matrix import MatrixData, flags, matrix_data
from graph.coverage.policy import Policy
from graph.coverage.resolve import (
    CoverageResolver,
    CustomerCoverage,
    build_org_index,
    resolve_chunk,
)
from graph.coverage.scoring import Override, ScoreReport, score_table
from graph.model import TIER_ORDER, Record, Tier
from graph.store.reader import MemorySource, RecordScanner

TOP_OFFENDERS = 10


@dataclass(frozen=True)
class TierCoverage:
    tier: Tier
    customers: int
    owned: int
    revenue: float
    unowned_revenue: float


@dataclass(frozen=True)
class SummaryCounts:
    customers: int
    owned: int
    no_owner: int
    owner_kind_misfit: int
    key_without_named_am: int
    strategic_without_dedicated_am: int
    inactive_owner: int
    conflicts: int
    inflation: int
    allowed_overlays: int
    disallowed_overlays: int
    overloaded_people: int
    idle_people: int
    uncovered_branches: int
    hq_branch_conflicts: int
    tier_changes: int


@dataclass(frozen=True)
class MoneyAtStake:
    unowned_revenue: float
    unowned_potential: float
    misfit_revenue: float
    conflict_revenue: float
    double_counted_revenue: float
    inflated_revenue: float
    uncovered_branch_revenue: float


@dataclass(frozen=True)
class Offender:
    """One of the worst findings: ``what`` is the finding kind, ``value`` its size."""

    what: str
    id: str
    name: str
    value: float
    detail: str


@dataclass(frozen=True)
class CoverageSummary:
    counts: SummaryCounts
    money: MoneyAtStake
    by_tier: tuple[TierCoverage, ...]
    top_offenders: tuple[Offender, ...]


@dataclass(frozen=True)
class CoverageReport:
    policy: Policy
    summary: CoverageSummary
    gaps: GapReport
    conflicts: ConflictReport
    credit: CreditReport
    capacity: CapacityReport
    hierarchy: HierarchyReport
    scores: ScoreReport
    matrix: MatrixData | None = None  # teams x segments cells (graph.coverage.matrix)


def build_report(
    org: OrgRecords,
    chunks: Iterable[CustomerChunk],
    policy: Policy,
    overrides: Mapping[str, Override] | None = None,
    *,
    on_coverage: Callable[[CustomerCoverage], None] | None = None,
    top_limit: int = 100,
) -> CoverageReport:
    """All coverage analyses in one pass over ``chunks``; ``on_coverage`` sees every customer's
    effective coverage on the way (e.g. to export it) without it being kept."""
    index = build_org_index(org)
    resolver = CoverageResolver(index, policy)
    gaps = GapsAccumulator(policy)
    conflicts = ConflictsAccumulator(policy, index)
    capacity = CapacityAccumulator(policy, index)
    table = CustomerTable()
    g_add, c_add, k_add = gaps.add, conflicts.add, capacity.add
    for chunk in chunks:
        resolved = list(resolve_chunk(resolver, chunk))
        for cc in resolved:
            g_add(cc)
            c_add(cc)
            k_add(cc)
            if on_coverage is not None:
                on_coverage(cc)
        table.extend(
            chunk.customers,
            [cc.owner_side.key for cc in resolved],
            [cc.owner_side.explicit for cc in resolved],
        )
    gap_report = gaps.result()
    conflict_report = conflicts.conflict_report()
    credit_report = conflicts.credit_report()
    capacity_report = capacity.result()
    hier = hierarchy_report(table)
    scores = score_table(table, policy, overrides, top_limit=top_limit)
    by_tier = tier_coverage(table)
    summary = summarise(
        by_tier, gap_report, conflict_report, credit_report, capacity_report, hier, scores
    )
    return CoverageReport(
        policy,
        summary,
        gap_report,
        conflict_report,
        credit_report,
        capacity_report,
        hier,
        scores,
        matrix_data(table, flags(gap_report, conflict_report)),
    )


def tier_coverage(table: CustomerTable) -> tuple[TierCoverage, ...]:
    """Customers, owned customers, revenue and unowned revenue per tier."""
    cells = [[0, 0, 0.0, 0.0] for _ in TIER_ORDER]
    for code, owner, revenue in zip(table.tiers, table.owner, table.revenue, strict=True):
        cell = cells[code]
        cell[0] += 1
        cell[2] += revenue
        if owner == NO_OWNER:
            cell[3] += revenue
        else:
            cell[1] += 1
    return tuple(
        TierCoverage(t, int(c[0]), int(c[1]), float(c[2]), float(c[3]))
        for t, c in zip(TIER_ORDER, cells, strict=True)
    )


def summarise(
    by_tier: tuple[TierCoverage, ...],
    gaps: GapReport,
    conflicts: ConflictReport,
    credit: CreditReport,
    capacity: CapacityReport,
    hierarchy: HierarchyReport,
    scores: ScoreReport,
) -> CoverageSummary:
    """Counts, money at stake and the worst offenders of each kind."""
    per_kind: dict[GapKind, int] = defaultdict(int)
    for f in gaps.findings:
        per_kind[f.kind] += 1
    unowned = gaps.of(GapKind.NO_OWNER)
    misfit = gaps.of(GapKind.OWNER_KIND_MISFIT)
    counts = SummaryCounts(
        customers=sum(t.customers for t in by_tier),
        owned=sum(t.owned for t in by_tier),
        no_owner=per_kind[GapKind.NO_OWNER],
        owner_kind_misfit=per_kind[GapKind.OWNER_KIND_MISFIT],
        key_without_named_am=per_kind[GapKind.KEY_WITHOUT_NAMED_AM],
        strategic_without_dedicated_am=per_kind[GapKind.STRATEGIC_WITHOUT_DEDICATED_AM],
        inactive_owner=per_kind[GapKind.INACTIVE_OWNER],
        conflicts=len(conflicts.conflicts),
        inflation=len(credit.inflation),
        allowed_overlays=len(credit.allowed_overlays),
        disallowed_overlays=len(credit.disallowed_overlays),
        overloaded_people=len(capacity.overloaded),
        idle_people=len(capacity.idle),
        uncovered_branches=len(hierarchy.uncovered_branches),
        hq_branch_conflicts=len(hierarchy.conflicts),
        tier_changes=len(scores.changes),
    )
    money = MoneyAtStake(
        unowned_revenue=sum(f.revenue for f in unowned),
        unowned_potential=sum(f.potential for f in unowned),
        misfit_revenue=sum(f.revenue for f in misfit),
        conflict_revenue=sum(c.revenue for c in conflicts.conflicts),
        double_counted_revenue=credit.double_counted_revenue,
        inflated_revenue=credit.inflated_revenue,
        uncovered_branch_revenue=sum(u.revenue for u in hierarchy.uncovered_branches),
    )
    top: list[Offender] = []
    for f in sorted(unowned, key=lambda f: (-(f.revenue + f.potential), f.customer_id))[:5]:
        top.append(Offender("no_owner", f.customer_id, f.customer_name, f.revenue, f.detail))
    for c in conflicts.conflicts[:5]:
        top.append(
            Offender(
                "conflict",
                c.customer_id,
                c.customer_name,
                c.revenue,
                "owners: " + "; ".join("+".join(o.teams) for o in c.owners),
            )
        )
    for i in credit.inflation[:5]:
        top.append(
            Offender(
                "inflation",
                i.customer_id,
                i.customer_name,
                i.inflated_revenue,
                f"owner credit {i.owner_credit:g} > {i.max_owner_credit:g}",
            )
        )
    for p in capacity.overloaded[:5]:
        top.append(
            Offender(
                "overloaded",
                p.employee_id,
                p.name,
                p.weighted_load,
                f"{p.strategic} strategic, {p.key} key, {p.mid} mid, {p.small} small",
            )
        )
    for u in hierarchy.uncovered_branches[:5]:
        top.append(
            Offender(
                "uncovered_branch",
                u.branch_id,
                u.branch_name,
                u.revenue,
                f"HQ {u.hq_id} owned by {'+'.join(u.hq_owners)}",
            )
        )
    return CoverageSummary(counts, money, by_tier, tuple(top[: TOP_OFFENDERS * 3]))


def report_from_source(
    source: RecordScanner,
    policy: Policy,
    overrides: Mapping[str, Override] | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    on_coverage: Callable[[CustomerCoverage], None] | None = None,
    top_limit: int = 100,
) -> CoverageReport:
    """The full report over a store (or any ``RecordScanner``), streaming customers in chunks."""
    return build_report(
        read_org(source),
        customer_chunks(source, chunk_size),
        policy,
        overrides,
        on_coverage=on_coverage,
        top_limit=top_limit,
    )


def report_from_records(
    records: Iterable[Record],
    policy: Policy | None = None,
    overrides: Mapping[str, Override] | None = None,
    *,
    top_limit: int = 100,
) -> CoverageReport:
    """The full report over plain records held in memory (tests, scenario before/after)."""
    return report_from_source(
        MemorySource(records), policy or Policy(), overrides, top_limit=top_limit
    )
