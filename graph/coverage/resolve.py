"""Effective coverage: who owns, overlays and supports each customer, and why.

Explicit coverage links are combined with the policy's territory rules. The semantics, precisely:

* A **claim** is one coverage link (``explicit``) or one territory rule hit (``territory``). A
  team-held claim counts under that team; an employee-held claim counts under every team the
  employee is a member of (an employee with no team counts on their own, as ``employee:<id>``).
* **Territory**: a regional team owns by default each customer whose ``region`` is one of its
  ``regions``, when a territory rule matches (team, tier, industry) and the customer is not
  *named* (no explicit owner claim under a team of ``policy.named_kinds``: key-account or
  government).
* **Owners**: owner claims that share a team are ONE owner (a named AM and their own team both
  owning is one owner). More than one owner is a conflict.
* A **named AM** is an employee holding an owner claim; an inactive one needs reassignment.
* **Owner credit** of a customer is the sum of ``credit_share`` of its explicit owner links, plus
  ``policy.credit.territory_credit_share`` for each owner made only of territory claims.

Pure functions over records: no store, no API.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

import networkx as nx

from graph.coverage.inputs import CustomerChunk, OrgRecords
from graph.coverage.policy import Policy
from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    Employee,
    HolderKind,
    Team,
    TeamKind,
    Tier,
)

CREDIT_EPSILON = 1e-9


class ClaimSource(StrEnum):
    """Why a claim exists: an explicit coverage link, or a territory rule."""

    EXPLICIT = "explicit"
    TERRITORY = "territory"


@dataclass(frozen=True)
class Claim:
    """One reason a team or person covers a customer in a role."""

    role: CoverageRole
    holder_kind: HolderKind
    holder_id: str
    teams: tuple[str, ...]
    team_kinds: tuple[TeamKind, ...]
    credit_share: float
    since: dt.date | None
    source: ClaimSource
    reason: str
    active: bool = True

    @property
    def holder(self) -> str:
        return f"{self.holder_kind.value}:{self.holder_id}"


@dataclass(frozen=True)
class OwnerGroup:
    """One owner: owner claims sharing a team, with its named AMs and owner credit."""

    teams: tuple[str, ...]
    team_kinds: tuple[TeamKind, ...]
    account_managers: tuple[str, ...]
    inactive_account_managers: tuple[str, ...]
    claims: tuple[Claim, ...]
    credit: float
    since: dt.date | None
    territory_only: bool = False

    @property
    def label(self) -> str:
        return (
            "+".join(self.teams)
            if self.teams
            else "+".join(
                f"employee:{e}" for e in self.account_managers + self.inactive_account_managers
            )
        )

    @property
    def parties(self) -> tuple[str, ...]:
        """Who carries this owner's credit: its teams, or the person when teamless."""
        return self.teams or (self.label,)


@dataclass(frozen=True)
class Owners:
    """The owner side of a customer with what the analyses ask of it, computed once (and
    shared between customers whose owners come from the same territory rule)."""

    groups: tuple[OwnerGroup, ...]
    teams: tuple[str, ...]
    account_managers: tuple[str, ...]
    inactive_account_managers: tuple[str, ...]
    credit: float
    kinds: frozenset[TeamKind]
    territory_teams: tuple[str, ...]  # teams of owners made only of territory claims
    key: tuple[str, ...]  # teams, or labels of teamless owners; () when nobody owns
    explicit: bool  # some owner has an explicit link


def summarise_owners(groups: tuple[OwnerGroup, ...]) -> Owners:
    teams = tuple(sorted({t for g in groups for t in g.teams}))
    return Owners(
        groups=groups,
        teams=teams,
        account_managers=tuple(sorted({e for g in groups for e in g.account_managers})),
        inactive_account_managers=tuple(
            sorted({e for g in groups for e in g.inactive_account_managers})
        ),
        credit=sum(g.credit for g in groups),
        kinds=frozenset(k for g in groups for k in g.team_kinds),
        territory_teams=tuple(sorted({t for g in groups if g.territory_only for t in g.teams})),
        key=teams or tuple(g.label for g in groups),
        explicit=any(not g.territory_only for g in groups),
    )


NOBODY = summarise_owners(())


class CustomerCoverage(NamedTuple):
    """The effective coverage of one customer (a named tuple: made a million times a run)."""

    customer: Customer
    owner_side: Owners
    overlays: tuple[Claim, ...]
    support: tuple[Claim, ...]

    @property
    def owners(self) -> tuple[OwnerGroup, ...]:
        return self.owner_side.groups

    @property
    def owner_credit(self) -> float:
        return self.owner_side.credit

    @property
    def owner_teams(self) -> tuple[str, ...]:
        return self.owner_side.teams

    @property
    def account_managers(self) -> tuple[str, ...]:
        """Active named AMs."""
        return self.owner_side.account_managers

    @property
    def inactive_account_managers(self) -> tuple[str, ...]:
        return self.owner_side.inactive_account_managers


@dataclass(frozen=True)
class OrgIndex:
    """Lookups over our side, built once per analysis run."""

    teams: Mapping[str, Team]
    employees: Mapping[str, Employee]
    employee_teams: Mapping[str, tuple[str, ...]]
    team_members: Mapping[str, tuple[tuple[str, str], ...]]  # team -> ((employee, role), ...)
    regional_teams_by_region: Mapping[str, tuple[str, ...]]
    team_tree: nx.DiGraph = field(repr=False)  # parent team -> sub-team

    def kinds(self, team_ids: Iterable[str]) -> tuple[TeamKind, ...]:
        return tuple(sorted({self.teams[t].team_kind for t in team_ids if t in self.teams}))


def build_org_index(org: OrgRecords) -> OrgIndex:
    """Index teams, employees and memberships for the per-customer resolution."""
    teams = {t.id: t for t in org.teams}
    employees = {e.id: e for e in org.employees}
    emp_teams: dict[str, set[str]] = defaultdict(set)
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for m in org.memberships:
        emp_teams[m.employee_id].add(m.team_id)
        members[m.team_id].append((m.employee_id, m.role))
    by_region: dict[str, set[str]] = defaultdict(set)
    tree: nx.DiGraph = nx.DiGraph()
    for t in teams.values():
        tree.add_node(t.id)
        if t.parent_id:
            tree.add_edge(t.parent_id, t.id)
        if t.team_kind is TeamKind.REGIONAL:
            for region in t.regions:
                by_region[region].add(t.id)
    return OrgIndex(
        teams=teams,
        employees=employees,
        employee_teams={e: tuple(sorted(ts)) for e, ts in emp_teams.items()},
        team_members={t: tuple(sorted(ms)) for t, ms in members.items()},
        regional_teams_by_region={r: tuple(sorted(ts)) for r, ts in by_region.items()},
        team_tree=tree,
    )


class CoverageResolver:
    """Resolves the effective coverage of one customer at a time (cheap, allocation-light)."""

    def __init__(self, org: OrgIndex, policy: Policy) -> None:
        self.org = org
        self.policy = policy
        self._named = frozenset(policy.named_kinds)
        self._territory_cache: dict[tuple[str, Tier, str], Owners] = {}

    def _explicit(self, cov: Coverage) -> Claim:
        org = self.org
        if cov.holder_kind is HolderKind.TEAM:
            teams: tuple[str, ...] = (cov.holder_id,)
            active = True
            what = f"team {cov.holder_id}"
        else:
            teams = org.employee_teams.get(cov.holder_id, ())
            emp = org.employees.get(cov.holder_id)
            active = emp.active if emp is not None else False
            what = f"employee {cov.holder_id}"
        return Claim(
            role=cov.role,
            holder_kind=cov.holder_kind,
            holder_id=cov.holder_id,
            teams=teams,
            team_kinds=org.kinds(teams),
            credit_share=cov.credit_share,
            since=cov.since,
            source=ClaimSource.EXPLICIT,
            reason=f"explicit {cov.role.value} link of {what}",
            active=active,
        )

    def _territory(self, customer: Customer) -> list[Claim]:
        if not customer.region:
            return []
        out = []
        for team_id in self.org.regional_teams_by_region.get(customer.region, ()):
            for i, rule in enumerate(self.policy.territory_rules, start=1):
                if rule.matches(team_id, customer.tier, customer.industry):
                    out.append(
                        Claim(
                            role=CoverageRole.OWNER,
                            holder_kind=HolderKind.TEAM,
                            holder_id=team_id,
                            teams=(team_id,),
                            team_kinds=(TeamKind.REGIONAL,),
                            credit_share=self.policy.credit.territory_credit_share,
                            since=None,
                            source=ClaimSource.TERRITORY,
                            reason=f"territory rule {i}: regional team {team_id} covers region "
                            f"{customer.region}",
                        )
                    )
                    break
        return out

    def _territory_owners(self, customer: Customer) -> Owners:
        """Owners of a customer without explicit owner links: the same for every customer of
        one (region, tier, industry), so computed once."""
        key = (customer.region, customer.tier, customer.industry)
        owners = self._territory_cache.get(key)
        if owners is None:
            claims = self._territory(customer)
            owners = summarise_owners(self._group(claims)) if claims else NOBODY
            self._territory_cache[key] = owners
        return owners

    def resolve(self, customer: Customer, coverage: Iterable[Coverage]) -> CustomerCoverage:
        """Effective coverage of ``customer`` given its explicit coverage links."""
        if not coverage:
            return CustomerCoverage(customer, self._territory_owners(customer), (), ())
        owners: list[Claim] = []
        overlays: list[Claim] = []
        support: list[Claim] = []
        for cov in sorted(coverage, key=lambda c: c.key):
            claim = self._explicit(cov)
            if cov.role is CoverageRole.OWNER:
                owners.append(claim)
            elif cov.role is CoverageRole.OVERLAY:
                overlays.append(claim)
            else:
                support.append(claim)
        if not owners:
            side = self._territory_owners(customer)
        else:
            if not any(self._named.intersection(c.team_kinds) for c in owners):
                owners.extend(self._territory(customer))
            side = summarise_owners(self._group(owners))
        return CustomerCoverage(customer, side, tuple(overlays), tuple(support))

    def _group(self, claims: list[Claim]) -> tuple[OwnerGroup, ...]:
        if not claims:
            return ()
        # union-find over claims sharing a team
        parent = list(range(len(claims)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_with_team: dict[str, int] = {}
        for i, claim in enumerate(claims):
            for team in claim.teams:
                j = first_with_team.setdefault(team, i)
                if j != i:
                    parent[find(i)] = find(j)
        groups: dict[int, list[Claim]] = defaultdict(list)
        for i, claim in enumerate(claims):
            groups[find(i)].append(claim)
        out = [self._owner_group(g) for g in groups.values()]
        out.sort(key=lambda g: (g.teams, g.account_managers, g.inactive_account_managers))
        return tuple(out)

    def _owner_group(self, claims: list[Claim]) -> OwnerGroup:
        teams = tuple(sorted({t for c in claims for t in c.teams}))
        ams = tuple(
            sorted(
                {c.holder_id for c in claims if c.holder_kind is HolderKind.EMPLOYEE and c.active}
            )
        )
        gone = tuple(
            sorted(
                {
                    c.holder_id
                    for c in claims
                    if c.holder_kind is HolderKind.EMPLOYEE and not c.active
                }
            )
        )
        explicit = [c for c in claims if c.source is ClaimSource.EXPLICIT]
        credit = (
            sum(c.credit_share for c in explicit)
            if explicit
            else self.policy.credit.territory_credit_share
        )
        dates = [c.since for c in claims if c.since is not None]
        return OwnerGroup(
            teams=teams,
            team_kinds=self.org.kinds(teams),
            account_managers=ams,
            inactive_account_managers=gone,
            claims=tuple(sorted(claims, key=lambda c: (c.source, c.holder_kind, c.holder_id))),
            credit=credit,
            since=min(dates) if dates else None,
            territory_only=not explicit,
        )


def effective_coverage(
    org: OrgRecords, chunks: Iterable[CustomerChunk], policy: Policy
) -> Iterator[CustomerCoverage]:
    """Stream the effective coverage of every customer, in the chunks' order (key order)."""
    resolver = CoverageResolver(build_org_index(org), policy)
    for chunk in chunks:
        yield from resolve_chunk(resolver, chunk)


def resolve_chunk(resolver: CoverageResolver, chunk: CustomerChunk) -> Iterator[CustomerCoverage]:
    """Effective coverage of the customers of one chunk."""
    by_customer: dict[str, list[Coverage]] = defaultdict(list)
    for cov in chunk.coverage:
        by_customer[cov.customer_id].append(cov)
    for customer in chunk.customers:
        yield resolver.resolve(customer, by_customer.get(customer.id, ()))


@dataclass(frozen=True)
class CoverageRow:
    """One customer's effective coverage, flat for tables and exports."""

    customer_id: str
    customer_name: str
    tier: str
    industry: str
    region: str
    owners: str
    account_managers: str
    overlays: str
    support: str
    owner_credit: float
    why: str


def coverage_row(cc: CustomerCoverage) -> CoverageRow:
    """Flatten: owners as ``team+team``, ``;`` between several, reasons spelled out."""
    c = cc.customer
    why = [claim.reason for g in cc.owners for claim in g.claims]
    why += [claim.reason for claim in cc.overlays + cc.support]
    if not cc.owners:
        why.insert(0, "no owner: no owner link and no territory rule applies")
    return CoverageRow(
        customer_id=c.id,
        customer_name=c.name,
        tier=c.tier.value,
        industry=c.industry,
        region=c.region,
        owners="; ".join(g.label for g in cc.owners),
        account_managers="; ".join(cc.account_managers),
        overlays="; ".join(o.holder for o in cc.overlays),
        support="; ".join(s.holder for s in cc.support),
        owner_credit=round(cc.owner_credit, 6),
        why="; ".join(why),
    )
