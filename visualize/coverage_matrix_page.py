"""The coverage matrix page: teams down, segments across, problems lit, every cell a link.

Server-rendered, no script (the page CSP stays strict). A cell shows how many customers the
team owns in that segment and their revenue; a red cell holds gaps or conflicts, an amber one
misfits, and its tooltip says how many of each. The row of customers nobody owns comes last;
the team's load status (overloaded, no account managers) stands beside its name. Every cell,
row and column total links to the list of its customers, and each of those to its account.
"""

from __future__ import annotations

from urllib.parse import urlencode

from graph.coverage.matrix import CellCustomer, CoverageMatrix, MatrixCell, MatrixRow, Segment
from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from visualize import shell
from visualize.html import AssetMode, esc
from visualize.pages import account_href

MATRIX_PATH = "/coverage/matrix"
CUSTOMERS_PATH = "/coverage/customers"


def _segment_names(tr: Translator) -> dict[Segment, str]:
    return {
        Segment.REGION: tr.gettext("region"),
        Segment.INDUSTRY: tr.gettext("industry"),
        Segment.TIER: tr.gettext("tier"),
    }


def status_label(tr: Translator, status: str) -> str:
    """A team's load status in words (empty when it is fine)."""
    return {
        "overloaded": tr.gettext("overloaded"),
        "no_account_managers": tr.gettext("no account managers"),
        "idle": tr.gettext("idle"),
    }.get(status, "")


def cell_href(team: str | None, by: Segment | None, value: str | None, problems: bool) -> str:
    query: list[tuple[str, str]] = []
    if team is not None:
        query.append(("team", team))
    if by is not None and value is not None:
        query += [("by", by.value), ("value", value)]
    if problems:
        query.append(("problems", "1"))
    return CUSTOMERS_PATH + ("?" + urlencode(query) if query else "")


def _cell(tr: Translator, cell: MatrixCell, href: str, currency: str) -> str:
    if not cell.customers:
        return '<td class="cell empty"></td>'
    tone = "bad" if cell.problems else ("warn" if cell.misfits else "")
    tip = tr.gettext(
        "{customers} customers, {revenue}; gaps {gaps}, conflicts {conflicts}, misfits {misfits}",
        customers=tr.number(cell.customers),
        revenue=tr.money(cell.revenue, currency),
        gaps=cell.gaps,
        conflicts=cell.conflicts,
        misfits=cell.misfits,
    )
    marks = ""
    if cell.problems:
        marks = f'<span class="marks">⚠ {cell.problems}</span>'
    return (
        f'<td class="cell {tone}" title="{esc(tip)}"><a href="{esc(href)}">'
        f"<b>{esc(tr.number(cell.customers))}</b>"
        f"<small>{esc(tr.compact_money(cell.revenue, currency))}</small>{marks}</a></td>"
    )


def _row(tr: Translator, m: CoverageMatrix, row: MatrixRow, currency: str, problems: bool) -> str:
    status = status_label(tr, row.load_status)
    badge = f' <span class="badge bad">{esc(status)}</span>' if status else ""
    name = row.label if row.team_id else tr.gettext("nobody owns")
    head = (
        f'<th scope="row" class="team" title="{esc(row.team_id)}">{esc(name)}{badge}'
        f"<small>{esc(term(tr, row.team_kind))}</small></th>"
    )
    cells = "".join(
        _cell(tr, c, cell_href(row.team_id, m.by, v, problems), currency)
        for c, v in zip(row.cells, m.segments, strict=True)
    )
    total = _cell(tr, row.total, cell_href(row.team_id, None, None, problems), currency)
    return f'<tr class="{"nobody" if not row.team_id else ""}">{head}{cells}{total}</tr>'


def render_coverage_matrix(
    m: CoverageMatrix,
    *,
    tr: Translator | None = None,
    currency: str = "CNY",
    problems_only: bool = False,
    here: str = MATRIX_PATH,
    mode: AssetMode = AssetMode.SERVED,
) -> str:
    """The whole matrix page (``mode`` INLINE: one self-contained file)."""
    tr = tr or translator()
    names = _segment_names(tr)
    switch = " · ".join(
        f'<a href="{esc(MATRIX_PATH + "?" + urlencode({"by": s.value}))}"'
        + (' aria-current="true"' if s is m.by else "")
        + f">{esc(names[s])}</a>"
        for s in Segment
    )
    toggle_query = {"by": m.by.value, **({} if problems_only else {"problems": "1"})}
    toggle = (
        f'<a href="{esc(MATRIX_PATH + "?" + urlencode(toggle_query))}">'
        + esc(tr.gettext("all teams") if problems_only else tr.gettext("teams with problems only"))
        + "</a>"
    )
    rows = [
        r
        for r in m.rows
        if not problems_only or r.total.problems or r.load_status not in ("ok", "")
    ]
    shown = [term(tr, v) if m.by is Segment.TIER else v for v in m.segments]
    head = "".join(f'<th scope="col">{esc(v or "—")}</th>' for v in shown)
    body = "".join(_row(tr, m, r, currency, problems_only) for r in rows)
    totals = "".join(
        _cell(tr, c, cell_href(None, m.by, v, problems_only), currency)
        for c, v in zip(m.column_totals, m.segments, strict=True)
    )
    grand = _cell(tr, m.totals, cell_href(None, None, None, problems_only), currency)
    summary = tr.gettext(
        "{customers} customers, {revenue}: {gaps} with gaps, {conflicts} in conflict",
        customers=tr.number(m.totals.customers),
        revenue=tr.money(m.totals.revenue, currency),
        gaps=tr.number(m.totals.gaps),
        conflicts=tr.number(m.totals.conflicts),
    )
    legend = (
        '<p class="legend"><span class="sw bad"></span>'
        + esc(tr.gettext("gaps or conflicts"))
        + ' <span class="sw warn"></span>'
        + esc(tr.gettext("owner does not fit the tier"))
        + " · "
        + esc(tr.gettext("a customer with two owner teams counts in both rows"))
        + "</p>"
    )
    title = tr.gettext("Coverage matrix: teams by {segment}", segment=names[m.by])
    content = (
        f'<h1>{esc(title)}</h1><p class="subtitle">{esc(summary)}</p>'
        f'<p class="controls">{esc(tr.gettext("Segments"))}: {switch} · {toggle}</p>{legend}'
        '<div class="matrix-wrap"><table class="matrix"><thead><tr>'
        f'<th scope="col">{esc(tr.gettext("Team"))}</th>{head}'
        f'<th scope="col">{esc(tr.gettext("Total"))}</th></tr></thead>'
        f'<tbody>{body}</tbody><tfoot><tr><th scope="row">{esc(tr.gettext("Total"))}</th>'
        f"{totals}{grand}</tr></tfoot></table></div>"
    )
    return shell.page(title, content, tr=tr, current=MATRIX_PATH, here=here, mode=mode)


def render_cell_customers(
    customers: list[CellCustomer],
    total: int,
    heading: str,
    *,
    team_names: dict[str, str],
    tr: Translator | None = None,
    currency: str = "CNY",
    here: str = CUSTOMERS_PATH,
) -> str:
    """The drill-down: a cell's customers, each linked to its account page."""
    tr = tr or translator()
    rows = []
    for c in customers:
        problems = [
            tr.gettext("gap") if c.gap else "",
            tr.gettext("conflict") if c.conflict else "",
            tr.gettext("misfit") if c.misfit else "",
        ]
        owners = ", ".join(team_names.get(t, t) for t in c.owners) or tr.gettext("nobody")
        rows.append(
            f'<tr><td><a href="{esc(account_href(c.customer_id))}" title="{esc(c.customer_id)}">'
            f"{esc(c.name)}</a></td><td>{esc(term(tr, c.tier))}</td><td>{esc(c.industry)}</td>"
            f'<td>{esc(c.region)}</td><td class="num">{esc(tr.money(c.revenue, currency))}</td>'
            f"<td>{esc(owners)}</td>"
            f'<td class="bad">{esc(", ".join(p for p in problems if p))}</td></tr>'
        )
    shown = tr.gettext(
        "{shown} of {total} customers, biggest revenue first",
        shown=tr.number(len(customers)),
        total=tr.number(total),
    )
    cols = [
        tr.gettext("Customer"),
        tr.gettext("tier"),
        tr.gettext("industry"),
        tr.gettext("region"),
        tr.gettext("Revenue"),
        tr.gettext("Owner teams"),
        tr.gettext("Problems"),
    ]
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in cols)
    back = f'<a href="{esc(MATRIX_PATH)}">← {esc(tr.gettext("Coverage matrix"))}</a>'
    content = (
        f'<p>{back}</p><h1>{esc(heading)}</h1><p class="subtitle">{esc(shown)}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return shell.page(heading, content, tr=tr, current=MATRIX_PATH, here=here)
