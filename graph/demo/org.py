"""Our side of the demo data: teams, employees, memberships and reporting lines.

``OrgBuilder`` creates teams (parents before children) and people (each with one membership and a
solid line to their team's lead, plus an optional dotted line), and hands out e-mail addresses
that are unique. ``graph.demo.generate`` decides *how many* of which people a team needs; this
module
only knows how to make them. Pure: imports only the model and the demo vocabulary.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from graph.demo.names import person_name
from graph.model import (
    Employee,
    EmployeeReportsTo,
    Membership,
    Record,
    ReportingLine,
    Team,
    TeamKind,
)

EMAIL_DOMAIN = "relmap-demo.example"

# Membership roles used by the demo (account_manager is what capacity analyses count).
ACCOUNT_MANAGER = "account_manager"
TEAM_LEAD = "team_lead"
PRESALES = "presales"
SOLUTION_SPECIALIST = "solution_specialist"
EXECUTIVE_SPONSOR = "executive_sponsor"
REGIONAL_KA_DIRECTOR = "regional_ka_director"
DELIVERY_MANAGER = "delivery_manager"
PARTNER_MANAGER = "partner_manager"
INSIDE_SALES_REP = "inside_sales_rep"


class OrgBuilder:
    """Accumulates our organisation's records in dependency order; deterministic for its rng."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.teams: list[Team] = []
        self.employees: list[Employee] = []
        self.memberships: list[Membership] = []
        self.reports: list[EmployeeReportsTo] = []
        self.leads: dict[str, str] = {}
        self.team_by_id: dict[str, Team] = {}
        self._handles: set[str] = set()

    def team(
        self,
        team_id: str,
        name: str,
        kind: TeamKind,
        *,
        regions: tuple[str, ...] = (),
        industry: str = "",
        parent: str | None = None,
    ) -> str:
        """Add a team (its parent must exist already) and return its id."""
        assert parent is None or parent in self.team_by_id, parent
        team = Team(
            id=team_id,
            name=name,
            team_kind=kind,
            regions=regions,
            industry=industry,
            parent_id=parent,
        )
        self.teams.append(team)
        self.team_by_id[team_id] = team
        return team_id

    def person(
        self,
        team_id: str,
        role: str,
        title: str,
        region: str,
        *,
        active: bool = True,
        manager: str | None = None,
        dotted: str | None = None,
    ) -> str:
        """Add an employee who is a member of ``team_id`` with ``role``; they report solid-line
        to ``manager`` (default: the team's lead, or the parent team's lead for a lead) and
        optionally dotted-line to ``dotted``. The first team_lead added becomes the lead."""
        emp_id = f"E{len(self.employees) + 1:06d}"
        name = person_name(self.rng, latin=0.15)
        handle = name.handle
        n = 1
        while handle in self._handles:
            n += 1
            handle = f"{name.handle}{n}"
        self._handles.add(handle)
        self.employees.append(
            Employee(
                id=emp_id,
                name=name.display,
                email=f"{handle}@{EMAIL_DOMAIN}",
                title=title,
                region=region,
                active=active,
            )
        )
        self.memberships.append(Membership(employee_id=emp_id, team_id=team_id, role=role))
        if manager is None:
            if role == TEAM_LEAD and team_id not in self.leads:
                parent = self.team_by_id[team_id].parent_id
                manager = self.leads.get(parent) if parent else None
            else:
                manager = self.leads.get(team_id)
        if role == TEAM_LEAD and team_id not in self.leads:
            self.leads[team_id] = emp_id
        if manager:
            self.reports.append(
                EmployeeReportsTo(employee_id=emp_id, manager_id=manager, line=ReportingLine.SOLID)
            )
        if dotted and dotted != manager:
            self.reports.append(
                EmployeeReportsTo(employee_id=emp_id, manager_id=dotted, line=ReportingLine.DOTTED)
            )
        return emp_id

    def former_employee(self, title: str, region: str) -> str:
        """Someone who left: inactive, in no team, no reporting line."""
        emp_id = f"E{len(self.employees) + 1:06d}"
        name = person_name(self.rng, latin=0.15)
        self.employees.append(
            Employee(id=emp_id, name=name.display, title=title, region=region, active=False)
        )
        return emp_id

    def records(self) -> Iterator[Record]:
        """Teams, employees, memberships, then reporting lines: references resolve in order."""
        yield from self.teams
        yield from self.employees
        yield from self.memberships
        yield from self.reports
