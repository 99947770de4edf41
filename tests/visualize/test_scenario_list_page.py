"""The scenario list: compare form, upload form with the CSRF token only for those who may save,
apply/revert forms only with the apply right, hostile names inert, Chinese on request."""

from __future__ import annotations

from graph.i18n import translator
from graph.scenarios.service import StoredScenario
from tests.scenarios.worlds import scenario
from tests.support.map_samples import XSS_SCRIPT
from visualize.scenario_list_page import render_scenario_actions, render_scenario_list


def _stored(name: str = "Company A", status: str = "draft") -> StoredScenario:
    sc = scenario(
        {"op": "move_customers", "select": {"tier": "key"}, "to_team": "KA-FIN"}, sid="s-a"
    )
    named = sc.model_copy(update={"name": name})
    return StoredScenario(scenario=named, base_version=3, base_records=[], status=status)


def test_the_list_compares_ticked_scenarios_and_uploads_with_the_csrf_token() -> None:
    html = render_scenario_list([_stored()], csrf_token="tok-123", can_upload=True)
    assert '<form method="get" action="/scenarios/compare">' in html
    assert 'name="ids" value="s-a"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<input type="hidden" name="csrf_token" value="tok-123">' in html
    viewer = render_scenario_list([_stored()], csrf_token="tok-123", can_upload=False)
    assert "multipart/form-data" not in viewer and "tok-123" not in viewer


def test_apply_and_revert_need_the_right_and_carry_the_version() -> None:
    draft = render_scenario_actions(_stored(), version=7, csrf_token="t", can_apply=True)
    assert 'action="/scenarios/s-a/apply"' in draft and 'name="version" value="7"' in draft
    applied = render_scenario_actions(
        _stored(status="applied"), version=8, csrf_token="t", can_apply=True
    )
    assert 'action="/scenarios/s-a/revert"' in applied
    assert "<form" not in render_scenario_actions(
        _stored(), version=7, csrf_token="t", can_apply=False
    )


def test_hostile_names_stay_text_and_the_page_reads_in_chinese() -> None:
    html = render_scenario_list(
        [_stored(XSS_SCRIPT)], csrf_token="t", can_upload=True, tr=translator("zh-CN")
    )
    assert XSS_SCRIPT not in html
    assert "调整方案" in html and "上传方案" in html and "草稿" in html
