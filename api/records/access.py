"""Who may read and write which record kinds, and which records an account manager sees.

One table of rules for the generic record routes (``api.records.routes``):

* ``admin``: everything.
* ``org_designer``: reads everything; record writes go through scenarios (apply), not here.
* ``account_manager``: reads our organisation (employees, teams, memberships, reporting) and the
  accounts they cover (``Principal.visible_customers``) with those accounts' contacts, contact
  links, relationships and coverage; anything else is 404 and never listed. Writes customers
  (edit, or create a subsidiary under a covered account), contacts, contact links and
  relationships inside those accounts; never coverage (that would widen their own visibility).
* ``viewer``: organisation-level records only (customers, teams, coverage); every kind holding
  personal data about a person is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, status

from api.visibility import visible_contacts
from graph.auth.principal import Principal, Role
from graph.model import Record, RecordKind
from graph.store.base import Store

PERSONAL_KINDS = frozenset(
    {
        RecordKind.CONTACT,
        RecordKind.CONTACT_REPORTS_TO,
        RecordKind.INFLUENCE,
        RecordKind.RELATIONSHIP,
        RecordKind.EMPLOYEE,
        RecordKind.MEMBERSHIP,
        RecordKind.EMPLOYEE_REPORTS_TO,
    }
)
AM_WRITABLE = frozenset(
    {
        RecordKind.CUSTOMER,
        RecordKind.CONTACT,
        RecordKind.CONTACT_REPORTS_TO,
        RecordKind.INFLUENCE,
        RecordKind.RELATIONSHIP,
    }
)
# Fields an account manager's visibility applies to, per kind: "customer" fields must name a
# visible customer, "contact" fields a contact of a visible customer.
CUSTOMER_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.CUSTOMER: ("id",),
    RecordKind.CONTACT: ("customer_id",),
    RecordKind.COVERAGE: ("customer_id",),
}
CONTACT_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.CONTACT_REPORTS_TO: ("contact_id", "manager_id"),
    RecordKind.INFLUENCE: ("source_id", "target_id"),
    RecordKind.RELATIONSHIP: ("contact_id",),
}


def forbid(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail)


def not_found(kind: RecordKind, key: str) -> HTTPException:
    shown = key.replace("\x1f", " -> ")
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no {kind.value} {shown!r}")


def check_read(principal: Principal, kind: RecordKind) -> None:
    """403 if the caller's role may not read ``kind`` at all."""
    if kind in PERSONAL_KINDS and not principal.sees_personal_data:
        raise forbid(f"role {principal.role.value} sees no personal data ({kind.value} records)")


def check_write(principal: Principal, kind: RecordKind) -> None:
    """403 if the caller's role may not write ``kind``."""
    if principal.role is Role.ADMIN:
        return
    if principal.role is Role.ACCOUNT_MANAGER and kind in AM_WRITABLE:
        return
    raise forbid(f"role {principal.role.value} may not change {kind.value} records")


@dataclass
class Scope:
    """An account manager's view of the graph for one request (contacts computed on demand)."""

    store: Store
    customers: frozenset[str] | None  # None: everything visible
    _contacts: frozenset[str] | None = field(default=None, init=False)

    @classmethod
    def of(cls, store: Store, principal: Principal) -> Scope:
        return cls(store, principal.visible_customers)

    @property
    def unrestricted(self) -> bool:
        return self.customers is None

    def contacts(self) -> frozenset[str]:
        assert self.customers is not None
        if self._contacts is None:
            self._contacts = visible_contacts(self.store, self.customers)
        return self._contacts

    def _allowed(self, kind: RecordKind) -> list[tuple[str, Callable[[], frozenset[str]]]]:
        out: list[tuple[str, Callable[[], frozenset[str]]]] = []
        for name in CUSTOMER_FIELDS.get(kind, ()):
            out.append((name, lambda: self.customers or frozenset()))
        for name in CONTACT_FIELDS.get(kind, ()):
            out.append((name, self.contacts))
        return out

    def sees(self, record: Record) -> bool:
        """Whether the record lies inside the visible accounts."""
        if self.unrestricted:
            return True
        return all(
            getattr(record, name) in allowed() for name, allowed in self._allowed(record.kind)
        )

    def restrict(self, kind: RecordKind, where: dict[str, Any]) -> dict[str, Any] | None:
        """The filter narrowed to visible records (pushed into the store), or None when
        nothing can match."""
        if self.unrestricted:
            return where
        out = dict(where)
        for name, allowed in self._allowed(kind):
            ids = allowed()
            if name in out:
                if out[name] not in ids:
                    return None
            else:
                if not ids:
                    return None
                out[name] = sorted(ids)
        return out

    def check_new(self, record: Record, before: Record | None) -> None:
        """422 unless a record an account manager writes stays inside their accounts (the
        answer is the same whether the outside record exists or not, so nothing leaks)."""
        if self.unrestricted:
            return
        if record.kind is RecordKind.CUSTOMER:
            parent = getattr(record, "parent_id", None)
            old_parent = getattr(before, "parent_id", None) if before else None
            if before is None and parent not in (self.customers or ()):
                raise HTTPException(
                    status.HTTP_403_FORBIDDEN,
                    "account managers create customers only as subsidiaries of accounts they "
                    "cover (set parent_id)",
                )
            if parent is not None and parent != old_parent and parent not in (self.customers or ()):
                raise _outside("parent_id", parent)
            return
        for name, allowed in self._allowed(record.kind):
            value = getattr(record, name)
            if value not in allowed():
                raise _outside(name, value)


def _outside(name: str, value: str) -> HTTPException:
    return HTTPException(
        422,
        {
            "detail": f"{name}: {value!r} is not among your accounts",
            "errors": [{"field": name, "message": "not among your accounts"}],
        },
    )
