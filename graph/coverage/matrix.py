"""Teams against segments: the coverage model as an org designer reads it.

One row per owner team (and a row for the customers nobody owns), one column per segment value
of the chosen dimension (region, industry or tier). Each cell counts the customers that team owns
in that segment, their revenue, and the problems among them: gaps (no owner, owner-kind misfit,
key account without a named AM, strategic without a dedicated AM, inactive owner), conflicts
(more than one owner team) and misfits; each row carries the team's load status (overloaded,
no account managers, ...).

The cells are summed while the coverage report is built (:func:`matrix_data`: one pass over its
per-customer table, then the table is let go), so the report carries a few cells per team and
segment, not a row per customer; :func:`coverage_matrix` lays them out. The drill-down
(:func:`cell_customers`) streams the customers' coverage again and keeps only the biggest.

>>> from graph.coverage.report import report_from_records
>>> from graph.model import Coverage, CoverageRole, Customer, HolderKind, Team, TeamKind, Tier
>>> records = [
...     Team(id="t-n", name="North", team_kind=TeamKind.REGIONAL, regions=("north",)),
...     Customer(id="a", name="A", tier=Tier.MID, region="north", revenue=10),
...     Customer(id="b", name="B", tier=Tier.SMALL, region="south", revenue=5),
...     Coverage(holder_kind=HolderKind.TEAM, holder_id="t-n", customer_id="a",
...              role=CoverageRole.OWNER),
... ]
>>> m = coverage_matrix(report_from_records(records), {"t-n": "North"}, Segment.REGION)
>>> m.segments  # biggest segments first (ties by name)
('north', 'south')
>>> [(r.label, [c.customers for c in r.cells]) for r in m.rows]
[('North', [1, 0]), ('nobody', [0, 1])]
>>> m.rows[1].cells[1].gaps, m.totals.customers, m.totals.revenue
(1, 2, 15.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from graph.coverage.capacity import LoadStatus
from graph.coverage.conflicts import ConflictReport
from graph.coverage.customer_table import NO_OWNER, CustomerTable
from graph.coverage.gaps import GapKind, GapReport
from graph.coverage.resolve import CustomerCoverage
from graph.model import TIER_ORDER

if TYPE_CHECKING:  # the report module builds the matrix cells, so it imports this one
    from graph.coverage.report import CoverageReport

NOBODY = ""  # the row key of customers nobody owns
# rows grouped as an org chart reads: account teams first, territory, then overlays
KIND_ORDER = {
    k: i
    for i, k in enumerate(
        ("key_account", "government", "regional", "inside_sales", "solution", "delivery", "partner")
    )
}


class Segment(StrEnum):
    REGION = "region"
    INDUSTRY = "industry"
    TIER = "tier"


@dataclass
class MatrixCell:
    """Customers of one team in one segment, their revenue and the problems among them."""

    customers: int = 0
    revenue: float = 0.0
    gaps: int = 0
    conflicts: int = 0
    misfits: int = 0

    @property
    def problems(self) -> int:
        return self.gaps + self.conflicts

    def add(self, revenue: float, gap: bool, conflict: bool, misfit: bool) -> None:
        self.customers += 1
        self.revenue += revenue
        self.gaps += gap
        self.conflicts += conflict
        self.misfits += misfit


@dataclass
class MatrixRow:
    """One owner team (``team_id`` ``""`` for nobody) across every segment."""

    team_id: str
    label: str
    team_kind: str
    load_status: str  # capacity's verdict on the team: ok, overloaded, idle, no_account_managers
    cells: list[MatrixCell]
    total: MatrixCell = field(default_factory=MatrixCell)

    @property
    def overloaded(self) -> bool:
        return self.load_status == LoadStatus.OVERLOADED.value


@dataclass
class CoverageMatrix:
    by: Segment
    segments: tuple[str, ...]
    rows: list[MatrixRow]
    column_totals: list[MatrixCell]
    totals: MatrixCell


@dataclass
class MatrixData:
    """What the matrix needs of a report: per segment dimension, its values and one cell per
    (owner code, segment code); owner code ``NO_OWNER`` is nobody."""

    owner_keys: list[tuple[str, ...]]
    segments: dict[Segment, list[str]]
    cells: dict[Segment, dict[tuple[int, int], MatrixCell]]


Flags = Mapping[str, tuple[bool, bool, bool]]  # customer id -> (gap, conflict, misfit)


def matrix_data(table: CustomerTable, flagged: Flags) -> MatrixData:
    """Sum every customer of ``table`` into the cells of each dimension (one pass)."""
    dims = {
        Segment.TIER: ([t.value for t in TIER_ORDER], table.tiers),
        Segment.INDUSTRY: (list(table.industry_names), table.industries),
        Segment.REGION: (list(table.region_names), table.regions),
    }
    cells: dict[Segment, dict[tuple[int, int], MatrixCell]] = {d: {} for d in dims}
    none = (False, False, False)
    for i, customer_id in enumerate(table.ids):
        gap, conflict, misfit = flagged.get(customer_id, none)
        owner, revenue = table.owner[i], table.revenue[i]
        for dim, (_names, codes) in dims.items():
            key = (owner, codes[i])
            cell = cells[dim].get(key)
            if cell is None:
                cell = cells[dim][key] = MatrixCell()
            cell.add(revenue, gap, conflict, misfit)
    return MatrixData(list(table.owner_keys), {d: names for d, (names, _c) in dims.items()}, cells)


def flags(gaps: GapReport, conflicts: ConflictReport) -> dict[str, tuple[bool, bool, bool]]:
    """(gap, conflict, misfit) of every customer with any finding."""
    out: dict[str, tuple[bool, bool, bool]] = {}
    for f in gaps.findings:
        _gap, conflict, misfit = out.get(f.customer_id, (False, False, False))
        out[f.customer_id] = (True, conflict, misfit or f.kind is GapKind.OWNER_KIND_MISFIT)
    for c in conflicts.conflicts:
        gap, _conflict, misfit = out.get(c.customer_id, (False, False, False))
        out[c.customer_id] = (gap, True, misfit)
    return out


def _merge(into: MatrixCell, cell: MatrixCell) -> None:
    into.customers += cell.customers
    into.revenue += cell.revenue
    into.gaps += cell.gaps
    into.conflicts += cell.conflicts
    into.misfits += cell.misfits


def coverage_matrix(
    report: CoverageReport,
    team_names: Mapping[str, str],
    by: Segment = Segment.REGION,
    team_kinds: Mapping[str, str] | None = None,
) -> CoverageMatrix:
    """The teams x segments matrix of ``report``. A customer owned by two teams counts in both
    rows (and as a conflict in each), so a row's total is what that team would claim."""
    data = report.matrix
    if data is None:
        raise ValueError("the report was built without its matrix cells")
    names, cells = data.segments[by], data.cells[by]
    seen = [0] * len(names)
    for (_owner, code), cell in cells.items():
        seen[code] += cell.customers
    # tiers in their own order; regions and industries biggest first
    order = (
        list(range(len(names)))
        if by is Segment.TIER
        else sorted(range(len(names)), key=lambda i: (-seen[i], names[i]))
    )
    column_of = {code: col for col, code in enumerate(order)}
    status = {t.team_id: t.status.value for t in report.capacity.teams}
    kinds = dict(team_kinds or {})
    kinds.update({t.team_id: t.team_kind for t in report.capacity.teams})
    rows: dict[str, MatrixRow] = {}

    def row_of(team: str) -> MatrixRow:
        row = rows.get(team)
        if row is None:
            label = team_names.get(team, team) if team else "nobody"
            cells_ = [MatrixCell() for _ in order]
            row = MatrixRow(team, label, kinds.get(team, ""), status.get(team, ""), cells_)
            rows[team] = row
        return row

    column_totals = [MatrixCell() for _ in order]
    totals = MatrixCell()
    for (owner, code), cell in sorted(cells.items()):
        teams = (NOBODY,) if owner == NO_OWNER else data.owner_keys[owner]
        col = column_of[code]
        for team in teams:
            row = row_of(team)
            _merge(row.cells[col], cell)
            _merge(row.total, cell)
        _merge(column_totals[col], cell)
        _merge(totals, cell)
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            r.team_id == NOBODY,
            KIND_ORDER.get(r.team_kind, len(KIND_ORDER)),
            -r.total.revenue,
            r.team_id,
        ),
    )
    return CoverageMatrix(by, tuple(names[i] for i in order), ordered, column_totals, totals)


@dataclass(frozen=True)
class CellCustomer:
    """One customer behind a matrix cell, with its problems, for the drill-down list."""

    customer_id: str
    name: str
    tier: str
    industry: str
    region: str
    revenue: float
    owners: tuple[str, ...]
    gap: bool
    conflict: bool
    misfit: bool


def cell_customers(
    coverages: Iterable[CustomerCoverage],
    flagged: Flags,
    team_id: str | None,
    by: Segment | None = None,
    value: str | None = None,
    *,
    problems_only: bool = False,
    limit: int = 500,
) -> tuple[list[CellCustomer], int]:
    """The customers of one cell (``team_id`` ``""`` = nobody, None = any team; ``by``/``value``
    None = every segment), biggest revenue first: up to ``limit`` of them, and how many match.
    ``coverages`` is streamed once; memory stays bounded by ``limit``."""
    found: list[CellCustomer] = []
    total = 0
    none = (False, False, False)
    for cc in coverages:
        c = cc.customer
        teams = cc.owner_side.key
        if team_id is not None and (team_id not in teams if team_id else bool(teams)):
            continue
        segment = {
            Segment.TIER: c.tier.value,
            Segment.INDUSTRY: c.industry,
            Segment.REGION: c.region,
        }
        if by is not None and value is not None and segment[by] != value:
            continue
        gap, conflict, misfit = flagged.get(c.id, none)
        if problems_only and not (gap or conflict):
            continue
        total += 1
        found.append(
            CellCustomer(
                c.id,
                c.name,
                c.tier.value,
                c.industry,
                c.region,
                c.revenue,
                teams,
                gap,
                conflict,
                misfit,
            )
        )
        if len(found) > 4 * limit:  # keep memory bounded: trim to the biggest as we go
            found = sorted(found, key=lambda x: (-x.revenue, x.customer_id))[:limit]
    return sorted(found, key=lambda x: (-x.revenue, x.customer_id))[:limit], total
