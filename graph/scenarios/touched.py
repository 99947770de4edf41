"""Which customers a scenario touches, for incremental evaluation, and reading them both ways.

Touched: those whose coverage links or record change, those covered by a person whose teams or
active flag change, those covered by or through a team that changes, and the strategic accounts
of named AMs whose strategic book changes. ``read_both_chunks`` reads customers once and gives
them as today and as the scenario leaves them; ``overlay_org`` does the same for the org.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.coverage.inputs import CustomerChunk, OrgRecords
from graph.coverage.resolve import (
    OrgIndex,
)
from graph.model import (
    Coverage,
    Customer,
    Employee,
    HolderKind,
    Membership,
    Record,
    RecordKind,
    Team,
    TeamKind,
    split_key,
)
from graph.scenarios.apply import ResolvedScenario
from graph.scenarios.overlay import Overlay
from graph.store.reader import RecordReader

ID_BATCH = 1000  # ids per membership filter


def read_both_chunks(
    base: RecordReader, overlay: Overlay, ids: list[str]
) -> tuple[CustomerChunk, CustomerChunk]:
    """The customers ``ids`` with their coverage, today and under the scenario (read once)."""
    cust_where = {"id": ids}
    cov_where = {"customer_id": ids}
    customers = list(base.scan(RecordKind.CUSTOMER, where=cust_where, batch_size=len(ids)))
    coverage = list(base.scan(RecordKind.COVERAGE, where=cov_where, batch_size=len(ids)))

    def chunk(cs: Iterable[Record], covs: Iterable[Record]) -> CustomerChunk:
        return CustomerChunk(
            tuple(c for c in cs if isinstance(c, Customer)),
            tuple(c for c in covs if isinstance(c, Coverage)),
        )

    return chunk(customers, coverage), chunk(
        overlay.view(RecordKind.CUSTOMER, customers, cust_where),
        overlay.view(RecordKind.COVERAGE, coverage, cov_where),
    )


def overlay_org(org: OrgRecords, overlay: Overlay) -> OrgRecords:
    """Today's org as the scenario leaves it (no second read of the store)."""
    return OrgRecords(
        teams=tuple(
            r for r in overlay.view(RecordKind.TEAM, org.teams, None) if isinstance(r, Team)
        ),
        employees=tuple(
            r
            for r in overlay.view(RecordKind.EMPLOYEE, org.employees, None)
            if isinstance(r, Employee)
        ),
        memberships=tuple(
            r
            for r in overlay.view(RecordKind.MEMBERSHIP, org.memberships, None)
            if isinstance(r, Membership)
        ),
    )


def _held_customers(source: RecordReader, holder_kind: HolderKind, ids: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(ids), ID_BATCH):
        for r in source.scan(RecordKind.COVERAGE, where={"holder_id": ids[i : i + ID_BATCH]}):
            if isinstance(r, Coverage) and r.holder_kind is holder_kind:
                out.add(r.customer_id)
    return out


@dataclass
class Touched:
    customers: set[str] = field(default_factory=set)
    full: bool = False
    reason: str = ""


def touched_customers(
    resolved: ResolvedScenario, base: RecordReader, org_before: OrgIndex, org_after: OrgIndex
) -> Touched:
    """Customers whose outcome the scenario may change (see the module docstring)."""
    t = Touched()
    if resolved.policy_changed:
        return Touched(full=True, reason="the coverage policy changes")
    overlay = resolved.overlay
    employees: set[str] = set()
    teams: set[str] = set()
    for (kind, key), old in resolved.before.items():
        new = overlay.changed[(kind, key)]
        if kind is RecordKind.COVERAGE:
            t.customers.add(split_key(key)[2])
        elif kind is RecordKind.CUSTOMER:
            t.customers.add(key)
        elif kind is RecordKind.MEMBERSHIP:
            employees.add(split_key(key)[0])
        elif kind is RecordKind.EMPLOYEE:
            if (
                not isinstance(old, Employee)
                or not isinstance(new, Employee)
                or (old.active != new.active)
            ):
                employees.add(key)
        elif kind is RecordKind.TEAM:
            o = old if isinstance(old, Team) else None
            n = new if isinstance(new, Team) else None
            if (
                o is not None
                and n is not None
                and (o.team_kind, o.regions) == (n.team_kind, n.regions)
            ):
                continue  # name, industry or parent only: no customer's coverage changes
            regional = any(x is not None and x.team_kind is TeamKind.REGIONAL for x in (o, n))
            if regional and any(x is not None and x.regions for x in (o, n)):
                return Touched(full=True, reason=f"the territory of team {key} changes")
            teams.add(key)
    for team_id in teams:
        for index in (org_before, org_after):
            employees.update(e for e, _r in index.team_members.get(team_id, ()))
    for source in (base, overlay):
        t.customers |= _held_customers(source, HolderKind.EMPLOYEE, sorted(employees))
        t.customers |= _held_customers(source, HolderKind.TEAM, sorted(teams))
    return t


def strategic_customers_of(sources: tuple[RecordReader, ...], ams: list[str]) -> set[str]:
    ids: set[str] = set()
    for source in sources:
        ids |= _held_customers(source, HolderKind.EMPLOYEE, ams)
    return ids
