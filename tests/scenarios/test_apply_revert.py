"""Apply and revert: atomic, audited, exact; stale scenarios detected (on both stores)."""

from __future__ import annotations

import pytest

from graph.coverage.policy import load_policy
from graph.model import Coverage, CoverageRole, HolderKind, RecordKind, Team, TeamKind
from graph.scenarios.service import (
    ScenarioStale,
    ScenarioStateError,
    apply_scenario,
    get_stored,
    revert_scenario,
    save_scenario,
)
from graph.store.base import ChangeSet, Store, ValidationFailed
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import graph_snapshot, scenario

RESTRUCTURE = (
    {
        "op": "create_team",
        "id": "KA-RET",
        "name": "Retail",
        "team_kind": "key_account",
        "industry": "retail",
        "parent_id": "KA",
    },
    {
        "op": "add_headcount",
        "id": "am-ret",
        "name": "Retail AM",
        "team": "KA-RET",
        "manager": "lead-n",
        "dotted_to": "am-fin1",
    },
    {
        "op": "move_customers",
        "select": {"industry": "retail"},
        "to_team": "KA-RET",
        "to_account_manager": "am-ret",
    },
    {"op": "merge_teams", "teams": ["R-S"], "into": "R-N"},
    {
        "op": "split_team",
        "team": "KA-MFG",
        "by": "region",
        "parts": [
            {"id": "KA-MFG-N", "name": "Mfg north", "values": ["north"], "members": ["am-mfg"]}
        ],
    },
    {"op": "person_leaves", "employee": "am-fin1", "successor": "am-fin2"},
    {"op": "reporting_line", "employee": "rs-n", "manager": "am-fin2", "line": "dotted"},
    {"op": "dissolve_team", "team": "SOL", "members_to": "KA-FIN"},
    {
        "op": "change_policy",
        "credit": {"max_owner_credit": 1.5},
        "tier_norms": {"key": {"min": 2, "max": 8}},
    },
)


@pytest.fixture
def live(store: Store) -> Store:
    load_world(store)
    return store


def test_apply_then_revert_restores_the_exact_previous_graph(live: Store) -> None:
    before = graph_snapshot(live)
    save_scenario(live, scenario(*RESTRUCTURE))
    result = apply_scenario(live, "s1", actor="user:ana", role="org_designer")
    applied = graph_snapshot(live)
    assert applied != before
    assert result.policy_changed and result.upserts > 0 and result.deletes > 0
    assert live.get(RecordKind.TEAM, "SOL") is None
    assert load_policy(live).capacity.norms["key"].max == 8  # type: ignore[index]
    assert get_stored(live, "s1").status == "applied"

    revert_scenario(live, "s1", actor="user:ana", role="org_designer")
    assert graph_snapshot(live) == before
    assert get_stored(live, "s1").status == "reverted"


def test_apply_is_recorded_in_the_audit_trail_with_its_inverse(live: Store) -> None:
    save_scenario(live, scenario(*RESTRUCTURE[:3]))
    result = apply_scenario(live, "s1", actor="user:ana", role="org_designer")
    entry = live.get_doc("audit", result.audit_id)
    assert entry is not None
    assert (entry["actor"], entry["action"], entry["kind"], entry["key"]) == (
        "user:ana",
        "apply",
        "scenario",
        "s1",
    )
    inverse = {(i["kind"], i["key"]): i["data"] for i in entry["changes"]["inverse"]}
    # the retail shops had no explicit owner: their new coverage links did not exist before
    assert inverse[("coverage", "team\x1fKA-RET\x1fshop-s")] is None
    assert inverse[("team", "KA-RET")] is None
    assert entry["at"] and "scenario s1" in entry["detail"]


def test_applying_twice_is_refused(live: Store) -> None:
    save_scenario(live, scenario(*RESTRUCTURE[:1]))
    apply_scenario(live, "s1", actor="a", role="admin")
    with pytest.raises(ScenarioStateError, match="applied already"):
        apply_scenario(live, "s1", actor="a", role="admin")


def test_a_stale_scenario_is_detected_and_shows_what_changed(live: Store) -> None:
    save_scenario(
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
    # a live edit of a record the scenario touches: R-N's share on bank-n
    live.write(
        ChangeSet(
            upserts=[
                Coverage(
                    holder_kind=HolderKind.TEAM,
                    holder_id="R-N",
                    customer_id="bank-n",
                    role=CoverageRole.OWNER,
                    credit_share=0.3,
                )
            ]
        )
    )
    snapshot = graph_snapshot(live)
    with pytest.raises(ScenarioStale) as exc:
        apply_scenario(live, "s1", actor="a", role="admin")
    assert [d.key for d in exc.value.drift] == ["team\x1fR-N\x1fbank-n"]
    assert "changed meanwhile (credit_share)" in str(exc.value)
    assert exc.value.current_version == live.version()
    assert graph_snapshot(live) == snapshot  # nothing applied

    result = apply_scenario(live, "s1", actor="a", role="admin", rebase=True)
    assert result.rebased
    assert live.get(RecordKind.COVERAGE, "team\x1fR-N\x1fbank-n") is None


def test_an_unrelated_live_edit_still_makes_the_scenario_stale_but_lists_nothing(
    live: Store,
) -> None:
    save_scenario(
        live, scenario({"op": "move_customers", "select": {"ids": ["bank-n"]}, "to_team": "KA-FIN"})
    )
    live.write(ChangeSet(upserts=[Team(id="NEW", name="New", team_kind=TeamKind.PARTNER)]))
    with pytest.raises(ScenarioStale) as exc:
        apply_scenario(live, "s1", actor="a", role="admin")
    assert exc.value.drift == []
    assert "none of the records it touches changed" in str(exc.value)


def test_revert_refuses_when_applied_records_were_edited_since(live: Store) -> None:
    before = graph_snapshot(live)
    save_scenario(
        live, scenario({"op": "move_customers", "select": {"ids": ["bank-n"]}, "to_team": "KA-FIN"})
    )
    apply_scenario(live, "s1", actor="a", role="admin")
    live.write(
        ChangeSet(
            upserts=[
                Coverage(
                    holder_kind=HolderKind.TEAM,
                    holder_id="KA-FIN",
                    customer_id="bank-n",
                    credit_share=0.9,
                )
            ]
        )
    )
    with pytest.raises(ScenarioStale, match="edited since it was applied"):
        revert_scenario(live, "s1", actor="a", role="admin")
    revert_scenario(live, "s1", actor="a", role="admin", force=True)
    assert graph_snapshot(live) == before


def test_a_failing_apply_writes_nothing(live: Store) -> None:
    # lead-n -> rs-n closes a reporting cycle (rs-n reports to lead-n): the store rejects it
    save_scenario(
        live,
        scenario(
            {"op": "move_customers", "select": {"ids": ["bank-n"]}, "to_team": "KA-FIN"},
            {"op": "reporting_line", "employee": "lead-n", "manager": "rs-n"},
        ),
    )
    before = graph_snapshot(live)
    version = live.version()
    audit_before = live.list_docs("audit", limit=1000)
    with pytest.raises(ValidationFailed):
        apply_scenario(live, "s1", actor="a", role="admin")
    assert graph_snapshot(live) == before
    assert live.version() == version
    assert live.list_docs("audit", limit=1000) == audit_before
    assert get_stored(live, "s1").status == "draft"


def test_an_invalid_scenario_is_not_stored(live: Store) -> None:
    from graph.scenarios.apply import ScenarioInvalid

    with pytest.raises(ScenarioInvalid, match="unknown employee 'ghost'"):
        save_scenario(live, scenario({"op": "person_leaves", "employee": "ghost"}))
    assert live.get_doc("scenarios", "s1") is None


def test_a_policy_change_after_saving_makes_the_scenario_stale(live: Store) -> None:
    from graph.coverage.policy import Policy, policy_document

    save_scenario(
        live, scenario({"op": "move_customers", "select": {"ids": ["bank-n"]}, "to_team": "KA-FIN"})
    )
    stricter = Policy().model_copy(update={"named_kinds": ()})
    live.put_doc("policy", "current", policy_document(stricter))  # a document: no new version
    with pytest.raises(ScenarioStale) as exc:
        apply_scenario(live, "s1", actor="a", role="admin")
    assert exc.value.policy_changed and "the coverage policy changed" in str(exc.value)
    apply_scenario(live, "s1", actor="a", role="admin", rebase=True)


def test_revert_refuses_when_the_policy_was_changed_since_the_apply(live: Store) -> None:
    from graph.coverage.policy import Policy, policy_document

    before = graph_snapshot(live)
    save_scenario(
        live, scenario({"op": "change_policy", "tier_norms": {"key": {"min": 1, "max": 5}}})
    )
    apply_scenario(live, "s1", actor="a", role="admin")
    live.put_doc("policy", "current", policy_document(Policy()))
    with pytest.raises(ScenarioStale, match="the coverage policy was changed"):
        revert_scenario(live, "s1", actor="a", role="admin")
    revert_scenario(live, "s1", actor="a", role="admin", force=True)
    assert graph_snapshot(live) == before
