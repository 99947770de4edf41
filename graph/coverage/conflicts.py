"""Conflicts and dual credit: customers several owners claim, overlay credit, credit inflation and
the revenue counted more than once, per team and per team pair.

Definitions (see ``graph.coverage.resolve`` for owners and owner credit):

* **conflict**: more than one owner (owner claims that share no team).
* **overlay credit**: an overlay link with ``credit_share > 0``. Held under a team of
  ``policy.credit.overlay_credit_kinds`` it is intended dual credit: listed, not flagged;
  otherwise it is flagged as not allowed.
* **inflation**: owner credit (sum of owner shares) above ``policy.credit.max_owner_credit``.
* **credited share** of a party (a team, or ``employee:<id>`` for a teamless person) on a
  customer: an owner's credit split evenly over its teams, plus overlay shares likewise. Revenue
  counted more than once = ``revenue * max(0, total share - 1)``; a team bears its proportional
  part; a pair of parties double-counts ``revenue * min(share_a, share_b, total - 1)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from graph.coverage.policy import Policy
from graph.coverage.resolve import CREDIT_EPSILON, Claim, CustomerCoverage, OrgIndex
from graph.model import TeamKind, Tier


@dataclass(frozen=True)
class OwnerClaimant:
    """One of several owners of a conflicted customer."""

    teams: tuple[str, ...]
    team_kinds: tuple[TeamKind, ...]
    account_managers: tuple[str, ...]
    since: dt.date | None
    credit: float
    source: str  # "explicit" or "territory"


@dataclass(frozen=True)
class ConflictFinding:
    customer_id: str
    customer_name: str
    tier: Tier
    industry: str
    region: str
    revenue: float
    owners: tuple[OwnerClaimant, ...]

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(sorted({t for o in self.owners for t in o.teams}))


@dataclass(frozen=True)
class OverlayCredit:
    customer_id: str
    customer_name: str
    holder: str
    teams: tuple[str, ...]
    credit_share: float
    owner_teams: tuple[str, ...]
    revenue: float
    allowed: bool


@dataclass(frozen=True)
class InflationFinding:
    customer_id: str
    customer_name: str
    revenue: float
    owner_credit: float
    max_owner_credit: float
    inflated_revenue: float
    owners: tuple[str, ...]


@dataclass(frozen=True)
class TeamCredit:
    team: str
    credited_revenue: float
    double_counted_revenue: float  # this team's part of revenue counted more than once
    inflated_revenue: float  # ... of which beyond policy (not intended overlay credit)
    customers: int


@dataclass(frozen=True)
class TeamPairCredit:
    team_a: str
    team_b: str
    customers: int
    double_counted_revenue: float
    allowed: bool  # owner + allowed overlay (intended dual credit)


@dataclass(frozen=True)
class ConflictReport:
    conflicts: tuple[ConflictFinding, ...]  # by revenue desc, then id

    def customer_ids(self) -> list[str]:
        return sorted(c.customer_id for c in self.conflicts)


@dataclass(frozen=True)
class CreditReport:
    allowed_overlays: tuple[OverlayCredit, ...]
    disallowed_overlays: tuple[OverlayCredit, ...]
    inflation: tuple[InflationFinding, ...]
    per_team: tuple[TeamCredit, ...]
    per_pair: tuple[TeamPairCredit, ...]
    double_counted_revenue: float
    inflated_revenue: float

    def inflation_ids(self) -> list[str]:
        return sorted(f.customer_id for f in self.inflation)


def _party_label(team: str | None, claim: Claim) -> str:
    return team if team is not None else claim.holder


class ConflictsAccumulator:
    """Conflicts and credit, one customer at a time."""

    def __init__(self, policy: Policy, org: OrgIndex) -> None:
        self.policy = policy
        self.org = org
        self._overlay_kinds = frozenset(policy.credit.overlay_credit_kinds)
        self._max_owner = policy.credit.max_owner_credit + CREDIT_EPSILON
        self.conflicts: list[ConflictFinding] = []
        self.allowed: list[OverlayCredit] = []
        self.disallowed: list[OverlayCredit] = []
        self.inflation: list[InflationFinding] = []
        # team -> [credited, double counted, inflated, customers]
        self._team: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
        self._pair: dict[tuple[str, str, bool], list[float]] = defaultdict(lambda: [0, 0.0])
        self.double_counted = 0.0
        self.inflated = 0.0

    def add(self, cc: CustomerCoverage) -> None:
        c = cc.customer
        side = cc.owner_side
        if not cc.overlays and len(side.groups) == 1 and side.credit <= 1.0 + CREDIT_EPSILON:
            # the common case, one owner and nothing counted twice: credited revenue only
            if side.credit > self._max_owner:
                self._inflation(cc)
            parties = side.groups[0].parties
            credited = c.revenue * side.credit / len(parties)
            for p in parties:
                cell = self._team[p]
                cell[0] += credited
                cell[3] += 1
            return
        if len(cc.owners) > 1:
            self.conflicts.append(
                ConflictFinding(
                    c.id,
                    c.name,
                    c.tier,
                    c.industry,
                    c.region,
                    c.revenue,
                    tuple(
                        OwnerClaimant(
                            g.teams,
                            g.team_kinds,
                            g.account_managers + g.inactive_account_managers,
                            g.since,
                            g.credit,
                            "territory" if g.territory_only else "explicit",
                        )
                        for g in cc.owners
                    ),
                )
            )
        # shares per party: (share, is_allowed_overlay)
        shares: dict[str, float] = defaultdict(float)
        allowed_party: dict[str, bool] = {}
        for g in cc.owners:
            owner_parties = g.parties
            for p in owner_parties:
                shares[p] += g.credit / len(owner_parties)
                allowed_party[p] = False
        owner_teams = cc.owner_teams
        allowed_overlay_share = 0.0
        for o in cc.overlays:
            if o.credit_share <= 0:
                continue
            ok = bool(self._overlay_kinds.intersection(o.team_kinds))
            row = OverlayCredit(
                c.id, c.name, o.holder, o.teams, o.credit_share, owner_teams, c.revenue, ok
            )
            (self.allowed if ok else self.disallowed).append(row)
            if ok:
                allowed_overlay_share += o.credit_share
            overlay_parties = o.teams or (o.holder,)
            for p in overlay_parties:
                shares[p] += o.credit_share / len(overlay_parties)
                allowed_party[p] = allowed_party.get(p, True) and ok
        if cc.owner_credit > self.policy.credit.max_owner_credit + CREDIT_EPSILON:
            self._inflation(cc)
        if not shares:
            return
        total = sum(shares.values())
        excess = c.revenue * max(0.0, total - 1.0)
        allowed_excess = min(excess, c.revenue * allowed_overlay_share)
        inflated = excess - allowed_excess
        self.double_counted += excess
        self.inflated += inflated
        for p, s in shares.items():
            cell = self._team[p]
            cell[0] += c.revenue * s
            if total > 0:
                cell[1] += excess * s / total
                cell[2] += inflated * s / total
            cell[3] += 1
        if len(shares) > 1 and total > 1.0 + CREDIT_EPSILON:
            ordered = sorted(shares)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    overlap = c.revenue * min(shares[a], shares[b], total - 1.0)
                    # intended when exactly one side is an allowed overlay and the other an owner,
                    # or both are allowed overlays
                    ok = allowed_party[a] or allowed_party[b]
                    cell2 = self._pair[(a, b, ok)]
                    cell2[0] += 1
                    cell2[1] += overlap

    def _inflation(self, cc: CustomerCoverage) -> None:
        c = cc.customer
        max_owner = self.policy.credit.max_owner_credit
        self.inflation.append(
            InflationFinding(
                c.id,
                c.name,
                c.revenue,
                round(cc.owner_credit, 6),
                max_owner,
                c.revenue * (cc.owner_credit - max_owner),
                tuple(g.label for g in cc.owners),
            )
        )

    def conflict_report(self) -> ConflictReport:
        return ConflictReport(
            tuple(sorted(self.conflicts, key=lambda f: (-f.revenue, f.customer_id)))
        )

    def credit_report(self) -> CreditReport:
        def overlay_key(o: OverlayCredit) -> tuple[float, str, str]:
            return (-o.revenue, o.customer_id, o.holder)

        per_team = [TeamCredit(t, v[0], v[1], v[2], int(v[3])) for t, v in self._team.items()]
        per_team.sort(key=lambda t: (-t.inflated_revenue, -t.double_counted_revenue, t.team))
        per_pair = [
            TeamPairCredit(a, b, int(v[0]), v[1], ok)
            for (a, b, ok), v in self._pair.items()
            if v[1] > 0
        ]
        per_pair.sort(key=lambda p: (p.allowed, -p.double_counted_revenue, p.team_a, p.team_b))
        return CreditReport(
            allowed_overlays=tuple(sorted(self.allowed, key=overlay_key)),
            disallowed_overlays=tuple(sorted(self.disallowed, key=overlay_key)),
            inflation=tuple(
                sorted(self.inflation, key=lambda f: (-f.inflated_revenue, f.customer_id))
            ),
            per_team=tuple(per_team),
            per_pair=tuple(per_pair),
            double_counted_revenue=self.double_counted,
            inflated_revenue=self.inflated,
        )
