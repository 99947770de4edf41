"""The two restructures of DOMAIN.md section 3 on the demo data they are written for
(``relmap demo``: 2000 customers, seed 7), on both stores.

Company A: size first, then industry; every customer in a key-account team or a regional team:
gaps and conflicts between regional and industry teams go to zero.
Company B: key accounts stay with regional sellers, area key-account directors with dotted lines
and intended dual credit: dual credit appears where intended, no customer loses its owner.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.demo.generate import generate, manifest
from graph.model import RecordKind, ReportingLine, TeamKind
from graph.scenarios.service import (
    apply_scenario,
    evaluate_scenario,
    revert_scenario,
    save_scenario,
)
from graph.scenarios.spec import load_scenario_file
from graph.store.base import Store
from tests.scenarios.worlds import graph_snapshot
from tests.support.stores import STORE_KINDS, filled_store, store_settings

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS, SEED = 2000, 7


@pytest.fixture(scope="module", params=STORE_KINDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The demo loaded once per store kind; every test leaves the graph as it found it."""
    url = request.getfixturevalue("neo4j_url") if request.param == "neo4j" else None
    settings = store_settings(request.param, tmp_path_factory.mktemp("demo"), url)
    store = filled_store(settings, *generate(customers=CUSTOMERS, seed=SEED))
    try:
        yield store
    finally:
        store.close()


def test_company_a_takes_gaps_and_conflicts_to_zero_and_applies_reversibly(demo: Store) -> None:
    planted = manifest(CUSTOMERS, SEED)
    sc = load_scenario_file(ROOT / "scenarios" / "company-a.yaml")
    ev, _version = evaluate_scenario(demo, sc)
    d = ev.diff
    assert d.before.gaps > 0 and d.before.conflicts > 0
    assert (d.after.gaps, d.after.conflicts) == (0, 0)
    assert d.gaps_opened == () and d.conflicts_opened == ()
    assert {c.customer_id for c in d.conflicts_closed} == set(planted.conflict_customers)
    assert {g.customer_id for g in d.gaps_closed} >= set(planted.gap_customers)
    # never both, never neither: every strategic/key owner is an industry team, nobody unowned
    assert all(o.owners_after for o in d.owner_changes)
    assert planted.conflict_bank in {o.customer_id for o in d.owner_changes}
    assert d.after.owned == d.after.customers

    before = graph_snapshot(demo)
    save_scenario(demo, sc)
    apply_scenario(demo, sc.id, actor="test", role="admin")
    teams = {t.id: t for t in demo.scan(RecordKind.TEAM)}
    bank_owners = [
        c
        for c in demo.scan(RecordKind.COVERAGE, where={"customer_id": planted.conflict_bank})
        if c.role.value == "owner" and c.holder_kind.value == "team"
    ]
    assert [teams[c.holder_id].team_kind for c in bank_owners] == [TeamKind.KEY_ACCOUNT]
    revert_scenario(demo, sc.id, actor="test", role="admin")
    assert graph_snapshot(demo) == before


def test_company_b_adds_intended_dual_credit_and_no_customer_loses_its_owner(
    demo: Store,
) -> None:
    sc = load_scenario_file(ROOT / "scenarios" / "company-b.yaml")
    directors = sorted(
        m.employee_id for m in demo.scan(RecordKind.MEMBERSHIP) if m.role == "regional_ka_director"
    )
    assert directors == [f"E0000{n}" for n in range(78, 85)]  # the ids the file names
    ev, _version = evaluate_scenario(demo, sc)
    d = ev.diff
    key_accounts = {c.id for c in demo.scan(RecordKind.CUSTOMER, where={"tier": "key"})}
    # dual credit where intended: every key account, counted twice on purpose, no inflation
    assert key_accounts <= set(d.dual_credit_added) | _already_dual(demo, key_accounts)
    assert d.after.dual_credit_customers > d.before.dual_credit_customers
    assert d.after.inflated_revenue <= d.before.inflated_revenue
    assert d.after.double_counted_revenue > d.before.double_counted_revenue
    # nobody loses an owner
    assert d.after.no_owner == d.before.no_owner
    assert not [g for g in d.gaps_opened if g.kind.value == "no_owner"]
    assert all(o.owners_after for o in d.owner_changes)
    # key accounts are now with the regional offices
    regional = {t.id for t in demo.scan(RecordKind.TEAM) if t.team_kind is TeamKind.REGIONAL}
    moved = [o for o in d.owner_changes if o.tier.value == "key"]
    assert moved and all(set(o.owners_after[0].split("+")) <= regional for o in moved)

    before = graph_snapshot(demo)
    save_scenario(demo, sc)
    apply_scenario(demo, sc.id, actor="test", role="admin")
    dotted = [
        r
        for r in demo.scan(RecordKind.EMPLOYEE_REPORTS_TO, where={"manager_id": "E000078"})
        if r.line is ReportingLine.DOTTED
    ]
    assert dotted  # the northern area's account managers now report dotted-line to its director
    revert_scenario(demo, sc.id, actor="test", role="admin")
    assert graph_snapshot(demo) == before


def _already_dual(store: Store, ids: set[str]) -> set[str]:
    """Key accounts that had an allowed overlay before (a solution team) and keep it."""
    out = set()
    for cid in ids:
        for c in store.scan(RecordKind.COVERAGE, where={"customer_id": cid}):
            if c.role.value == "overlay" and c.credit_share > 0:
                out.add(cid)
    return out
