"""The store contract: every backend (SQLite and Neo4j, via the ``store`` fixture) behaves alike.

Small hand-built data; every expected answer can be checked by eye.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from graph.model import (
    Contact,
    ContactKind,
    ContactReportsTo,
    Coverage,
    CoverageRole,
    Customer,
    DecisionRole,
    Employee,
    EmployeeReportsTo,
    HolderKind,
    Influence,
    Membership,
    Record,
    RecordKind,
    Relationship,
    RelationshipStrength,
    ReportingLine,
    Stance,
    Team,
    TeamKind,
    Tier,
    record_from_dict,
)
from graph.store.base import (
    MAX_PAGE,
    ChangeSet,
    Store,
    StoreError,
    ValidationFailed,
    VersionConflict,
)
from graph.store.validation import errors_from_pydantic

K = RecordKind


def account() -> list[Record]:
    """One account of every record kind, every field set (Chinese names included)."""
    return [
        Customer(
            id="HW",
            name="华为技术有限公司",
            tier=Tier.STRATEGIC,
            industry="制造",
            region="华南",
            revenue=1_200_000.5,
            potential=3_000_000.0,
            reference_value=0.9,
            winnability=0.7,
        ),
        Customer(id="HW-SZ", name="华为深圳分公司", tier=Tier.KEY, region="深圳", parent_id="HW"),
        Contact(
            id="zw",
            customer_id="HW",
            name="张伟",
            title="首席信息官",
            department="信息部",
            level=1,
            decision_role=DecisionRole.DECISION_MAKER,
            stance=Stance.SUPPORTER,
            contact_kind=ContactKind.CUSTOMER,
            email="zhang.wei@example.cn",
        ),
        Contact(id="lf", customer_id="HW", name="李芳", level=2, stance=Stance.CHAMPION),
        Contact(id="wq", customer_id="HW", name="王强", contact_kind=ContactKind.CONSULTANT),
        Employee(
            id="e1", name="Alice", email="a@us.example", title="AM", region="south", active=True
        ),
        Employee(id="e2", name="刘洋", title="VP", active=False),
        Team(
            id="t-fin",
            name="Finance KA",
            team_kind=TeamKind.KEY_ACCOUNT,
            regions=("south", "east"),
            industry="finance",
        ),
        Team(id="t-south", name="South region", team_kind=TeamKind.REGIONAL, parent_id="t-fin"),
        ContactReportsTo(contact_id="lf", manager_id="zw"),
        Influence(source_id="wq", target_id="zw", strength=0.8),
        Membership(employee_id="e1", team_id="t-fin", role="account manager"),
        EmployeeReportsTo(employee_id="e1", manager_id="e2", line=ReportingLine.DOTTED),
        Coverage(
            holder_kind=HolderKind.EMPLOYEE,
            holder_id="e1",
            customer_id="HW",
            role=CoverageRole.OWNER,
            credit_share=1.0,
            since=dt.date(2024, 3, 1),
        ),
        Coverage(
            holder_kind=HolderKind.TEAM,
            holder_id="t-fin",
            customer_id="HW",
            role=CoverageRole.OVERLAY,
            credit_share=0.5,
        ),
        Relationship(
            employee_id="e1",
            contact_id="zw",
            strength=RelationshipStrength.TRUSTED_ADVISOR,
            desired=RelationshipStrength.TRUSTED_ADVISOR,
            last_touch=dt.date(2025, 1, 15),
        ),
    ]


def load(store: Store) -> list[Record]:
    records = account()
    store.upsert(records)
    return records


def counts(store: Store) -> dict[RecordKind, int]:
    return {kind: store.count(kind) for kind in RecordKind}


def coverages(store: Store, where: dict[str, Any] | None = None) -> list[Coverage]:
    """Coverage records of a page, typed."""
    out = [c for c in store.page(K.COVERAGE, where=where) if isinstance(c, Coverage)]
    assert len(out) == store.count(K.COVERAGE, where=where)
    return out


def customers(n: int) -> list[Customer]:
    return [
        Customer(id=f"c{i:02d}", name=f"客户{i}", tier=Tier.KEY if i % 3 == 0 else Tier.SMALL)
        for i in range(n)
    ]


# ------------------------------------------------------------------------ round trips


def test_every_kind_round_trips_all_fields_through_get_and_page(store: Store) -> None:
    records = load(store)
    kinds = {r.kind for r in records}
    assert kinds == set(RecordKind)
    for record in records:
        assert store.get(record.kind, record.key) == record
    for kind in RecordKind:
        expected = sorted((r for r in records if r.kind is kind), key=lambda r: r.key)
        assert store.page(kind) == expected
        assert store.count(kind) == len(expected)
    got = store.get(K.CONTACT, "zw")
    assert isinstance(got, Contact) and got.name == "张伟" and got.stance.value == "supporter"
    cov = store.get(
        K.COVERAGE, Coverage(holder_kind=HolderKind.EMPLOYEE, holder_id="e1", customer_id="HW").key
    )
    assert isinstance(cov, Coverage) and cov.since == dt.date(2024, 3, 1)
    team = store.get(K.TEAM, "t-fin")
    assert isinstance(team, Team) and team.regions == ("south", "east")


def test_first_load_counts_every_record_as_created(store: Store) -> None:
    result = store.upsert(account())
    assert result.of(K.CUSTOMER).created == 2
    assert result.of(K.CONTACT).created == 3
    assert result.of(K.COVERAGE).created == 2
    assert result.changed == len(account())


def test_loading_the_same_data_twice_creates_no_duplicates_and_reports_unchanged(
    store: Store,
) -> None:
    load(store)
    before = counts(store)
    result = store.upsert(account())
    assert counts(store) == before
    assert result.changed == 0
    assert result.of(K.CUSTOMER).unchanged == 2
    assert result.of(K.RELATIONSHIP).unchanged == 1


def test_the_same_record_twice_in_one_batch_is_written_once(store: Store) -> None:
    c = Customer(id="c1", name="一")
    result = store.upsert([c, c])
    assert result.of(K.CUSTOMER).created == 1
    assert store.count(K.CUSTOMER) == 1


def test_a_changed_record_reports_updated_and_is_stored(store: Store) -> None:
    load(store)
    result = store.upsert(
        [Contact(id="zw", customer_id="HW", name="张伟", stance=Stance.BLOCKER), *account()[:2]]
    )
    assert result.of(K.CONTACT).updated == 1
    assert result.of(K.CUSTOMER).unchanged == 2
    got = store.get(K.CONTACT, "zw")
    assert isinstance(got, Contact) and got.stance.value == "blocker" and got.title == ""


def test_get_of_a_missing_key_is_none(store: Store) -> None:
    assert store.get(K.CUSTOMER, "nope") is None


# ------------------------------------------------------------------------ paging


def test_pages_walk_every_record_once_in_key_order_with_the_cursor(store: Store) -> None:
    store.upsert(list(reversed(customers(25))))
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = store.page(K.CUSTOMER, after=after, limit=10)
        seen += [c.key for c in page]
        pages += 1
        if len(page) < 10:
            break
        after = page[-1].key
    assert pages == 3
    assert seen == [f"c{i:02d}" for i in range(25)]
    assert [c.key for c in store.page(K.CUSTOMER, after="c22")] == ["c23", "c24"]


def test_page_filters_by_equality_and_membership(store: Store) -> None:
    store.upsert(customers(25))
    keys = [c.key for c in store.page(K.CUSTOMER, where={"tier": "key"}, limit=4)]
    assert keys == ["c00", "c03", "c06", "c09"]
    rest = store.page(K.CUSTOMER, where={"tier": "key"}, after="c09", limit=4)
    assert [c.key for c in rest] == ["c12", "c15", "c18", "c21"]
    inn = store.page(K.CUSTOMER, where={"id": ["c01", "c02", "c24", "missing"]})
    assert [c.key for c in inn] == ["c01", "c02", "c24"]
    both = store.page(K.CUSTOMER, where={"tier": ("key", "strategic"), "id": {"c03", "c04"}})
    assert [c.key for c in both] == ["c03"]
    assert store.count(K.CUSTOMER, where={"tier": "key"}) == 9
    assert store.count(K.CUSTOMER, where={"tier": ["key", "small"]}) == 25
    assert store.count(K.CUSTOMER, where={"tier": []}) == 0


def test_page_filters_on_reference_fields_booleans_dates_numbers_and_none(store: Store) -> None:
    load(store)
    assert [c.key for c in store.page(K.CONTACT, where={"customer_id": "HW"})] == [
        "lf",
        "wq",
        "zw",
    ]
    assert [c.key for c in store.page(K.CONTACT, where={"stance": "champion"})] == ["lf"]
    assert [c.key for c in store.page(K.CONTACT, where={"level": 1})] == ["zw"]
    assert [e.key for e in store.page(K.EMPLOYEE, where={"active": False})] == ["e2"]
    assert [c.key for c in store.page(K.CUSTOMER, where={"parent_id": None})] == ["HW"]
    assert [c.key for c in store.page(K.CUSTOMER, where={"parent_id": "HW"})] == ["HW-SZ"]
    covs = coverages(store, where={"since": dt.date(2024, 3, 1)})
    assert [(c.holder_id, c.role.value) for c in covs] == [("e1", "owner")]
    teams = coverages(store, where={"holder_kind": "team", "customer_id": ["HW", "x"]})
    assert [c.holder_id for c in teams] == ["t-fin"]
    assert store.count(K.INFLUENCE, where={"strength": 0.8}) == 1


def test_page_limit_is_capped(store: Store) -> None:
    store.upsert(customers(3))
    assert len(store.page(K.CUSTOMER, limit=2)) == 2
    assert len(store.page(K.CUSTOMER, limit=MAX_PAGE * 10)) == 3


def test_filter_on_an_unknown_field_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ValueError, match="colour"):
        store.page(K.CUSTOMER, where={"colour": "red"})


def test_scan_streams_every_record_in_key_order_across_batches(store: Store) -> None:
    store.upsert(list(reversed(customers(10))))
    keys = [c.key for c in store.scan(K.CUSTOMER, batch_size=3)]
    assert keys == [f"c{i:02d}" for i in range(10)]
    small = [c.key for c in store.scan(K.CUSTOMER, where={"tier": "small"}, batch_size=2)]
    assert small == [f"c{i:02d}" for i in range(10) if i % 3]


def test_existing_keys_and_parents_answer_for_stored_records(store: Store) -> None:
    load(store)
    assert store.existing_keys(K.CUSTOMER, ["HW", "nope", "HW-SZ"]) == {"HW", "HW-SZ"}
    assert store.existing_keys(K.CONTACT, []) == set()
    assert store.parents(K.CUSTOMER, ["HW-SZ", "HW"]) == {"HW-SZ": ["HW"]}
    assert store.parents(K.TEAM, ["t-south"]) == {"t-south": ["t-fin"]}
    assert store.parents(K.CONTACT_REPORTS_TO, ["lf", "zw"]) == {"lf": ["zw"]}
    assert store.parents(K.EMPLOYEE_REPORTS_TO, ["e1"]) == {"e1": ["e2"]}


def test_existing_keys_handles_thousands_of_keys(store: Store) -> None:
    store.upsert([Customer(id=f"x{i}", name="x") for i in range(1200)])
    asked = [f"x{i}" for i in range(0, 2400, 2)]
    assert store.existing_keys(K.CUSTOMER, asked) == {f"x{i}" for i in range(0, 1200, 2)}


# ------------------------------------------------------------------------ deletes


def test_deleting_a_contact_deletes_its_reporting_influence_and_relationship_links(
    store: Store,
) -> None:
    load(store)
    result = store.delete(K.CONTACT, ["zw"])
    assert result.of(K.CONTACT).deleted == 1
    assert result.of(K.CONTACT_REPORTS_TO).deleted == 1
    assert result.of(K.INFLUENCE).deleted == 1
    assert result.of(K.RELATIONSHIP).deleted == 1
    assert store.get(K.CONTACT, "zw") is None
    assert store.count(K.CONTACT) == 2
    assert store.count(K.CONTACT_REPORTS_TO) == 0
    assert store.count(K.INFLUENCE) == 0
    assert store.count(K.RELATIONSHIP) == 0
    assert store.count(K.COVERAGE) == 2


def test_deleting_a_customer_deletes_its_contacts_their_links_and_its_coverage(
    store: Store,
) -> None:
    load(store)
    result = store.write(ChangeSet(deletes=[(K.CUSTOMER, "HW-SZ"), (K.CUSTOMER, "HW")]))
    assert result.of(K.CUSTOMER).deleted == 2
    assert result.of(K.CONTACT).deleted == 3
    assert result.of(K.COVERAGE).deleted == 2
    assert counts(store) | {
        K.EMPLOYEE: 0,
        K.TEAM: 0,
        K.MEMBERSHIP: 0,
        K.EMPLOYEE_REPORTS_TO: 0,
    } == {kind: 0 for kind in RecordKind}
    assert store.count(K.EMPLOYEE) == 2
    assert store.count(K.TEAM) == 2
    assert store.count(K.MEMBERSHIP) == 1


def test_deleting_an_employee_deletes_memberships_lines_coverage_and_relationships(
    store: Store,
) -> None:
    load(store)
    result = store.delete(K.EMPLOYEE, ["e1"])
    assert result.of(K.EMPLOYEE).deleted == 1
    assert store.count(K.MEMBERSHIP) == 0
    assert store.count(K.EMPLOYEE_REPORTS_TO) == 0
    assert store.count(K.RELATIONSHIP) == 0
    remaining = coverages(store)
    assert [(c.holder_kind.value, c.holder_id) for c in remaining] == [("team", "t-fin")]
    assert store.count(K.CONTACT) == 3


def test_deleting_a_team_deletes_its_memberships_and_coverage_only(store: Store) -> None:
    load(store)
    # an employee whose id equals the team's id keeps his coverage
    store.upsert(
        [
            Employee(id="t-fin", name="同名"),
            Coverage(
                holder_kind=HolderKind.EMPLOYEE,
                holder_id="t-fin",
                customer_id="HW-SZ",
                role=CoverageRole.SUPPORT,
                credit_share=0,
            ),
        ]
    )
    store.write(ChangeSet(deletes=[(K.TEAM, "t-south"), (K.TEAM, "t-fin")]))
    assert store.count(K.TEAM) == 0
    assert store.count(K.MEMBERSHIP) == 0
    remaining = coverages(store)
    assert sorted((c.holder_kind.value, c.holder_id) for c in remaining) == [
        ("employee", "e1"),
        ("employee", "t-fin"),
    ]


def test_deleting_a_link_by_key_leaves_its_ends(store: Store) -> None:
    load(store)
    result = store.delete(
        K.CONTACT_REPORTS_TO, [ContactReportsTo(contact_id="lf", manager_id="zw").key]
    )
    assert result.of(K.CONTACT_REPORTS_TO).deleted == 1
    assert store.count(K.CONTACT) == 3


def test_deleting_a_missing_key_deletes_nothing_and_keeps_the_version(store: Store) -> None:
    load(store)
    v = store.version()
    result = store.delete(K.CUSTOMER, ["nope"])
    assert result.changed == 0
    assert store.version() == v


def test_deleting_a_customer_with_a_branch_is_rejected_naming_the_branch(store: Store) -> None:
    load(store)
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        store.delete(K.CUSTOMER, ["HW"])
    (err,) = info.value.errors
    assert "HW-SZ" in err.record and err.field == "parent_id"
    assert counts(store) == before


def test_deleting_a_customer_is_allowed_when_its_branch_moves_in_the_same_change(
    store: Store,
) -> None:
    load(store)
    moved = Customer(id="HW-SZ", name="华为深圳分公司", tier=Tier.KEY, region="深圳")
    store.write(ChangeSet(upserts=[moved], deletes=[(K.CUSTOMER, "HW")]))
    assert store.get(K.CUSTOMER, "HW-SZ") == moved
    assert store.get(K.CUSTOMER, "HW") is None


def test_deleting_a_team_with_a_sub_team_is_rejected_naming_the_sub_team(store: Store) -> None:
    load(store)
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        store.delete(K.TEAM, ["t-fin"])
    (err,) = info.value.errors
    assert "t-south" in err.record and err.field == "parent_id"
    assert counts(store) == before


def test_a_key_both_upserted_and_deleted_in_one_change_is_rejected(store: Store) -> None:
    load(store)
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        store.write(
            ChangeSet(
                upserts=[Contact(id="lf", customer_id="HW", name="李芳")],
                deletes=[(K.CONTACT, "lf")],
            )
        )
    assert "lf" in info.value.errors[0].record
    assert counts(store) == before


# ------------------------------------------------------------------------ bad records


@pytest.mark.parametrize(
    ("kind", "raw", "field"),
    [
        (K.CUSTOMER, {"id": "c1", "name": "华为", "tier": "platinum"}, "tier"),
        (K.CONTACT, {"id": "p1", "customer_id": "c1", "name": "张伟", "stance": "angry"}, "stance"),
        (K.INFLUENCE, {"source_id": "a", "target_id": "b", "strength": 0}, "strength"),
        (K.INFLUENCE, {"source_id": "a", "target_id": "a"}, "target_id"),
    ],
)
def test_invalid_raw_records_are_named_with_record_and_field(
    kind: RecordKind, raw: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        record_from_dict(kind, raw)
    errors = errors_from_pydantic(kind, raw, info.value, source="accounts.csv row 3")
    assert [e.field for e in errors] == [field]
    first_key = str(raw.get("id", raw.get("source_id")))
    assert first_key in errors[0].record and kind.value in errors[0].record
    assert str(errors[0]).startswith("accounts.csv row 3: ")


def assert_rejected(store: Store, changes: ChangeSet, record: str, field: str) -> None:
    """The change set fails naming ``record`` and ``field``, and nothing of it is written."""
    before = counts(store)
    version = store.version()
    with pytest.raises(ValidationFailed) as info:
        store.write(changes)
    assert any(record in e.record and e.field == field for e in info.value.errors), [
        str(e) for e in info.value.errors
    ]
    assert counts(store) == before
    assert store.version() == version


def test_a_contact_at_an_unknown_customer_is_rejected_and_nothing_is_written(
    store: Store,
) -> None:
    good = Customer(id="ok", name="好客户")
    bad = Contact(id="p9", customer_id="ghost", name="赵六")
    assert_rejected(store, ChangeSet(upserts=[good, bad]), "p9", "customer_id")
    assert store.get(K.CUSTOMER, "ok") is None


def test_a_reporting_cycle_within_one_batch_is_rejected(store: Store) -> None:
    load(store)
    batch = [
        Contact(id="a", customer_id="HW", name="甲"),
        Contact(id="b", customer_id="HW", name="乙"),
        ContactReportsTo(contact_id="a", manager_id="b"),
        ContactReportsTo(contact_id="b", manager_id="a"),
    ]
    assert_rejected(store, ChangeSet(upserts=batch), "a", "manager_id")


def test_a_reporting_cycle_closed_against_stored_lines_is_rejected(store: Store) -> None:
    load(store)  # lf reports to zw
    store.upsert([ContactReportsTo(contact_id="zw", manager_id="wq")])
    closing = ContactReportsTo(contact_id="wq", manager_id="lf")  # wq -> lf -> zw -> wq
    assert_rejected(store, ChangeSet(upserts=[closing]), "wq", "manager_id")


def test_an_employee_reporting_cycle_is_rejected(store: Store) -> None:
    load(store)  # e1 reports to e2
    closing = EmployeeReportsTo(employee_id="e2", manager_id="e1")
    assert_rejected(store, ChangeSet(upserts=[closing]), "e2", "manager_id")


@pytest.mark.parametrize(
    "dangling",
    [
        Contact(id="p9", customer_id="ghost", name="赵六"),
        Customer(id="HW-BJ", name="华为北京", parent_id="ghost"),
        ContactReportsTo(contact_id="zw", manager_id="ghost"),
        Relationship(employee_id="ghost", contact_id="zw"),
    ],
    ids=["contact-customer", "customer-parent", "reporting-line", "relationship"],
)
def test_a_prevalidated_write_with_a_dangling_reference_still_writes_nothing(
    store: Store, dangling: Record
) -> None:
    """``prevalidated`` may skip the reference lookups, never the integrity they protect."""
    load(store)
    before, version = counts(store), store.version()
    good = Customer(id="ok", name="好客户")
    with pytest.raises(StoreError):
        store.write(ChangeSet(upserts=[good, dangling]), prevalidated=True)
    assert store.get(K.CUSTOMER, "ok") is None
    assert counts(store) == before
    assert store.version() == version


def test_a_prevalidated_write_of_valid_records_counts_them_like_any_write(store: Store) -> None:
    result = store.write(ChangeSet(upserts=account()), prevalidated=True)
    assert result.of(K.CONTACT).created == 3
    assert result.of(K.CUSTOMER).created == 2
    assert store.write(ChangeSet(upserts=account()), prevalidated=True).changed == 0
    assert [c.key for c in store.page(K.CUSTOMER, where={"parent_id": "HW"})] == ["HW-SZ"]


def test_a_team_parent_cycle_is_rejected(store: Store) -> None:
    load(store)  # t-south under t-fin
    flipped = Team(
        id="t-fin", name="Finance KA", team_kind=TeamKind.KEY_ACCOUNT, parent_id="t-south"
    )
    assert_rejected(store, ChangeSet(upserts=[flipped]), "t-fin", "parent_id")


def test_a_customer_hierarchy_cycle_is_rejected(store: Store) -> None:
    batch: list[Record] = [
        Customer(id="A", name="甲公司", parent_id="C"),
        Customer(id="B", name="乙公司", parent_id="A"),
        Customer(id="C", name="丙公司", parent_id="B"),
    ]
    assert_rejected(store, ChangeSet(upserts=batch), "A", "parent_id")


def test_moving_a_customer_under_another_parent_is_not_a_cycle(store: Store) -> None:
    load(store)  # HW-SZ under HW
    store.upsert(
        [Customer(id="HW", name="华为技术有限公司", parent_id="X"), Customer(id="X", name="集团")]
    )
    # flip: HW-SZ becomes the top, HW moves under it, in one change: no cycle remains
    result = store.upsert(
        [
            Customer(id="HW-SZ", name="深圳"),
            Customer(id="HW", name="华为技术有限公司", parent_id="HW-SZ"),
        ]
    )
    assert result.of(K.CUSTOMER).updated == 2
    assert store.parents(K.CUSTOMER, ["HW"]) == {"HW": ["HW-SZ"]}


def test_a_reference_to_a_record_deleted_in_the_same_change_is_rejected(store: Store) -> None:
    load(store)
    rel = Relationship(employee_id="e2", contact_id="wq")
    changes = ChangeSet(upserts=[rel], deletes=[(K.CONTACT, "wq")])
    assert_rejected(store, changes, "e2", "contact_id")


def test_the_same_key_twice_with_different_values_is_rejected(store: Store) -> None:
    batch: list[Record] = [Customer(id="d", name="一"), Customer(id="d", name="二")]
    assert_rejected(store, ChangeSet(upserts=batch), "d", "")


# ------------------------------------------------------------------------ versions


def test_version_bumps_once_per_changing_write_and_not_on_a_no_op(store: Store) -> None:
    v0 = store.version()
    result = store.upsert(account())
    assert store.version() == v0 + 1 == result.version
    store.upsert(account())
    assert store.version() == v0 + 1
    store.upsert([Customer(id="HW", name="华为")])
    assert store.version() == v0 + 2
    store.put_doc("notes", "n1", {"text": "文档"})
    assert store.version() == v0 + 2


def test_expected_version_conflict_is_raised_and_nothing_is_written(store: Store) -> None:
    load(store)
    v = store.version()
    with pytest.raises(VersionConflict) as info:
        store.write(ChangeSet(upserts=[Customer(id="new", name="新")]), expected_version=v - 1)
    assert info.value.expected == v - 1 and info.value.actual == v
    assert store.get(K.CUSTOMER, "new") is None
    result = store.write(ChangeSet(upserts=[Customer(id="new", name="新")]), expected_version=v)
    assert result.version == v + 1


# ------------------------------------------------------------------------ documents


def test_documents_put_get_list_and_delete(store: Store) -> None:
    store.put_doc("scenarios", "s2", {"name": "方案二", "moves": [1, 2]})
    store.put_doc("scenarios", "s1", {"name": "方案一", "nested": {"ok": True}})
    store.put_doc("policies", "p1", {"dual_credit": 2})
    assert store.get_doc("scenarios", "s1") == {"name": "方案一", "nested": {"ok": True}}
    assert store.get_doc("scenarios", "missing") is None
    assert [i for i, _ in store.list_docs("scenarios")] == ["s1", "s2"]
    assert store.list_docs("scenarios", after="s1") == [("s2", {"name": "方案二", "moves": [1, 2]})]
    assert len(store.list_docs("scenarios", limit=1)) == 1
    store.put_doc("scenarios", "s1", {"name": "改"})
    assert store.get_doc("scenarios", "s1") == {"name": "改"}
    store.put_doc("scenarios", "s1", None)
    assert store.get_doc("scenarios", "s1") is None
    assert [i for i, _ in store.list_docs("scenarios")] == ["s2"]
    assert store.get_doc("policies", "p1") == {"dual_credit": 2}


def test_documents_are_written_atomically_with_records(store: Store) -> None:
    bad = ChangeSet(
        upserts=[Contact(id="p", customer_id="ghost", name="x")],
        docs=[("audit", "a1", {"what": "load"})],
    )
    with pytest.raises(ValidationFailed):
        store.write(bad)
    assert store.get_doc("audit", "a1") is None


def test_clear_removes_records_and_documents(store: Store) -> None:
    load(store)
    store.put_doc("notes", "n", {"x": 1})
    store.clear()
    assert all(n == 0 for n in counts(store).values())
    assert store.list_docs("notes") == []


# ------------------------------------------------------------------------ health


def test_health_is_ok_and_reports_the_version(store: Store) -> None:
    load(store)
    health = store.health()
    assert health.ok
    assert health.kind == store.kind
    assert health.version == store.version()


def test_ensure_schema_is_idempotent(store: Store) -> None:
    load(store)
    store.ensure_schema()
    store.ensure_schema()
    assert store.count(K.CONTACT) == 3
