"""Org design scenarios under ``/v1/scenarios``.

JSON (``router``, included with the ``/v1`` prefix):

* ``GET /scenarios``, ``POST /scenarios`` (create), ``GET|PUT|DELETE /scenarios/{id}``: stored
  scenarios (validated against the live graph on every write; errors name the change index,
  its op and the field).
* ``POST /scenarios/{id}/evaluate``: the diff against today (incremental when possible).
* ``GET /scenarios/compare?ids=a,b``: several side by side; ``format=csv|xlsx|json``.
* ``POST /scenarios/{id}/apply`` (``?rebase=true`` for a stale one), ``POST .../revert``
  (``?force=true``), ``POST .../rebase``: admins, or org designers allowed to apply.

The comparison page and the scenario map page live with the other pages (``api.pages``).

Who: admins and org designers read, write and evaluate; applying and reverting needs admin, or
an org designer with ``can_apply``. Nothing is kept between requests: scenarios, baselines and
the audit trail live in the store, so any replica answers any request. Scenario errors are
answered by ``api.errors`` (404 unknown, 409 stale or in the wrong state, 422 invalid).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Response, status
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, RequireOrgDesigner, SettingsDep, StoreDep
from graph.auth.principal import Principal, Role
from graph.errors import PermissionDenied
from graph.scenarios.export import (
    comparison,
    comparison_data,
    evaluation_data,
    plain,
    to_csv,
    to_xlsx,
)
from graph.scenarios.service import (
    COLLECTION,
    StoredScenario,
    apply_scenario,
    delete_stored,
    evaluate_scenario,
    get_stored,
    list_stored,
    rebase_scenario,
    revert_scenario,
    save_scenario,
)
from graph.scenarios.spec import Scenario, parse_scenario
from graph.store.base import Store

router = APIRouter(tags=["scenarios"])

MAX_COMPARE = 6
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ScenarioId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]


class ScenarioSummary(BaseModel):
    id: str
    name: str
    description: str
    status: str
    changes: int
    base_version: int | None
    created_at: str
    created_by: str
    updated_at: str


class ScenarioOut(ScenarioSummary):
    scenario: dict[str, Any]
    touched_records: int
    applied: dict[str, Any] | None = None
    history: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class ScenarioPage(BaseModel):
    items: list[ScenarioSummary]
    next_cursor: str | None = None


def _summary(s: StoredScenario) -> dict[str, Any]:
    return {
        "id": s.scenario.id,
        "name": s.scenario.name,
        "description": s.scenario.description,
        "status": s.status,
        "changes": len(s.scenario.changes),
        "base_version": s.base_version,
        "created_at": s.created_at,
        "created_by": s.created_by,
        "updated_at": s.updated_at,
    }


def _out(s: StoredScenario, warnings: list[str] | None = None) -> ScenarioOut:
    return ScenarioOut(
        **_summary(s),
        scenario=s.scenario.to_data(),
        touched_records=len(s.base_records),
        applied=s.applied,
        history=s.history,
        warnings=warnings or [],
    )


def get_applier(principal: PrincipalDep) -> Principal:
    """The caller, if they may apply and revert: admins, and org designers with ``can_apply``."""
    designer = principal.role is Role.ORG_DESIGNER
    if principal.role is Role.ADMIN or (designer and principal.can_apply):
        return principal
    raise PermissionDenied(
        "applying and reverting scenarios needs admin, or an org designer allowed to apply"
    )


RequireApplier = Annotated[Principal, Depends(get_applier)]


def _parse(data: dict[str, Any], scenario_id: str | None = None) -> Scenario:
    if scenario_id is not None:
        data = {**data, "id": data.get("id", scenario_id)}
        if data["id"] != scenario_id:
            raise HTTPException(422, f"id {data['id']!r} in the body differs from the path")
    return parse_scenario(data)


def _save(store: Store, sc: Scenario, principal: Principal, policy_file: str | None) -> ScenarioOut:
    stored, resolved = save_scenario(store, sc, actor=principal.id, policy_file=policy_file)
    return _out(stored, resolved.warnings)


EXAMPLE = {
    "id": "north-cleanup",
    "name": "Contested banks to the finance team",
    "changes": [
        {
            "op": "move_customers",
            "select": {"tier": "key", "industry": "finance"},
            "to_team_of": "industry",
            "assign_account_manager": True,
        },
        {"op": "person_leaves", "employee": "E-42", "successor": "E-7"},
    ],
}


@router.get("/scenarios", response_model=ScenarioPage, summary="Stored scenarios")
def list_scenarios(
    principal: RequireOrgDesigner,
    store: StoreDep,
    after: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ScenarioPage:
    items = list_stored(store, after=after, limit=limit)
    return ScenarioPage(
        items=[ScenarioSummary(**_summary(s)) for s in items],
        next_cursor=items[-1].scenario.id if len(items) == limit else None,
    )


@router.post(
    "/scenarios",
    response_model=ScenarioOut,
    status_code=201,
    summary="Store a new scenario (validated against the live graph)",
)
def create_scenario(
    principal: RequireOrgDesigner,
    store: StoreDep,
    settings: SettingsDep,
    body: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> ScenarioOut:
    sc = _parse(body)
    if store.get_doc(COLLECTION, sc.id) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"scenario {sc.id!r} exists: PUT to replace")
    return _save(store, sc, principal, settings.policy_file)


@router.get("/scenarios/compare", summary="Several scenarios side by side (json, csv, xlsx)")
def compare_scenarios(
    principal: RequireOrgDesigner,
    store: StoreDep,
    settings: SettingsDep,
    ids: Annotated[str, Query(description="comma-separated scenario ids", max_length=700)],
    format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
) -> Response:
    comp = scenario_comparison(store, ids, settings.policy_file)
    if format == "csv":
        return Response(
            to_csv(comp),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="scenarios.csv"'},
        )
    if format == "xlsx":
        return Response(
            to_xlsx(comp),
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="scenarios.xlsx"'},
        )
    import json

    return Response(
        json.dumps(comparison_data(comp), ensure_ascii=False), media_type="application/json"
    )


def scenario_comparison(store: Store, ids: str, policy_file: str | None) -> Any:
    """The comparison of the comma-separated scenario ``ids`` (1 to ``MAX_COMPARE``), each
    evaluated against today: for the JSON/CSV/XLSX answer and the comparison page."""
    wanted = [i.strip() for i in ids.split(",") if i.strip()]
    if not wanted or len(wanted) > MAX_COMPARE:
        raise HTTPException(422, f"ids: give 1 to {MAX_COMPARE} scenario ids")
    evaluations = []
    for sid in dict.fromkeys(wanted):
        stored = get_stored(store, sid)
        ev, _v = evaluate_scenario(store, stored.scenario, policy_file=policy_file)
        evaluations.append(ev)
    return comparison(evaluations)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioOut, summary="One scenario")
def get_scenario(
    principal: RequireOrgDesigner, store: StoreDep, scenario_id: ScenarioId
) -> ScenarioOut:
    return _out(get_stored(store, scenario_id))


@router.put(
    "/scenarios/{scenario_id}",
    response_model=ScenarioOut,
    summary="Replace a draft scenario (re-validated; its base moves to now)",
)
def replace_scenario(
    principal: RequireOrgDesigner,
    store: StoreDep,
    settings: SettingsDep,
    scenario_id: ScenarioId,
    body: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> ScenarioOut:
    return _save(store, _parse(body, scenario_id), principal, settings.policy_file)


@router.delete("/scenarios/{scenario_id}", status_code=204, summary="Delete a draft scenario")
def delete_scenario(
    principal: RequireOrgDesigner, store: StoreDep, scenario_id: ScenarioId
) -> Response:
    delete_stored(store, scenario_id)
    return Response(status_code=204)


@router.post("/scenarios/{scenario_id}/evaluate", summary="The scenario's diff against today")
def evaluate(
    principal: RequireOrgDesigner,
    store: StoreDep,
    settings: SettingsDep,
    scenario_id: ScenarioId,
    full: Annotated[bool, Query(description="re-analyse every customer")] = False,
) -> dict[str, Any]:
    stored = get_stored(store, scenario_id)
    ev, version = evaluate_scenario(
        store, stored.scenario, force_full=full, policy_file=settings.policy_file
    )
    data = evaluation_data(ev, version)
    data["stale"] = stored.base_version != version
    return data


@router.post("/scenarios/{scenario_id}/apply", summary="Apply to the live graph (atomic, audited)")
def apply(
    principal: RequireApplier,
    store: StoreDep,
    settings: SettingsDep,
    scenario_id: ScenarioId,
    rebase: Annotated[
        bool, Query(description="apply a stale scenario to the current graph")
    ] = False,
) -> dict[str, Any]:
    get_stored(store, scenario_id)
    result = apply_scenario(
        store,
        scenario_id,
        actor=principal.id,
        role=principal.role.value,
        rebase=rebase,
        policy_file=settings.policy_file,
    )
    return plain(result)


@router.post("/scenarios/{scenario_id}/revert", summary="Restore the graph before the apply")
def revert(
    principal: RequireApplier,
    store: StoreDep,
    scenario_id: ScenarioId,
    force: Annotated[bool, Query(description="overwrite records edited since the apply")] = False,
) -> dict[str, Any]:
    get_stored(store, scenario_id)
    result = revert_scenario(
        store, scenario_id, actor=principal.id, role=principal.role.value, force=force
    )
    return plain(result)


@router.post(
    "/scenarios/{scenario_id}/rebase",
    response_model=ScenarioOut,
    summary="Re-resolve a draft against the current graph",
)
def rebase(
    principal: RequireOrgDesigner,
    store: StoreDep,
    settings: SettingsDep,
    scenario_id: ScenarioId,
) -> ScenarioOut:
    get_stored(store, scenario_id)
    return _out(
        rebase_scenario(store, scenario_id, actor=principal.id, policy_file=settings.policy_file)
    )
