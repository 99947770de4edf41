"""Reading one account's political-map records from a store, with filters pushed down.

Only what the map needs is read: the account (and, optionally, its subsidiaries down the
customer hierarchy), their contacts, the reporting lines and influence links among those
contacts, our relationships to them and the employees holding those relationships. Every read is
a ``scan(kind, where={field: [ids]})``, which each store turns into an indexed query, so the cost
follows the account's size, not the whole graph's.

The reader is typed by ``graph.store.reader.RecordReader`` (``scan`` and ``get``), not by the
Store class, so analyses stay store-free; any ``Store`` satisfies it, and so does
``MemorySource``, a list of records held in memory (demo data before it is written, tests,
previews).

>>> from graph.model import Contact, Customer
>>> from graph.store.reader import MemorySource
>>> src = MemorySource([Customer(id="hq", name="HQ"), Customer(id="br", name="Branch",
...     parent_id="hq"), Contact(id="c1", customer_id="br", name="Li")])
>>> recs = gather_account(src, "hq")
>>> [c.id for c in recs.customers], [c.id for c in recs.contacts]
(['hq', 'br'], ['c1'])
>>> [c.id for c in gather_account(src, "hq", include_subsidiaries=False).contacts]
[]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graph.accounts.map_graph import AccountRecords
from graph.errors import RelmapError
from graph.model import (
    Contact,
    ContactReportsTo,
    Customer,
    Employee,
    Influence,
    Record,
    RecordKind,
    Relationship,
)
from graph.store.reader import RecordReader


class AccountNotFound(RelmapError, LookupError):
    """No customer with the asked id."""


def _typed(records: Iterable[Record], cls: type[Any]) -> list[Any]:
    return [r for r in records if isinstance(r, cls)]


def subsidiaries(source: RecordReader, customer_id: str) -> list[Customer]:
    """Every customer below ``customer_id`` in the hierarchy (breadth first, cycle-safe)."""
    seen = {customer_id}
    frontier = [customer_id]
    found: list[Customer] = []
    while frontier:
        children = _typed(
            source.scan(RecordKind.CUSTOMER, where={"parent_id": sorted(frontier)}), Customer
        )
        frontier = []
        for child in children:
            if child.id not in seen:
                seen.add(child.id)
                found.append(child)
                frontier.append(child.id)
    return found


def gather_account(
    source: RecordReader,
    account_id: str,
    *,
    include_subsidiaries: bool = True,
    customer_filter: Callable[[str], bool] | None = None,
) -> AccountRecords:
    """Every record of one account's political map (raises :class:`AccountNotFound`).

    ``customer_filter`` drops subsidiaries (and with them their contacts) it answers False for,
    e.g. those the caller may not see; it is not applied to ``account_id`` itself."""
    account = source.get(RecordKind.CUSTOMER, account_id)
    if not isinstance(account, Customer):
        raise AccountNotFound(account_id)
    subs = subsidiaries(source, account_id) if include_subsidiaries else []
    if customer_filter is not None:
        subs = [c for c in subs if customer_filter(c.id)]
    customers = [account, *subs]
    customer_ids = sorted(c.id for c in customers)
    contacts: list[Contact] = _typed(
        source.scan(RecordKind.CONTACT, where={"customer_id": customer_ids}), Contact
    )
    return gather_contacts(source, account_id, customers, contacts)


def gather_contacts(
    source: RecordReader,
    account_id: str,
    customers: list[Customer],
    contacts: list[Contact],
) -> AccountRecords:
    """The links among ``contacts`` and our people's relationships to them."""
    ids = sorted(c.id for c in contacts)
    id_set = set(ids)
    reports: list[ContactReportsTo] = []
    influences: list[Influence] = []
    relationships: list[Relationship] = []
    employees: list[Employee] = []
    if ids:
        reports = [
            r
            for r in _typed(
                source.scan(RecordKind.CONTACT_REPORTS_TO, where={"contact_id": ids}),
                ContactReportsTo,
            )
            if r.manager_id in id_set
        ]
        influences = [
            r
            for r in _typed(source.scan(RecordKind.INFLUENCE, where={"source_id": ids}), Influence)
            if r.target_id in id_set
        ]
        relationships = _typed(
            source.scan(RecordKind.RELATIONSHIP, where={"contact_id": ids}), Relationship
        )
    employee_ids = sorted({r.employee_id for r in relationships})
    if employee_ids:
        employees = _typed(source.scan(RecordKind.EMPLOYEE, where={"id": employee_ids}), Employee)
    version_fn = getattr(source, "version", None)
    return AccountRecords(
        account_id=account_id,
        customers=customers,
        contacts=contacts,
        reports=reports,
        influences=influences,
        relationships=relationships,
        employees=employees,
        version=int(version_fn()) if callable(version_fn) else None,
    )


def employee_account_ids(source: RecordReader, employee_id: str) -> list[str]:
    """Customer ids of every contact ``employee_id`` has a relationship with (sorted)."""
    rels = _typed(
        source.scan(RecordKind.RELATIONSHIP, where={"employee_id": employee_id}), Relationship
    )
    contact_ids = sorted({r.contact_id for r in rels})
    if not contact_ids:
        return []
    contacts = _typed(source.scan(RecordKind.CONTACT, where={"id": contact_ids}), Contact)
    return sorted({c.customer_id for c in contacts})
