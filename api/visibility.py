"""Which accounts an account manager sees, and which records of the graph that makes visible.

An account manager sees the customers where their employee holds coverage directly, in any role
(owner, overlay, support: the client team), plus those customers' subsidiaries and branches, all
the way down the hierarchy. Everything hangs off that set: the customers' contacts, the links
between those contacts, our people's relationships to them, and the coverage of those customers.

Computed per request with store pushdown (coverage by holder, customers by parent), never
cached across requests, so the API stays stateless and a coverage change takes effect at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.model import HolderKind, RecordKind
from graph.store.base import Store

MAX_HIERARCHY_DEPTH = 50  # customer hierarchies are acyclic; this only bounds a corrupt one
_CHUNK = 1000


def _chunks(items: list[str], size: int = _CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def visible_customers(store: Store, employee_id: str) -> frozenset[str]:
    """Customers covered by ``employee_id`` directly, plus their subsidiaries (recursively)."""
    covered = {
        cov.customer_id  # type: ignore[attr-defined]
        for cov in store.scan(
            RecordKind.COVERAGE,
            where={"holder_kind": HolderKind.EMPLOYEE.value, "holder_id": employee_id},
        )
    }
    seen = set(covered)
    frontier = sorted(covered)
    for _ in range(MAX_HIERARCHY_DEPTH):
        if not frontier:
            break
        found: list[str] = []
        for chunk in _chunks(frontier):
            for child in store.scan(RecordKind.CUSTOMER, where={"parent_id": chunk}):
                if child.key not in seen:
                    seen.add(child.key)
                    found.append(child.key)
        frontier = found
    return frozenset(seen)


def visible_contacts(store: Store, customers: Iterable[str]) -> frozenset[str]:
    """Contacts of the given customers (pushdown on ``customer_id``)."""
    ids = sorted(customers)
    out: set[str] = set()
    for chunk in _chunks(ids):
        out.update(c.key for c in store.scan(RecordKind.CONTACT, where={"customer_id": chunk}))
    return frozenset(out)
