"""The coverage matrix page: cells link to their customers, problems are lit, hostile team and
customer names stay text, and the page reads in Chinese."""

from __future__ import annotations

from graph.coverage.inputs import customer_chunks, read_org
from graph.coverage.matrix import NOBODY, Segment, cell_customers, coverage_matrix, flags
from graph.coverage.policy import Policy
from graph.coverage.report import report_from_records
from graph.coverage.resolve import effective_coverage
from graph.i18n import translator
from graph.model import Team
from graph.store.reader import MemorySource
from tests.coverage.worlds import sales_world
from tests.support.map_samples import XSS_IMG, XSS_SCRIPT
from visualize.coverage_matrix_page import render_cell_customers, render_coverage_matrix


def _cells(report, team):  # type: ignore[no-untyped-def]
    source = MemorySource(_records())
    coverages = effective_coverage(read_org(source), customer_chunks(source), Policy())
    return cell_customers(coverages, flags(report.gaps, report.conflicts), team)


def _records():  # type: ignore[no-untyped-def]
    out = []
    for r in sales_world():
        if isinstance(r, Team) and r.id == "KA-FIN":
            r = r.model_copy(update={"name": XSS_SCRIPT})
        out.append(r)
    return out


def _world():  # type: ignore[no-untyped-def]
    records = []
    for r in sales_world():
        if isinstance(r, Team) and r.id == "KA-FIN":
            r = r.model_copy(update={"name": XSS_SCRIPT})
        records.append(r)
    names = {r.id: r.name for r in records if isinstance(r, Team)}
    return report_from_records(records), names


def test_cells_link_to_their_customers_and_problems_are_lit() -> None:
    report, names = _world()
    html = render_coverage_matrix(coverage_matrix(report, names, Segment.REGION))
    assert 'href="/coverage/customers?team=R-SH&amp;by=region&amp;value=' in html
    assert 'class="cell bad"' in html
    assert "nobody owns" in html and 'aria-current="page"' in html


def test_hostile_names_stay_text() -> None:
    report, names = _world()
    html = render_coverage_matrix(coverage_matrix(report, names, Segment.TIER))
    assert XSS_SCRIPT not in html and "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    rows, total = _cells(report, "KA-FIN")
    listing = render_cell_customers(rows, total, XSS_IMG, team_names=names)
    assert XSS_IMG not in listing and XSS_SCRIPT not in listing


def test_the_page_reads_in_chinese_with_local_amounts() -> None:
    report, names = _world()
    zh = translator("zh-CN")
    html = render_coverage_matrix(coverage_matrix(report, names, Segment.TIER), tr=zh)
    assert '<html lang="zh-CN">' in html
    assert "覆盖矩阵：团队 × 级别" in html and "战略客户" in html and "无人负责" in html
    rows, total = _cells(report, NOBODY)
    listing = render_cell_customers(rows, total, "无人负责", team_names=names, tr=zh)
    assert "¥" in listing and "缺口" in listing
