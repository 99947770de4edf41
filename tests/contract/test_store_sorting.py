"""The sorting contract: ``Store.page(order_by=..., descending=...)`` behaves alike on every
backend (SQLite and Neo4j, via the ``store`` fixture).

Every expected order is computed in Python from the records themselves (field value with nulls
after every value, then key; descending is the exact reverse), and every listing is walked with
small pages through the keyset cursor, so skipped or repeated records would show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from graph.model import (
    Contact,
    Coverage,
    Customer,
    Employee,
    HolderKind,
    Record,
    RecordKind,
    Relationship,
    RelationshipStrength,
    Stance,
    Team,
    TeamKind,
    Tier,
    record_to_dict,
)
from graph.store.base import Position, Store, position_of, sortable_fields

K = RecordKind
TIERS = (Tier.KEY, Tier.STRATEGIC, Tier.SMALL, Tier.MID)
# Mixed case, non-ASCII and repeated names: the stores must agree on plain code-point order.
NAMES = ("beta", "Alpha", "华为", "alpha", "beta", "Zeta")


def customers() -> list[Customer]:
    """Thirteen customers with tied names, revenues and tiers, and nulls in ``parent_id``."""
    out = [Customer(id="c00", name="hq zero"), Customer(id="c01", name="hq one", tier=Tier.KEY)]
    for i in range(2, 13):
        out.append(
            Customer(
                id=f"c{i:02d}",
                name=NAMES[i % len(NAMES)],
                tier=TIERS[i % len(TIERS)],
                industry="finance" if i % 2 else "energy",
                revenue=float(i % 3) * 1000.5,
                potential=float(i * 7 % 5),
                parent_id=None if i % 3 == 0 else ("c00" if i % 2 else "c01"),
            )
        )
    return out


def people() -> list[Record]:
    """Contacts with tied levels and stances, employees (booleans), and links with nullable
    dates and enums, both kinds of coverage holders."""
    out: list[Record] = [Customer(id="hq", name="HQ"), Customer(id="br", name="Branch")]
    stances = (Stance.CHAMPION, Stance.BLOCKER, Stance.NEUTRAL)
    for i in range(8):
        out.append(
            Contact(
                id=f"p{i}",
                customer_id="hq" if i % 2 else "br",
                name=f"person {7 - i}",
                level=i % 3,
                stance=stances[i % 3],
            )
        )
    out += [Employee(id=f"e{i}", name=f"emp {i}", active=i % 2 == 0) for i in range(5)]
    out += [Team(id="t1", name="Team", team_kind=TeamKind.KEY_ACCOUNT)]
    strengths = tuple(RelationshipStrength)
    for i in range(9):
        out.append(
            Relationship(
                employee_id=f"e{i % 5}",
                contact_id=f"p{i % 8}",
                strength=strengths[i % 3],
                desired=None if i % 2 else strengths[4 - i % 3],
                last_touch=None if i % 4 == 0 else dt.date(2026, 1 + i % 3, 1),
            )
        )
    out += [
        Coverage(holder_kind=HolderKind.TEAM, holder_id="t1", customer_id="hq", credit_share=0.5),
        Coverage(holder_kind=HolderKind.EMPLOYEE, holder_id="e1", customer_id="hq", since=None),
        Coverage(
            holder_kind=HolderKind.EMPLOYEE,
            holder_id="e2",
            customer_id="br",
            credit_share=0.5,
            since=dt.date(2025, 5, 1),
        ),
        Coverage(holder_kind=HolderKind.EMPLOYEE, holder_id="e3", customer_id="br", credit_share=0),
    ]
    return out


def expected(
    records: Sequence[Record],
    kind: RecordKind,
    order_by: str | None,
    descending: bool = False,
    keep: Callable[[Record], bool] = lambda r: True,
) -> list[str]:
    """The contract's order, computed in Python: value (nulls last), then key; or reversed."""

    def sort_key(record: Record) -> tuple[bool, Any, str]:
        value = record_to_dict(record)[order_by] if order_by else None
        return value is None, value, record.key

    chosen = [r for r in records if r.kind is kind and keep(r)]
    return [r.key for r in sorted(chosen, key=sort_key, reverse=descending)]


def walk(
    store: Store,
    kind: RecordKind,
    order_by: str | None,
    descending: bool = False,
    where: dict[str, Any] | None = None,
    limit: int = 3,
) -> list[str]:
    """Every key of a sorted listing, page by page through the keyset cursor."""
    keys: list[str] = []
    after: Position | None = None
    for _ in range(100):
        page = store.page(
            kind, where=where, after=after, limit=limit, order_by=order_by, descending=descending
        )
        keys += [r.key for r in page]
        if len(page) < limit:
            return keys
        after = position_of(page[-1], order_by)
    raise AssertionError("the cursor never reached the end")


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_sort_by_a_text_field_breaks_ties_by_key(store: Store, descending: bool) -> None:
    data = customers()
    store.upsert(data)
    got = walk(store, K.CUSTOMER, "name", descending)
    assert got == expected(data, K.CUSTOMER, "name", descending)
    ascending = got[::-1] if descending else got
    names = {c.key: c.name for c in data}
    # Code-point order: upper case before lower case, Chinese after Latin.
    assert ascending[:3] == ["c07", "c05", "c11"]  # Alpha, Zeta, Zeta
    assert ascending[-2:] == ["c02", "c08"]  # 华为, 华为
    betas = [k for k in ascending if names[k] == "beta"]
    assert betas == sorted(betas) and len(betas) == 4


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_sort_by_numbers_orders_by_value_not_text(store: Store, descending: bool) -> None:
    data = customers() + [Customer(id="c99", name="big", revenue=12_000.0)]
    store.upsert(data)
    got = walk(store, K.CUSTOMER, "revenue", descending, limit=2)
    assert got == expected(data, K.CUSTOMER, "revenue", descending)
    assert (got[0] if descending else got[-1]) == "c99"  # 12000 > 2001 (as text it would not be)
    contacts = people()
    store.upsert(contacts)
    levels = walk(store, K.CONTACT, "level", descending, limit=2)
    assert levels == expected(contacts, K.CONTACT, "level", descending)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_sort_by_an_enum_orders_by_its_value_text(store: Store, descending: bool) -> None:
    data = customers()
    store.upsert(data)
    got = walk(store, K.CUSTOMER, "tier", descending)
    assert got == expected(data, K.CUSTOMER, "tier", descending)
    tiers = [store.get(K.CUSTOMER, k).tier.value for k in got]  # type: ignore[union-attr]
    assert tiers == sorted(tiers, reverse=descending)


def test_nulls_sort_last_ascending_and_first_descending(store: Store) -> None:
    data = customers()
    store.upsert(data)
    up = walk(store, K.CUSTOMER, "parent_id", limit=2)
    down = walk(store, K.CUSTOMER, "parent_id", descending=True, limit=2)
    nulls = sorted(c.key for c in data if c.parent_id is None)
    assert up[-len(nulls) :] == nulls
    assert down[: len(nulls)] == nulls[::-1]
    assert down == up[::-1] == expected(data, K.CUSTOMER, "parent_id", descending=True)
    # A page boundary inside the nulls, and a cursor positioned on a null value.
    last_valued = store.get(K.CUSTOMER, up[-len(nulls) - 1])
    assert last_valued is not None
    resume = position_of(last_valued, "parent_id")
    after_valued = store.page(K.CUSTOMER, after=resume, order_by="parent_id")
    assert [c.key for c in after_valued] == nulls
    tail = store.page(K.CUSTOMER, after=Position(nulls[0], None), order_by="parent_id")
    assert [c.key for c in tail] == nulls[1:]


def test_links_sort_by_dates_nullable_enums_and_endpoint_fields(store: Store) -> None:
    data = people()
    store.upsert(data)
    for kind, field in [
        (K.RELATIONSHIP, "last_touch"),
        (K.RELATIONSHIP, "desired"),
        (K.RELATIONSHIP, "strength"),
        (K.RELATIONSHIP, "contact_id"),
        (K.COVERAGE, "customer_id"),
        (K.COVERAGE, "holder_id"),
        (K.COVERAGE, "holder_kind"),
        (K.COVERAGE, "credit_share"),
        (K.COVERAGE, "since"),
    ]:
        for descending in (False, True):
            got = walk(store, kind, field, descending, limit=2)
            assert got == expected(data, kind, field, descending), (kind, field, descending)


def test_booleans_sort_false_first(store: Store) -> None:
    data = people()
    store.upsert(data)
    got = walk(store, K.EMPLOYEE, "active", limit=2)
    assert got == ["e1", "e3", "e0", "e2", "e4"]
    assert walk(store, K.EMPLOYEE, "active", descending=True) == got[::-1]


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_every_sortable_field_pages_through_a_filter_exactly_once(store: Store, limit: int) -> None:
    data = customers()
    store.upsert(data)
    where: dict[str, Any] = {"industry": "finance", "id": [f"c{i:02d}" for i in range(1, 12)]}

    def keep(r: Record) -> bool:
        return isinstance(r, Customer) and r.industry == "finance" and r.id in where["id"]

    for field in sortable_fields(K.CUSTOMER):
        for descending in (False, True):
            got = walk(store, K.CUSTOMER, field, descending, where=where, limit=limit)
            want = expected(data, K.CUSTOMER, field, descending, keep)
            assert got == want, (field, descending)
            assert len(set(got)) == len(got) == 5


def test_key_order_descending_and_the_key_field_as_sort(store: Store) -> None:
    data = customers()
    store.upsert(data)
    keys = sorted(c.key for c in data)
    assert walk(store, K.CUSTOMER, None, descending=True, limit=4) == keys[::-1]
    assert walk(store, K.CUSTOMER, "id", limit=4) == keys  # an entity's id is its key
    # A bare key stays a valid cursor in key order, both ways (existing callers pass one).
    assert [c.key for c in store.page(K.CUSTOMER, after="c10")] == ["c11", "c12"]
    down = store.page(K.CUSTOMER, after="c02", descending=True)
    assert [c.key for c in down] == ["c01", "c00"]


def test_descending_key_order_of_links(store: Store) -> None:
    data = people()
    store.upsert(data)
    want = expected(data, K.RELATIONSHIP, None, descending=True)
    assert walk(store, K.RELATIONSHIP, None, descending=True, limit=2) == want


@pytest.mark.parametrize(
    ("kind", "order_by", "after", "message"),
    [
        (K.CUSTOMER, "colour", None, "colour"),
        (K.TEAM, "regions", None, "regions"),
        (K.CUSTOMER, "name; DROP TABLE customer", None, "cannot be ordered"),
        (K.CUSTOMER, "name", "c01", "Position"),
        (K.CUSTOMER, "revenue", Position("c01", "lots"), "revenue"),
        (K.CUSTOMER, "tier", Position("c01", "gigantic"), "tier"),
    ],
)
def test_bad_sort_arguments_are_a_clear_value_error(
    store: Store, kind: RecordKind, order_by: str, after: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.page(kind, order_by=order_by, after=after)


def test_sortable_fields_are_the_scalar_model_fields() -> None:
    assert "regions" not in sortable_fields(K.TEAM)
    assert sortable_fields(K.RELATIONSHIP) == (
        "employee_id",
        "contact_id",
        "strength",
        "desired",
        "last_touch",
    )
    assert {"tier", "revenue", "parent_id"} <= set(sortable_fields(K.CUSTOMER))
