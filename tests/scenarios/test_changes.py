"""Each kind of change, evaluated against the small world of ``worlds.py`` (on both stores):
what it opens, closes and moves. Every evaluation is checked to give the same diff
incrementally and fully (``evaluate_both``)."""

from __future__ import annotations

import pytest

from graph.coverage.policy import Policy
from graph.model import RecordKind, ReportingLine
from graph.scenarios.apply import ScenarioInvalid, resolve_scenario
from graph.store.base import Store
from tests.scenarios.helpers import evaluate_both, gap_ids, load_world
from tests.scenarios.worlds import scenario


@pytest.fixture
def live(store: Store) -> Store:
    load_world(store)
    return store


def test_today_matches_the_coverage_report(live: Store) -> None:
    from graph.coverage.report import report_from_source

    ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "add_coverage",
                "select": {"ids": ["shop-s"]},
                "holder_kind": "team",
                "holder_id": "SOL",
                "role": "support",
                "credit_share": 0,
            }
        ),
    )
    counts = report_from_source(live, Policy()).summary.counts
    assert (
        diff.before.customers,
        diff.before.no_owner,
        diff.before.owner_kind_misfit,
        diff.before.key_without_named_am,
        diff.before.strategic_without_dedicated_am,
        diff.before.conflicts,
        diff.before.overloaded_people,
    ) == (
        counts.customers,
        counts.no_owner,
        counts.owner_kind_misfit,
        counts.key_without_named_am,
        counts.strategic_without_dedicated_am,
        counts.conflicts,
        counts.overloaded_people,
    )
    assert (diff.before.no_owner, diff.before.owner_kind_misfit, diff.before.conflicts) == (1, 1, 1)


def test_moving_a_contested_bank_to_its_industry_team_closes_the_conflict(live: Store) -> None:
    ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "move_customers",
                "select": {"ids": ["bank-n"]},
                "to_team": "KA-FIN",
                "to_account_manager": "am-fin1",
            }
        ),
    )
    assert ev.mode == "incremental"
    assert [c.customer_id for c in diff.conflicts_closed] == ["bank-n"]
    assert diff.conflicts_opened == ()
    assert (diff.before.conflicts, diff.after.conflicts) == (1, 0)
    [change] = diff.owner_changes
    assert change.owners_before == ("KA-FIN", "R-N")
    assert change.owners_after == ("KA-FIN",)
    removed = {(e.holder, e.role) for e in diff.edge_changes if e.change == "removed"}
    assert removed == {("team:R-N", "owner")}
    assert {(e.holder, e.role) for e in diff.edge_changes if e.change == "added"} == {
        ("team:KA-FIN", "owner")
    }


def test_moving_by_filter_selects_every_matching_customer(live: Store) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "move_customers",
                "select": {"tier": "key", "industry": "manufacturing"},
                "to_team": "KA-MFG",
                "to_account_manager": "am-mfg",
            }
        ),
    )
    assert sorted(o.customer_id for o in diff.owner_changes) == ["plant-n", "pump-s"]
    assert gap_ids(diff.gaps_closed, "owner_kind_misfit") == ["plant-n"]
    assert gap_ids(diff.gaps_closed, "key_without_named_am") == ["pump-s"]
    # am-mfg now holds grid (strategic) plus two key accounts: 1.0 + 0.2 > 1.0
    assert diff.newly_overloaded_people == ("am-mfg",)
    # ... so grid no longer has a dedicated AM
    assert gap_ids(diff.gaps_opened, "strategic_without_dedicated_am") == []


def test_a_second_strategic_account_costs_the_first_its_dedicated_am(live: Store) -> None:
    ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "move_customers",
                "select": {"ids": ["rail"]},
                "to_team": "KA-MFG",
                "to_account_manager": "am-mfg",
            }
        ),
    )
    assert ev.mode == "incremental"
    # grid is not touched by the move, but its AM now holds two strategic accounts
    assert gap_ids(diff.gaps_opened, "strategic_without_dedicated_am") == ["grid"]
    assert gap_ids(diff.gaps_closed, "strategic_without_dedicated_am") == []
    assert (
        diff.before.strategic_without_dedicated_am,
        diff.after.strategic_without_dedicated_am,
    ) == (1, 2)


def test_a_filter_matching_no_customer_is_an_error_naming_the_change(live: Store) -> None:
    with pytest.raises(ScenarioInvalid) as exc:
        resolve_scenario(
            live,
            scenario(
                {"op": "create_team", "id": "X", "name": "X", "team_kind": "regional"},
                {"op": "move_customers", "select": {"industry": "aerospace"}, "to_team": "X"},
            ),
            Policy(),
        )
    assert "changes[1] (move_customers) field 'select': matches no customer" in str(exc.value)
    assert exc.value.errors[0]["change"] == 1


def test_unknown_team_and_unknown_leaver_are_named(live: Store) -> None:
    with pytest.raises(ScenarioInvalid) as exc:
        resolve_scenario(
            live,
            scenario(
                {"op": "move_customers", "select": {"ids": ["bank-n"]}, "to_team": "NOPE"},
                {"op": "person_leaves", "employee": "ghost"},
                {"op": "move_customers", "select": {"ids": ["bank-n", "zzz"]}, "to_team": "KA-FIN"},
            ),
            Policy(),
        )
    msg = str(exc.value)
    assert "changes[0] (move_customers) field 'to_team': unknown team 'NOPE'" in msg
    assert "changes[1] (person_leaves) field 'employee': unknown employee 'ghost'" in msg
    assert "changes[2] (move_customers) field 'select.ids': unknown customer(s) 'zzz'" in msg


def test_a_team_created_in_the_scenario_can_take_customers(live: Store) -> None:
    ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "create_team",
                "id": "KA-RET",
                "name": "Retail",
                "team_kind": "key_account",
                "industry": "retail",
                "parent_id": "KA",
            },
            {"op": "add_headcount", "id": "am-ret", "name": "Retail AM", "team": "KA-RET"},
            {
                "op": "move_customers",
                "select": {"ids": ["shop-w"]},
                "to_team": "KA-RET",
                "to_account_manager": "am-ret",
            },
        ),
    )
    assert gap_ids(diff.gaps_closed, "no_owner") == ["shop-w"]
    assert (diff.before.owned, diff.after.owned) == (8, 9)
    assert [p.id for p in diff.people] == ["am-ret"]
    assert diff.people[0].counts_after == (0, 0, 0, 1)


def test_merging_regional_teams_joins_their_territories_and_members(live: Store) -> None:
    sc = scenario({"op": "merge_teams", "teams": ["R-S"], "into": "R-N"})
    resolved = resolve_scenario(live, sc, Policy())
    after = resolved.after()
    assert after[(RecordKind.TEAM, "R-S")] is None
    assert after[(RecordKind.TEAM, "R-N")].regions == ("north", "south")  # type: ignore[union-attr]
    assert after[(RecordKind.MEMBERSHIP, "rs-s\x1fR-N")] is not None
    ev, diff = evaluate_both(live, sc)
    assert ev.mode == "full"  # a territory changes
    assert [o.customer_id for o in diff.owner_changes] == ["shop-s"]
    assert diff.owner_changes[0].owners_after == ("R-N",)
    assert diff.gaps_opened == () and diff.gaps_closed == ()


def test_splitting_a_team_by_region_moves_its_customers_and_members(live: Store) -> None:
    sc = scenario(
        {
            "op": "split_team",
            "team": "KA-MFG",
            "by": "region",
            "parts": [
                {"id": "KA-MFG-S", "name": "Manufacturing south", "values": ["south"]},
                {
                    "id": "KA-MFG-N",
                    "name": "Manufacturing north",
                    "values": ["north"],
                    "members": ["am-mfg"],
                },
            ],
        }
    )
    _ev, diff = evaluate_both(live, sc)
    owners = {o.customer_id: o.owners_after for o in diff.owner_changes}
    assert owners == {"pump-s": ("KA-MFG-S",), "grid": ("KA-MFG-N",)}
    assert {t.id for t in diff.teams} >= {"KA-MFG", "KA-MFG-N", "KA-MFG-S"}
    # KA-MFG-S holds pump-s but has no account manager
    by_id = {t.id: t for t in diff.teams}
    assert by_id["KA-MFG-S"].account_managers_after == 0


def test_splitting_by_an_unknown_member_is_an_error(live: Store) -> None:
    with pytest.raises(ScenarioInvalid, match=r"parts.0.members.*not a member of KA-MFG"):
        resolve_scenario(
            live,
            scenario(
                {
                    "op": "split_team",
                    "team": "KA-MFG",
                    "by": "industry",
                    "parts": [{"id": "P", "name": "P", "values": ["x"], "members": ["rs-n"]}],
                }
            ),
            Policy(),
        )


def test_dissolving_a_team_hands_its_customers_on_or_opens_gaps(live: Store) -> None:
    _ev, diff = evaluate_both(
        live, scenario({"op": "dissolve_team", "team": "KA-MFG", "members_to": "KA-FIN"})
    )
    # pump-s was held by the team itself: nobody owns it now except territory R-S
    assert [o.customer_id for o in diff.owner_changes] == ["grid", "pump-s"]
    assert gap_ids(diff.gaps_opened, "owner_kind_misfit") == ["pump-s"]
    assert gap_ids(diff.gaps_closed, "key_without_named_am") == ["pump-s"]
    _ev, handed = evaluate_both(
        live,
        scenario(
            {
                "op": "dissolve_team",
                "team": "KA-MFG",
                "members_to": "KA-FIN",
                "customers_to": "KA-FIN",
            },
            sid="s2",
        ),
    )
    assert handed.gaps_opened == ()


def test_moving_a_person_moves_their_book_between_teams(live: Store) -> None:
    _ev, diff = evaluate_both(
        live, scenario({"op": "move_person", "employee": "am-fin2", "to_team": "KA-MFG"})
    )
    teams = {t.id: t for t in diff.teams}
    assert teams["KA-FIN"].counts_before[1] - teams["KA-FIN"].counts_after[1] == 1
    assert teams["KA-MFG"].counts_after[1] - teams["KA-MFG"].counts_before[1] == 1
    assert teams["KA-MFG"].account_managers_after == 2
    [change] = diff.owner_changes
    assert (change.customer_id, change.owners_after) == ("bank-s", ("KA-MFG",))


def test_a_new_solid_line_replaces_the_old_one_and_dotted_lines_add_up(live: Store) -> None:
    resolved = resolve_scenario(
        live,
        scenario(
            {"op": "reporting_line", "employee": "rs-n", "manager": "am-fin1"},
            {"op": "reporting_line", "employee": "rs-s", "manager": "am-fin2", "line": "dotted"},
        ),
        Policy(),
    )
    after = resolved.after()
    assert after[(RecordKind.EMPLOYEE_REPORTS_TO, "rs-n\x1flead-n")] is None
    assert after[(RecordKind.EMPLOYEE_REPORTS_TO, "rs-n\x1fam-fin1")].line is ReportingLine.SOLID  # type: ignore[union-attr]
    assert after[(RecordKind.EMPLOYEE_REPORTS_TO, "rs-s\x1fam-fin2")].line is ReportingLine.DOTTED  # type: ignore[union-attr]
    assert (RecordKind.EMPLOYEE_REPORTS_TO, "rs-s\x1flead-n") not in after


def test_a_leaver_without_successor_orphans_their_only_key_relationship(live: Store) -> None:
    _ev, diff = evaluate_both(live, scenario({"op": "person_leaves", "employee": "am-fin1"}))
    assert [
        (k.account_id, k.contact_id, k.only_relationship) for k in diff.key_contacts_orphaned
    ] == [("bank-n", "c-cio", True)]
    assert gap_ids(diff.gaps_opened, "inactive_owner") == ["bank-n"]
    [broken] = diff.broken_client_teams
    assert (broken.customer_id, broken.lost) == ("bank-n", ("am-fin1",))


def test_a_successor_takes_over_the_leavers_accounts(live: Store) -> None:
    _ev, diff = evaluate_both(
        live, scenario({"op": "person_leaves", "employee": "am-fin1", "successor": "am-fin2"})
    )
    assert gap_ids(diff.gaps_opened, "inactive_owner") == []
    [change] = diff.owner_changes
    assert change.account_managers_after == ("am-fin2",)
    people = {p.id: p for p in diff.people}
    assert people["am-fin2"].counts_after == (0, 2, 0, 0)
    # relationships do not pass to the successor: the CIO is still orphaned
    assert [k.contact_id for k in diff.key_contacts_orphaned] == ["c-cio"]


def test_extending_a_territory_closes_the_gap_there(live: Store) -> None:
    ev, diff = evaluate_both(
        live, scenario({"op": "change_territory", "team": "R-S", "add": ["west"]})
    )
    assert ev.mode == "full"
    assert gap_ids(diff.gaps_closed, "no_owner") == ["shop-w"]
    assert diff.after.no_owner == 0


def test_territory_of_a_non_regional_team_is_an_error(live: Store) -> None:
    with pytest.raises(ScenarioInvalid, match="KA-FIN' is key_account, not regional"):
        resolve_scenario(
            live, scenario({"op": "change_territory", "team": "KA-FIN", "add": ["west"]}), Policy()
        )


def test_tighter_tier_norms_overload_people(live: Store) -> None:
    ev, diff = evaluate_both(
        live, scenario({"op": "change_policy", "tier_norms": {"key": {"min": 0, "max": 1}}})
    )
    assert ev.mode == "full"
    assert diff.newly_overloaded_people == ()  # nobody holds more than one key account...
    _ev, diff2 = evaluate_both(
        live,
        scenario(
            {"op": "change_policy", "tier_norms": {"key": {"min": 0, "max": 1}}},
            {
                "op": "move_customers",
                "select": {"ids": ["pump-s"]},
                "to_account_manager": "am-fin2",
                "to_team": "KA-FIN",
            },
            sid="s2",
        ),
    )
    assert diff2.newly_overloaded_people == ("am-fin2",)


def test_dual_credit_overlay_is_counted_and_allowed_when_policy_says_so(live: Store) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "add_coverage",
                "select": {"ids": ["bank-s"]},
                "holder_kind": "team",
                "holder_id": "R-S",
                "role": "overlay",
                "credit_share": 1.0,
            },
        ),
    )
    assert diff.double_counted_change == 800.0
    assert diff.after.inflated_revenue - diff.before.inflated_revenue == 800.0  # not allowed yet
    _ev, allowed = evaluate_both(
        live,
        scenario(
            {"op": "change_policy", "credit": {"overlay_credit_kinds": ["solution", "regional"]}},
            {
                "op": "add_coverage",
                "select": {"ids": ["bank-s"]},
                "holder_kind": "team",
                "holder_id": "R-S",
                "role": "overlay",
                "credit_share": 1.0,
            },
            sid="s2",
        ),
    )
    assert allowed.double_counted_change == 800.0
    assert allowed.after.inflated_revenue == allowed.before.inflated_revenue
    assert [o.customer_id for o in allowed.owner_changes] == []


def test_removing_coverage_opens_a_gap(live: Store) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "remove_coverage",
                "select": {"owner": "am-fin2"},
                "holder_kind": "employee",
                "holder_id": "am-fin2",
            }
        ),
    )
    # bank-s falls back to the southern territory: a key account with a regional owner
    assert gap_ids(diff.gaps_opened, "owner_kind_misfit") == ["bank-s"]
    assert diff.owner_changes[0].owners_after == ("R-S",)


def test_the_live_graph_is_untouched_by_evaluation(live: Store) -> None:
    from tests.scenarios.worlds import graph_snapshot

    before = graph_snapshot(live)
    version = live.version()
    evaluate_both(
        live,
        scenario(
            {"op": "dissolve_team", "team": "KA-FIN"}, {"op": "person_leaves", "employee": "rs-n"}
        ),
    )
    assert graph_snapshot(live) == before
    assert live.version() == version


def test_moving_to_the_industry_team_keeps_its_named_am_and_drops_the_regional_owner(
    live: Store,
) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {
                "op": "move_customers",
                "select": {"tier": "key"},
                "to_team_of": "industry",
                "assign_account_manager": True,
            }
        ),
    )
    after = {o.customer_id: (o.owners_after, o.account_managers_after) for o in diff.owner_changes}
    assert after == {
        "bank-n": (("KA-FIN",), ("am-fin1",)),  # R-N's claim goes, the finance AM stays
        "plant-n": (("KA-MFG",), ("am-mfg",)),  # off the regional team, least-loaded AM
        "pump-s": (("KA-MFG",), ("am-mfg",)),
    }
    assert (
        diff.after.conflicts,
        diff.after.owner_kind_misfit,
        diff.after.key_without_named_am,
    ) == (0, 0, 0)


def test_moving_to_the_regional_team_of_the_region(live: Store) -> None:
    _ev, diff = evaluate_both(
        live,
        scenario(
            {"op": "change_policy", "owner_kinds_by_tier": {"key": ["regional", "key_account"]}},
            {
                "op": "move_customers",
                "select": {"ids": ["bank-s"]},
                "to_team_of": "region",
                "assign_account_manager": True,
            },
        ),
    )
    [change] = diff.owner_changes
    assert (change.owners_after, change.account_managers_after) == (("R-S",), ("rs-s",))
    # the policy change alone: plant-n is no longer misfit, but now a key account w/o named AM
    assert gap_ids(diff.gaps_closed, "owner_kind_misfit") == ["plant-n"]
    assert gap_ids(diff.gaps_opened, "key_without_named_am") == ["plant-n"]


def test_a_dotted_line_for_every_account_manager_of_a_team(live: Store) -> None:
    resolved = resolve_scenario(
        live,
        scenario(
            {
                "op": "reporting_line",
                "team": "KA",
                "roles": ["account_manager"],
                "manager": "lead-n",
                "line": "dotted",
            }
        ),
        Policy(),
    )
    added = sorted(r.key.split("\x1f")[0] for r in resolved.upserts)
    assert added == ["am-fin1", "am-fin2", "am-mfg"]  # members of KA's sub-teams
    assert all(r.line is ReportingLine.DOTTED for r in resolved.upserts)  # type: ignore[attr-defined]


def test_territory_rules_limited_to_small_customers_leave_mid_ones_unowned(live: Store) -> None:
    ev, diff = evaluate_both(
        live, scenario({"op": "change_policy", "territory_rules": [{"tiers": ["small"]}]})
    )
    assert ev.mode == "full"
    # mill-n is mid and owned only by the northern territory; shop-s (small) keeps R-S
    assert gap_ids(diff.gaps_opened, "no_owner") == ["mill-n"]
    assert "shop-s" not in {o.customer_id for o in diff.owner_changes}
