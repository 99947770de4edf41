"""Each planted finding of the hand-built sales world is found, and nothing else is flagged."""

from __future__ import annotations

import pytest

from graph.coverage.capacity import LoadStatus
from graph.coverage.gaps import GapKind
from graph.coverage.report import CoverageReport, report_from_records
from tests.coverage.worlds import sales_world


@pytest.fixture(scope="module")
def report() -> CoverageReport:
    return report_from_records(sales_world())


def test_the_credit_union_nobody_owns_is_a_gap(report: CoverageReport) -> None:
    assert report.gaps.customer_ids(GapKind.NO_OWNER) == ["br-gansu", "cu-gansu"]


def test_no_other_gap_kind_is_flagged(report: CoverageReport) -> None:
    assert {f.kind for f in report.gaps.findings} == {GapKind.NO_OWNER}


def test_the_bank_two_teams_claim_is_the_only_conflict(report: CoverageReport) -> None:
    (conflict,) = report.conflicts.conflicts
    assert conflict.customer_id == "bank-zs"
    assert conflict.teams == ("KA-FIN", "R-SH")
    since = {o.teams: o.since for o in conflict.owners}
    assert since[("KA-FIN",)].isoformat() == "2023-01-01"
    assert since[("R-SH",)].isoformat() == "2024-06-01"


def test_named_am_and_own_team_owning_is_one_owner_with_inflated_credit(
    report: CoverageReport,
) -> None:
    (inflation,) = report.credit.inflation
    assert inflation.customer_id == "ins-pa"
    assert inflation.owners == ("KA-FIN",)
    assert inflation.owner_credit == 2.0
    assert inflation.inflated_revenue == 800.0  # revenue 800 counted once too often


def test_solution_overlay_dual_credit_is_listed_not_flagged(report: CoverageReport) -> None:
    (overlay,) = report.credit.allowed_overlays
    assert (overlay.customer_id, overlay.holder, overlay.owner_teams) == (
        "fac-bj",
        "team:SOL",
        ("R-BJ",),
    )
    assert report.credit.disallowed_overlays == ()
    pair = {(p.team_a, p.team_b): p for p in report.credit.per_pair}
    assert pair[("R-BJ", "SOL")].allowed
    assert pair[("R-BJ", "SOL")].double_counted_revenue == 300.0


def test_double_counted_revenue_splits_into_intended_and_inflated(report: CoverageReport) -> None:
    # fac-bj 300 (intended overlay) + ins-pa 800 (inflation); the bank's 0.5 + 0.5 is not double
    assert report.credit.double_counted_revenue == 1100.0
    assert report.credit.inflated_revenue == 800.0
    team = {t.team: t for t in report.credit.per_team}
    assert team["KA-FIN"].inflated_revenue == 800.0
    assert team["R-SH"].double_counted_revenue == 0.0


def test_the_overloaded_am_and_the_idle_one(report: CoverageReport) -> None:
    assert [p.employee_id for p in report.capacity.overloaded] == ["am-busy"]
    busy = report.capacity.overloaded[0]
    assert (busy.key, busy.weighted_load) == (11, 1.1)
    # rs-chen works the 北京 territory: not idle
    assert [p.employee_id for p in report.capacity.idle] == ["am-idle"]


def test_team_load_rolls_up_sub_teams(report: CoverageReport) -> None:
    teams = {t.team_id: t for t in report.capacity.teams}
    assert teams["KA-FIN"].key == 14  # bank, insurer, HQ, k01..k11
    assert teams["KA"].rolled_up_customers == 1 + 14
    assert teams["R-BJ"].status is LoadStatus.OK


def test_uncovered_branch_of_a_covered_hq(report: CoverageReport) -> None:
    (branch,) = report.hierarchy.uncovered_branches
    assert (branch.branch_id, branch.hq_id, branch.hq_owners) == ("br-gansu", "hq-grp", ("KA-FIN",))
    # the 北京 branch is owned by its territory's R-BJ while the HQ sits with KA-FIN
    (conflict,) = report.hierarchy.conflicts
    assert (conflict.branch_id, conflict.branch_owners, conflict.hq_owners) == (
        "br-bj",
        ("R-BJ",),
        ("KA-FIN",),
    )
    (rollup,) = report.hierarchy.rollups
    assert (rollup.branches, rollup.covered_branches) == (2, 1)
    assert (rollup.revenue, rollup.uncovered_revenue) == (2000 + 70 + 90, 70)


def test_summary_counts_match_the_findings(report: CoverageReport) -> None:
    counts = report.summary.counts
    assert (counts.customers, counts.owned, counts.no_owner) == (19, 17, 2)
    assert (counts.conflicts, counts.inflation, counts.allowed_overlays) == (1, 1, 1)
    assert (counts.overloaded_people, counts.idle_people, counts.uncovered_branches) == (1, 1, 1)
    assert report.summary.money.unowned_revenue == 75.0
    kinds = [o.what for o in report.summary.top_offenders]
    assert kinds == sorted(
        kinds, key=["no_owner", "conflict", "inflation", "overloaded", "uncovered_branch"].index
    )


def test_report_is_deterministic_whatever_the_input_order() -> None:
    records = sales_world()
    assert report_from_records(records) == report_from_records(list(reversed(records)))
