"""Scenario deltas computed apart from the per-customer diff: key contacts orphaned by a leaver,
head office / branch findings of the hierarchy trees touched, and tier proposals under a changed
scoring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from graph.accounts.analysis import account_coverage
from graph.accounts.gather import AccountNotFound
from graph.accounts.relationship_coverage import RelationshipPolicy
from graph.coverage.customer_table import CustomerTable, table_from_customers
from graph.coverage.hierarchy import hierarchy_report
from graph.coverage.policy import Policy
from graph.coverage.scoring import Override, score_table
from graph.model import (
    Contact,
    Customer,
    RecordKind,
    Relationship,
    split_key,
)
from graph.scenarios.apply import ResolvedScenario
from graph.scenarios.diff import Outcome
from graph.scenarios.diff_results import (
    HierarchyChange,
    HierarchyDelta,
    OrphanedContact,
    ScoringDelta,
    TierProposalChange,
)
from graph.scenarios.touched import ID_BATCH
from graph.store.reader import RecordReader

# ------------------------------------------------------------------------------------ relationships


def orphaned_key_contacts(
    resolved: ResolvedScenario, base: RecordReader, today: dt.date
) -> list[OrphanedContact]:
    """Key contacts of the accounts whose relationships change that are covered today and by
    nobody of ours under the scenario."""
    contact_ids = sorted(
        {split_key(key)[1] for (kind, key) in resolved.before if kind is RecordKind.RELATIONSHIP}
    )
    accounts: set[str] = set()
    for i in range(0, len(contact_ids), ID_BATCH):
        for c in base.scan(RecordKind.CONTACT, where={"id": contact_ids[i : i + ID_BATCH]}):
            if isinstance(c, Contact):
                accounts.add(c.customer_id)
    overlay = resolved.overlay
    policy = RelationshipPolicy()
    out: list[OrphanedContact] = []
    for account in sorted(accounts):
        try:
            before = account_coverage(base, account, today=today, include_subsidiaries=False)  # type: ignore[arg-type]
            after = account_coverage(overlay, account, today=today, include_subsidiaries=False)  # type: ignore[arg-type]
        except AccountNotFound:
            continue
        after_by_id = {k.contact_id: k.covered for k in after.key_contacts}
        for kc in before.key_contacts:
            if not kc.covered:
                continue
            covered_after = after_by_id.get(kc.contact_id)
            if covered_after is None:
                covered_after = any(
                    isinstance(r, Relationship) and policy.counts(r.strength)
                    for r in overlay.scan(
                        RecordKind.RELATIONSHIP, where={"contact_id": kc.contact_id}
                    )
                )
            if not covered_after:
                out.append(
                    OrphanedContact(
                        account,
                        kc.contact_id,
                        kc.name,
                        kc.rank,
                        tuple(h.employee_id for h in kc.holders),
                    )
                )
    return out


# ------------------------------------------------------------------------------------ hierarchy


def _hierarchy_table(outcomes: Iterable[Outcome]) -> CustomerTable:
    table = CustomerTable()
    for o in outcomes:
        customer = Customer.model_construct(
            id=o.customer_id,
            name=o.name,
            tier=o.tier,
            industry=o.industry,
            region=o.region,
            revenue=o.revenue,
            potential=0.0,
            reference_value=0.0,
            winnability=0.5,
            parent_id=o.parent_id,
        )
        table.add(customer, o.owner_key or None, o.explicit_owner)
    return table


def hierarchy_findings(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], HierarchyChange]:
    """The hierarchy roll-up's findings (``graph.coverage.hierarchy``) over these customers'
    trees."""
    report = hierarchy_report(_hierarchy_table(outcomes))
    out: dict[tuple[str, str], HierarchyChange] = {}
    for u in report.uncovered_branches:
        out[("uncovered_branch", u.branch_id)] = HierarchyChange(
            u.branch_id, u.branch_name, "uncovered_branch", u.hq_id, u.revenue
        )
    for c in report.conflicts:
        out[("hq_branch_conflict", c.branch_id)] = HierarchyChange(
            c.branch_id, c.branch_name, "hq_branch_conflict", c.hq_id, c.revenue
        )
    return out


def hierarchy_delta(before: Iterable[Outcome], after: Iterable[Outcome]) -> HierarchyDelta:
    """Findings of whole customer trees before and after, and which opened or closed."""
    fb, fa = hierarchy_findings(before), hierarchy_findings(after)

    def count(f: dict[tuple[str, str], HierarchyChange], kind: str) -> int:
        return sum(1 for k in f if k[0] == kind)

    return HierarchyDelta(
        before_uncovered=count(fb, "uncovered_branch"),
        before_conflicts=count(fb, "hq_branch_conflict"),
        after_uncovered=count(fa, "uncovered_branch"),
        after_conflicts=count(fa, "hq_branch_conflict"),
        opened=[fa[k] for k in sorted(fa.keys() - fb.keys())],
        closed=[fb[k] for k in sorted(fb.keys() - fa.keys())],
    )


def tree_nodes(source: RecordReader, seeds: Mapping[str, str | None]) -> set[str]:
    """Every customer of the hierarchy trees the seeds (id -> parent id) belong to."""
    parent_of: dict[str, str | None] = dict(seeds)
    roots: set[str] = set()
    for cid in seeds:
        cur, seen = cid, {cid}
        while parent_of.get(cur) is not None:
            par = parent_of[cur]
            assert par is not None
            if par in seen:
                break
            seen.add(par)
            if par not in parent_of:
                rec = source.get(RecordKind.CUSTOMER, par)
                parent_of[par] = rec.parent_id if isinstance(rec, Customer) else None
            cur = par
        roots.add(cur)
    nodes = set(roots)
    frontier = sorted(roots)
    while frontier:
        children: list[str] = []
        for i in range(0, len(frontier), ID_BATCH):
            for c in source.scan(
                RecordKind.CUSTOMER, where={"parent_id": frontier[i : i + ID_BATCH]}
            ):
                if c.key not in nodes:
                    nodes.add(c.key)
                    children.append(c.key)
        frontier = sorted(children)
    return nodes


# ------------------------------------------------------------------------------------ scoring


def scoring_delta(
    base: RecordReader, before: Policy, after: Policy, overrides: Mapping[str, Override] | None
) -> ScoringDelta:
    """Tier proposals under both scorings (only computed when the scoring changes)."""
    if before.scoring == after.scoring:
        return ScoringDelta()
    table = table_from_customers(
        r for r in base.scan(RecordKind.CUSTOMER) if isinstance(r, Customer)
    )
    rb = score_table(table, before, overrides, top_limit=0)
    ra = score_table(table, after, overrides, top_limit=0)
    pb = {s.customer_id: s for s in rb.changes}
    pa = {s.customer_id: s for s in ra.changes}
    changes = []
    for cid in sorted(pb.keys() | pa.keys()):
        sb, sa = pb.get(cid), pa.get(cid)
        ref = sb or sa
        assert ref is not None
        tb = sb.proposed_tier if sb else ref.current_tier
        ta = sa.proposed_tier if sa else ref.current_tier
        if tb != ta:
            changes.append(TierProposalChange(cid, ref.customer_name, ref.current_tier, tb, ta))
    return ScoringDelta(before=len(rb.changes), after=len(ra.changes), changes=changes)
