"""Gaps: customers nobody owns, and owned customers whose coverage does not fit their tier.

Finding kinds (one root cause, one finding):

* ``no_owner``: no effective owner (neither an explicit owner link nor a territory rule).
* ``owner_kind_misfit``: owned, but by no team of a kind the policy allows for the tier (a key
  account left to a regional team). Named-AM checks are skipped for these: fix the owner first.
* ``key_without_named_am``: a key account owned by a fitting team but no active named AM.
* ``strategic_without_dedicated_am``: a strategic account owned by a fitting team with no active
  named AM whose owner book holds no other strategic account (tier norm 1:1).
* ``inactive_owner``: an owner link held by an inactive employee (needs reassignment).

Findings are grouped by tier, industry and region with the revenue and potential at stake.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from graph.coverage.policy import Policy
from graph.coverage.resolve import CustomerCoverage
from graph.model import TIER_ORDER, Tier


class GapKind(StrEnum):
    NO_OWNER = "no_owner"
    OWNER_KIND_MISFIT = "owner_kind_misfit"
    KEY_WITHOUT_NAMED_AM = "key_without_named_am"
    STRATEGIC_WITHOUT_DEDICATED_AM = "strategic_without_dedicated_am"
    INACTIVE_OWNER = "inactive_owner"


@dataclass(frozen=True)
class GapFinding:
    kind: GapKind
    customer_id: str
    customer_name: str
    tier: Tier
    industry: str
    region: str
    revenue: float
    potential: float
    detail: str


@dataclass(frozen=True)
class GapGroup:
    """Findings of one kind sharing one value of ``by`` (tier, industry or region)."""

    kind: GapKind
    by: str
    value: str
    customers: int
    revenue: float
    potential: float


@dataclass(frozen=True)
class GapReport:
    findings: tuple[GapFinding, ...]  # sorted by kind, then revenue at stake (desc), then id
    groups: tuple[GapGroup, ...]

    def of(self, kind: GapKind) -> tuple[GapFinding, ...]:
        return tuple(f for f in self.findings if f.kind is kind)

    def customer_ids(self, kind: GapKind) -> list[str]:
        return sorted(f.customer_id for f in self.findings if f.kind is kind)


class GapsAccumulator:
    """Collects gap findings one customer at a time; strategic dedication is settled at the end
    because it needs every AM's whole book."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._allowed = {t: frozenset(k) for t, k in policy.owner_kinds_by_tier.items()}
        self.findings: list[GapFinding] = []
        self._strategic: list[tuple[CustomerCoverage, tuple[str, ...]]] = []
        self._strategic_book: dict[str, set[str]] = defaultdict(set)

    def _add(self, cc: CustomerCoverage, kind: GapKind, detail: str) -> None:
        c = cc.customer
        self.findings.append(
            GapFinding(
                kind, c.id, c.name, c.tier, c.industry, c.region, c.revenue, c.potential, detail
            )
        )

    def add(self, cc: CustomerCoverage) -> None:
        tier = cc.customer.tier
        side = cc.owner_side
        for emp in side.inactive_account_managers:
            self._add(cc, GapKind.INACTIVE_OWNER, f"owner {emp} is inactive: reassign")
        if not side.groups:
            self._add(cc, GapKind.NO_OWNER, "no owner link and no territory rule applies")
            return
        if side.kinds.isdisjoint(self._allowed[tier]):
            held = ", ".join(
                f"{g.label} ({'/'.join(k.value for k in g.team_kinds) or 'no team'})"
                for g in side.groups
            )
            fits = ", ".join(k.value for k in self.policy.owner_kinds_by_tier[tier])
            self._add(
                cc,
                GapKind.OWNER_KIND_MISFIT,
                f"{tier.value} account owned by {held}; policy wants {fits}",
            )
            return
        if tier is Tier.MID or tier is Tier.SMALL:
            return
        ams = cc.account_managers
        if tier is Tier.KEY and not ams:
            self._add(
                cc,
                GapKind.KEY_WITHOUT_NAMED_AM,
                "owned by team(s) "
                f"{'; '.join(g.label for g in cc.owners)} without a named account manager",
            )
        elif tier is Tier.STRATEGIC:
            self._strategic.append((cc, ams))
            for am in ams:
                self._strategic_book[am].add(cc.customer.id)

    def result(self) -> GapReport:
        findings = list(self.findings)
        for cc, ams in self._strategic:
            dedicated = [a for a in ams if self._strategic_book[a] == {cc.customer.id}]
            if dedicated:
                continue
            if not ams:
                detail = "no named account manager"
            else:
                detail = "; ".join(
                    f"{a} also owns {len(self._strategic_book[a]) - 1} other strategic account(s)"
                    for a in ams
                )
            c = cc.customer
            findings.append(
                GapFinding(
                    GapKind.STRATEGIC_WITHOUT_DEDICATED_AM,
                    c.id,
                    c.name,
                    c.tier,
                    c.industry,
                    c.region,
                    c.revenue,
                    c.potential,
                    detail,
                )
            )
        order = {k: i for i, k in enumerate(GapKind)}
        findings.sort(key=lambda f: (order[f.kind], -f.revenue, f.customer_id))
        return GapReport(findings=tuple(findings), groups=group_gaps(findings))


def group_gaps(findings: list[GapFinding]) -> tuple[GapGroup, ...]:
    """Counts, revenue and potential per (kind, tier), (kind, industry) and (kind, region)."""
    acc: dict[tuple[GapKind, str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for f in findings:
        for by, value in (("tier", f.tier.value), ("industry", f.industry), ("region", f.region)):
            cell = acc[(f.kind, by, value)]
            cell[0] += 1
            cell[1] += f.revenue
            cell[2] += f.potential
    kind_order = {k: i for i, k in enumerate(GapKind)}
    by_order = {"tier": 0, "industry": 1, "region": 2}
    tier_order = {t.value: i for i, t in enumerate(TIER_ORDER)}
    groups = [
        GapGroup(kind, by, value, int(v[0]), v[1], v[2]) for (kind, by, value), v in acc.items()
    ]
    groups.sort(
        key=lambda g: (
            kind_order[g.kind],
            by_order[g.by],
            tier_order.get(g.value, 0) if g.by == "tier" else 0,
            -g.revenue if g.by != "tier" else 0,
            g.value,
        )
    )
    return tuple(groups)
