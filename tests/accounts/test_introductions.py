"""Warm introductions to contacts nobody of ours knows, on a hand-built map:

    M (manager; Ann acquainted)
    |
    T (target: nobody of ours knows T)      I --influences 0.5--> T   (Ann trusted advisor of I)
    |
    R (direct report; Bo trusted advisor)

Bo via R scores 4 x 1.0 = 4; Ann's best path is via I (4 x 0.5 = 2), not via M (1 x 1.0 = 1).
"""

from __future__ import annotations

from graph.accounts.introductions import introductions
from graph.accounts.map_graph import AccountRecords, build_map_graph
from graph.model import (
    Contact,
    ContactReportsTo,
    Customer,
    Employee,
    Influence,
    Relationship,
    RelationshipStrength,
)

ACQ, TRUSTED = RelationshipStrength.ACQUAINTED, RelationshipStrength.TRUSTED_ADVISOR


def _map():  # type: ignore[no-untyped-def]
    people = [Contact(id=c, customer_id="acme", name=c.upper()) for c in ("m", "t", "r", "i")]
    return build_map_graph(
        AccountRecords(
            account_id="acme",
            customers=[Customer(id="acme", name="Acme")],
            contacts=people,
            reports=[
                ContactReportsTo(contact_id="t", manager_id="m"),
                ContactReportsTo(contact_id="r", manager_id="t"),
            ],
            influences=[Influence(source_id="i", target_id="t", strength=0.5)],
            employees=[Employee(id="ann", name="Ann"), Employee(id="bo", name="Bo")],
            relationships=[
                Relationship(employee_id="ann", contact_id="m", strength=ACQ),
                Relationship(employee_id="ann", contact_id="i", strength=TRUSTED),
                Relationship(employee_id="bo", contact_id="r", strength=TRUSTED),
            ],
        )
    )


def test_the_strongest_path_comes_first_and_each_colleague_once_by_their_best_path() -> None:
    found = introductions(_map(), ["t"])["t"]
    assert [(i.employee_name, i.via_name, i.link, i.score) for i in found] == [
        ("Bo", "R", "direct_report", 4.0),
        ("Ann", "I", "influencer", 2.0),
    ]


def test_limit_and_unknown_contacts() -> None:
    g = _map()
    assert [i.employee_id for i in introductions(g, ["t"], per_contact=1)["t"]] == ["bo"]
    assert introductions(g, ["nobody"]) == {"nobody": ()}
    # the manager's only neighbour is T, whom nobody of ours knows
    assert introductions(g, ["m"]) == {"m": ()}
