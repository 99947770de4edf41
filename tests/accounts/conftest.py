"""Hand-built political maps whose answers can be checked by eye.

``acme`` (HQ) has two departments that only one person connects:

    Sales:  张伟 s1 (head, level 2, decision maker)  <- s2, s3 report to s1; s2 <-> s3 influence
    IT:     李娜 i1 (head, level 2, technical buyer, champion) <- i2, i3 report to i1; i2 <-> i3
    Broker: 王芳 b (finance analyst, level 5, user) influences s1 (0.9) and i1 (0.9).

So every path between Sales and IT goes through b: b is the top broker (betweenness: the 9
Sales x IT pairs, against 8 for each head) and,
being listened to by both heads, a hidden influencer (high centrality, modest title).

Our people: e1 (Ann, an account manager) knows s1 (trusted advisor, touched 2026-10-01),
i1 (acquainted, touched 2025-01-15, stale) and s2 (credible source, never touched);
e2 (Bo, a VP, executive sponsor) knows s1 (acquainted, 2026-11-01). Nobody knows b.
Key contacts: s1 (decision maker), i1 (technical buyer), b (hidden influencer).
=> uncovered key contact: b; single-threaded key contact: i1 (e1 only), and with the
   subsidiary on the map, sh1 (e2 only). Two threads (e1, e2): not a single-threaded account.
=> stale at 180 days on 2026-11-23: (e1, s2) never touched, (e1, i1) 677 days.
=> if e1 leaves: acme loses (e1,s1), (e1,i1), (e1,s2); i1 loses its only relationship.

``acme-sh`` is a subsidiary of acme with one contact sh1 (economic buyer, known by e2).

``solo`` is a second account whose only key contact (decision maker d1) is known by e1 only:
a single-threaded account. If e1 leaves, solo loses (e1,d1) and d1 is left uncovered.
Solo has no champion and no executive sponsor of ours (e1 is an account manager).

``other``: e3 has a relationship of strength "none" to o1: nothing to lose when e3 leaves.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model import (
    Contact,
    ContactReportsTo,
    Customer,
    DecisionRole,
    Employee,
    Influence,
    Record,
    Relationship,
    RelationshipStrength,
    Stance,
    Tier,
)

TODAY = dt.date(2026, 11, 23)

RS = RelationshipStrength


def political_records() -> list[Record]:
    """Every record of the hand-built scenario, in write order."""
    customers = [
        Customer(id="acme", name="Acme 集团", tier=Tier.STRATEGIC),
        Customer(id="acme-sh", name="Acme 上海", tier=Tier.KEY, parent_id="acme"),
        Customer(id="solo", name="Solo Ltd", tier=Tier.KEY),
        Customer(id="other", name="Other Co", tier=Tier.MID),
    ]
    c = Contact
    contacts = [
        c(
            id="s1",
            customer_id="acme",
            name="张伟",
            title="销售副总裁",
            department="Sales",
            level=2,
            decision_role=DecisionRole.DECISION_MAKER,
        ),
        c(
            id="s2",
            customer_id="acme",
            name="Sam",
            title="Sales manager",
            department="Sales",
            level=5,
            decision_role=DecisionRole.USER,
        ),
        c(
            id="s3",
            customer_id="acme",
            name="Sue",
            title="Sales rep",
            department="Sales",
            level=6,
            decision_role=DecisionRole.USER,
        ),
        c(
            id="i1",
            customer_id="acme",
            name="李娜",
            title="CIO",
            department="IT",
            level=2,
            decision_role=DecisionRole.TECHNICAL_BUYER,
            stance=Stance.CHAMPION,
        ),
        c(
            id="i2",
            customer_id="acme",
            name="Ian",
            title="Engineer",
            department="IT",
            level=6,
            decision_role=DecisionRole.USER,
        ),
        c(
            id="i3",
            customer_id="acme",
            name="Ivy",
            title="Engineer",
            department="IT",
            level=6,
            decision_role=DecisionRole.USER,
        ),
        c(
            id="b",
            customer_id="acme",
            name="王芳",
            title="Finance analyst",
            department="Finance",
            level=5,
            decision_role=DecisionRole.USER,
        ),
        c(
            id="sh1",
            customer_id="acme-sh",
            name="陈静",
            title="总经理",
            department="Management",
            level=1,
            decision_role=DecisionRole.ECONOMIC_BUYER,
        ),
        c(
            id="d1",
            customer_id="solo",
            name="Dan",
            title="CEO",
            department="Management",
            level=0,
            decision_role=DecisionRole.DECISION_MAKER,
            stance=Stance.SUPPORTER,
        ),
        c(
            id="d2",
            customer_id="solo",
            name="Dee",
            title="Assistant",
            department="Management",
            level=7,
            decision_role=DecisionRole.GATEKEEPER,
        ),
        c(id="o1", customer_id="other", name="Olga", title="Buyer", level=4),
    ]
    reports = [
        ContactReportsTo(contact_id="s2", manager_id="s1"),
        ContactReportsTo(contact_id="s3", manager_id="s1"),
        ContactReportsTo(contact_id="i2", manager_id="i1"),
        ContactReportsTo(contact_id="i3", manager_id="i1"),
        ContactReportsTo(contact_id="d2", manager_id="d1"),
    ]
    influences = [
        Influence(source_id="s2", target_id="s3", strength=0.5),
        Influence(source_id="s3", target_id="s2", strength=0.5),
        Influence(source_id="i2", target_id="i3", strength=0.5),
        Influence(source_id="i3", target_id="i2", strength=0.5),
        Influence(source_id="b", target_id="s1", strength=0.9),
        Influence(source_id="b", target_id="i1", strength=0.9),
    ]
    employees = [
        Employee(id="e1", name="Ann", title="Account manager"),
        Employee(id="e2", name="Bo", title="VP Sales"),
        Employee(id="e3", name="Cy", title="Presales"),
    ]
    relationships = [
        Relationship(
            employee_id="e1",
            contact_id="s1",
            strength=RS.TRUSTED_ADVISOR,
            desired=RS.TRUSTED_ADVISOR,
            last_touch=dt.date(2026, 10, 1),
        ),
        Relationship(
            employee_id="e1",
            contact_id="i1",
            strength=RS.ACQUAINTED,
            desired=RS.PROBLEM_SOLVER,
            last_touch=dt.date(2025, 1, 15),
        ),
        Relationship(employee_id="e1", contact_id="s2", strength=RS.CREDIBLE_SOURCE),
        Relationship(
            employee_id="e2",
            contact_id="s1",
            strength=RS.ACQUAINTED,
            last_touch=dt.date(2026, 11, 1),
        ),
        Relationship(
            employee_id="e2",
            contact_id="sh1",
            strength=RS.PROBLEM_SOLVER,
            last_touch=dt.date(2026, 9, 1),
        ),
        Relationship(
            employee_id="e1",
            contact_id="d1",
            strength=RS.PROBLEM_SOLVER,
            last_touch=dt.date(2026, 11, 20),
        ),
        Relationship(employee_id="e3", contact_id="o1", strength=RS.NONE),
    ]
    return [*customers, *contacts, *reports, *influences, *employees, *relationships]


@pytest.fixture
def records() -> list[Record]:
    return political_records()


@pytest.fixture
def loaded_store(store, records):  # type: ignore[no-untyped-def]
    """The ``store`` fixture (both kinds) holding the hand-built scenario."""
    from graph.store.base import ChangeSet

    store.write(ChangeSet(upserts=records))
    return store
