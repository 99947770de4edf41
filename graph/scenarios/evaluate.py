"""Evaluating a scenario: every coverage analysis and the relationship coverage, before and after,
as a diff against today (``graph.scenarios.diff``).

Two modes, one result:

* **incremental** (the default when possible): only the customers the scenario touches are
  resolved, before (live graph) and after (the overlay); their outcome deltas are applied to the
  *baseline aggregates* of today (``Aggregates``: totals and capacity books, computed once per
  graph version and policy by a full pass, cached by the caller). Touched customers: those whose
  coverage links or record change, those covered by a person whose teams or active flag change,
  those covered by or through a team that changes, and the strategic accounts of named AMs whose
  strategic book changes (their dedication may flip).
* **full**: both sides streamed in chunks (bounded memory), every customer paired. Used when the
  policy changes or a regional team's territory changes (many customers may move), or when asked.

The relationship side: accounts whose relationships the scenario removes (a person leaves) are
analysed before and after (``graph.accounts.analysis``); key contacts covered before and by nobody
after are reported.

Reads through ``graph.store.reader`` protocols only: no store, no API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from graph.coverage.conflicts import ConflictsAccumulator
from graph.coverage.gaps import GapKind, GapsAccumulator
from graph.coverage.inputs import CustomerChunk, customer_chunks, read_org
from graph.coverage.policy import Policy
from graph.coverage.resolve import (
    ClaimSource,
    CoverageResolver,
    CustomerCoverage,
    OrgIndex,
    build_org_index,
)
from graph.coverage.scoring import Override
from graph.model import (
    Coverage,
    Customer,
    HolderKind,
    RecordKind,
    Tier,
)
from graph.scenarios.apply import ResolvedScenario
from graph.scenarios.deltas import (
    hierarchy_delta,
    hierarchy_findings,
    orphaned_key_contacts,
    scoring_delta,
    tree_nodes,
)
from graph.scenarios.diff import Aggregates, Differ, Outcome
from graph.scenarios.diff_results import ScenarioDiff
from graph.scenarios.overlay import Overlay
from graph.scenarios.touched import (
    ID_BATCH,
    Touched,
    overlay_org,
    read_both_chunks,
    strategic_customers_of,
    touched_customers,
)
from graph.store.reader import RecordReader

CHUNK = 5000


class Mode:
    INCREMENTAL = "incremental"
    FULL = "full"


# ------------------------------------------------------------------------------------ outcomes


class OutcomeBuilder:
    """Per-customer outcomes from effective coverage, reusing the coverage analyses' own
    accumulators (reset after every customer) so the rules stay in one place."""

    def __init__(self, policy: Policy, index: OrgIndex) -> None:
        self.policy = policy
        self.index = index
        self.resolver = CoverageResolver(index, policy)
        self._gaps = GapsAccumulator(policy)
        self._credit = ConflictsAccumulator(policy, index)
        self._templates: dict[tuple[str, Tier, str], Outcome] = {}

    def outcome(self, cc: CustomerCoverage) -> Outcome:
        """Only the accumulators' public results are read; their internal per-team and
        strategic-book state grows with teams and strategic accounts only (bounded)."""
        c = cc.customer
        g = self._gaps
        g.findings.clear()
        g.add(cc)
        kinds = {f.kind for f in g.findings}
        gaps = tuple(sorted(kinds, key=list(GapKind).index))
        # a strategic account with a fitting owner: its dedication is settled from the books
        candidate = c.tier is Tier.STRATEGIC and not kinds & {
            GapKind.NO_OWNER,
            GapKind.OWNER_KIND_MISFIT,
        }
        cr = self._credit
        cr.double_counted = 0.0
        cr.inflated = 0.0
        cr.conflicts.clear()
        cr.inflation.clear()
        cr.allowed.clear()
        cr.disallowed.clear()
        cr.add(cc)
        edges: set[tuple[str, str, str]] = set()
        for grp in cc.owners:
            for claim in grp.claims:
                edges.add((claim.holder, claim.role.value, claim.source.value))
        for claim in cc.overlays + cc.support:
            edges.add((claim.holder, claim.role.value, ClaimSource.EXPLICIT.value))
        client = {
            claim.holder_id
            for claims in ([cl for grp in cc.owners for cl in grp.claims], cc.overlays, cc.support)
            for claim in claims
            if claim.holder_kind is HolderKind.EMPLOYEE and claim.active
        }
        return Outcome(
            customer_id=c.id,
            name=c.name,
            tier=c.tier,
            industry=c.industry,
            region=c.region,
            revenue=c.revenue,
            owners=tuple(sorted(grp.label for grp in cc.owners)),
            account_managers=cc.account_managers,
            book_people=tuple(
                sorted(
                    {
                        e
                        for grp in cc.owners
                        for e in grp.account_managers + grp.inactive_account_managers
                    }
                )
            ),
            book_teams=cc.owner_teams,
            gaps=gaps,
            strategic_candidate=candidate,
            conflict=bool(cr.conflicts),
            inflation=bool(cr.inflation),
            dual_credit=bool(cr.allowed),
            double_counted=cr.double_counted,
            inflated=cr.inflated,
            edges=tuple(sorted(edges)),
            client_team=tuple(sorted(client)),
            parent_id=c.parent_id,
            owner_key=(cc.owner_teams or tuple(g.label for g in cc.owners)) if cc.owners else (),
            explicit_owner=any(not g.territory_only for g in cc.owners),
        )

    def outcomes(self, chunk: CustomerChunk) -> Iterator[Outcome]:
        by_customer: dict[str, list[Coverage]] = {}
        for cov in chunk.coverage:
            by_customer.setdefault(cov.customer_id, []).append(cov)
        for customer in chunk.customers:
            covs = by_customer.get(customer.id)
            if covs:
                yield self.outcome(self.resolver.resolve(customer, covs))
            else:
                yield self.territory_outcome(customer)

    def territory_outcome(self, c: Customer) -> Outcome:
        """A customer without coverage links: its outcome depends only on (region, tier,
        industry) and, linearly, on its revenue, so it is worked out once per combination."""
        key = (c.region, c.tier, c.industry)
        t = self._templates.get(key)
        if t is None:
            probe = c.model_copy(update={"revenue": 1.0})
            t = self._templates[key] = self.outcome(self.resolver.resolve(probe, ()))
        return Outcome(
            customer_id=c.id,
            name=c.name,
            tier=c.tier,
            industry=c.industry,
            region=c.region,
            revenue=c.revenue,
            owners=t.owners,
            account_managers=t.account_managers,
            book_people=t.book_people,
            book_teams=t.book_teams,
            gaps=t.gaps,
            strategic_candidate=t.strategic_candidate,
            conflict=t.conflict,
            inflation=t.inflation,
            dual_credit=t.dual_credit,
            double_counted=t.double_counted * c.revenue,
            inflated=t.inflated * c.revenue,
            edges=t.edges,
            client_team=t.client_team,
            parent_id=c.parent_id,
            owner_key=t.owner_key,
            explicit_owner=t.explicit_owner,
        )


def team_account_managers(index: OrgIndex, policy: Policy) -> dict[str, int]:
    """Account managers per team (membership roles of ``policy.capacity``)."""
    roles = set(policy.capacity.account_manager_roles)
    return {t: sum(1 for _e, r in ms if r in roles) for t, ms in index.team_members.items()}


# ------------------------------------------------------------------------------------ baseline


def policy_fingerprint(policy: Policy) -> str:
    text = json.dumps(policy.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def baseline_aggregates(
    source: RecordReader, policy: Policy, chunk_size: int = CHUNK
) -> Aggregates:
    """Today's aggregates by one full pass (what incremental evaluation starts from)."""
    index = build_org_index(read_org(source))
    builder = OutcomeBuilder(policy, index)
    agg = Aggregates()
    strategic: list[Outcome] = []
    branches: dict[str, Outcome] = {}
    for chunk in customer_chunks(source, chunk_size):
        for o in builder.outcomes(chunk):
            agg.add(o)
            if o.strategic_candidate:
                strategic.append(o)
            if o.parent_id is not None:
                branches[o.customer_id] = o
    missing = sorted({o.parent_id for o in branches.values() if o.parent_id} - branches.keys())
    for i in range(0, len(missing), ID_BATCH):
        ids = missing[i : i + ID_BATCH]
        chunk = CustomerChunk(
            tuple(
                r
                for r in source.scan(RecordKind.CUSTOMER, where={"id": ids})
                if isinstance(r, Customer)
            ),
            tuple(
                r
                for r in source.scan(RecordKind.COVERAGE, where={"customer_id": ids})
                if isinstance(r, Coverage)
            ),
        )
        branches.update((o.customer_id, o) for o in builder.outcomes(chunk))
    findings = hierarchy_findings(branches.values())
    agg.uncovered_branches = sum(1 for k in findings if k[0] == "uncovered_branch")
    agg.hq_branch_conflicts = sum(1 for k in findings if k[0] == "hq_branch_conflict")
    kind = GapKind.STRATEGIC_WITHOUT_DEDICATED_AM.value
    agg.gaps[kind] += sum(
        1
        for o in strategic
        if not any(agg.strategic_books.get(am, 0) == 1 for am in o.account_managers)
    )
    return agg


def _complete_forest(
    base: RecordReader,
    overlay: Overlay,
    builder_b: OutcomeBuilder,
    builder_a: OutcomeBuilder,
    kept_b: dict[str, Outcome],
    kept_a: dict[str, Outcome],
) -> None:
    """Add the parents the kept branches point at but which were not kept (the tree roots)."""
    missing = sorted({o.parent_id for o in kept_b.values() if o.parent_id} - kept_b.keys())
    for i in range(0, len(missing), ID_BATCH):
        chunk_b, chunk_a = read_both_chunks(base, overlay, missing[i : i + ID_BATCH])
        kept_b.update((o.customer_id, o) for o in builder_b.outcomes(chunk_b))
        kept_a.update((o.customer_id, o) for o in builder_a.outcomes(chunk_a))


# ------------------------------------------------------------------------------------ evaluate


@dataclass(frozen=True)
class Evaluation:
    """A scenario's effect against today."""

    scenario_id: str
    name: str
    mode: str
    reason: str
    touched_customers: int
    diff: ScenarioDiff
    warnings: tuple[str, ...]


def evaluate(
    base: RecordReader,
    resolved: ResolvedScenario,
    baseline: Aggregates | None = None,
    *,
    today: dt.date | None = None,
    force_full: bool = False,
    chunk_size: int = CHUNK,
    overrides: Mapping[str, Override] | None = None,
) -> Evaluation:
    """The diff of ``resolved`` against ``base`` (incremental with a ``baseline``, else full)."""
    today = today or dt.date.today()
    overlay = resolved.overlay
    org_b = read_org(base)
    org_a = overlay_org(org_b, overlay)
    index_b, index_a = build_org_index(org_b), build_org_index(org_a)
    pb, pa = resolved.policy_before, resolved.policy_after
    touched = (
        Touched(full=True, reason="full evaluation asked for")
        if force_full
        else (touched_customers(resolved, base, index_b, index_a))
    )
    if baseline is None and not touched.full:
        touched = Touched(full=True, reason="no baseline of today to start from")
    builder_b, builder_a = OutcomeBuilder(pb, index_b), OutcomeBuilder(pa, index_a)
    kept_b: dict[str, Outcome] = {}
    kept_a: dict[str, Outcome] = {}
    if touched.full:
        differ = Differ(None)
        before_chunks = customer_chunks(base, chunk_size)
        after_chunks = customer_chunks(overlay, chunk_size)  # type: ignore[arg-type]
        for cb, ca in zip(before_chunks, after_chunks, strict=True):
            for ob, oa in zip(builder_b.outcomes(cb), builder_a.outcomes(ca), strict=True):
                assert ob.customer_id == oa.customer_id
                differ.pair(ob, oa)
                if ob.parent_id is not None:
                    kept_b[ob.customer_id], kept_a[oa.customer_id] = ob, oa
        _complete_forest(base, overlay, builder_b, builder_a, kept_b, kept_a)
        hierarchy = hierarchy_delta(kept_b.values(), kept_a.values())
        mode, count = Mode.FULL, differ.before.customers
    else:
        assert baseline is not None
        differ = Differ(baseline)

        def pair_all(ids: set[str]) -> None:
            todo = sorted(ids - differ.seen)
            for i in range(0, len(todo), ID_BATCH):
                chunk = todo[i : i + ID_BATCH]
                chunk_b, chunk_a = read_both_chunks(base, overlay, chunk)
                before = list(builder_b.outcomes(chunk_b))
                after = {o.customer_id: o for o in builder_a.outcomes(chunk_a)}
                for ob in before:
                    oa = after[ob.customer_id]
                    differ.pair(ob, oa)
                    kept_b[ob.customer_id], kept_a[oa.customer_id] = ob, oa

        pair_all(touched.customers)
        changed_ams = differ.strategic_ams_changed()
        if changed_ams:
            pair_all(strategic_customers_of((base, overlay), sorted(changed_ams)))
        changed = {cid: o.parent_id for cid, o in kept_b.items() if o != kept_a[cid]}
        forest = tree_nodes(base, changed) if changed else set()
        pair_all(forest)
        hierarchy = hierarchy_delta((kept_b[n] for n in forest), (kept_a[n] for n in forest))
        mode, count = Mode.INCREMENTAL, len(differ.seen)
    diff = differ.finish(
        pb,
        pa,
        team_account_managers(index_b, pb),
        team_account_managers(index_a, pa),
        orphaned_key_contacts(resolved, base, today),
        hierarchy,
        scoring_delta(base, pb, pa, overrides),
    )
    return Evaluation(
        scenario_id=resolved.scenario.id,
        name=resolved.scenario.name,
        mode=mode,
        reason=touched.reason,
        touched_customers=count,
        diff=diff,
        warnings=tuple(resolved.warnings),
    )
