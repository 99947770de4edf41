"""The coverage health page reads as its user needs: teams and people by name, amounts with
their currency, the shared header, Chinese on request, and no inline style or script."""

from __future__ import annotations

import re

from graph.coverage.report import report_from_records
from graph.i18n import translator
from graph.model import Team
from tests.coverage.worlds import sales_world
from visualize.coverage_report_page import render_coverage_report


def _report():  # type: ignore[no-untyped-def]
    records = sales_world()
    names = {r.id: r.name for r in records if isinstance(r, Team)}
    return report_from_records(records), names


def test_names_not_ids_and_amounts_with_currency() -> None:
    report, names = _report()
    html = render_coverage_report(report, names=names, currency="CNY")
    pair = report.credit.per_pair[0]
    assert f"{names[pair.team_a]} + {names[pair.team_b]}" in html
    assert "CN¥" in html
    assert 'href="/coverage/matrix"' in html and 'class="topbar"' in html


def test_no_inline_style_or_script_so_the_strict_page_csp_holds() -> None:
    report, names = _report()
    html = render_coverage_report(report, names=names)
    assert not re.search(r"\sstyle=", html)
    assert "<script" not in html


def test_chinese_page() -> None:
    report, names = _report()
    html = render_coverage_report(report, names=names, tr=translator("zh-CN"))
    assert '<html lang="zh-CN">' in html
    assert "覆盖健康度" in html and "无人负责" in html and "¥" in html
