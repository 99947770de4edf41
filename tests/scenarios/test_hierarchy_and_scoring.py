"""The hierarchy roll-up and key-account scoring in a scenario's diff (both stores).

Added to the small world: a key group HQ ``grp`` owned by KA-FIN with am-fin2, its branch
``grp-w`` in the west (nobody covers the west: an **uncovered branch** of a covered HQ) and its
branch ``grp-n`` in the north (owned by territory R-N, a team the HQ does not share: whether
that is an HQ-branch conflict is ``graph.coverage.hierarchy``'s rule; the diff follows the
report)."""

from __future__ import annotations

import pytest

from graph.coverage.policy import Policy
from graph.coverage.report import report_from_source
from graph.model import Customer, Tier
from graph.store.base import ChangeSet, Store
from tests.scenarios.helpers import evaluate_both, load_world
from tests.scenarios.worlds import emp_cov, scenario, team_cov


@pytest.fixture
def live(store: Store) -> Store:
    load_world(store)
    store.write(
        ChangeSet(
            upserts=[
                Customer(
                    id="grp",
                    name="Group HQ",
                    tier=Tier.KEY,
                    industry="finance",
                    region="south",
                    revenue=900,
                ),
                Customer(
                    id="grp-w",
                    name="Group West",
                    tier=Tier.SMALL,
                    industry="finance",
                    region="west",
                    revenue=90,
                    parent_id="grp",
                ),
                Customer(
                    id="grp-n",
                    name="Group North",
                    tier=Tier.MID,
                    industry="finance",
                    region="north",
                    revenue=70,
                    parent_id="grp",
                ),
                team_cov("KA-FIN", "grp"),
                emp_cov("am-fin2", "grp", share=0.0),
            ]
        )
    )
    return store


def test_today_has_the_uncovered_branch_the_report_finds(live: Store) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "add_coverage",
                "select": {"ids": ["bank-s"]},
                "holder_kind": "team",
                "holder_id": "SOL",
                "role": "support",
                "credit_share": 0,
            }
        ),
    )
    report = report_from_source(live, Policy())
    assert report.hierarchy.uncovered_ids() == ["grp-w"]
    assert (diff.before.uncovered_branches, diff.before.hq_branch_conflicts) == (
        len(report.hierarchy.uncovered_branches),
        len(report.hierarchy.conflicts),
    )
    assert diff.hierarchy_opened == () and diff.hierarchy_closed == ()


def test_covering_the_west_closes_the_uncovered_branch(live: Store) -> None:
    ev, diff = evaluate_both(
        live, scenario({"op": "change_territory", "team": "R-S", "add": ["west"]})
    )
    assert ev.mode == "full"
    assert [(h.customer_id, h.kind, h.hq_id) for h in diff.hierarchy_closed] == [
        ("grp-w", "uncovered_branch", "grp")
    ]
    assert diff.after.uncovered_branches == 0


def test_a_branch_named_to_another_team_is_an_hq_branch_conflict(live: Store) -> None:
    ev, diff = evaluate_both(
        live, scenario({"op": "move_customers", "select": {"ids": ["grp-w"]}, "to_team": "KA-MFG"})
    )
    assert ev.mode == "incremental"  # the tree of grp is re-analysed, not the whole graph
    assert [(h.customer_id, h.kind) for h in diff.hierarchy_closed] == [
        ("grp-w", "uncovered_branch")
    ]
    assert [(h.customer_id, h.kind) for h in diff.hierarchy_opened] == [
        ("grp-w", "hq_branch_conflict")
    ]
    assert diff.after.hq_branch_conflicts == diff.before.hq_branch_conflicts + 1


def test_a_branch_joining_its_hqs_team_has_no_conflict(live: Store) -> None:
    conflicts_today = report_from_source(live, Policy()).hierarchy.conflict_ids()
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "move_customers",
                "select": {"ids": ["grp-n"]},
                "to_team": "KA-FIN",
                "to_account_manager": "am-fin2",
            }
        ),
    )
    assert diff.after.hq_branch_conflicts == 0
    assert [h.customer_id for h in diff.hierarchy_closed] == conflicts_today


def test_moving_the_hq_away_changes_the_branch_findings(live: Store) -> None:
    # the HQ loses its owner: its west branch is no longer below a covered customer
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "remove_coverage",
                "select": {"ids": ["grp"]},
                "holder_kind": "team",
                "holder_id": "KA-FIN",
            },
            {
                "op": "remove_coverage",
                "select": {"ids": ["grp"]},
                "holder_kind": "employee",
                "holder_id": "am-fin2",
            },
        ),
    )
    # grp falls to the southern territory (covered again, by R-S): the west branch stays uncovered
    assert [(h.customer_id, h.kind) for h in diff.hierarchy_closed] == []
    assert diff.after.uncovered_branches == 1


def test_scoring_weights_change_the_tier_proposals(live: Store) -> None:
    ev, diff = evaluate_both(
        live, scenario({"op": "change_policy", "scoring": {"key_top_percent": 100}})
    )
    assert ev.mode == "full"
    proposals = {
        t.customer_id: (t.current_tier.value, t.proposed_before.value, t.proposed_after.value)
        for t in diff.tier_proposals
    }
    # top 5% of 12 customers is one slot: key accounts drop to mid; with 100% all are ranked
    assert proposals["bank-s"] == ("key", "mid", "key")
    assert proposals["mill-n"] == ("mid", "mid", "key")
    assert "grid" not in proposals  # strategic stays strategic either way
    assert diff.before.tier_changes is not None and diff.after.tier_changes is not None
    _ev, other = evaluate_both(
        live,
        scenario(
            {"op": "move_customers", "select": {"ids": ["bank-s"]}, "to_team": "KA-FIN"}, sid="s2"
        ),
    )
    assert other.before.tier_changes is None and other.tier_proposals == ()


def test_branches_follow_their_hq_team(live: Store) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "move_customers",
                "select": {"industry": "finance", "branches": "only"},
                "to_team_of": "hq",
                "assign_account_manager": True,
            }
        ),
    )
    after = {o.customer_id: (o.owners_after, o.account_managers_after) for o in diff.owner_changes}
    assert after == {
        "grp-w": (("KA-FIN",), ("am-fin1",)),
        "grp-n": (("KA-FIN",), ("am-fin1",)),
    }  # least-loaded AM of KA-FIN
    assert diff.after.uncovered_branches == 0 and diff.after.hq_branch_conflicts == 0
