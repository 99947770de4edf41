"""The coverage health report as a page with charts, in the reader's language.

No scripts and no inline styles: charts are SVG (bar lengths are SVG attributes, not CSS), so
the page holds under the strictest page Content-Security-Policy, and ``AssetMode.INLINE`` makes
it one file. Teams and people appear by name (ids in tooltips), amounts with their currency,
every string from data through ``esc``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from graph.coverage.gaps import GapGroup, GapKind
from graph.coverage.report import CoverageReport
from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from graph.model import Tier
from visualize import shell
from visualize.html import AssetMode, esc
from visualize.names import NameBook
from visualize.pages import account_href

PATH = "/reports/coverage"
BAR_WIDTH = 100  # the SVG track's user units; bars scale to the page
short = "{:g}".format


def bars(
    items: Sequence[tuple[str, float, str, str]],
    *,
    tone: str = "",
    mark_at: float | None = None,
    empty: str = "",
) -> str:
    """Horizontal bars of (label, value, shown value, tooltip); a vertical mark at ``mark_at``."""
    if not items:
        return f'<p class="empty">{esc(empty)}</p>'
    top = max([v for _, v, _, _ in items] + [mark_at or 0.0]) or 1.0
    out = []
    for label, value, shown, tip in items:
        width = max(0.0, min(100.0, 100.0 * value / top))
        mark = (
            f'<rect class="mark" x="{100.0 * mark_at / top:.2f}" y="0" width="0.6" height="10"/>'
            if mark_at is not None
            else ""
        )
        out.append(
            f'<div class="bar" title="{esc(tip or label)}"><div class="label">{esc(label)}</div>'
            f'<svg class="track" viewBox="0 0 {BAR_WIDTH} 10" preserveAspectRatio="none" '
            f'aria-hidden="true"><rect class="bg" width="100" height="10" rx="1"/>'
            f'<rect class="fill {esc(tone)}" width="{width:.2f}" height="10" rx="1"/>{mark}</svg>'
            f'<div class="num">{esc(shown)}</div></div>'
        )
    return "".join(out)


def tier_chart(tr: Translator, report: CoverageReport) -> str:
    """Per tier: owned (green) against not owned (red) customers, as a share of the tier."""
    items = []
    for t in report.summary.by_tier:
        share = 100.0 * t.owned / t.customers if t.customers else 0.0
        shown = f"{tr.number(t.owned)}/{tr.number(t.customers)}"
        tip = tr.gettext(
            "{owned} owned, {unowned} nobody owns", owned=t.owned, unowned=t.customers - t.owned
        )
        items.append((term(tr, t.tier), share, shown, tip))
    legend = (
        f'<p class="legend"><span class="sw ok"></span>{esc(tr.gettext("owned"))}'
        f'<span class="sw bad"></span>{esc(tr.gettext("nobody owns"))}</p>'
    )
    return bars(items, tone="ok", empty=tr.gettext("nothing to show")) + legend


def kpi(tr: Translator, label: str, value: int | str, tone: str = "") -> str:
    shown = tr.number(value) if isinstance(value, int) else value
    return f'<div class="kpi {esc(tone)}"><b>{esc(shown)}</b><span>{esc(label)}</span></div>'


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int], empty: str
) -> str:
    """A table of already-escaped cells (so a cell may hold a link)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{v}</td>' if i in numeric else f"<td>{v}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return f'<p class="empty">{esc(empty)}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def section(heading: str, body: str, *, wide: bool = False) -> str:
    """One panel of the report: an escaped heading over already-safe ``body``."""
    return f'<section class="{"wide" if wide else ""}"><h2>{esc(heading)}</h2>{body}</section>'


def _groups(
    tr: Translator, groups: Iterable[GapGroup], by: str, currency: str, limit: int = 10
) -> list[tuple[str, float, str, str]]:
    total: dict[str, list[float]] = {}
    for g in groups:
        if g.by == by and g.kind is GapKind.NO_OWNER:
            cell = total.setdefault(g.value or "—", [0.0, 0])
            cell[0] += g.revenue + g.potential
            cell[1] += g.customers
    ranked = sorted(total.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [
        (k, v[0], f"{tr.number(int(v[1]))} · {tr.compact_money(v[0], currency)}", "")
        for k, v in ranked
    ]


def _kpis(tr: Translator, report: CoverageReport) -> str:
    c = report.summary.counts
    owned_pct = f"{100.0 * c.owned / c.customers:.1f}%" if c.customers else "-"

    def bad(n: int) -> str:
        return "bad" if n else "ok"

    g = tr.gettext
    return "".join(
        [
            kpi(tr, g("customers"), c.customers),
            kpi(tr, g("owned"), owned_pct, "ok" if c.owned == c.customers else ""),
            kpi(tr, g("nobody owns"), c.no_owner, bad(c.no_owner)),
            kpi(
                tr, g("owner does not fit the tier"), c.owner_kind_misfit, bad(c.owner_kind_misfit)
            ),
            kpi(
                tr,
                g("key account without a named AM"),
                c.key_without_named_am,
                bad(c.key_without_named_am),
            ),
            kpi(
                tr,
                g("strategic account without a dedicated AM"),
                c.strategic_without_dedicated_am,
                bad(c.strategic_without_dedicated_am),
            ),
            kpi(tr, g("conflicts (several owners)"), c.conflicts, bad(c.conflicts)),
            kpi(tr, g("credit inflation"), c.inflation, bad(c.inflation)),
            kpi(tr, g("overlay dual credit (allowed)"), c.allowed_overlays),
            kpi(tr, g("overloaded people"), c.overloaded_people, bad(c.overloaded_people)),
            kpi(tr, g("idle account managers"), c.idle_people, bad(c.idle_people)),
            kpi(tr, g("uncovered branches"), c.uncovered_branches, bad(c.uncovered_branches)),
            kpi(tr, g("HQ-branch conflicts"), c.hq_branch_conflicts, bad(c.hq_branch_conflicts)),
            kpi(tr, g("inactive owners"), c.inactive_owner, bad(c.inactive_owner)),
            kpi(tr, g("proposed tier changes"), c.tier_changes),
        ]
    )


def _money_words(tr: Translator) -> dict[str, str]:
    g = tr.gettext
    return {
        "unowned_revenue": g("revenue nobody owns"),
        "unowned_potential": g("potential nobody owns"),
        "misfit_revenue": g("revenue with an owner that does not fit"),
        "conflict_revenue": g("revenue in conflict"),
        "double_counted_revenue": g("revenue counted twice"),
        "inflated_revenue": g("inflated revenue"),
        "uncovered_branch_revenue": g("revenue of uncovered branches"),
    }


def _offender_words(tr: Translator) -> dict[str, str]:
    g = tr.gettext
    return {
        "no_owner": g("nobody owns"),
        "conflict": g("conflict"),
        "inflation": g("credit inflation"),
        "overloaded": g("overloaded"),
        "uncovered_branch": g("uncovered branch"),
    }


def _offenders(tr: Translator, report: CoverageReport, book: NameBook, currency: str) -> str:
    words = _offender_words(tr)
    rows = []
    for o in report.summary.top_offenders:
        who = (
            f'<span title="{esc(o.id)}">{esc(o.name)}</span>'
            if o.what == "overloaded"
            else f'<a href="{esc(account_href(o.id))}" title="{esc(o.id)}">{esc(o.name)}</a>'
        )
        size = f"{o.value:.2f}" if o.what == "overloaded" else tr.money(o.value, currency)
        rows.append([esc(words.get(o.what, o.what)), who, esc(size), esc(book.text(o.detail))])
    headers = [tr.gettext("finding"), tr.gettext("who"), tr.gettext("size"), tr.gettext("detail")]
    return table(headers, rows, {2}, tr.gettext("nothing to show"))


def _changes(tr: Translator, report: CoverageReport) -> str:
    rows = [
        [
            esc(sc.rank or "-"),
            f'<a href="{esc(account_href(sc.customer_id))}">{esc(sc.customer_name)}</a>',
            esc(f"{sc.score:.3f}"),
            esc(term(tr, sc.current_tier)),
            esc(term(tr, sc.proposed_tier)),
            esc(sc.reason),
        ]
        for sc in report.scores.changes[:15]
    ]
    headers = [
        tr.gettext("rank"),
        tr.gettext("Customer"),
        tr.gettext("score"),
        tr.gettext("today"),
        tr.gettext("proposed"),
        tr.gettext("why"),
    ]
    return table(headers, rows, {0, 2}, tr.gettext("nothing to show"))


def render_coverage_report(
    report: CoverageReport,
    title: str | None = None,
    *,
    tr: Translator | None = None,
    currency: str = "CNY",
    names: Mapping[str, str] | None = None,
    here: str = PATH,
    mode: AssetMode = AssetMode.SERVED,
) -> str:
    """The whole page as one HTML string; ``names`` adds names of teams and people by id (the
    report itself names only those with a book of customers)."""
    tr = tr or translator()
    g = tr.gettext
    title = title or g("Coverage health")
    book = NameBook.from_report(report, names)
    m = report.summary.money
    words = _money_words(tr)
    money_items = [
        (
            words.get(f.name, f.name),
            float(getattr(m, f.name)),
            tr.compact_money(getattr(m, f.name), currency),
            tr.money(getattr(m, f.name), currency),
        )
        for f in dataclasses.fields(m)
    ]
    people = [
        (p.name, p.weighted_load, f"{p.weighted_load:.2f}", p.employee_id)
        for p in report.capacity.people[:12]
    ]
    pairs = [
        (
            f"{book.name(p.team_a)} + {book.name(p.team_b)}",
            p.double_counted_revenue,
            tr.compact_money(p.double_counted_revenue, currency)
            + ("" if not p.allowed else " " + g("(overlay)")),
            f"{p.team_a} + {p.team_b}",
        )
        for p in report.credit.per_pair[:10]
    ]
    w = report.scores.weights
    score_note = g(
        "weights: revenue {revenue}, potential {potential}, reference {reference}, "
        "winnability {winnability} · top {top}% = {slots} key slots · {changes} changes",
        revenue=short(w.revenue),
        potential=short(w.potential),
        reference=short(w.reference),
        winnability=short(w.winnability),
        top=short(report.scores.key_top_percent),
        slots=tr.number(report.scores.key_slots),
        changes=tr.number(len(report.scores.changes)),
    )
    proposed = ", ".join(
        f"{term(tr, t)} {tr.number(n)}"
        for t, n in report.scores.proposed_counts
        if t in (Tier.STRATEGIC, Tier.KEY)
    )
    nothing = g("nothing to show")
    intro = g(
        "Gaps, conflicts, credit, capacity and hierarchy of the coverage model, per the policy "
        "in force. Revenue is of the last 2 years; potential is the next 3 years."
    )
    links = (
        f'<a href="/coverage/matrix">{esc(g("Coverage matrix"))}</a> · '
        f'<a href="/coverage/map">{esc(g("Coverage map"))}</a>'
    )
    regions = _groups(tr, report.gaps.groups, "region", currency)
    industries = _groups(tr, report.gaps.groups, "industry", currency)
    full_book = report.policy.capacity.max_weighted_load
    scores = f'<p class="legend">{esc(score_note)} · {esc(g("proposed"))}: {esc(proposed)}</p>'
    content = (
        f'<div class="report"><h1>{esc(title)}</h1><p class="subtitle">{esc(intro)} {links}</p>'
        + section(g("At a glance"), f'<div class="kpis">{_kpis(tr, report)}</div>', wide=True)
        + section(g("Customers owned per tier"), tier_chart(tr, report))
        + section(g("Money at stake"), bars(money_items, tone="warn", empty=nothing))
        + section(
            g("Nobody owns: revenue + potential by region"),
            bars(regions, tone="bad", empty=nothing),
        )
        + section(g("Nobody owns: by industry"), bars(industries, tone="bad", empty=nothing))
        + section(
            g("Weighted load of account managers (mark = a full book)"),
            bars(people, mark_at=full_book, empty=nothing),
        )
        + section(
            g("Revenue counted twice, per team pair"), bars(pairs, tone="warn", empty=nothing)
        )
        + section(g("Top offenders"), _offenders(tr, report, book, currency), wide=True)
        + section(g("Key-account re-evaluation"), scores + _changes(tr, report), wide=True)
        + "</div>"
    )
    return shell.page(title, content, tr=tr, current=PATH, here=here, mode=mode)
