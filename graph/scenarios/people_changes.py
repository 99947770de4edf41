"""Scenario changes of people: moving a person, reporting lines, a leaver, new headcount."""

from __future__ import annotations

from graph.model import (
    CoverageRole,
    Employee,
    EmployeeReportsTo,
    HolderKind,
    Membership,
    RecordKind,
    ReportingLine,
)
from graph.scenarios.resolve_context import ResolveContext
from graph.scenarios.spec import (
    AddHeadcount,
    MovePerson,
    PersonLeaves,
    ReportingLineChange,
)


def move_person(ctx: ResolveContext, ch: MovePerson) -> None:
    emp = ctx.employee("employee", ch.employee)
    to = ctx.team("to_team", ch.to_team)
    if ch.from_team is not None:
        ctx.team("from_team", ch.from_team)
    if emp is None or to is None:
        return
    current = ctx.memberships(employee=emp.id)
    leaving = [m for m in current if ch.from_team is None or m.team_id == ch.from_team]
    if ch.from_team is not None and not leaving:
        ctx.error("from_team", f"employee {emp.id!r} is not a member of {ch.from_team!r}")
        return
    role = ch.role or (leaving[0].role if leaving else "member")
    for m in leaving:
        ctx.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
    ctx.ov.put(Membership(employee_id=emp.id, team_id=to.id, role=role))


def reporting_line(ctx: ResolveContext, ch: ReportingLineChange) -> None:
    mgr = ctx.employee("manager", ch.manager, active=not ch.remove)
    if ch.team is not None:
        team = ctx.team("team", ch.team)
        if team is None or mgr is None:
            return
        people = _members_below(ctx, team.id, set(ch.roles))
        people.discard(mgr.id)
        if not people:
            ctx.error(
                "team",
                f"team {team.id!r} has no member"
                + (f" with role {', '.join(ch.roles)}" if ch.roles else ""),
            )
            return
        for emp_id in sorted(people):
            _one_line(ctx, emp_id, mgr.id, ch, strict=False)
        ctx.count = len(people)
        return
    emp = ctx.employee("employee", ch.employee, active=not ch.remove)
    if emp is None or mgr is None:
        return
    if emp.id == mgr.id:
        ctx.error("manager", "an employee cannot report to themselves")
        return
    _one_line(ctx, emp.id, mgr.id, ch, strict=True)


def _members_below(ctx: ResolveContext, team_id: str, roles: set[str]) -> set[str]:
    """Members of a team and of every sub-team below it (with one of ``roles``, if given)."""
    frontier, seen, people = [team_id], {team_id}, set()
    while frontier:
        for m in ctx.scan(RecordKind.MEMBERSHIP, {"team_id": frontier}):
            if not roles or m.role in roles:
                people.add(m.employee_id)
        children = [
            t.id for t in ctx.scan(RecordKind.TEAM, {"parent_id": frontier}) if t.id not in seen
        ]
        seen.update(children)
        frontier = children
    return people


def _one_line(
    ctx: ResolveContext, emp_id: str, mgr_id: str, ch: ReportingLineChange, strict: bool
) -> None:
    lines = ctx.scan(RecordKind.EMPLOYEE_REPORTS_TO, {"employee_id": emp_id})
    ctx.ov.know(lines)
    if ch.remove:
        hit = [r for r in lines if r.manager_id == mgr_id]
        if not hit and strict:
            ctx.error("manager", f"{emp_id!r} does not report to {mgr_id!r}")
        for r in hit:
            ctx.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
        return
    if ch.line is ReportingLine.SOLID:
        for r in lines:
            if r.line is ReportingLine.SOLID and r.manager_id != mgr_id:
                ctx.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
    ctx.ov.put(EmployeeReportsTo(employee_id=emp_id, manager_id=mgr_id, line=ch.line))


def person_leaves(ctx: ResolveContext, ch: PersonLeaves) -> None:
    emp = ctx.employee("employee", ch.employee)
    succ = ctx.employee("successor", ch.successor)
    if emp is None or (ch.successor and succ is None):
        return
    if succ is not None and succ.id == emp.id:
        ctx.error("successor", "a leaver cannot succeed themselves")
        return
    ctx.ov.put(emp.model_copy(update={"active": False}))
    for m in ctx.memberships(employee=emp.id):
        ctx.ov.delete(RecordKind.MEMBERSHIP, m.key, m)
    for r in ctx.scan(RecordKind.EMPLOYEE_REPORTS_TO, {"employee_id": emp.id}):
        ctx.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
    for r in ctx.scan(RecordKind.EMPLOYEE_REPORTS_TO, {"manager_id": emp.id}):
        ctx.ov.delete(RecordKind.EMPLOYEE_REPORTS_TO, r.key, r)
        if succ is not None and r.employee_id != succ.id:
            ctx.ov.put(r.model_copy(update={"manager_id": succ.id}))
    for rel in ctx.scan(RecordKind.RELATIONSHIP, {"employee_id": emp.id}):
        ctx.ov.delete(RecordKind.RELATIONSHIP, rel.key, rel)
    held = ctx.held_by(HolderKind.EMPLOYEE, emp.id)
    if succ is not None:
        theirs = {c.customer_id for c in ctx.held_by(HolderKind.EMPLOYEE, succ.id)}
        for cov in held:
            ctx.ov.delete(RecordKind.COVERAGE, cov.key, cov)
            if cov.customer_id not in theirs:
                ctx.ov.put(cov.model_copy(update={"holder_id": succ.id}))
    elif any(c.role is CoverageRole.OWNER for c in held):
        ctx.warn(f"{emp.id} leaves owner links without a successor: they need reassignment")
    ctx.count = len(held)


def add_headcount(ctx: ResolveContext, ch: AddHeadcount) -> None:
    if ctx.ov.get(RecordKind.EMPLOYEE, ch.id) is not None:
        ctx.error("id", f"employee {ch.id!r} exists already")
    team = ctx.team("team", ch.team)
    mgr = ctx.employee("manager", ch.manager)
    dotted = ctx.employee("dotted_to", ch.dotted_to)
    if team is None or (ch.manager and mgr is None) or (ch.dotted_to and dotted is None):
        return
    if ctx.errors and ctx.errors[-1]["change"] == ctx.index:
        return
    ctx.ov.put(Employee(id=ch.id, name=ch.name, title=ch.title, region=ch.region))
    ctx.ov.put(Membership(employee_id=ch.id, team_id=team.id, role=ch.role))
    if mgr is not None:
        ctx.ov.put(EmployeeReportsTo(employee_id=ch.id, manager_id=mgr.id))
    if dotted is not None and (mgr is None or dotted.id != mgr.id):
        ctx.ov.put(
            EmployeeReportsTo(employee_id=ch.id, manager_id=dotted.id, line=ReportingLine.DOTTED)
        )
