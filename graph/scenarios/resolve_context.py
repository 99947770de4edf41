"""What every scenario change resolves against: the overlay, checked lookups and collected errors.

``ResolveContext`` holds the overlay of the live graph, the policy as the changes so far left it,
the errors and warnings of the change being resolved, and the lookups the changes share: a team
or an employee by id (an unknown or inactive one is an error naming the field), the customers a
selection matches, coverage and memberships read once and remembered by the overlay.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.coverage.policy import Policy
from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    Employee,
    HolderKind,
    RecordKind,
    Team,
)
from graph.scenarios.overlay import Overlay
from graph.scenarios.spec import (
    CustomerSelect,
)
from graph.store.reader import RecordReader

ID_BATCH = 1000  # ids per membership filter


def id_chunks(ids: list[str], size: int = ID_BATCH) -> Iterator[list[str]]:
    """Ids in slices of at most ``size`` (one ``where`` membership filter each)."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


class ResolveContext:
    """The state of one scenario being resolved; each change is a function of it (see
    ``graph.scenarios.apply``)."""

    def __init__(self, reader: RecordReader, policy: Policy) -> None:
        self.ov = Overlay(reader)
        self.policy = policy
        self.errors: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.index = 0
        self.op = ""
        self.count = 0
        self._coverage_known: set[str] = set()

    def error(self, fld: str, message: str) -> None:
        self.errors.append({"change": self.index, "op": self.op, "field": fld, "message": message})

    def warn(self, message: str) -> None:
        self.warnings.append(f"changes[{self.index}] ({self.op}): {message}")

    def team(self, fld: str, team_id: str | None) -> Team | None:
        if team_id is None:
            return None
        t = self.ov.get(RecordKind.TEAM, team_id)
        if not isinstance(t, Team):
            self.error(fld, f"unknown team {team_id!r}")
            return None
        return t

    def employee(self, fld: str, emp_id: str | None, *, active: bool = True) -> Employee | None:
        if emp_id is None:
            return None
        e = self.ov.get(RecordKind.EMPLOYEE, emp_id)
        if not isinstance(e, Employee):
            self.error(fld, f"unknown employee {emp_id!r}")
            return None
        if active and not e.active:
            self.error(fld, f"employee {emp_id!r} is not active")
            return None
        return e

    def holder_exists(self, fld: str, kind: HolderKind, holder_id: str) -> bool:
        if kind is HolderKind.TEAM:
            return self.team(fld, holder_id) is not None
        return self.employee(fld, holder_id) is not None

    def scan(self, kind: RecordKind, where: dict[str, Any] | None = None) -> list[Any]:
        return list(self.ov.scan(kind, where=where))

    def coverage_of(self, customer_ids: list[str]) -> list[Coverage]:
        """Every coverage link of these customers; afterwards a new link on one of them is
        known not to exist (no lookup per link)."""
        out: list[Coverage] = []
        for chunk in id_chunks(customer_ids):
            out.extend(self.scan(RecordKind.COVERAGE, {"customer_id": chunk}))
        self.ov.know(out)
        self._coverage_known.update(customer_ids)
        return out

    def put_coverage(self, cov: Coverage) -> None:
        if cov.customer_id in self._coverage_known:
            self.ov.know_absent(RecordKind.COVERAGE, [cov.key])
        self.ov.put(cov)

    def held_by(self, kind: HolderKind, holder_id: str) -> list[Coverage]:
        found = [
            c
            for c in self.scan(RecordKind.COVERAGE, {"holder_id": holder_id})
            if c.holder_kind is kind
        ]
        self.ov.know(found)
        return found

    def memberships(self, *, employee: str | None = None, team: str | None = None) -> list[Any]:
        where = {"employee_id": employee} if employee is not None else {"team_id": team}
        found = self.scan(RecordKind.MEMBERSHIP, where)
        self.ov.know(found)
        return found

    def select(self, fld: str, sel: CustomerSelect) -> list[Customer]:
        """The customers a selection matches now (in the overlaid graph), by id."""
        if sel.ids:
            ids = sorted(set(sel.ids))
            found: list[Customer] = []
            for chunk in id_chunks(ids):
                found.extend(self.scan(RecordKind.CUSTOMER, {"id": chunk}))
            missing = sorted(set(ids) - {c.id for c in found})
            if missing:
                shown = ", ".join(repr(m) for m in missing[:5])
                more = f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""
                self.error(f"{fld}.ids", f"unknown customer(s) {shown}{more}")
            return found
        where: dict[str, Any] = {}
        if sel.tier:
            where["tier"] = [t.value for t in sel.tier]
        if sel.industry:
            where["industry"] = list(sel.industry)
        if sel.region:
            where["region"] = list(sel.region)
        if sel.owner:
            owned: set[str] = set()
            for owner in sel.owner:
                if (
                    self.ov.get(RecordKind.TEAM, owner) is None
                    and self.ov.get(RecordKind.EMPLOYEE, owner) is None
                ):
                    self.error(f"{fld}.owner", f"unknown team or employee {owner!r}")
                    continue
                owned.update(
                    c.customer_id
                    for c in self.scan(RecordKind.COVERAGE, {"holder_id": owner})
                    if c.role is CoverageRole.OWNER
                )
            customers = []
            for chunk in id_chunks(sorted(owned)):
                customers.extend(self.scan(RecordKind.CUSTOMER, {"id": chunk, **where}))
        else:
            customers = self.scan(RecordKind.CUSTOMER, where)
        if sel.branches == "exclude":
            customers = [c for c in customers if c.parent_id is None]
        elif sel.branches == "only":
            customers = [c for c in customers if c.parent_id is not None]
        if not customers:
            self.error(fld, f"matches no customer ({sel.describe()})")
        return customers  # not remembered: no change edits a customer record

    def teams_of_employees(self, emp_ids: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for chunk in id_chunks(emp_ids):
            for m in self.scan(RecordKind.MEMBERSHIP, {"employee_id": chunk}):
                out.setdefault(m.employee_id, set()).add(m.team_id)
        return out
