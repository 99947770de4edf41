"""The diff of a scenario against today: what a restructure opens, closes and moves.

The coverage analyses are per customer with per-person and per-team aggregates, so a scenario's
effect is a diff of per-customer *outcomes* (``Outcome``: owners, gaps, conflict, credit counted
twice, books, coverage edges, client team) plus the aggregates they sum to (``Aggregates``).

:class:`Differ` takes (before, after) outcome pairs, one customer at a time, and keeps only what
changed: gaps opened and closed, conflicts opened and closed, owner changes, coverage edges added
and removed, client teams that break. It keeps the "after" aggregates up to date either
*incrementally* (baseline aggregates minus before plus after, for the touched customers only) or
*fully* (every customer streamed on both sides); both give the same result, which the tests
check. Load changes per person and team, newly overloaded people and teams and the headline
metrics come from the aggregates at the end.

Pure: outcomes and aggregates in, frozen sorted dataclasses (``graph.scenarios.diff_results``) out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.coverage.gaps import GapKind
from graph.coverage.policy import Policy
from graph.model import TIER_ORDER, Tier
from graph.scenarios.diff_results import (
    BrokenClientTeam,
    ConflictChange,
    EdgeChange,
    GapChange,
    Headline,
    HierarchyDelta,
    LoadChange,
    OrphanedContact,
    OwnerChange,
    ScenarioDiff,
    ScoringDelta,
)

TIER_INDEX: dict[Tier, int] = {t: i for i, t in enumerate(TIER_ORDER)}
CLIENT_TEAM_TIERS = (Tier.STRATEGIC, Tier.KEY)
MAX_LISTED = 100_000  # per-customer rows kept per list; counts stay exact beyond it


@dataclass(frozen=True)
class Outcome:
    """One customer's coverage outcome under one graph state and policy."""

    customer_id: str
    name: str
    tier: Tier
    industry: str
    region: str
    revenue: float
    owners: tuple[str, ...]  # owner group labels ("team+team" or "employee:<id>")
    account_managers: tuple[str, ...]  # active named AMs
    book_people: tuple[str, ...]  # whose capacity book counts it (named AMs, active or not)
    book_teams: tuple[str, ...]  # owner teams
    gaps: tuple[GapKind, ...]  # every gap kind but strategic dedication (settled by books)
    strategic_candidate: bool  # strategic with a fitting owner: dedication checked at the end
    conflict: bool
    inflation: bool
    dual_credit: bool  # intended dual credit: an overlay of a kind the credit policy allows
    double_counted: float
    inflated: float
    edges: tuple[tuple[str, str, str], ...]  # (holder, role, "explicit"/"territory")
    client_team: tuple[str, ...]  # active people with an explicit coverage link
    parent_id: str | None = None  # the customer hierarchy (for the hierarchy findings)
    owner_key: tuple[str, ...] = ()  # owner teams (or group labels), as the roll-up sees them
    explicit_owner: bool = False  # some owner holds an explicit link (not territory only)


def _tiers() -> list[int]:
    return [0, 0, 0, 0]


@dataclass
class Aggregates:
    """What the per-customer outcomes sum to: totals, capacity books, strategic books."""

    customers: int = 0
    owned: int = 0
    gaps: dict[str, int] = field(default_factory=lambda: {k.value: 0 for k in GapKind})
    conflicts: int = 0
    inflation: int = 0
    dual_credit: int = 0
    uncovered_branches: int = 0
    hq_branch_conflicts: int = 0
    double_counted: float = 0.0
    inflated: float = 0.0
    person: dict[str, list[int]] = field(default_factory=lambda: defaultdict(_tiers))
    team: dict[str, list[int]] = field(default_factory=lambda: defaultdict(_tiers))
    strategic_books: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, o: Outcome, sign: int = 1) -> None:
        self.customers += sign
        self.owned += sign if o.owners else 0
        for g in o.gaps:
            self.gaps[g.value] += sign
        self.conflicts += sign if o.conflict else 0
        self.inflation += sign if o.inflation else 0
        self.dual_credit += sign if o.dual_credit else 0
        self.double_counted += sign * o.double_counted
        self.inflated += sign * o.inflated
        t = TIER_INDEX[o.tier]
        for p in o.book_people:
            self.person[p][t] += sign
        for team in o.book_teams:
            self.team[team][t] += sign
        if o.strategic_candidate:
            for am in o.account_managers:
                self.strategic_books[am] += sign

    def copy(self) -> Aggregates:
        out = Aggregates.from_doc(self.to_doc())
        return out

    def to_doc(self) -> dict[str, Any]:
        """JSON-ready (the cached baseline document)."""
        return {
            "customers": self.customers,
            "owned": self.owned,
            "gaps": dict(self.gaps),
            "conflicts": self.conflicts,
            "inflation": self.inflation,
            "dual_credit": self.dual_credit,
            "uncovered_branches": self.uncovered_branches,
            "hq_branch_conflicts": self.hq_branch_conflicts,
            "double_counted": self.double_counted,
            "inflated": self.inflated,
            "person": {k: list(v) for k, v in self.person.items() if any(v)},
            "team": {k: list(v) for k, v in self.team.items() if any(v)},
            "strategic_books": {k: v for k, v in self.strategic_books.items() if v},
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Aggregates:
        agg = cls(
            customers=int(doc["customers"]),
            owned=int(doc["owned"]),
            conflicts=int(doc["conflicts"]),
            inflation=int(doc["inflation"]),
            dual_credit=int(doc.get("dual_credit", 0)),
            uncovered_branches=int(doc.get("uncovered_branches", 0)),
            hq_branch_conflicts=int(doc.get("hq_branch_conflicts", 0)),
            double_counted=float(doc["double_counted"]),
            inflated=float(doc["inflated"]),
        )
        agg.gaps.update({k: int(v) for k, v in doc["gaps"].items()})
        for k, v in doc["person"].items():
            agg.person[k] = list(v)
        for k, v in doc["team"].items():
            agg.team[k] = list(v)
        for k, v in doc["strategic_books"].items():
            agg.strategic_books[k] = int(v)
        return agg


# ------------------------------------------------------------------------------------ capacity


def weighted(counts: Iterable[int], policy: Policy) -> float:
    norms = policy.capacity.norms
    return round(sum(n / norms[t].max for t, n in zip(TIER_ORDER, counts, strict=True)), 6)


def person_overloaded(counts: list[int] | tuple[int, ...], policy: Policy) -> bool:
    """As ``graph.coverage.capacity``: a tier above its norm's max, or weighted load above the
    max."""
    norms = policy.capacity.norms
    over = any(n > norms[t].max for t, n in zip(TIER_ORDER, counts, strict=True))
    return over or weighted(counts, policy) > policy.capacity.max_weighted_load


def team_load(counts: list[int] | tuple[int, ...], ams: int, policy: Policy) -> float | None:
    return round(weighted(counts, policy) / ams, 6) if ams else None


def team_overloaded(counts: list[int] | tuple[int, ...], ams: int, policy: Policy) -> bool:
    per_am = team_load(counts, ams, policy)
    return per_am is not None and per_am > policy.capacity.max_weighted_load


def headline(
    agg: Aggregates, policy: Policy, team_ams: Mapping[str, int], tier_changes: int | None = None
) -> Headline:
    g = agg.gaps
    overloaded_people = sum(1 for c in agg.person.values() if person_overloaded(c, policy))
    overloaded_teams = sum(
        1 for t, c in agg.team.items() if team_overloaded(c, team_ams.get(t, 0), policy)
    )
    return Headline(
        customers=agg.customers,
        owned=agg.owned,
        gaps=sum(g.values()),
        no_owner=g[GapKind.NO_OWNER.value],
        owner_kind_misfit=g[GapKind.OWNER_KIND_MISFIT.value],
        key_without_named_am=g[GapKind.KEY_WITHOUT_NAMED_AM.value],
        strategic_without_dedicated_am=g[GapKind.STRATEGIC_WITHOUT_DEDICATED_AM.value],
        inactive_owner=g[GapKind.INACTIVE_OWNER.value],
        conflicts=agg.conflicts,
        inflation=agg.inflation,
        dual_credit_customers=agg.dual_credit,
        double_counted_revenue=round(agg.double_counted, 2),
        inflated_revenue=round(agg.inflated, 2),
        overloaded_people=overloaded_people,
        overloaded_teams=overloaded_teams,
        uncovered_branches=agg.uncovered_branches,
        hq_branch_conflicts=agg.hq_branch_conflicts,
        tier_changes=tier_changes,
    )


# ------------------------------------------------------------------------------------ differ


class Differ:
    """Compares outcome pairs and keeps the aggregates of both sides (see module docstring)."""

    def __init__(self, baseline: Aggregates | None) -> None:
        self.incremental = baseline is not None
        self.before = baseline if baseline is not None else Aggregates()
        self.after = baseline.copy() if baseline is not None else Aggregates()
        self.gaps_opened: list[GapChange] = []
        self.gaps_closed: list[GapChange] = []
        self.conflicts_opened: list[ConflictChange] = []
        self.conflicts_closed: list[ConflictChange] = []
        self.owner_changes: list[OwnerChange] = []
        self.owner_change_count = 0
        self.edges: list[EdgeChange] = []
        self.broken: list[BrokenClientTeam] = []
        self.dual_added: list[str] = []
        self.dual_removed: list[str] = []
        self.strategic: dict[str, tuple[Outcome, Outcome]] = {}
        self.seen: set[str] = set()
        self.people: set[str] = set()
        self.teams: set[str] = set()
        self.truncated = False

    def _keep(self, rows: list[Any], row: Any) -> None:
        if len(rows) < MAX_LISTED:
            rows.append(row)
        else:
            self.truncated = True

    def pair(self, b: Outcome, a: Outcome) -> None:
        """One customer: ``b`` today, ``a`` under the scenario."""
        self.seen.add(b.customer_id)
        if self.incremental:
            self.after.add(b, -1)
            self.after.add(a, +1)
        else:
            self.before.add(b)
            self.after.add(a)
        if b.strategic_candidate or a.strategic_candidate:
            self.strategic[b.customer_id] = (b, a)
        if b == a:
            return
        self.people.update(b.book_people, a.book_people)
        self.teams.update(b.book_teams, a.book_teams)
        for kind in sorted(set(a.gaps) - set(b.gaps)):
            self._keep(self.gaps_opened, GapChange(a.customer_id, a.name, a.tier, kind, a.revenue))
        for kind in sorted(set(b.gaps) - set(a.gaps)):
            self._keep(self.gaps_closed, GapChange(a.customer_id, a.name, a.tier, kind, a.revenue))
        if a.conflict and not b.conflict:
            self._keep(
                self.conflicts_opened,
                ConflictChange(a.customer_id, a.name, a.tier, a.revenue, a.owners),
            )
        elif b.conflict and not a.conflict:
            self._keep(
                self.conflicts_closed,
                ConflictChange(b.customer_id, b.name, b.tier, b.revenue, b.owners),
            )
        if a.dual_credit != b.dual_credit:
            self._keep(self.dual_added if a.dual_credit else self.dual_removed, a.customer_id)
        if b.owners != a.owners or b.account_managers != a.account_managers:
            self.owner_change_count += 1
            self._keep(
                self.owner_changes,
                OwnerChange(
                    a.customer_id,
                    a.name,
                    a.tier,
                    a.industry,
                    a.region,
                    b.owners,
                    a.owners,
                    b.account_managers,
                    a.account_managers,
                ),
            )
        if b.edges != a.edges:
            before, after = set(b.edges), set(a.edges)
            for h, role, src in sorted(after - before):
                self._keep(self.edges, EdgeChange(a.customer_id, h, role, src, "added"))
            for h, role, src in sorted(before - after):
                self._keep(self.edges, EdgeChange(a.customer_id, h, role, src, "removed"))
        if a.tier in CLIENT_TEAM_TIERS or b.tier in CLIENT_TEAM_TIERS:
            lost = tuple(sorted(set(b.client_team) - set(a.client_team)))
            if lost:
                gained = tuple(sorted(set(a.client_team) - set(b.client_team)))
                self._keep(
                    self.broken,
                    BrokenClientTeam(
                        a.customer_id, a.name, a.tier, lost, gained, bool(a.account_managers)
                    ),
                )

    def strategic_ams_changed(self) -> set[str]:
        """Named AMs whose strategic book changed: their other strategic accounts' dedication
        may change too (the caller adds those customers)."""
        changed = set()
        for b, a in self.strategic.values():
            for am in set(b.account_managers) | set(a.account_managers):
                if self.before.strategic_books.get(am, 0) != self.after.strategic_books.get(am, 0):
                    changed.add(am)
        return changed

    def _settle_strategic(self) -> None:
        kind = GapKind.STRATEGIC_WITHOUT_DEDICATED_AM
        for cid in sorted(self.strategic):
            b, a = self.strategic[cid]
            gap_b = b.strategic_candidate and not any(
                self.before.strategic_books.get(am, 0) == 1 for am in b.account_managers
            )
            gap_a = a.strategic_candidate and not any(
                self.after.strategic_books.get(am, 0) == 1 for am in a.account_managers
            )
            if not self.incremental:
                self.before.gaps[kind.value] += int(gap_b)
                self.after.gaps[kind.value] += int(gap_a)
            else:
                self.after.gaps[kind.value] += int(gap_a) - int(gap_b)
            if gap_a and not gap_b:
                self._keep(self.gaps_opened, GapChange(cid, a.name, a.tier, kind, a.revenue))
            elif gap_b and not gap_a:
                self._keep(self.gaps_closed, GapChange(cid, a.name, a.tier, kind, a.revenue))

    def finish(
        self,
        policy_before: Policy,
        policy_after: Policy,
        team_ams_before: Mapping[str, int],
        team_ams_after: Mapping[str, int],
        orphaned: Iterable[OrphanedContact] = (),
        hierarchy: HierarchyDelta | None = None,
        scoring: ScoringDelta | None = None,
    ) -> ScenarioDiff:
        """The diff, once every touched customer has been paired."""
        self._settle_strategic()
        h = hierarchy or HierarchyDelta()
        if self.incremental:
            self.after.uncovered_branches += h.after_uncovered - h.before_uncovered
            self.after.hq_branch_conflicts += h.after_conflicts - h.before_conflicts
        else:
            self.before.uncovered_branches = h.before_uncovered
            self.before.hq_branch_conflicts = h.before_conflicts
            self.after.uncovered_branches = h.after_uncovered
            self.after.hq_branch_conflicts = h.after_conflicts
        people_ids = set(self.people)
        team_ids = set(self.teams) | {
            t
            for t in set(team_ams_before) | set(team_ams_after)
            if team_ams_before.get(t, 0) != team_ams_after.get(t, 0)
        }
        if not self.incremental or policy_before != policy_after:
            people_ids |= set(self.before.person) | set(self.after.person)
            team_ids |= set(self.before.team) | set(self.after.team)
        people = []
        for pid in sorted(people_ids):
            cb = tuple(self.before.person.get(pid, _tiers()))
            ca = tuple(self.after.person.get(pid, _tiers()))
            ob, oa = person_overloaded(cb, policy_before), person_overloaded(ca, policy_after)
            if cb == ca and ob == oa:
                continue
            people.append(
                LoadChange(
                    pid,
                    cb,  # type: ignore[arg-type]
                    ca,  # type: ignore[arg-type]
                    weighted(cb, policy_before),
                    weighted(ca, policy_after),
                    ob,
                    oa,
                )
            )
        teams = []
        for tid in sorted(team_ids):
            cb = tuple(self.before.team.get(tid, _tiers()))
            ca = tuple(self.after.team.get(tid, _tiers()))
            nb, na = team_ams_before.get(tid, 0), team_ams_after.get(tid, 0)
            ob, oa = team_overloaded(cb, nb, policy_before), team_overloaded(ca, na, policy_after)
            if cb == ca and nb == na and ob == oa:
                continue
            teams.append(
                LoadChange(
                    tid,
                    cb,  # type: ignore[arg-type]
                    ca,  # type: ignore[arg-type]
                    team_load(cb, nb, policy_before),
                    team_load(ca, na, policy_after),
                    ob,
                    oa,
                    nb,
                    na,
                )
            )
        people.sort(
            key=lambda p: (
                not (p.overloaded_after and not p.overloaded_before),
                -abs(p.delta),
                p.id,
            )
        )
        teams.sort(
            key=lambda t: (
                not (t.overloaded_after and not t.overloaded_before),
                -abs(t.delta),
                t.id,
            )
        )

        def by_revenue(rows: list[Any]) -> tuple[Any, ...]:
            return tuple(
                sorted(rows, key=lambda r: (-r.revenue, r.customer_id, getattr(r, "kind", "")))
            )

        sc = scoring or ScoringDelta()
        return ScenarioDiff(
            before=headline(self.before, policy_before, team_ams_before, sc.before),
            after=headline(self.after, policy_after, team_ams_after, sc.after),
            gaps_opened=by_revenue(self.gaps_opened),
            gaps_closed=by_revenue(self.gaps_closed),
            conflicts_opened=by_revenue(self.conflicts_opened),
            conflicts_closed=by_revenue(self.conflicts_closed),
            owner_changes=tuple(sorted(self.owner_changes, key=lambda o: o.customer_id)),
            owner_change_count=self.owner_change_count,
            edge_changes=tuple(
                sorted(self.edges, key=lambda e: (e.customer_id, e.change, e.holder, e.role))
            ),
            broken_client_teams=tuple(sorted(self.broken, key=lambda b: b.customer_id)),
            people=tuple(people),
            teams=tuple(teams),
            key_contacts_orphaned=tuple(
                sorted(orphaned, key=lambda o: (o.account_id, o.rank, o.contact_id))
            ),
            hierarchy_opened=tuple(
                sorted(h.opened, key=lambda c: (c.kind, -c.revenue, c.customer_id))
            ),
            hierarchy_closed=tuple(
                sorted(h.closed, key=lambda c: (c.kind, -c.revenue, c.customer_id))
            ),
            tier_proposals=tuple(sorted(sc.changes, key=lambda t: t.customer_id)),
            dual_credit_added=tuple(sorted(self.dual_added)),
            dual_credit_removed=tuple(sorted(self.dual_removed)),
            truncated=self.truncated,
        )
