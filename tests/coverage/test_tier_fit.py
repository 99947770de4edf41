"""Coverage that does not fit the tier, and territory rules with tier/industry filters."""

from __future__ import annotations

from graph.coverage.gaps import GapKind
from graph.coverage.inputs import customer_chunks, read_org
from graph.coverage.policy import Policy, TerritoryRule
from graph.coverage.report import report_from_records
from graph.coverage.resolve import ClaimSource, effective_coverage
from graph.model import CoverageRole, Customer, Employee, Membership, Record, Tier
from graph.store.reader import MemorySource
from tests.coverage.worlds import emp_cov, org_records, team_cov


def _customer(cid: str, tier: Tier, region: str = "北京", industry: str = "finance") -> Customer:
    return Customer(id=cid, name=cid, tier=tier, region=region, industry=industry, revenue=10)


def test_key_account_left_to_its_regional_team_is_a_misfit_not_a_named_am_gap() -> None:
    records = [*org_records(), _customer("key-bj", Tier.KEY)]  # only the 北京 territory owns it
    report = report_from_records(records)
    (finding,) = report.gaps.findings
    assert (finding.kind, finding.customer_id) == (GapKind.OWNER_KIND_MISFIT, "key-bj")
    assert "R-BJ" in finding.detail


def test_key_account_of_a_key_account_team_without_named_am() -> None:
    records = [*org_records(), _customer("key-ka", Tier.KEY), team_cov("KA-FIN", "key-ka")]
    report = report_from_records(records)
    assert [(f.kind, f.customer_id) for f in report.gaps.findings] == [
        (GapKind.KEY_WITHOUT_NAMED_AM, "key-ka")
    ]


def test_strategic_accounts_sharing_one_am_have_no_dedicated_am() -> None:
    records = [
        *org_records(),
        _customer("s1", Tier.STRATEGIC),
        _customer("s2", Tier.STRATEGIC),
        _customer("s3", Tier.STRATEGIC),
        emp_cov("am-zhao", "s1"),
        emp_cov("am-zhao", "s2"),
        emp_cov("am-li", "s3"),
    ]
    report = report_from_records(records)
    assert report.gaps.customer_ids(GapKind.STRATEGIC_WITHOUT_DEDICATED_AM) == ["s1", "s2"]
    assert {f.kind for f in report.gaps.findings} == {GapKind.STRATEGIC_WITHOUT_DEDICATED_AM}


def test_inactive_named_owner_needs_reassignment() -> None:
    records: list[Record] = [
        *org_records(),
        Employee(id="am-gone", name="离职经理", active=False),
        Membership(employee_id="am-gone", team_id="KA-FIN", role="account_manager"),
        _customer("key-x", Tier.KEY),
        emp_cov("am-gone", "key-x"),
    ]
    report = report_from_records(records)
    kinds = sorted((f.kind.value, f.customer_id) for f in report.gaps.findings)
    # the team still owns it; with no active named AM it is also a key account without one
    assert kinds == [("inactive_owner", "key-x"), ("key_without_named_am", "key-x")]


def test_named_key_account_is_out_of_the_territory() -> None:
    records = [*org_records(), _customer("key-bj", Tier.KEY), emp_cov("am-li", "key-bj")]
    report = report_from_records(records)
    assert report.gaps.findings == ()
    assert report.conflicts.conflicts == ()  # R-BJ's territory does not reach a named account


def test_territory_rule_filters_by_tier_and_industry() -> None:
    policy = Policy(territory_rules=(TerritoryRule(tiers=(Tier.SMALL,), industries=("retail",)),))
    records = [
        *org_records(),
        _customer("small-retail", Tier.SMALL, industry="retail"),
        _customer("small-fin", Tier.SMALL, industry="finance"),
        _customer("mid-retail", Tier.MID, industry="retail"),
    ]
    report = report_from_records(records, policy)
    assert report.gaps.customer_ids(GapKind.NO_OWNER) == ["mid-retail", "small-fin"]


def test_each_owner_says_why() -> None:
    overlay = team_cov("SOL", "c", role=CoverageRole.OVERLAY, share=0.2)
    src = MemorySource([*org_records(), _customer("c", Tier.SMALL), overlay])
    (cc,) = effective_coverage(read_org(src), customer_chunks(src), Policy())
    (owner,) = cc.owners
    (claim,) = owner.claims
    assert claim.source is ClaimSource.TERRITORY
    assert claim.reason == "territory rule 1: regional team R-BJ covers region 北京"
    assert [o.reason for o in cc.overlays] == ["explicit overlay link of team SOL"]
