"""The teams x segments matrix on the hand-built sales world (tests/coverage/worlds.py): every
customer counted once per owner team, nobody's customers in their own row, conflicts in both
claimants' rows, the team's load status on its row, and the totals adding up."""

from __future__ import annotations

import pytest

from graph.coverage.inputs import customer_chunks, read_org
from graph.coverage.matrix import NOBODY, Segment, cell_customers, coverage_matrix, flags
from graph.coverage.policy import Policy
from graph.coverage.report import report_from_records
from graph.coverage.resolve import effective_coverage
from graph.model import Team
from graph.store.reader import MemorySource
from tests.coverage.worlds import sales_world


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    records = sales_world()
    names = {r.id: r.name for r in records if isinstance(r, Team)}
    return report_from_records(records), names


def _cells(report, *args, **kwargs):  # type: ignore[no-untyped-def]
    """cell_customers over the sales world's effective coverage, streamed as the page does."""
    source = MemorySource(sales_world())
    coverages = effective_coverage(read_org(source), customer_chunks(source), Policy())
    found = flags(report.gaps, report.conflicts)
    return cell_customers(coverages, found, *args, **kwargs)


def _cell(matrix, team: str, segment: str):  # type: ignore[no-untyped-def]
    row = next(r for r in matrix.rows if r.team_id == team)
    return row.cells[matrix.segments.index(segment)]


def test_nobody_row_holds_the_unowned_customers_as_gaps(world) -> None:  # type: ignore[no-untyped-def]
    report, names = world
    m = coverage_matrix(report, names, Segment.REGION)
    nobody = next(r for r in m.rows if r.team_id == NOBODY)
    assert nobody.label == "nobody" and m.rows[-1] is nobody
    gansu = _cell(m, NOBODY, "甘肃")
    assert gansu.customers == 2 and gansu.gaps == 2  # cu-gansu and the branch br-gansu


def test_a_conflict_counts_in_both_claimants_rows(world) -> None:  # type: ignore[no-untyped-def]
    report, names = world
    m = coverage_matrix(report, names, Segment.TIER)
    ka_fin = _cell(m, "KA-FIN", "key")
    r_sh = _cell(m, "R-SH", "key")
    assert ka_fin.conflicts >= 1 and r_sh.conflicts == 1
    assert m.totals.conflicts == len(report.conflicts.conflicts)


def test_rows_are_named_and_totals_add_up(world) -> None:  # type: ignore[no-untyped-def]
    report, names = world
    for by in Segment:
        m = coverage_matrix(report, names, by)
        assert m.totals.customers == report.summary.counts.customers
        assert sum(c.customers for c in m.column_totals) == m.totals.customers
        for row in m.rows:
            assert row.total.customers == sum(c.customers for c in row.cells)
            if row.team_id:
                assert row.label == names[row.team_id]


def test_each_team_row_carries_its_load_status(world) -> None:  # type: ignore[no-untyped-def]
    report, names = world
    m = coverage_matrix(report, names, Segment.INDUSTRY)
    status = {r.team_id: r.load_status for r in m.rows}
    assert status["R-SH"] == "no_account_managers"  # owns bank-zs but has no named AM
    assert status["KA-FIN"] == "ok" and status[NOBODY] == ""
    assert not any(r.overloaded for r in m.rows)


def test_a_cell_drills_down_to_its_customers_biggest_first(world) -> None:  # type: ignore[no-untyped-def]
    report, _names = world
    unowned, total = _cells(report, NOBODY, Segment.REGION, "甘肃")
    assert total == 2 and {c.customer_id for c in unowned} == {"cu-gansu", "br-gansu"}
    assert all(c.gap and not c.owners for c in unowned)
    ka_fin, n = _cells(report, "KA-FIN")
    assert n == len(ka_fin) and all("KA-FIN" in c.owners for c in ka_fin)
    assert [c.revenue for c in ka_fin] == sorted((c.revenue for c in ka_fin), reverse=True)
    conflicts, _ = _cells(report, None, problems_only=True)
    assert "bank-zs" in {c.customer_id for c in conflicts if c.conflict}
    first, n_all = _cells(report, None, limit=3)
    assert len(first) == 3 and n_all == report.summary.counts.customers
