"""Org design pages: scenarios side by side and one scenario's coverage map (org designers).

* ``GET /scenarios/compare?ids=a,b``   the comparison table
* ``GET /scenarios/{id}/map``          the coverage map as the scenario would leave it
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import SettingsDep, StoreDep
from api.pages.html import PageDesignerDep, html_page
from api.routes.scenarios import ScenarioId, scenario_comparison
from graph.scenarios.service import evaluate_scenario, get_stored
from visualize.html import AssetMode
from visualize.scenario_map import render_scenario_map
from visualize.scenario_page import render_comparison_page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/scenarios/compare")
def compare_page(
    who: PageDesignerDep,
    store: StoreDep,
    settings: SettingsDep,
    ids: Annotated[str, Query(max_length=700)],
) -> Response:
    """Several scenarios side by side."""
    return html_page(render_comparison_page(scenario_comparison(store, ids, settings.policy_file)))


@router.get("/scenarios/{scenario_id}/map")
def map_page(
    who: PageDesignerDep, store: StoreDep, settings: SettingsDep, scenario_id: ScenarioId
) -> Response:
    """The coverage map of the graph as the scenario would leave it."""
    stored = get_stored(store, scenario_id)
    ev, _v = evaluate_scenario(store, stored.scenario, policy_file=settings.policy_file)
    return html_page(render_scenario_map(ev, mode=AssetMode.SERVED))
