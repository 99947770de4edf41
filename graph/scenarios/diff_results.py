"""What a scenario diff reports: frozen, sorted result records (headline metrics, gap, conflict,
owner, edge, load and tier-proposal changes, broken client teams, orphaned key contacts) and
``ScenarioDiff``, which holds them all. Built by ``graph.scenarios.diff.Differ``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.coverage.gaps import GapKind
from graph.model import Tier


@dataclass(frozen=True)
class Headline:
    """The headline metrics of one graph state (before or after)."""

    customers: int
    owned: int
    gaps: int
    no_owner: int
    owner_kind_misfit: int
    key_without_named_am: int
    strategic_without_dedicated_am: int
    inactive_owner: int
    conflicts: int
    inflation: int
    dual_credit_customers: int
    double_counted_revenue: float
    inflated_revenue: float
    overloaded_people: int
    overloaded_teams: int
    uncovered_branches: int
    hq_branch_conflicts: int
    tier_changes: int | None  # proposed by key-account scoring; None: scoring unchanged


@dataclass(frozen=True)
class TierProposalChange:
    """A customer whose proposed tier (key-account scoring) differs under the scenario."""

    customer_id: str
    name: str
    current_tier: Tier
    proposed_before: Tier
    proposed_after: Tier


@dataclass(frozen=True)
class HierarchyChange:
    """A branch whose hierarchy finding opens or closes (uncovered branch of a covered HQ, or
    an explicit owner sharing no team with the HQ's)."""

    customer_id: str
    name: str
    kind: str  # "uncovered_branch" | "hq_branch_conflict"
    hq_id: str
    revenue: float


@dataclass(frozen=True)
class GapChange:
    customer_id: str
    name: str
    tier: Tier
    kind: GapKind
    revenue: float


@dataclass(frozen=True)
class ConflictChange:
    customer_id: str
    name: str
    tier: Tier
    revenue: float
    owners: tuple[str, ...]  # owners when in conflict (after if opened, before if closed)


@dataclass(frozen=True)
class OwnerChange:
    customer_id: str
    name: str
    tier: Tier
    industry: str
    region: str
    owners_before: tuple[str, ...]
    owners_after: tuple[str, ...]
    account_managers_before: tuple[str, ...]
    account_managers_after: tuple[str, ...]


@dataclass(frozen=True)
class EdgeChange:
    """A coverage edge (holder covers customer in a role) the scenario adds or removes."""

    customer_id: str
    holder: str
    role: str
    source: str
    change: str  # "added" | "removed"


@dataclass(frozen=True)
class BrokenClientTeam:
    customer_id: str
    name: str
    tier: Tier
    lost: tuple[str, ...]
    gained: tuple[str, ...]
    named_am_after: bool


@dataclass(frozen=True)
class LoadChange:
    """A person's or team's owner book before and after (counts per tier, weighted load)."""

    id: str
    counts_before: tuple[int, int, int, int]  # strategic, key, mid, small
    counts_after: tuple[int, int, int, int]
    load_before: float | None
    load_after: float | None
    overloaded_before: bool
    overloaded_after: bool
    account_managers_before: int = 1
    account_managers_after: int = 1

    @property
    def delta(self) -> int:
        return sum(self.counts_after) - sum(self.counts_before)


@dataclass(frozen=True)
class OrphanedContact:
    """A key contact the scenario leaves without any relationship of ours."""

    account_id: str
    contact_id: str
    name: str
    rank: int
    holders_before: tuple[str, ...]

    @property
    def only_relationship(self) -> bool:
        return len(self.holders_before) == 1


@dataclass(frozen=True)
class ScenarioDiff:
    before: Headline
    after: Headline
    gaps_opened: tuple[GapChange, ...]
    gaps_closed: tuple[GapChange, ...]
    conflicts_opened: tuple[ConflictChange, ...]
    conflicts_closed: tuple[ConflictChange, ...]
    owner_changes: tuple[OwnerChange, ...]
    owner_change_count: int
    edge_changes: tuple[EdgeChange, ...]
    broken_client_teams: tuple[BrokenClientTeam, ...]
    people: tuple[LoadChange, ...]
    teams: tuple[LoadChange, ...]
    key_contacts_orphaned: tuple[OrphanedContact, ...]
    dual_credit_added: tuple[str, ...]
    dual_credit_removed: tuple[str, ...]
    hierarchy_opened: tuple[HierarchyChange, ...]
    hierarchy_closed: tuple[HierarchyChange, ...]
    tier_proposals: tuple[TierProposalChange, ...]
    truncated: bool

    @property
    def double_counted_change(self) -> float:
        return round(self.after.double_counted_revenue - self.before.double_counted_revenue, 2)

    @property
    def newly_overloaded_people(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.people if p.overloaded_after and not p.overloaded_before)

    @property
    def newly_overloaded_teams(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.teams if t.overloaded_after and not t.overloaded_before)


@dataclass
class HierarchyDelta:
    """Hierarchy findings over the customer trees an evaluation looked at, before and after."""

    before_uncovered: int = 0
    before_conflicts: int = 0
    after_uncovered: int = 0
    after_conflicts: int = 0
    opened: list[HierarchyChange] = field(default_factory=list)
    closed: list[HierarchyChange] = field(default_factory=list)


@dataclass
class ScoringDelta:
    """Tier proposals under the policy before and after (only when the scoring changes)."""

    before: int | None = None
    after: int | None = None
    changes: list[TierProposalChange] = field(default_factory=list)
