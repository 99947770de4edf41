"""Loading the small world into a store and evaluating a scenario both ways."""

from __future__ import annotations

from graph.scenarios.diff_results import ScenarioDiff
from graph.scenarios.evaluate import Evaluation
from graph.scenarios.service import evaluate_scenario
from graph.scenarios.spec import Scenario
from graph.store.base import ChangeSet, Store
from tests.scenarios.worlds import world


def load_world(store: Store) -> int:
    return store.write(ChangeSet(upserts=world())).version


def evaluate_both(store: Store, sc: Scenario) -> tuple[Evaluation, ScenarioDiff]:
    """Evaluate incrementally (where possible) and fully; both must give the same diff."""
    ev, _v = evaluate_scenario(store, sc)
    full, _v2 = evaluate_scenario(store, sc, force_full=True)
    assert full.mode == "full"
    assert ev.diff == full.diff, "incremental and full evaluation disagree"
    return ev, ev.diff


def gap_ids(rows: tuple, kind: str) -> list[str]:  # type: ignore[type-arg]
    return sorted(r.customer_id for r in rows if r.kind.value == kind)
