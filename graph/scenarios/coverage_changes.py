"""Scenario changes of coverage: moving customers (to a team, an AM, or the team their industry,
region or HQ points to), adding and removing coverage links.

``TeamFinder`` picks a customer's target team; ``Books`` assigns the least-loaded account manager.
"""

from __future__ import annotations

from graph.coverage.policy import Policy
from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    Employee,
    HolderKind,
    RecordKind,
    Team,
    TeamKind,
    Tier,
)
from graph.scenarios.resolve_context import ResolveContext, id_chunks
from graph.scenarios.spec import (
    AddCoverage,
    MoveCustomers,
    RemoveCoverage,
)


def move_customers(ctx: ResolveContext, ch: MoveCustomers) -> None:
    """The selected customers get a new owner: a fixed team and/or AM, or the team their
    industry, region or HQ points to (``to_team_of``); owner links they had are removed, except
    active AMs who are members of the new team."""
    fixed = ctx.team("to_team", ch.to_team)
    am = ctx.employee("to_account_manager", ch.to_account_manager)
    customers = ctx.select("select", ch.select)
    if (ch.to_team and fixed is None) or (ch.to_account_manager and am is None):
        return
    if fixed is not None and am is not None:
        in_team = any(m.team_id == fixed.id for m in ctx.memberships(employee=am.id))
        if not in_team:
            ctx.warn(
                f"account manager {am.id} is not a member of {fixed.id}: "
                "the customers get two owners"
            )
    existing: dict[str, list[Coverage]] = {}
    for cov in ctx.coverage_of([c.id for c in customers]):
        if cov.role is CoverageRole.OWNER:
            existing.setdefault(cov.customer_id, []).append(cov)
    named_ams = {
        c.holder_id for cs in existing.values() for c in cs if c.holder_kind is HolderKind.EMPLOYEE
    }
    teams_of = ctx.teams_of_employees(sorted(named_ams))
    finder = TeamFinder(ctx.scan(RecordKind.TEAM, None), ctx.policy) if ch.to_team_of else None
    books = Books(ctx)
    unplaced: list[str] = []
    moved = 0
    for cust in customers:
        owned = existing.get(cust.id, [])
        target = fixed
        if finder is not None:
            target = _target_of(ctx, ch, finder, cust, owned, teams_of)
            if target is None:
                unplaced.append(cust.id)
                continue
        _reassign(ctx, ch, cust, owned, target, am, teams_of, books)
        moved += 1
    if unplaced:
        shown = ", ".join(unplaced[:5]) + (" ..." if len(unplaced) > 5 else "")
        ctx.warn(
            f"no {ch.to_team_of} team for {len(unplaced)} customer(s), left as they are: {shown}"
        )
    ctx.count = moved


def _target_of(
    ctx: ResolveContext,
    ch: MoveCustomers,
    finder: TeamFinder,
    cust: Customer,
    owned: list[Coverage],
    teams_of: dict[str, set[str]],
) -> Team | None:
    """The team ``to_team_of`` points to for one customer (None: no such team)."""
    current = {c.holder_id for c in owned if c.holder_kind is HolderKind.TEAM}
    current |= {
        t
        for c in owned
        if c.holder_kind is HolderKind.EMPLOYEE
        for t in teams_of.get(c.holder_id, ())
    }
    if ch.to_team_of == "hq":
        return hq_team(ctx, cust)
    return finder.find(cust, ch.to_team_of or "", current)


def _reassign(
    ctx: ResolveContext,
    ch: MoveCustomers,
    cust: Customer,
    owned: list[Coverage],
    target: Team | None,
    am: Employee | None,
    teams_of: dict[str, set[str]],
    books: Books,
) -> None:
    """Replace one customer's owner links by the target team's (and its named AM) or the AM's."""
    keep_ams: list[str] = []
    for cov in owned:
        if target is not None and am is None and cov.holder_kind is HolderKind.EMPLOYEE:
            emp = ctx.ov.get(RecordKind.EMPLOYEE, cov.holder_id)
            if (
                isinstance(emp, Employee)
                and emp.active
                and target.id in teams_of.get(cov.holder_id, ())
            ):
                keep_ams.append(cov.holder_id)
                continue
        ctx.ov.delete(RecordKind.COVERAGE, cov.key, cov)
    if target is None:
        if am is not None:
            ctx.put_coverage(_owner(am.id, cust.id, ch.credit_share, HolderKind.EMPLOYEE))
        return
    ctx.put_coverage(_owner(target.id, cust.id, ch.credit_share, HolderKind.TEAM))
    named = [am.id] if am is not None else keep_ams
    if not named and ch.assign_account_manager:
        pick = books.least_loaded(target.id, cust.tier is Tier.STRATEGIC)
        if pick is None:
            ctx.warn(f"team {target.id} has no active account manager for {cust.id}")
        else:
            named = [pick]
    for e in named:
        ctx.put_coverage(_owner(e, cust.id, 0.0, HolderKind.EMPLOYEE))
        if e not in keep_ams:
            books.took(e, cust.tier is Tier.STRATEGIC)


def _owner(holder_id: str, customer_id: str, credit: float, kind: HolderKind) -> Coverage:
    """An owner coverage link (the default role)."""
    return Coverage(
        holder_kind=kind, holder_id=holder_id, customer_id=customer_id, credit_share=credit
    )


def hq_team(ctx: ResolveContext, customer: Customer) -> Team | None:
    """The team owning a branch's HQ: its team owner link, else its named AM's team."""
    if customer.parent_id is None:
        return None
    links = [
        c
        for c in ctx.scan(RecordKind.COVERAGE, {"customer_id": customer.parent_id})
        if c.role is CoverageRole.OWNER
    ]
    teams = sorted(c.holder_id for c in links if c.holder_kind is HolderKind.TEAM)
    if not teams:
        emps = sorted(c.holder_id for c in links if c.holder_kind is HolderKind.EMPLOYEE)
        teams = sorted({t for ts in ctx.teams_of_employees(emps).values() for t in ts})
    for team_id in teams:
        team = ctx.ov.get(RecordKind.TEAM, team_id)
        if isinstance(team, Team):
            return team
    return None


def add_coverage(ctx: ResolveContext, ch: AddCoverage) -> None:
    ok = ctx.holder_exists("holder_id", ch.holder_kind, ch.holder_id)
    customers = ctx.select("select", ch.select)
    if not ok:
        return
    ids = [c.id for c in customers]
    ctx.coverage_of(ids)
    for cid in ids:
        ctx.put_coverage(
            Coverage(
                holder_kind=ch.holder_kind,
                holder_id=ch.holder_id,
                customer_id=cid,
                role=ch.role,
                credit_share=ch.credit_share,
            )
        )
    ctx.count = len(ids)


def remove_coverage(ctx: ResolveContext, ch: RemoveCoverage) -> None:
    customers = ctx.select("select", ch.select)
    wanted = {c.id for c in customers}
    removed = 0
    for cov in ctx.held_by(ch.holder_kind, ch.holder_id):
        if cov.customer_id in wanted and (ch.role is None or cov.role is ch.role):
            ctx.ov.delete(RecordKind.COVERAGE, cov.key, cov)
            removed += 1
    if not removed and customers:
        who = f"{ch.holder_kind.value} {ch.holder_id}"
        ctx.warn(f"{who} covers none of the selected customers")
    ctx.count = len(customers)


class TeamFinder:
    """Per-customer target teams: the industry team or the regional team of a customer."""

    def __init__(self, teams: list[Team], policy: Policy) -> None:
        named = set(policy.named_kinds)
        self.industry: dict[str, list[Team]] = {}
        self.regional: dict[str, list[Team]] = {}
        for t in sorted(teams, key=lambda t: t.id):
            if t.team_kind in named and t.industry:
                self.industry.setdefault(t.industry, []).append(t)
            if t.team_kind is TeamKind.REGIONAL:
                for r in t.regions:
                    self.regional.setdefault(r, []).append(t)

    def find(self, customer: Customer, by: str, current: set[str]) -> Team | None:
        if by == "region":
            teams = self.regional.get(customer.region, [])
            return teams[0] if teams else None
        teams = self.industry.get(customer.industry, [])
        if not teams:
            return None
        held = [t for t in teams if t.id in current]
        for pool in (held, teams):
            if pool:
                local = [t for t in pool if customer.region in t.regions]
                if local:
                    return local[0]
                if pool is held:
                    return held[0]
        heads = [t for t in teams if not t.regions]
        return heads[0] if heads else teams[0]


class Books:
    """Owner books of a team's account managers, for least-loaded assignment (strategic books
    are read only when a strategic account is assigned)."""

    def __init__(self, resolver: ResolveContext) -> None:
        self.r = resolver
        self._teams: dict[str, list[str]] = {}
        self._total: dict[str, int] = {}
        self._owned: dict[str, list[str]] = {}
        self._strategic: dict[str, int] = {}

    def _load_team(self, team_id: str) -> list[str]:
        if team_id in self._teams:
            return self._teams[team_id]
        roles = set(self.r.policy.capacity.account_manager_roles)
        ams = []
        for m in self.r.memberships(team=team_id):
            emp = self.r.ov.get(RecordKind.EMPLOYEE, m.employee_id)
            if m.role in roles and isinstance(emp, Employee) and emp.active:
                ams.append(m.employee_id)
        new = sorted(a for a in ams if a not in self._total)
        if new:
            owned: dict[str, list[str]] = {a: [] for a in new}
            for cov in self.r.scan(RecordKind.COVERAGE, {"holder_id": new}):
                if cov.holder_kind is HolderKind.EMPLOYEE and cov.role is CoverageRole.OWNER:
                    owned[cov.holder_id].append(cov.customer_id)
            for a, cs in owned.items():
                self._owned[a] = cs
                self._total[a] = len(cs)
        self._teams[team_id] = sorted(ams)
        return self._teams[team_id]

    def _strategic_count(self, am: str) -> int:
        if am not in self._strategic:
            ids = sorted(set(self._owned.get(am, [])))
            self._strategic[am] = sum(
                1
                for chunk in id_chunks(ids)
                for _c in self.r.scan(
                    RecordKind.CUSTOMER, {"id": chunk, "tier": Tier.STRATEGIC.value}
                )
            )
        return self._strategic[am]

    def least_loaded(self, team_id: str, strategic: bool) -> str | None:
        ams = self._load_team(team_id)
        if not ams:
            return None
        if strategic:
            return min(ams, key=lambda a: (self._strategic_count(a), self._total[a], a))
        return min(ams, key=lambda a: (self._total[a], a))

    def took(self, emp_id: str, strategic: bool) -> None:
        self._total[emp_id] = self._total.get(emp_id, 0) + 1
        if strategic:
            self._strategic[emp_id] = self._strategic_count(emp_id) + 1
