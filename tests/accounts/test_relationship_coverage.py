"""Relationship coverage and what-if-leaves on the hand-built scenario (see conftest.py),
in memory and on both stores."""

from __future__ import annotations

import datetime as dt

from graph.accounts.analysis import account_coverage, employee_what_if_leaves
from graph.accounts.relationship_coverage import RelationshipPolicy
from graph.model import RelationshipStrength as RS
from graph.store.reader import MemorySource

TODAY = dt.date(2026, 11, 23)  # the scenario's "today" (tests/accounts/conftest.py)


def test_strongest_relationship_and_its_holder_per_key_contact(records):
    cov = account_coverage(MemorySource(records), "acme", today=TODAY)
    by_id = {c.contact_id: c for c in cov.key_contacts}
    assert (by_id["s1"].strongest, by_id["s1"].strongest_holders) == (RS.TRUSTED_ADVISOR, ("e1",))
    assert [h.employee_id for h in by_id["s1"].holders] == ["e1", "e2"]
    assert (by_id["i1"].strongest, by_id["i1"].gap) == (RS.ACQUAINTED, 2)
    assert by_id["b"].strongest == RS.NONE and by_id["b"].holders == ()


def test_key_contacts_come_in_rank_order(records):
    cov = account_coverage(MemorySource(records), "acme", today=TODAY)
    ranks = [c.rank for c in cov.key_contacts]
    assert ranks == sorted(ranks)


def test_uncovered_and_single_threaded_key_contacts_are_found(records):
    cov = account_coverage(MemorySource(records), "acme", today=TODAY)
    assert cov.uncovered == ("b",)
    assert sorted(cov.single_threaded_contacts) == ["i1", "sh1"]
    assert cov.threads == ("e1", "e2") and not cov.single_threaded


def test_an_account_known_by_one_of_ours_only_is_single_threaded(records):
    cov = account_coverage(MemorySource(records), "solo", today=TODAY)
    assert cov.threads == ("e1",) and cov.single_threaded
    assert cov.uncovered == ()


def test_stale_relationships_never_touched_first_then_oldest(records):
    cov = account_coverage(MemorySource(records), "acme", today=TODAY, stale_days=180)
    assert [(s.employee_id, s.contact_id, s.days_since) for s in cov.stale] == [
        ("e1", "s2", None),
        ("e1", "i1", 677),
    ]
    assert [s.key_contact for s in cov.stale] == [False, True]


def test_a_shorter_stale_window_catches_more(records):
    cov = account_coverage(MemorySource(records), "acme", today=TODAY, stale_days=30)
    found = {(s.employee_id, s.contact_id) for s in cov.stale}
    # 2026-10-01 is 53 days and 2026-09-01 83 days before 2026-11-23; 2026-11-01 only 22
    assert found == {("e1", "s2"), ("e1", "i1"), ("e1", "s1"), ("e2", "sh1")}


def test_buying_roles_complete_on_acme_and_missing_on_solo(records):
    acme = account_coverage(MemorySource(records), "acme", today=TODAY)
    assert acme.roles_complete
    assert {r.requirement: r.covered for r in acme.roles} == {
        "decision_maker_or_economic_buyer": ("s1", "sh1"),
        "champion": ("i1",),
        "executive_sponsor": ("e2",),
    }
    solo = account_coverage(MemorySource(records), "solo", today=TODAY)
    assert not solo.roles_complete
    assert {r.requirement: r.met for r in solo.roles} == {
        "decision_maker_or_economic_buyer": True,
        "champion": False,
        "executive_sponsor": False,
    }


def test_the_policy_can_drop_the_sponsor_requirement(records):
    policy = RelationshipPolicy(require_executive_sponsor=False)
    cov = account_coverage(MemorySource(records), "solo", today=TODAY, policy=policy)
    assert [r.requirement for r in cov.roles] == ["decision_maker_or_economic_buyer", "champion"]


def test_a_stricter_policy_leaves_acquaintances_uncovered(records):
    policy = RelationshipPolicy(covered_at=RS.CREDIBLE_SOURCE)
    cov = account_coverage(MemorySource(records), "acme", today=TODAY, policy=policy)
    assert sorted(cov.uncovered) == ["b", "i1"]


def test_what_if_the_account_manager_leaves_lists_exactly_the_relationships_lost(records):
    impact = employee_what_if_leaves(MemorySource(records), "e1")
    lost = {
        a.account_id: [(r.employee_id, r.contact_id) for r in a.relationships_lost]
        for a in impact.accounts
    }
    assert lost == {"acme": [("e1", "s1"), ("e1", "i1"), ("e1", "s2")], "solo": [("e1", "d1")]}
    by_acc = {a.account_id: a for a in impact.accounts}
    assert by_acc["acme"].key_contacts_orphaned == ("i1",)
    assert by_acc["acme"].contacts_orphaned == ("i1", "s2")
    assert by_acc["acme"].relationships_lost[0].still_known_by == ("e2",)
    assert by_acc["solo"].key_contacts_orphaned == ("d1",) and by_acc["solo"].becomes_uncovered
    assert (impact.relationships_lost, impact.key_contacts_orphaned) == (4, 2)
    assert impact.accounts_uncovered == ("solo",)
    assert impact.accounts_single_threaded == ("acme",)


def test_what_if_counts_each_subsidiary_as_its_own_account(records):
    impact = employee_what_if_leaves(MemorySource(records), "e2")
    lost = [(a.account_id, [r.contact_id for r in a.relationships_lost]) for a in impact.accounts]
    assert lost == [("acme", ["s1"]), ("acme-sh", ["sh1"])]


def test_a_relationship_of_strength_none_is_nothing_lost(records):
    impact = employee_what_if_leaves(MemorySource(records), "e3")
    assert impact.accounts == () and impact.relationships_lost == 0


def test_what_if_can_be_restricted_to_visible_accounts(records):
    impact = employee_what_if_leaves(MemorySource(records), "e1", account_ids=["solo"])
    assert [a.account_id for a in impact.accounts] == ["solo"]


# ----------------------------------------------------------------------- on both stores


def test_on_the_store_uncovered_and_single_threaded_key_contacts_are_found(loaded_store):
    acme = account_coverage(loaded_store, "acme", today=TODAY)
    assert acme.uncovered == ("b",)
    assert sorted(acme.single_threaded_contacts) == ["i1", "sh1"]
    solo = account_coverage(loaded_store, "solo", today=TODAY)
    assert solo.single_threaded and solo.threads == ("e1",)


def test_on_the_store_removing_an_employee_lists_exactly_the_relationships_lost(loaded_store):
    impact = employee_what_if_leaves(loaded_store, "e1")
    lost = sorted(
        (a.account_id, r.contact_id) for a in impact.accounts for r in a.relationships_lost
    )
    assert lost == [("acme", "i1"), ("acme", "s1"), ("acme", "s2"), ("solo", "d1")]
    assert sorted(k for a in impact.accounts for k in a.key_contacts_orphaned) == ["d1", "i1"]


def test_store_and_memory_give_the_same_coverage(loaded_store, records):
    day = dt.date(2026, 11, 23)
    assert (
        account_coverage(loaded_store, "acme", today=day).key_contacts
        == account_coverage(MemorySource(records), "acme", today=day).key_contacts
    )
