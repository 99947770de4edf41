"""Every coverage problem the demo generator plants is found, and nothing beyond its manifest is
flagged (``graph.demo.generate`` documents what "clean" means)."""

from __future__ import annotations

import pytest

from graph.coverage.gaps import GapKind
from graph.coverage.policy import Policy
from graph.coverage.report import CoverageReport, report_from_records, report_from_source
from graph.demo.generate import generate, manifest
from graph.store.base import ChangeSet, Store

SIZES = [pytest.param(300, 11, id="300"), pytest.param(1500, 7, id="1500")]


def found(report: CoverageReport) -> dict[str, list[str]]:
    """What the analyses flag, under the manifest's field names."""
    gaps = report.gaps
    return {
        "gap_customers": gaps.customer_ids(GapKind.NO_OWNER),
        "conflict_customers": report.conflicts.customer_ids(),
        "inflation_customers": report.credit.inflation_ids(),
        "overlay_customers": sorted({o.customer_id for o in report.credit.allowed_overlays}),
        "overloaded_account_managers": sorted(p.employee_id for p in report.capacity.overloaded),
        "strategic_without_dedicated_am": gaps.customer_ids(GapKind.STRATEGIC_WITHOUT_DEDICATED_AM),
        "key_without_named_am": gaps.customer_ids(GapKind.KEY_WITHOUT_NAMED_AM),
        "key_left_to_regional": gaps.customer_ids(GapKind.OWNER_KIND_MISFIT),
        "uncovered_branches": report.hierarchy.uncovered_ids(),
        "hq_branch_conflicts": report.hierarchy.conflict_ids(),
        "inactive_owner_customers": gaps.customer_ids(GapKind.INACTIVE_OWNER),
    }


FIELDS = (
    "gap_customers",
    "conflict_customers",
    "inflation_customers",
    "overlay_customers",
    "overloaded_account_managers",
    "strategic_without_dedicated_am",
    "key_without_named_am",
    "key_left_to_regional",
    "uncovered_branches",
    "hq_branch_conflicts",
    "inactive_owner_customers",
)


@pytest.mark.parametrize(("customers", "seed"), SIZES)
def test_every_planted_problem_is_found_and_nothing_else(customers: int, seed: int) -> None:
    records = [r for batch in generate(customers=customers, seed=seed) for r in batch]
    report = report_from_records(records)
    m = manifest(customers=customers, seed=seed)
    got = found(report)
    for name in FIELDS:
        assert got[name] == sorted(getattr(m, name)), name
    assert report.credit.disallowed_overlays == ()
    assert m.credit_union in got["gap_customers"]
    assert m.conflict_bank in got["conflict_customers"]


def test_demo_findings_on_the_store(store: Store) -> None:
    for batch in generate(customers=300, seed=11):
        store.write(ChangeSet(upserts=batch))
    report = report_from_source(store, Policy(), chunk_size=100)
    m = manifest(customers=300, seed=11)
    got = found(report)
    for name in FIELDS:
        assert got[name] == sorted(getattr(m, name)), name
