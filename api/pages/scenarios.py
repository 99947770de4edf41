"""Org design pages: the scenarios kept, uploading one, its evaluation with apply and revert,
several side by side, and one scenario's coverage map (org designers).

* ``GET  /scenarios``                   the list, with compare and upload forms
* ``POST /scenarios``                   upload a scenario YAML (form, CSRF), then its page
* ``GET  /scenarios/compare?ids=a,b``   the comparison table (``ids`` also repeated)
* ``GET  /scenarios/{id}``              its evaluation against today, apply or revert form
* ``POST /scenarios/{id}/apply``        apply (form, CSRF, the graph version the page showed)
* ``POST /scenarios/{id}/revert``       revert (form, CSRF)
* ``GET  /scenarios/{id}/map``          the coverage map as the scenario would leave it

Forms post the ``csrf_token`` field (the double-submit check in ``api.auth``) and answer with
a redirect (303) to the page that shows the result, so a reload never posts twice.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile, status
from fastapi.responses import RedirectResponse, Response

from api.auth import CSRF_COOKIE
from api.deps import SettingsDep, StoreDep
from api.pages.html import PageDesignerDep, html_page
from api.pages.language import PageTranslatorDep
from api.routes.scenarios import ScenarioId, scenario_comparison
from graph.auth.principal import Principal, Role
from graph.coverage.inputs import read_org
from graph.scenarios.export import comparison
from graph.scenarios.service import (
    COLLECTION,
    apply_scenario,
    evaluate_scenario,
    get_stored,
    list_stored,
    revert_scenario,
    save_scenario,
)
from graph.scenarios.spec import ScenarioError, parse_scenario_text
from graph.store.base import Store
from visualize.html import AssetMode, esc
from visualize.names import NameBook
from visualize.scenario_list_page import (
    render_scenario_actions,
    render_scenario_list,
    scenario_href,
)
from visualize.scenario_map import render_scenario_map
from visualize.scenario_page import render_comparison_page

router = APIRouter(tags=["pages"], include_in_schema=False)

MAX_SCENARIO_BYTES = 1024 * 1024
LIST_LIMIT = 200


def _csrf(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE, "")


def _may_apply(who: Principal) -> bool:
    return who.role is Role.ADMIN or (who.role is Role.ORG_DESIGNER and who.can_apply)


def _names(store: Store) -> NameBook:
    return NameBook.from_org(read_org(store))


def _see(path: str, **query: str) -> RedirectResponse:
    target = path + ("?" + urlencode(query) if query else "")
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


@router.get("/scenarios")
def list_page(
    request: Request,
    who: PageDesignerDep,
    store: StoreDep,
    tr: PageTranslatorDep,
) -> Response:
    """The scenarios kept, newest last, with the compare and upload forms."""
    items = list_stored(store, limit=LIST_LIMIT)
    return html_page(render_scenario_list(items, csrf_token=_csrf(request), can_upload=True, tr=tr))


@router.post("/scenarios")
async def upload(
    request: Request,
    who: PageDesignerDep,
    store: StoreDep,
    settings: SettingsDep,
    tr: PageTranslatorDep,
    file: UploadFile,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Save an uploaded scenario (a new id, or replace a draft of the same id), then show it."""
    data = await file.read(MAX_SCENARIO_BYTES + 1)
    errors: list[str] = []
    if len(data) > MAX_SCENARIO_BYTES:
        errors.append(tr.gettext("The file is over 1 MiB: a scenario is a short YAML file."))
    else:
        try:
            text = data.decode("utf-8-sig")
            sc = parse_scenario_text(text, file.filename or "scenario.yaml")
            existing = store.get_doc(COLLECTION, sc.id)
            if existing is not None and existing.get("status") not in (None, "draft"):
                errors.append(
                    tr.gettext("Scenario {id} was applied: give the new one another id.", id=sc.id)
                )
            else:
                save_scenario(store, sc, actor=who.id, policy_file=settings.policy_file)
                return _see(scenario_href(sc.id))
        except UnicodeDecodeError:
            errors.append(tr.gettext("The file is not UTF-8 text."))
        except ScenarioError as exc:
            errors.append(str(exc))
    items = list_stored(store, limit=LIST_LIMIT)
    page = render_scenario_list(
        items, csrf_token=_csrf(request), can_upload=True, tr=tr, errors=errors
    )
    return html_page(page, status.HTTP_422_UNPROCESSABLE_ENTITY)


@router.get("/scenarios/compare")
def compare_page(
    who: PageDesignerDep,
    store: StoreDep,
    settings: SettingsDep,
    tr: PageTranslatorDep,
    ids: Annotated[list[str], Query(max_length=700)],
) -> Response:
    """Several scenarios side by side (``ids=a,b`` or ``ids=a&ids=b`` from the list's form)."""
    comp = scenario_comparison(store, ",".join(ids), settings.policy_file)
    return html_page(render_comparison_page(comp, names=_names(store), tr=tr))


@router.get("/scenarios/{scenario_id}")
def scenario_page(
    request: Request,
    who: PageDesignerDep,
    store: StoreDep,
    settings: SettingsDep,
    tr: PageTranslatorDep,
    scenario_id: ScenarioId,
    moved: bool = False,
) -> Response:
    """One scenario: what it does against today, and the apply or revert form (``moved``: an
    apply was refused because the graph changed after the page was drawn)."""
    stored = get_stored(store, scenario_id)
    ev, version = evaluate_scenario(store, stored.scenario, policy_file=settings.policy_file)
    actions = render_scenario_actions(
        stored, version=version, csrf_token=_csrf(request), can_apply=_may_apply(who), tr=tr
    )
    if moved:
        note = tr.gettext(
            "Not applied: the graph changed after the page was drawn. "
            "This is the evaluation against the graph as it is now; look again, then apply."
        )
        actions = f'<p class="notice bad">{esc(note)}</p>' + actions
    page = render_comparison_page(
        comparison([ev]),
        names=_names(store),
        tr=tr,
        title=stored.scenario.name,
        actions=actions,
        here=scenario_href(scenario_id),
    )
    return html_page(page)


def _applier(who: Principal) -> Principal:
    if not _may_apply(who):
        who.require(Role.ADMIN)  # raises PermissionDenied: 403
    return who


@router.post("/scenarios/{scenario_id}/apply")
def apply_page(
    who: PageDesignerDep,
    store: StoreDep,
    settings: SettingsDep,
    scenario_id: ScenarioId,
    version: Annotated[int, Form(ge=0)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Apply, unless the graph moved since the page showed ``version`` (then the page says so)."""
    _applier(who)
    get_stored(store, scenario_id)
    if store.version() != version:
        return _see(scenario_href(scenario_id), moved="1")
    apply_scenario(
        store, scenario_id, actor=who.id, role=who.role.value, policy_file=settings.policy_file
    )
    return _see(scenario_href(scenario_id))


@router.post("/scenarios/{scenario_id}/revert")
def revert_page(
    who: PageDesignerDep,
    store: StoreDep,
    scenario_id: ScenarioId,
    version: Annotated[int, Form(ge=0)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Revert an applied scenario."""
    _applier(who)
    get_stored(store, scenario_id)
    revert_scenario(store, scenario_id, actor=who.id, role=who.role.value)
    return _see(scenario_href(scenario_id))


@router.get("/scenarios/{scenario_id}/map")
def map_page(
    who: PageDesignerDep, store: StoreDep, settings: SettingsDep, scenario_id: ScenarioId
) -> Response:
    """The coverage map of the graph as the scenario would leave it."""
    stored = get_stored(store, scenario_id)
    ev, _v = evaluate_scenario(store, stored.scenario, policy_file=settings.policy_file)
    return html_page(render_scenario_map(ev, mode=AssetMode.SERVED))
