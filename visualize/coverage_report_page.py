"""The coverage health report as one self-contained HTML page with charts.

No scripts and nothing fetched from anywhere: charts are CSS bars and inline SVG, so the page
works under the API's Content-Security-Policy and saved as a file. Every string that comes from
data (customer, team and people names, regions, industries) goes through ``html.escape``.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable, Sequence

from graph.coverage.gaps import GapGroup, GapKind
from graph.coverage.report import CoverageReport
from graph.model import Tier

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:0;background:#f6f7f9;color:#1d2433}
header{background:#1d2433;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c9d1e0;font-size:13px}
main{padding:20px 28px;display:grid;gap:20px;
grid-template-columns:repeat(auto-fit,minmax(420px,1fr))}
section{background:#fff;border-radius:8px;padding:16px 18px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
section.wide{grid-column:1/-1}
h2{font-size:15px;margin:0 0 12px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.kpi{border-left:4px solid #3b6fd8;padding:6px 10px;background:#f2f5fb;border-radius:4px}
.kpi.bad{border-color:#d64545;background:#fcf1f1}.kpi.ok{border-color:#2f9e5f;background:#eff8f2}
.kpi b{display:block;font-size:22px}.kpi span{font-size:12px;color:#4a5468}
.bar{display:grid;grid-template-columns:minmax(80px,38%) 1fr auto;align-items:center;gap:8px;
margin:4px 0;font-size:13px}
.bar .track{background:#edf0f5;border-radius:3px;height:14px;position:relative}
.bar .fill{background:#3b6fd8;height:14px;border-radius:3px}
.bar .fill.bad{background:#d64545}.bar .fill.warn{background:#e39b2d}
.bar .fill.ok{background:#2f9e5f}
.bar .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar .num{text-align:right;font-variant-numeric:tabular-nums}
.mark{position:absolute;top:-3px;width:2px;height:20px;background:#1d2433}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e9ef;vertical-align:top}
th{color:#4a5468;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.legend{font-size:12px;color:#4a5468;margin-top:6px}
.sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}
.empty{color:#6b7588;font-size:13px}
"""

BLUE, RED, GREEN = "#3b6fd8", "#d64545", "#2f9e5f"


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def money(value: float) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.1f}B"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f}M"
    if abs(value) >= 1e4:
        return f"{value / 1e3:,.0f}K"
    return f"{value:,.0f}"


def bars(
    items: Sequence[tuple[str, float, str]],
    *,
    fmt: type[str] | None = None,
    tone: str = "",
    mark_at: float | None = None,
) -> str:
    """Horizontal bars: (label, value, shown value); a vertical mark at ``mark_at``."""
    if not items:
        return '<p class="empty">nothing to show</p>'
    top = max([v for _, v, _ in items] + [mark_at or 0.0]) or 1.0
    out = []
    for label, value, shown in items:
        width = max(0.0, min(100.0, 100.0 * value / top))
        mark = (
            f'<div class="mark" style="left:{100.0 * mark_at / top:.2f}%"></div>'
            if mark_at is not None
            else ""
        )
        out.append(
            f'<div class="bar"><div class="label" title="{esc(label)}">{esc(label)}</div>'
            f'<div class="track"><div class="fill {tone}" style="width:{width:.2f}%"></div>{mark}'
            f'</div><div class="num">{esc(shown)}</div></div>'
        )
    return "".join(out)


def tier_chart(report: CoverageReport) -> str:
    """Stacked SVG bars per tier: owned vs not owned customers (share of the tier)."""
    rows = report.summary.by_tier
    width, row_h, left = 520, 30, 80
    parts = [
        f'<svg viewBox="0 0 {width} {row_h * len(rows) + 10}" width="100%" role="img" '
        'aria-label="owned and unowned customers per tier">'
    ]
    for i, t in enumerate(rows):
        y = 5 + i * row_h
        span = width - left - 90
        owned = span * (t.owned / t.customers) if t.customers else 0.0
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{esc(t.tier.value)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{span}" height="20" fill="{RED}" '
            f'rx="3"><title>{esc(t.customers - t.owned)} not owned</title></rect>'
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{owned:.2f}" height="20" fill="{GREEN}" '
            f'rx="3"><title>{esc(t.owned)} owned</title></rect>'
        )
        parts.append(
            f'<text x="{width - 85}" y="{y + 15}" font-size="12">{t.owned:,}/{t.customers:,}</text>'
        )
    parts.append("</svg>")
    legend = (
        f'<div class="legend"><span class="sw" style="background:{GREEN}"></span>owned'
        f'<span class="sw" style="background:{RED}"></span>nobody owns</div>'
    )
    return "".join(parts) + legend


def kpi(label: str, value: int | str, tone: str = "") -> str:
    shown = f"{value:,}" if isinstance(value, int) else value
    return f'<div class="kpi {tone}"><b>{esc(shown)}</b><span>{esc(label)}</span></div>'


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{esc(v)}</td>' if i in numeric else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return '<p class="empty">nothing to show</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _groups(groups: Iterable[GapGroup], by: str, limit: int = 10) -> list[tuple[str, float, str]]:
    total: dict[str, list[float]] = {}
    for g in groups:
        if g.by == by and g.kind is GapKind.NO_OWNER:
            cell = total.setdefault(g.value or "(none)", [0.0, 0])
            cell[0] += g.revenue + g.potential
            cell[1] += g.customers
    ranked = sorted(total.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [(k, v[0], f"{int(v[1]):,} · {money(v[0])}") for k, v in ranked]


def render_coverage_report(report: CoverageReport, title: str = "Coverage health") -> str:
    """The whole page as one HTML string."""
    s = report.summary
    c = s.counts
    owned_pct = f"{100.0 * c.owned / c.customers:.1f}%" if c.customers else "-"

    def tone(n: int) -> str:
        return "bad" if n else "ok"

    kpis = "".join(
        [
            kpi("customers", c.customers),
            kpi("owned", owned_pct, "ok" if c.owned == c.customers else ""),
            kpi("nobody owns", c.no_owner, tone(c.no_owner)),
            kpi("owner does not fit tier", c.owner_kind_misfit, tone(c.owner_kind_misfit)),
            kpi("key without named AM", c.key_without_named_am, tone(c.key_without_named_am)),
            kpi(
                "strategic without dedicated AM",
                c.strategic_without_dedicated_am,
                tone(c.strategic_without_dedicated_am),
            ),
            kpi("conflicts (several owners)", c.conflicts, tone(c.conflicts)),
            kpi("credit inflation", c.inflation, tone(c.inflation)),
            kpi("overlay dual credit (allowed)", c.allowed_overlays),
            kpi("overloaded people", c.overloaded_people, tone(c.overloaded_people)),
            kpi("idle account managers", c.idle_people, tone(c.idle_people)),
            kpi("uncovered branches", c.uncovered_branches, tone(c.uncovered_branches)),
            kpi("HQ-branch conflicts", c.hq_branch_conflicts, tone(c.hq_branch_conflicts)),
            kpi("inactive owners", c.inactive_owner, tone(c.inactive_owner)),
            kpi("proposed tier changes", c.tier_changes),
        ]
    )
    m = s.money
    money_items = [
        (f.name.replace("_", " "), float(getattr(m, f.name)), money(getattr(m, f.name)))
        for f in dataclasses.fields(m)
    ]
    people = [
        (f"{p.name} ({p.employee_id})", p.weighted_load, f"{p.weighted_load:.2f}")
        for p in report.capacity.people[:12]
    ]
    pairs = [
        (
            f"{p.team_a} + {p.team_b}",
            p.double_counted_revenue,
            money(p.double_counted_revenue) + ("" if not p.allowed else " (overlay)"),
        )
        for p in report.credit.per_pair[:10]
    ]
    offenders = table(
        ["finding", "id", "name", "size", "detail"],
        (
            [
                o.what.replace("_", " "),
                o.id,
                o.name,
                f"{o.value:.2f}" if o.what == "overloaded" else money(o.value),
                o.detail,
            ]
            for o in s.top_offenders
        ),
        {3},
    )
    changes = table(
        ["rank", "customer", "score", "today", "proposed", "why"],
        (
            [
                sc.rank or "-",
                sc.customer_name,
                f"{sc.score:.3f}",
                sc.current_tier.value,
                sc.proposed_tier.value,
                sc.reason,
            ]
            for sc in report.scores.changes[:15]
        ),
        {0, 2},
    )
    w = report.scores.weights
    score_note = (
        f"weights: revenue {w.revenue:g}, potential {w.potential:g}, reference {w.reference:g},"
        f" winnability {w.winnability:g} · top {report.scores.key_top_percent:g}% = "
        f"{report.scores.key_slots:,} key slots · {len(report.scores.changes):,} changes"
    )
    tiers = ", ".join(
        f"{t.value} {n:,}"
        for t, n in report.scores.proposed_counts
        if t in (Tier.STRATEGIC, Tier.KEY)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)} · relmap</title><style>{CSS}</style></head>
<body><header><h1>{esc(title)}</h1>
<p>Gaps, conflicts, credit, capacity and hierarchy of the coverage model, per the policy in
force. Figures are revenue of the last 2 years; potential is the next 3 years.</p></header>
<main>
<section class="wide"><h2>At a glance</h2><div class="kpis">{kpis}</div></section>
<section><h2>Customers owned per tier</h2>{tier_chart(report)}</section>
<section><h2>Money at stake</h2>{bars(money_items, tone="warn")}</section>
<section><h2>Nobody owns: revenue + potential by region</h2>
{bars(_groups(report.gaps.groups, "region"), tone="bad")}</section>
<section><h2>Nobody owns: by industry</h2>
{bars(_groups(report.gaps.groups, "industry"), tone="bad")}</section>
<section><h2>Weighted load of account managers (mark = full book)</h2>
{bars(people, mark_at=report.policy.capacity.max_weighted_load)}</section>
<section><h2>Revenue counted twice, per team pair</h2>{bars(pairs, tone="warn")}</section>
<section class="wide"><h2>Top offenders</h2>{offenders}</section>
<section class="wide"><h2>Key-account re-evaluation</h2>
<p class="legend">{esc(score_note)} · proposed: {esc(tiers)}</p>{changes}</section>
</main></body></html>
"""
