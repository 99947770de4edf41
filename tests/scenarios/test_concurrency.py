"""Many users evaluating at once, with a live edit in between: nobody interferes (both stores).

Every evaluation reports the graph version it holds for; its diff must equal a quiet, sequential
evaluation at that version, and evaluating never changes the graph."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from graph.model import Coverage, CoverageRole, HolderKind
from graph.scenarios.service import evaluate_scenario
from graph.store.base import ChangeSet, Store
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import graph_snapshot, scenario

SCENARIOS = [
    scenario(
        {
            "op": "move_customers",
            "select": {"ids": ["bank-n"]},
            "to_team": "KA-FIN",
            "to_account_manager": "am-fin1",
        },
        sid="move",
    ),
    scenario({"op": "person_leaves", "employee": "am-fin1"}, sid="leave"),
    scenario({"op": "change_territory", "team": "R-S", "add": ["west"]}, sid="territory"),
    scenario(
        {
            "op": "add_coverage",
            "select": {"ids": ["shop-s", "bank-s"]},
            "holder_kind": "team",
            "holder_id": "SOL",
            "credit_share": 1.0,
        },
        sid="overlay",
    ),
]

LIVE_EDIT = ChangeSet(
    upserts=[
        Coverage(
            holder_kind=HolderKind.TEAM,
            holder_id="SOL",
            customer_id="shop-s",
            role=CoverageRole.OVERLAY,
            credit_share=1.0,
        )
    ]
)


def test_parallel_evaluations_and_a_live_edit_do_not_interfere(store: Store) -> None:
    load_world(store)
    v_before = store.version()
    quiet_before = {s.id: evaluate_scenario(store, s)[0].diff for s in SCENARIOS}

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [(s.id, pool.submit(evaluate_scenario, store, s)) for s in SCENARIOS * 4]
        edit = pool.submit(store.write, LIVE_EDIT)
        futures += [(s.id, pool.submit(evaluate_scenario, store, s)) for s in SCENARIOS * 2]
        v_after = edit.result().version
        results = [(sid, f.result()) for sid, f in futures]

    quiet_after = {s.id: evaluate_scenario(store, s)[0].diff for s in SCENARIOS}
    assert quiet_after["overlay"] != quiet_before["overlay"]  # the edit matters to the diff
    for sid, (ev, version) in results:
        assert version in (v_before, v_after)
        expected = quiet_before if version == v_before else quiet_after
        assert ev.diff == expected[sid], f"{sid} at version {version}"

    # the live edit landed, and nothing else changed the graph
    snapshot = graph_snapshot(store)
    load_world(store)
    store.write(LIVE_EDIT)
    assert graph_snapshot(store) == snapshot
    assert store.version() == v_after
