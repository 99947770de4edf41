"""Unit tests of the graph's rules: model field rules and ``graph.store.validation`` over plain
lookups.

The "store" here is two dictionaries behind the lookup functions validation takes; no database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pytest
from pydantic import ValidationError

from graph.model import (
    Contact,
    ContactReportsTo,
    Coverage,
    Customer,
    Employee,
    EmployeeReportsTo,
    HolderKind,
    Influence,
    Membership,
    Record,
    RecordKind,
    Relationship,
    ReportingLine,
    Team,
    TeamKind,
    record_from_dict,
)
from graph.store.base import ChangeSet, RecordError
from graph.store.validation import errors_from_pydantic, validate_changes, validate_deletes

K = RecordKind


class Lookups:
    """Stored keys and hierarchy edges, with call counters to prove lookups are batched."""

    def __init__(
        self,
        keys: Mapping[RecordKind, Collection[str]] | None = None,
        up: Mapping[RecordKind, Mapping[str, list[str]]] | None = None,
    ) -> None:
        self.keys = {k: set(v) for k, v in (keys or {}).items()}
        self.up = {k: dict(v) for k, v in (up or {}).items()}
        self.key_calls = 0
        self.parent_calls = 0

    def existing_keys(self, kind: RecordKind, keys: Collection[str]) -> set[str]:
        self.key_calls += 1
        return set(keys) & self.keys.get(kind, set())

    def parents(self, kind: RecordKind, children: Collection[str]) -> dict[str, list[str]]:
        self.parent_calls += 1
        edges = self.up.get(kind, {})
        return {c: list(edges[c]) for c in children if edges.get(c)}

    def children(self, kind: RecordKind, parents: Collection[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for child, ups in self.up.get(kind, {}).items():
            for p in ups:
                if p in parents:
                    out.setdefault(p, []).append(child)
        return out

    def validate(self, *records: Record, **kw: Any) -> list[RecordError]:
        return validate_changes(
            ChangeSet(upserts=list(records), **kw), self.existing_keys, self.parents
        )


def field_errors(kind: RecordKind, raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(record label, field) of every error building ``raw``; empty when it is valid."""
    try:
        record_from_dict(kind, raw)
    except ValidationError as exc:
        return [(e.record, e.field) for e in errors_from_pydantic(kind, raw, exc)]
    return []


# ------------------------------------------------------------------ model field rules


@pytest.mark.parametrize(
    ("kind", "raw", "field"),
    [
        (K.CONTACT_REPORTS_TO, {"contact_id": "a", "manager_id": "a"}, "manager_id"),
        (K.EMPLOYEE_REPORTS_TO, {"employee_id": "e", "manager_id": "e"}, "manager_id"),
        (K.INFLUENCE, {"source_id": "a", "target_id": "a"}, "target_id"),
        (K.CUSTOMER, {"id": "c", "name": "华为", "parent_id": "c"}, "parent_id"),
        (K.TEAM, {"id": "t", "name": "T", "team_kind": "regional", "parent_id": "t"}, "parent_id"),
    ],
)
def test_self_loops_are_rejected_naming_the_field(
    kind: RecordKind, raw: dict[str, Any], field: str
) -> None:
    errors = field_errors(kind, raw)
    assert [f for _, f in errors] == [field]
    assert errors[0][0].startswith(kind.value)


@pytest.mark.parametrize(
    ("kind", "raw", "field"),
    [
        (K.CUSTOMER, {"id": "c", "name": "n", "reference_value": 1.5}, "reference_value"),
        (K.CUSTOMER, {"id": "c", "name": "n", "winnability": -0.1}, "winnability"),
        (K.CUSTOMER, {"id": "c", "name": "n", "revenue": -1}, "revenue"),
        (K.CUSTOMER, {"id": "c", "name": "n", "tier": "platinum"}, "tier"),
        (K.CUSTOMER, {"id": "c", "name": ""}, "name"),
        (K.CUSTOMER, {"id": "a\nb", "name": "n"}, "id"),
        (K.CUSTOMER, {"id": "c", "name": "n", "colour": "red"}, "colour"),
        (K.CONTACT, {"id": "p", "customer_id": "c", "name": "张伟", "level": 11}, "level"),
        (K.CONTACT, {"id": "p", "customer_id": "c", "name": "张伟", "stance": "angry"}, "stance"),
        (K.INFLUENCE, {"source_id": "a", "target_id": "b", "strength": 0}, "strength"),
        (K.INFLUENCE, {"source_id": "a", "target_id": "b", "strength": 1.01}, "strength"),
        (
            K.COVERAGE,
            {"holder_kind": "team", "holder_id": "t", "customer_id": "c", "credit_share": 1.5},
            "credit_share",
        ),
        (
            K.COVERAGE,
            {"holder_kind": "robot", "holder_id": "t", "customer_id": "c"},
            "holder_kind",
        ),
        (K.TEAM, {"id": "t", "name": "T"}, "team_kind"),
    ],
)
def test_field_rules_name_the_record_and_the_field(
    kind: RecordKind, raw: dict[str, Any], field: str
) -> None:
    errors = field_errors(kind, raw)
    assert [f for _, f in errors] == [field]


def test_support_coverage_must_carry_no_credit() -> None:
    raw = {"holder_kind": "employee", "holder_id": "e1", "customer_id": "c1", "role": "support"}
    errors = field_errors(K.COVERAGE, raw)  # default credit_share is 1.0
    assert errors == [("coverage 'employee -> e1 -> c1'", "credit_share")]
    assert field_errors(K.COVERAGE, raw | {"credit_share": 0}) == []
    assert field_errors(K.COVERAGE, raw | {"role": "overlay", "credit_share": 0.5}) == []


def test_pydantic_errors_carry_the_source_row() -> None:
    raw = {"id": "c9", "name": "华为", "tier": "gold"}
    with pytest.raises(ValidationError) as info:
        record_from_dict(K.CUSTOMER, raw)
    (err,) = errors_from_pydantic(K.CUSTOMER, raw, info.value, source="accounts.csv row 9")
    assert str(err).startswith("accounts.csv row 9: customer 'c9' field 'tier': ")


def test_text_is_stripped_and_team_regions_split_from_text() -> None:
    c = Customer(id="  c1 ", name=" 华为技术有限公司 ")
    assert (c.id, c.name) == ("c1", "华为技术有限公司")
    t = Team.model_validate(
        {"id": "t", "name": "T", "team_kind": "regional", "regions": "华南; 华东 ;"}
    )
    assert t.regions == ("华南", "华东")


def test_link_keys_join_key_fields_and_labels_show_arrows() -> None:
    link = ContactReportsTo(contact_id="lf", manager_id="zw")
    assert link.key == "lf\x1fzw"
    assert link.label() == "contact_reports_to 'lf -> zw'"


# ------------------------------------------------------------------ references


def test_a_valid_batch_has_no_errors_and_refers_within_itself() -> None:
    lookups = Lookups()
    errors = lookups.validate(
        Customer(id="c1", name="华为"),
        Contact(id="p1", customer_id="c1", name="张伟"),
        Employee(id="e1", name="A"),
        Relationship(employee_id="e1", contact_id="p1"),
    )
    assert errors == []


def test_references_to_stored_records_are_found_with_one_lookup_per_kind() -> None:
    lookups = Lookups(keys={K.CUSTOMER: {"c1"}, K.EMPLOYEE: {"e1"}, K.TEAM: {"t1"}})
    errors = lookups.validate(
        Contact(id="p1", customer_id="c1", name="张伟"),
        Contact(id="p2", customer_id="c1", name="李芳"),
        Membership(employee_id="e1", team_id="t1"),
        Coverage(holder_kind=HolderKind.TEAM, holder_id="t1", customer_id="c1"),
    )
    assert errors == []
    assert lookups.key_calls == 3  # customer, employee, team


def test_an_unknown_reference_names_record_field_and_source() -> None:
    contact = Contact(id="p1", customer_id="ghost", name="张伟")
    changes = ChangeSet(upserts=[contact], sources={id(contact): "contacts.csv row 2"})
    errors = validate_changes(changes, Lookups().existing_keys, Lookups().parents)
    assert errors == [
        RecordError(
            "contact 'p1'",
            "customer_id",
            "refers to unknown customer 'ghost'",
            "contacts.csv row 2",
        )
    ]


def test_coverage_holder_is_looked_up_as_team_or_employee_by_holder_kind() -> None:
    lookups = Lookups(keys={K.CUSTOMER: {"c"}, K.TEAM: {"x"}})
    assert (
        lookups.validate(Coverage(holder_kind=HolderKind.TEAM, holder_id="x", customer_id="c"))
        == []
    )
    errors = lookups.validate(
        Coverage(holder_kind=HolderKind.EMPLOYEE, holder_id="x", customer_id="c")
    )
    assert [(e.field, e.message) for e in errors] == [
        ("holder_id", "refers to unknown employee 'x'")
    ]


def test_a_reference_to_a_record_deleted_in_the_same_change_is_an_error() -> None:
    lookups = Lookups(keys={K.EMPLOYEE: {"e1"}, K.CONTACT: {"p1"}})
    errors = lookups.validate(
        Relationship(employee_id="e1", contact_id="p1"), deletes=[(K.CONTACT, "p1")]
    )
    assert [(e.record, e.field) for e in errors] == [("relationship 'e1 -> p1'", "contact_id")]


def test_a_key_twice_with_different_values_is_an_error_and_identical_twice_is_not() -> None:
    lookups = Lookups()
    same = Customer(id="c", name="一")
    assert lookups.validate(same, Customer(id="c", name="一")) == []
    errors = lookups.validate(same, Customer(id="c", name="二"))
    assert [(e.record, e.message) for e in errors] == [
        ("customer 'c'", "appears twice with different values")
    ]


# ------------------------------------------------------------------ cycles


def test_a_two_node_reporting_cycle_in_one_batch_is_found() -> None:
    lookups = Lookups(keys={K.CONTACT: {"a", "b"}})
    errors = lookups.validate(
        ContactReportsTo(contact_id="a", manager_id="b"),
        ContactReportsTo(contact_id="b", manager_id="a"),
    )
    assert {(e.record, e.field) for e in errors} == {
        ("contact_reports_to 'a -> b'", "manager_id"),
        ("contact_reports_to 'b -> a'", "manager_id"),
    }


def test_a_cycle_closed_against_stored_lines_is_found() -> None:
    # stored: b -> c -> d ; the batch adds d -> b
    lookups = Lookups(
        keys={K.EMPLOYEE: {"b", "c", "d"}},
        up={K.EMPLOYEE_REPORTS_TO: {"b": ["c"], "c": ["d"]}},
    )
    errors = lookups.validate(EmployeeReportsTo(employee_id="d", manager_id="b"))
    assert [(e.record, e.field, e.message) for e in errors] == [
        ("employee_reports_to 'd -> b'", "manager_id", "makes a cycle: 'b' is already below 'd'")
    ]


def test_dotted_and_solid_lines_to_two_managers_are_not_a_cycle() -> None:
    lookups = Lookups(
        keys={K.EMPLOYEE: {"e", "m1", "m2", "top"}},
        up={K.EMPLOYEE_REPORTS_TO: {"m1": ["top"], "m2": ["top"]}},
    )
    errors = lookups.validate(
        EmployeeReportsTo(employee_id="e", manager_id="m1"),
        EmployeeReportsTo(employee_id="e", manager_id="m2", line=ReportingLine.DOTTED),
    )
    assert errors == []


def test_a_long_chain_is_checked_with_one_parent_lookup_per_level() -> None:
    n = 200
    lookups = Lookups(keys={K.CONTACT: {f"p{i}" for i in range(n)}})
    chain = [ContactReportsTo(contact_id=f"p{i}", manager_id=f"p{i + 1}") for i in range(n - 1)]
    assert lookups.validate(*chain) == []
    assert lookups.parent_calls <= 2  # the batch nodes, then nothing new above the top
    closing = ContactReportsTo(contact_id=f"p{n - 1}", manager_id="p0")
    errors = lookups.validate(*chain, closing)
    assert len(errors) == n  # every line of the ring is on the cycle


def test_a_customer_hierarchy_cycle_is_found() -> None:
    lookups = Lookups()
    errors = lookups.validate(
        Customer(id="A", name="甲", parent_id="B"), Customer(id="B", name="乙", parent_id="A")
    )
    assert {e.record for e in errors} == {"customer 'A'", "customer 'B'"}
    assert {e.field for e in errors} == {"parent_id"}


def test_a_team_parent_cycle_against_the_stored_tree_is_found() -> None:
    # stored: south under finance; the batch puts finance under south
    lookups = Lookups(keys={K.TEAM: {"fin", "south"}}, up={K.TEAM: {"south": ["fin"]}})
    errors = lookups.validate(
        Team(id="fin", name="F", team_kind=TeamKind.KEY_ACCOUNT, parent_id="south")
    )
    assert [(e.record, e.field) for e in errors] == [("team 'fin'", "parent_id")]


def test_a_new_parent_id_replaces_the_stored_one_so_a_flip_is_not_a_cycle() -> None:
    # stored: B under A. The batch makes A a child of B and B a top-level customer.
    lookups = Lookups(keys={K.CUSTOMER: {"A", "B"}}, up={K.CUSTOMER: {"B": ["A"]}})
    errors = lookups.validate(
        Customer(id="A", name="甲", parent_id="B"), Customer(id="B", name="乙")
    )
    assert errors == []


# ------------------------------------------------------------------ deletes


def test_deleting_a_parent_with_a_stored_child_names_the_child() -> None:
    lookups = Lookups(up={K.CUSTOMER: {"branch": ["hq"]}, K.TEAM: {"sub": ["top"]}})
    changes = ChangeSet(deletes=[(K.CUSTOMER, "hq"), (K.TEAM, "top")])
    errors = validate_deletes(changes, lookups.children)
    assert [(e.record, e.field) for e in errors] == [
        ("customer 'branch'", "parent_id"),
        ("team 'sub'", "parent_id"),
    ]


def test_deleting_a_parent_is_fine_when_the_child_goes_or_moves_too() -> None:
    lookups = Lookups(up={K.CUSTOMER: {"b1": ["hq"], "b2": ["hq"]}})
    changes = ChangeSet(
        upserts=[Customer(id="b2", name="二", parent_id="other")],
        deletes=[(K.CUSTOMER, "hq"), (K.CUSTOMER, "b1")],
    )
    assert validate_deletes(changes, lookups.children) == []


def test_a_key_both_upserted_and_deleted_is_an_error() -> None:
    changes = ChangeSet(upserts=[Employee(id="e1", name="A")], deletes=[(K.EMPLOYEE, "e1")])
    errors = validate_deletes(changes, Lookups().children)
    assert [(e.record, e.message) for e in errors] == [
        ("employee 'e1'", "is both upserted and deleted in one change set")
    ]


def test_influence_links_are_not_a_hierarchy_so_mutual_influence_is_fine() -> None:
    lookups = Lookups(keys={K.CONTACT: {"a", "b"}})
    errors = lookups.validate(
        Influence(source_id="a", target_id="b"), Influence(source_id="b", target_id="a")
    )
    assert errors == []
