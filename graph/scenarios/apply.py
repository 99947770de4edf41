"""Resolving a scenario: its ordered changes applied to an in-memory overlay of the live graph.

``resolve_scenario(reader, scenario, policy)`` plays the changes one after another on an
:class:`~graph.scenarios.overlay.Overlay` (each change sees the graph as the changes before it
left it) and returns a :class:`ResolvedScenario`: the net upserts and deletes, the policy after,
the base content of every touched record (the inverse change set) and warnings. References are
checked against the overlaid graph; every problem is collected and raised together as
:class:`ScenarioInvalid`, each naming the change index, its op and the field (unknown team,
customers matched by no filter, a leaver who does not exist...).

Reads only through the ``RecordReader`` protocol (``scan``/``get``): no store, no API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.coverage.policy import Policy
from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    Employee,
    EmployeeReportsTo,
    HolderKind,
    Membership,
    Record,
    RecordKind,
    ReportingLine,
    Team,
    TeamKind,
    Tier,
)
from graph.scenarios.overlay import Overlay, TouchedKey
from graph.scenarios.spec import (
    AddCoverage,
    AddHeadcount,
    ChangePolicy,
    ChangeTerritory,
    CreateTeam,
    CustomerSelect,
    DissolveTeam,
    MergeTeams,
    MoveCustomers,
    MovePerson,
    PersonLeaves,
    RemoveCoverage,
    ReportingLineChange,
    Scenario,
    ScenarioError,
    SplitTeam,
    format_error,
)
from graph.store.reader import RecordReader

ID_BATCH = 1000


class ScenarioInvalid(ScenarioError):
    """The scenario does not fit the graph it is resolved against; nothing was changed."""


@dataclass(frozen=True)
class ChangeSummary:
    """What one change did: customers it selected and records it touched."""

    index: int
    op: str
    customers: int
    records: int


@dataclass
class ResolvedScenario:
    """A scenario resolved against one version of the graph."""

    scenario: Scenario
    overlay: Overlay
    upserts: list[Record]
    deletes: list[TouchedKey]
    before: dict[TouchedKey, Record | None]
    policy_before: Policy
    policy_after: Policy
    warnings: list[str] = field(default_factory=list)
    steps: list[ChangeSummary] = field(default_factory=list)

    @property
    def policy_changed(self) -> bool:
        return self.policy_after != self.policy_before

    def after(self) -> dict[TouchedKey, Record | None]:
        """Content of every touched key once applied (None: deleted)."""
        return {k: self.overlay.changed[k] for k in self.before}

    def touched(self, kind: RecordKind) -> list[str]:
        return sorted(key for (k, key) in self.before if k is kind)


def _chunks(ids: list[str], size: int = ID_BATCH) -> Iterator[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


class _Resolver:
    def __init__(self, reader: RecordReader, policy: Policy) -> None:
        self.ov = Overlay(reader)
        self.policy = policy
        self.errors: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.index = 0
        self.op = ""
        self.count = 0
        self._coverage_known: set[str] = set()

    # ------------------------------------------------------------------ errors
    def error(self, fld: str, message: str) -> None:
        self.errors.append({"change": self.index, "op": self.op, "field": fld, "message": message})

    def warn(self, message: str) -> None:
        self.warnings.append(f"changes[{self.index}] ({self.op}): {message}")

    # ------------------------------------------------------------------ lookups
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
        for chunk in _chunks(customer_ids):
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
            for chunk in _chunks(ids):
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
            for chunk in _chunks(sorted(owned)):
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

    # ------------------------------------------------------------------ changes
    def _move_customers(self, ch: MoveCustomers) -> None:
        fixed = self.team("to_team", ch.to_team)
        am = self.employee("to_account_manager", ch.to_account_manager)
        customers = self.select("select", ch.select)
        if (ch.to_team and fixed is None) or (ch.to_account_manager and am is None):
            return
        if fixed is not None and am is not None:
            in_team = any(m.team_id == fixed.id for m in self.memberships(employee=am.id))
            if not in_team:
                self.warn(
                    f"account manager {am.id} is not a member of {fixed.id}: "
                    "the customers get two owners"
                )
        ids = [c.id for c in customers]
        existing: dict[str, list[Coverage]] = {}
        for cov in self.coverage_of(ids):
            if cov.role is CoverageRole.OWNER:
                existing.setdefault(cov.customer_id, []).append(cov)
        teams_of = self._teams_of_employees(
            sorted(
                {
                    c.holder_id
                    for covs in existing.values()
                    for c in covs
                    if c.holder_kind is HolderKind.EMPLOYEE
                }
            )
        )
        finder = (
            _TeamFinder(self.scan(RecordKind.TEAM, None), self.policy) if ch.to_team_of else None
        )
        books = _Books(self)
        unplaced: list[str] = []
        moved = 0
        for cust in customers:
            owned = existing.get(cust.id, [])
            target = fixed
            if finder is not None:
                current = {c.holder_id for c in owned if c.holder_kind is HolderKind.TEAM}
                current |= {
                    t
                    for c in owned
                    if c.holder_kind is HolderKind.EMPLOYEE
                    for t in teams_of.get(c.holder_id, ())
                }
                target = (
                    self._hq_team(cust)
                    if ch.to_team_of == "hq"
                    else finder.find(cust, ch.to_team_of or "", current)
                )
                if target is None:
                    unplaced.append(cust.id)
                    continue
            keep_ams: list[str] = []
            for cov in owned:
                if target is not None and am is None and cov.holder_kind is HolderKind.EMPLOYEE:
                    emp = self.ov.get(RecordKind.EMPLOYEE, cov.holder_id)
                    if (
                        isinstance(emp, Employee)
                        and emp.active
                        and target.id in teams_of.get(cov.holder_id, ())
                    ):
                        keep_ams.append(cov.holder_id)
                        continue
                self.ov.delete(RecordKind.COVERAGE, cov.key, cov)
            if target is not None:
                self.put_coverage(
                    Coverage(
                        holder_kind=HolderKind.TEAM,
                        holder_id=target.id,
                        customer_id=cust.id,
                        credit_share=ch.credit_share,
                    )
                )
                named = [am.id] if am is not None else keep_ams
                if not named and ch.assign_account_manager:
                    pick = books.least_loaded(target.id, cust.tier is Tier.STRATEGIC)
                    if pick is None:
                        self.warn(f"team {target.id} has no active account manager for {cust.id}")
                    else:
                        named = [pick]
                for e in named:
                    self.put_coverage(
                        Coverage(
                            holder_kind=HolderKind.EMPLOYEE,
                            holder_id=e,
                            customer_id=cust.id,
                            credit_share=0.0,
                        )
                    )
                    if e not in keep_ams:
                        books.took(e, cust.tier is Tier.STRATEGIC)
            elif am is not None:
                self.put_coverage(
                    Coverage(
                        holder_kind=HolderKind.EMPLOYEE,
                        holder_id=am.id,
                        customer_id=cust.id,
                        credit_share=ch.credit_share,
                    )
                )
            moved += 1
        if unplaced:
            shown = ", ".join(unplaced[:5]) + (" ..." if len(unplaced) > 5 else "")
            self.warn(
                f"no {ch.to_team_of} team for {len(unplaced)} customer(s), left as they "
                f"are: {shown}"
            )
        self.count = moved

    def _hq_team(self, customer: Customer) -> Team | None:
        """The team owning a branch's HQ: its team owner link, else its named AM's team."""
        if customer.parent_id is None:
            return None
        links = [
            c
            for c in self.scan(RecordKind.COVERAGE, {"customer_id": customer.parent_id})
            if c.role is CoverageRole.OWNER
        ]
        teams = sorted(c.holder_id for c in links if c.holder_kind is HolderKind.TEAM)
        if not teams:
            emps = sorted(c.holder_id for c in links if c.holder_kind is HolderKind.EMPLOYEE)
            teams = sorted({t for ts in self._teams_of_employees(emps).values() for t in ts})
        for team_id in teams:
            team = self.ov.get(RecordKind.TEAM, team_id)
            if isinstance(team, Team):
                return team
        return None

    def _teams_of_employees(self, emp_ids: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for chunk in _chunks(emp_ids):
            for m in self.scan(RecordKind.MEMBERSHIP, {"employee_id": chunk}):
                out.setdefault(m.employee_id, set()).add(m.team_id)
        return out

    def _add_coverage(self, ch: AddCoverage) -> None:
        ok = self.holder_exists("holder_id", ch.holder_kind, ch.holder_id)
        customers = self.select("select", ch.select)
        if not ok:
            return
        ids = [c.id for c in customers]
        self.coverage_of(ids)
        for cid in ids:
            self.put_coverage(
                Coverage(
                    holder_kind=ch.holder_kind,
                    holder_id=ch.holder_id,
                    customer_id=cid,
                    role=ch.role,
                    credit_share=ch.credit_share,
                )
            )
        self.count = len(ids)

    def _remove_coverage(self, ch: RemoveCoverage) -> None:
        customers = self.select("select", ch.select)
        wanted = {c.id for c in customers}
        removed = 0
        for cov in self.held_by(ch.holder_kind, ch.holder_id):
            if cov.customer_id in wanted and (ch.role is None or cov.role is ch.role):
                self.ov.delete(RecordKind.COVERAGE, cov.key, cov)
                removed += 1
        if not removed and customers:
            who = f"{ch.holder_kind.value} {ch.holder_id}"
            self.warn(f"{who} covers none of the selected customers")
        self.count = len(customers)

    def _create_team(self, ch: CreateTeam) -> None:
        if self.ov.get(RecordKind.TEAM, ch.id) is not None:
            self.error("id", f"team {ch.id!r} exists already")
            return
        if ch.parent_id is not None and self.team("parent_id", ch.parent_id) is None:
            return
        self.ov.put(
            Team(
                id=ch.id,
                name=ch.name,
                team_kind=ch.team_kind,
                regions=ch.regions,
                industry=ch.industry,
                parent_id=ch.parent_id,
            )
        )

    def _move_team_holdings(self, source: Team, target: Team) -> None:
        """Members and team-held coverage of ``source`` pass to ``target``."""
        target_members = {m.employee_id for m in self.memberships(team=target.id)}
        for m in self.memberships(team=source.id):
            self.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
            if m.employee_id not in target_members:
                self.ov.put(Membership(employee_id=m.employee_id, team_id=target.id, role=m.role))
                target_members.add(m.employee_id)
        held = {c.customer_id for c in self.held_by(HolderKind.TEAM, target.id)}
        for cov in self.held_by(HolderKind.TEAM, source.id):
            self.ov.delete(RecordKind.COVERAGE, cov.key, cov)
            if cov.customer_id not in held:
                self.ov.put(cov.model_copy(update={"holder_id": target.id}))
                held.add(cov.customer_id)

    def _reparent_children(self, team: Team, new_parent: str | None) -> None:
        for child in self.scan(RecordKind.TEAM, {"parent_id": team.id}):
            self.ov.put(child.model_copy(update={"parent_id": new_parent}))

    def _merge_teams(self, ch: MergeTeams) -> None:
        into = self.team("into", ch.into)
        sources = [self.team("teams", t) for t in ch.teams]
        if into is None or any(s is None for s in sources):
            return
        if into.id in ch.teams:
            self.error("teams", f"team {into.id!r} cannot be merged into itself")
            return
        regions = list(into.regions)
        for src in sources:
            assert src is not None
            self._move_team_holdings(src, into)
            if src.team_kind is TeamKind.REGIONAL and into.team_kind is TeamKind.REGIONAL:
                regions += [r for r in src.regions if r not in regions]
            elif src.team_kind is TeamKind.REGIONAL and src.regions:
                self.warn(f"regions of {src.id} are dropped: {into.id} is not a regional team")
            self._reparent_children(src, into.id)
            current = self.ov.get(RecordKind.TEAM, into.id)
            assert isinstance(current, Team)
            if current.parent_id == src.id:
                current = current.model_copy(update={"parent_id": src.parent_id})
            self.ov.put(current.model_copy(update={"regions": tuple(regions)}))
            self.ov.delete(RecordKind.TEAM, src.id, src)

    def _split_team(self, ch: SplitTeam) -> None:
        team = self.team("team", ch.team)
        if team is None:
            return
        seen: set[str] = set()
        for j, part in enumerate(ch.parts):
            if self.ov.get(RecordKind.TEAM, part.id) is not None:
                self.error(f"parts.{j}.id", f"team {part.id!r} exists already")
            overlap = seen.intersection(part.values)
            if overlap:
                self.error(f"parts.{j}.values", f"{', '.join(sorted(overlap))} given twice")
            seen.update(part.values)
        members = {m.employee_id: m for m in self.memberships(team=team.id)}
        for j, part in enumerate(ch.parts):
            for e in part.members:
                if e not in members:
                    self.error(f"parts.{j}.members", f"employee {e!r} is not a member of {team.id}")
        if ch.by == "region" and team.team_kind is TeamKind.REGIONAL:
            unknown = seen - set(team.regions)
            if unknown:
                self.error("parts", f"{', '.join(sorted(unknown))} not in {team.id}'s regions")
        if self.errors and self.errors[-1]["change"] == self.index:
            return
        part_of = {v: part for part in ch.parts for v in part.values}
        for part in ch.parts:
            regional_split = ch.by == "region" and team.team_kind is TeamKind.REGIONAL
            self.ov.put(
                Team(
                    id=part.id,
                    name=part.name,
                    team_kind=team.team_kind,
                    regions=part.values if regional_split else (),
                    industry=part.values[0]
                    if ch.by == "industry" and len(part.values) == 1
                    else team.industry,
                    parent_id=team.parent_id,
                )
            )
            for e in part.members:
                m = members[e]
                self.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
                self.ov.put(Membership(employee_id=e, team_id=part.id, role=m.role))
        held = self.held_by(HolderKind.TEAM, team.id)
        customers = {
            c.id: c
            for chunk in _chunks(sorted({c.customer_id for c in held}))
            for c in self.scan(RecordKind.CUSTOMER, {"id": chunk})
        }
        moved = 0
        for cov in held:
            cust = customers.get(cov.customer_id)
            value = getattr(cust, ch.by, "") if cust is not None else ""
            target = part_of.get(value)
            if target is not None:
                self.ov.delete(RecordKind.COVERAGE, cov.key, cov)
                self.ov.put(cov.model_copy(update={"holder_id": target.id}))
                moved += 1
        if ch.by == "region" and team.team_kind is TeamKind.REGIONAL:
            rest = tuple(r for r in team.regions if r not in part_of)
            current = self.ov.get(RecordKind.TEAM, team.id)
            assert isinstance(current, Team)
            self.ov.put(current.model_copy(update={"regions": rest}))
        self.count = moved

    def _dissolve_team(self, ch: DissolveTeam) -> None:
        team = self.team("team", ch.team)
        members_to = self.team("members_to", ch.members_to)
        customers_to = self.team("customers_to", ch.customers_to)
        if (
            team is None
            or (ch.members_to and members_to is None)
            or (ch.customers_to and customers_to is None)
        ):
            return
        if ch.team in (ch.members_to, ch.customers_to):
            self.error("team", "a dissolved team cannot receive its own members or customers")
            return
        target_members = (
            {m.employee_id for m in self.memberships(team=members_to.id)} if members_to else set()
        )
        for m in self.memberships(team=team.id):
            self.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
            if members_to is not None and m.employee_id not in target_members:
                self.ov.put(
                    Membership(employee_id=m.employee_id, team_id=members_to.id, role=m.role)
                )
        held = (
            {c.customer_id for c in self.held_by(HolderKind.TEAM, customers_to.id)}
            if customers_to
            else set()
        )
        for cov in self.held_by(HolderKind.TEAM, team.id):
            self.ov.delete(RecordKind.COVERAGE, cov.key, cov)
            if customers_to is not None and cov.customer_id not in held:
                self.ov.put(cov.model_copy(update={"holder_id": customers_to.id}))
        self._reparent_children(team, team.parent_id)
        self.ov.delete(RecordKind.TEAM, team.id, team)

    def _move_person(self, ch: MovePerson) -> None:
        emp = self.employee("employee", ch.employee)
        to = self.team("to_team", ch.to_team)
        if ch.from_team is not None:
            self.team("from_team", ch.from_team)
        if emp is None or to is None:
            return
        current = self.memberships(employee=emp.id)
        leaving = [m for m in current if ch.from_team is None or m.team_id == ch.from_team]
        if ch.from_team is not None and not leaving:
            self.error("from_team", f"employee {emp.id!r} is not a member of {ch.from_team!r}")
            return
        role = ch.role or (leaving[0].role if leaving else "member")
        for m in leaving:
            self.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
        self.ov.put(Membership(employee_id=emp.id, team_id=to.id, role=role))

    def _reporting_line(self, ch: ReportingLineChange) -> None:
        mgr = self.employee("manager", ch.manager, active=not ch.remove)
        if ch.team is not None:
            team = self.team("team", ch.team)
            if team is None or mgr is None:
                return
            people = self._members_below(team.id, set(ch.roles))
            people.discard(mgr.id)
            if not people:
                self.error(
                    "team",
                    f"team {team.id!r} has no member"
                    + (f" with role {', '.join(ch.roles)}" if ch.roles else ""),
                )
                return
            for emp_id in sorted(people):
                self._one_line(emp_id, mgr.id, ch, strict=False)
            self.count = len(people)
            return
        emp = self.employee("employee", ch.employee, active=not ch.remove)
        if emp is None or mgr is None:
            return
        if emp.id == mgr.id:
            self.error("manager", "an employee cannot report to themselves")
            return
        self._one_line(emp.id, mgr.id, ch, strict=True)

    def _members_below(self, team_id: str, roles: set[str]) -> set[str]:
        """Members of a team and of every sub-team below it (with one of ``roles``, if given)."""
        frontier, seen, people = [team_id], {team_id}, set()
        while frontier:
            for m in self.scan(RecordKind.MEMBERSHIP, {"team_id": frontier}):
                if not roles or m.role in roles:
                    people.add(m.employee_id)
            children = [
                t.id
                for t in self.scan(RecordKind.TEAM, {"parent_id": frontier})
                if t.id not in seen
            ]
            seen.update(children)
            frontier = children
        return people

    def _one_line(self, emp_id: str, mgr_id: str, ch: ReportingLineChange, strict: bool) -> None:
        lines = self.scan(RecordKind.EMPLOYEE_REPORTS_TO, {"employee_id": emp_id})
        self.ov.know(lines)
        if ch.remove:
            hit = [r for r in lines if r.manager_id == mgr_id]
            if not hit and strict:
                self.error("manager", f"{emp_id!r} does not report to {mgr_id!r}")
            for r in hit:
                self.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
            return
        if ch.line is ReportingLine.SOLID:
            for r in lines:
                if r.line is ReportingLine.SOLID and r.manager_id != mgr_id:
                    self.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
        self.ov.put(EmployeeReportsTo(employee_id=emp_id, manager_id=mgr_id, line=ch.line))

    def _person_leaves(self, ch: PersonLeaves) -> None:
        emp = self.employee("employee", ch.employee)
        succ = self.employee("successor", ch.successor)
        if emp is None or (ch.successor and succ is None):
            return
        if succ is not None and succ.id == emp.id:
            self.error("successor", "a leaver cannot succeed themselves")
            return
        self.ov.put(emp.model_copy(update={"active": False}))
        for m in self.memberships(employee=emp.id):
            self.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
        for r in self.scan(RecordKind.EMPLOYEE_REPORTS_TO, {"employee_id": emp.id}):
            self.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
        for r in self.scan(RecordKind.EMPLOYEE_REPORTS_TO, {"manager_id": emp.id}):
            self.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
            if succ is not None and r.employee_id != succ.id:
                self.ov.put(r.model_copy(update={"manager_id": succ.id}))
        for rel in self.scan(RecordKind.RELATIONSHIP, {"employee_id": emp.id}):
            self.ov.delete(RecordKind.RELATIONSHIP, rel.key, rel)
        held = self.held_by(HolderKind.EMPLOYEE, emp.id)
        if succ is not None:
            theirs = {c.customer_id for c in self.held_by(HolderKind.EMPLOYEE, succ.id)}
            for cov in held:
                self.ov.delete(RecordKind.COVERAGE, cov.key, cov)
                if cov.customer_id not in theirs:
                    self.ov.put(cov.model_copy(update={"holder_id": succ.id}))
        elif any(c.role is CoverageRole.OWNER for c in held):
            self.warn(f"{emp.id} leaves owner links without a successor: they need reassignment")
        self.count = len(held)

    def _add_headcount(self, ch: AddHeadcount) -> None:
        if self.ov.get(RecordKind.EMPLOYEE, ch.id) is not None:
            self.error("id", f"employee {ch.id!r} exists already")
        team = self.team("team", ch.team)
        mgr = self.employee("manager", ch.manager)
        dotted = self.employee("dotted_to", ch.dotted_to)
        if team is None or (ch.manager and mgr is None) or (ch.dotted_to and dotted is None):
            return
        if self.errors and self.errors[-1]["change"] == self.index:
            return
        self.ov.put(Employee(id=ch.id, name=ch.name, title=ch.title, region=ch.region))
        self.ov.put(Membership(employee_id=ch.id, team_id=team.id, role=ch.role))
        if mgr is not None:
            self.ov.put(EmployeeReportsTo(employee_id=ch.id, manager_id=mgr.id))
        if dotted is not None and (mgr is None or dotted.id != mgr.id):
            self.ov.put(
                EmployeeReportsTo(
                    employee_id=ch.id, manager_id=dotted.id, line=ReportingLine.DOTTED
                )
            )

    def _change_territory(self, ch: ChangeTerritory) -> None:
        team = self.team("team", ch.team)
        if team is None:
            return
        if team.team_kind is not TeamKind.REGIONAL:
            self.error("team", f"team {team.id!r} is {team.team_kind.value}, not regional")
            return
        regions = list(ch.regions) if ch.regions is not None else list(team.regions)
        regions += [r for r in ch.add if r not in regions]
        missing = [r for r in ch.remove if r not in regions]
        if missing:
            self.warn(f"{team.id} does not cover {', '.join(missing)}")
        regions = [r for r in regions if r not in ch.remove]
        self.ov.put(team.model_copy(update={"regions": tuple(regions)}))

    def _change_policy(self, ch: ChangePolicy) -> None:
        data = self.policy.model_dump()
        if ch.credit is not None:
            data["credit"] = ch.credit.model_dump()
        if ch.tier_norms is not None:
            data["capacity"]["norms"] = {
                **data["capacity"]["norms"],
                **{t: n.model_dump() for t, n in ch.tier_norms.items()},
            }
        if ch.max_weighted_load is not None:
            data["capacity"]["max_weighted_load"] = ch.max_weighted_load
        if ch.scoring is not None:
            data["scoring"] = ch.scoring.model_dump()
        if ch.territory_rules is not None:
            data["territory_rules"] = [r.model_dump() for r in ch.territory_rules]
        if ch.owner_kinds_by_tier is not None:
            data["owner_kinds_by_tier"] = {**data["owner_kinds_by_tier"], **ch.owner_kinds_by_tier}
        if ch.named_kinds is not None:
            data["named_kinds"] = ch.named_kinds
        try:
            self.policy = Policy.model_validate(data)
        except ValueError as exc:
            self.error("", f"the policy it leads to is invalid: {exc}")


class _TeamFinder:
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


class _Books:
    """Owner books of a team's account managers, for least-loaded assignment (strategic books
    are read only when a strategic account is assigned)."""

    def __init__(self, resolver: _Resolver) -> None:
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
                for chunk in _chunks(ids)
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


def resolve_scenario(reader: RecordReader, scenario: Scenario, policy: Policy) -> ResolvedScenario:
    """Play ``scenario``'s changes on an overlay of ``reader`` (see the module docstring)."""
    r = _Resolver(reader, policy)
    steps: list[ChangeSummary] = []
    for i, change in enumerate(scenario.changes):
        r.index, r.op, r.count = i, change.op, 0
        before = len(r.ov.changed)
        getattr(r, f"_{change.op}")(change)
        steps.append(ChangeSummary(i, change.op, r.count, len(r.ov.changed) - before))
    if r.errors:
        raise ScenarioInvalid(
            f"scenario {scenario.id}: " + "; ".join(format_error(e) for e in r.errors), r.errors
        )
    upserts, deletes, before_content = r.ov.net()
    return ResolvedScenario(
        scenario=scenario,
        overlay=r.ov,
        upserts=upserts,
        deletes=deletes,
        before=before_content,
        policy_before=policy,
        policy_after=r.policy,
        warnings=r.warnings,
        steps=steps,
    )
