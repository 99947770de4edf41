"""Capacity: each account manager's and each team's owner book against the policy's tier norms.

* A person's **book**: the customers they hold an owner link for, per tier.
* **Weighted load** = sum over tiers of ``count / norm.max`` (1.0 = a full book: one strategic
  account, or ``max`` key accounts, ...).
* **overloaded**: more customers of some tier than its norm's max, or weighted load above
  ``policy.capacity.max_weighted_load``. **idle**: an active account manager (membership role in
  ``policy.capacity.account_manager_roles`` of a team that may own some tier) with an empty book
  and no territory to work (a regional seller whose team owns customers by territory is not idle).
* A team's book: customers it owns (team links, its members' owner links, territory rules); its
  load per AM is its weighted load divided by its account managers; ``rolled_up_customers``
  adds its sub-teams' books (team hierarchy).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

import networkx as nx

from graph.coverage.policy import Policy
from graph.coverage.resolve import CustomerCoverage, OrgIndex
from graph.model import TIER_ORDER, Tier


class LoadStatus(StrEnum):
    OVERLOADED = "overloaded"
    IDLE = "idle"
    OK = "ok"
    NO_ACCOUNT_MANAGERS = "no_account_managers"


@dataclass(frozen=True)
class PersonLoad:
    employee_id: str
    name: str
    active: bool
    teams: tuple[str, ...]
    strategic: int
    key: int
    mid: int
    small: int
    weighted_load: float
    status: LoadStatus
    over_norm: tuple[Tier, ...]  # tiers above their norm's max

    @property
    def customers(self) -> int:
        return self.strategic + self.key + self.mid + self.small


@dataclass(frozen=True)
class TeamLoad:
    team_id: str
    name: str
    team_kind: str
    account_managers: int
    strategic: int
    key: int
    mid: int
    small: int
    weighted_load_per_am: float | None  # None when the team has no account manager
    rolled_up_customers: int
    status: LoadStatus


@dataclass(frozen=True)
class CapacityReport:
    people: tuple[PersonLoad, ...]  # by weighted load desc, then id
    teams: tuple[TeamLoad, ...]

    @property
    def overloaded(self) -> tuple[PersonLoad, ...]:
        return tuple(p for p in self.people if p.status is LoadStatus.OVERLOADED)

    @property
    def idle(self) -> tuple[PersonLoad, ...]:
        return tuple(p for p in self.people if p.status is LoadStatus.IDLE)


def weighted_load(counts: dict[Tier, int], policy: Policy) -> float:
    """Sum of count / norm max over tiers.

    >>> weighted_load({Tier.KEY: 5, Tier.MID: 100}, Policy())
    0.7
    """
    norms = policy.capacity.norms
    return round(sum(n / norms[t].max for t, n in counts.items()), 6)


class CapacityAccumulator:
    def __init__(self, policy: Policy, org: OrgIndex) -> None:
        self.policy = policy
        self.org = org
        self._person: dict[str, dict[Tier, int]] = defaultdict(lambda: defaultdict(int))
        self._team_tier: dict[tuple[str, Tier], int] = {}
        self._territory_teams: set[str] = set()

    def add(self, cc: CustomerCoverage) -> None:
        side = cc.owner_side
        if not side.groups:
            return
        tier = cc.customer.tier
        for emp in side.account_managers:
            self._person[emp][tier] += 1
        for emp in side.inactive_account_managers:
            self._person[emp][tier] += 1
        counts = self._team_tier
        for team in side.teams:
            counts[(team, tier)] = counts.get((team, tier), 0) + 1
        if side.territory_teams:
            self._territory_teams.update(side.territory_teams)

    def _is_am(self, role: str) -> bool:
        return role in self.policy.capacity.account_manager_roles

    def result(self) -> CapacityReport:
        org, policy = self.org, self.policy
        owning = {k for kinds in policy.owner_kinds_by_tier.values() for k in kinds}
        people_ids = set(self._person)
        for team_id, members in org.team_members.items():
            team = org.teams.get(team_id)
            if team is not None and team.team_kind in owning:
                people_ids.update(e for e, role in members if self._is_am(role))
        people = []
        for emp_id in people_ids:
            counts = dict(self._person.get(emp_id, {}))
            emp = org.employees.get(emp_id)
            active = emp.active if emp is not None else False
            load = weighted_load(counts, policy)
            works_territory = any(
                t in self._territory_teams for t in org.employee_teams.get(emp_id, ())
            )
            over = tuple(t for t in TIER_ORDER if counts.get(t, 0) > policy.capacity.norms[t].max)
            if over or load > policy.capacity.max_weighted_load:
                status = LoadStatus.OVERLOADED
            elif not counts and active and not works_territory:
                status = LoadStatus.IDLE
            else:
                status = LoadStatus.OK
            people.append(
                PersonLoad(
                    emp_id,
                    emp.name if emp else emp_id,
                    active,
                    org.employee_teams.get(emp_id, ()),
                    counts.get(Tier.STRATEGIC, 0),
                    counts.get(Tier.KEY, 0),
                    counts.get(Tier.MID, 0),
                    counts.get(Tier.SMALL, 0),
                    load,
                    status,
                    over,
                )
            )
        people.sort(key=lambda p: (-p.weighted_load, p.employee_id))
        return CapacityReport(tuple(people), self._teams())

    def _teams(self) -> tuple[TeamLoad, ...]:
        org, policy = self.org, self.policy
        self._team: dict[str, dict[Tier, int]] = defaultdict(dict)
        for (team_id, tier), n in self._team_tier.items():
            self._team[team_id][tier] = n
        own_total = {t: sum(c.values()) for t, c in self._team.items()}
        out = []
        for team_id in sorted(set(self._team) | set(org.teams)):
            counts = dict(self._team.get(team_id, {}))
            team = org.teams.get(team_id)
            members = org.team_members.get(team_id, ())
            ams = sum(1 for _e, role in members if self._is_am(role))
            if not counts and ams == 0:
                continue
            per_am = round(weighted_load(counts, policy) / ams, 6) if ams else None
            if per_am is None:
                status = LoadStatus.NO_ACCOUNT_MANAGERS
            elif per_am > policy.capacity.max_weighted_load:
                status = LoadStatus.OVERLOADED
            elif not counts:
                status = LoadStatus.IDLE
            else:
                status = LoadStatus.OK
            below = nx.descendants(org.team_tree, team_id) if team_id in org.team_tree else set()
            rolled = own_total.get(team_id, 0) + sum(own_total.get(t, 0) for t in below)
            out.append(
                TeamLoad(
                    team_id,
                    team.name if team else team_id,
                    team.team_kind.value if team else "",
                    ams,
                    counts.get(Tier.STRATEGIC, 0),
                    counts.get(Tier.KEY, 0),
                    counts.get(Tier.MID, 0),
                    counts.get(Tier.SMALL, 0),
                    per_am,
                    rolled,
                    status,
                )
            )
        out.sort(key=lambda t: (-(t.weighted_load_per_am or 0.0), t.team_id))
        return tuple(out)
