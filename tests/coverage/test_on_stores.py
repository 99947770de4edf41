"""The report read from each store equals the report over the same records in memory, and
manual tier overrides persist in the store."""

from __future__ import annotations

from graph.coverage.gaps import GapKind
from graph.coverage.inputs import customer_chunks, override_document, read_org, read_overrides
from graph.coverage.policy import Policy, Preset
from graph.coverage.report import report_from_records, report_from_source
from graph.coverage.scoring import Override
from graph.model import Customer, Tier
from graph.store.base import Store
from tests.coverage.worlds import sales_world, scoring_world


def test_every_finding_is_found_on_the_store(store: Store) -> None:
    records = sales_world()
    store.upsert(records)
    report = report_from_source(store, Policy(), chunk_size=4)  # several chunks
    assert report == report_from_records(records)
    assert report.gaps.customer_ids(GapKind.NO_OWNER) == ["br-gansu", "cu-gansu"]
    assert report.conflicts.customer_ids() == ["bank-zs"]
    assert report.credit.inflation_ids() == ["ins-pa"]
    assert [o.customer_id for o in report.credit.allowed_overlays] == ["fac-bj"]
    assert [p.employee_id for p in report.capacity.overloaded] == ["am-busy"]
    assert report.hierarchy.uncovered_ids() == ["br-gansu"]


def test_chunks_carry_exactly_their_customers_coverage(store: Store) -> None:
    store.upsert(sales_world())
    chunks = list(customer_chunks(store, chunk_size=5))
    assert [len(c.customers) for c in chunks] == [5, 5, 5, 4]
    for chunk in chunks:
        ids = {c.id for c in chunk.customers}
        assert {cov.customer_id for cov in chunk.coverage} <= ids
    assert sum(len(c.coverage) for c in chunks) == 19
    assert len(read_org(store).teams) == 6


def test_tier_changes_from_rescoring_and_persistent_overrides(store: Store) -> None:
    store.upsert(scoring_world())
    policy = Policy().with_scoring(preset=Preset.SATURATED, key_top_percent=10)
    report = report_from_source(store, policy)
    assert report.scores.change_ids() == ["c-key", "c-win"]
    store.put_doc("score_overrides", "c-key", override_document(Override(Tier.KEY, "board")))
    overrides = read_overrides(store)
    assert overrides == {"c-key": Override(Tier.KEY, "board")}
    again = report_from_source(store, policy, overrides)
    assert again.scores.change_ids() == ["c-win"]
    assert isinstance(store.get(Customer.kind, "c-key"), Customer)
