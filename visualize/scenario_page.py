"""The scenario comparison page: several restructures side by side against today.

A plain HTML document (no script at all): the headline metrics (today, each scenario's value
after and the change, better/worse marked), the counts of what each scenario opens, closes and
moves, and the per-customer changes, with links to the exports and to each scenario's map.
Every value is escaped (``visualize.html.esc``); styles come from the bundled ``relmap.css``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlencode

from graph.scenarios.export import Comparison
from visualize import shell
from visualize.html import AssetMode, esc

# metrics where a rise is good news; for every other headline metric a rise is bad news
HIGHER_IS_BETTER = {"owned", "dual_credit_customers", "customers"}
NEUTRAL = {"customers", "double_counted_revenue", "dual_credit_customers", "tier_changes"}
MAX_CUSTOMER_ROWS = 500


def _num(v: float | None) -> str:
    if v is None:
        return "unchanged"
    return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 1000 else f"{v:,.2f}"


def _change(metric: str, delta: float | None) -> str:
    if delta is None:
        return '<span class="muted">-</span>'
    if delta == 0:
        return '<span class="muted">0</span>'
    sign = "+" if delta > 0 else ""
    if metric in NEUTRAL:
        tone = ""
    else:
        good = (delta > 0) == (metric in HIGHER_IS_BETTER)
        tone = " better" if good else " worse"
    return f'<span class="delta{tone}">{esc(sign + _num(delta))}</span>'


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """``rows`` hold already-escaped markup."""
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    if not body:
        return '<p class="empty">nothing changes</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_comparison_page(
    comp: Comparison,
    *,
    api_prefix: str = "/v1",
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """The comparison as one HTML document."""
    ids = [sid for sid, _n in comp.scenarios]
    query = urlencode({"ids": ",".join(ids)})
    exports = " · ".join(
        f'<a href="{esc(api_prefix)}/scenarios/compare?{esc(query)}&amp;format={f}">{f.upper()}</a>'
        for f in ("csv", "xlsx", "json")
    )
    maps = " · ".join(
        f'<a href="/scenarios/{esc(quote(sid, safe=""))}/map">{esc(name)}</a>'
        for sid, name in comp.scenarios
    )
    head = ["metric", "today"]
    for sid, name in comp.scenarios:
        head += [f"{name} ({sid})", "change"]
    numeric = set(range(1, len(head)))
    rows = []
    for r in comp.headline:
        row = [esc(r.label), esc(_num(r.today))]
        for i in range(len(ids)):
            row += [esc(_num(r.after[i])), _change(r.metric, r.change(i))]
        rows.append(row)
    counts_rows = [
        [esc(label), *[esc(str(v)) for v in values]] for _m, label, values in comp.diff_counts
    ]
    customers = comp.customers[:MAX_CUSTOMER_ROWS]
    cust_rows = [
        [
            esc(c.scenario_id),
            esc(c.customer_id),
            esc(c.name),
            esc(c.tier),
            esc(c.what.replace("_", " ")),
            esc(c.before),
            esc(c.after),
        ]
        for c in customers
    ]
    more = (
        f'<p class="muted">{len(comp.customers) - len(customers):,} more rows in the exports.</p>'
        if len(comp.customers) > len(customers)
        else ""
    )
    modes = ", ".join(f"{sid}: {m}" for sid, m in zip(ids, comp.modes, strict=True))
    body = (
        "<h1>Scenarios compared</h1>"
        f'<p class="subtitle">Against today\'s live graph; evaluation {esc(modes)}. '
        f"Export: {exports}. Maps: {maps}.</p>"
        "<h2>Headline</h2>"
        + _table(head, rows, numeric)
        + "<h2>What changes</h2>"
        + _table(
            ["", *[f"{n} ({s})" for s, n in comp.scenarios]],
            counts_rows,
            set(range(1, len(ids) + 1)),
        )
        + f"<h2>Per-customer changes ({len(comp.customers):,})</h2>"
        + _table(
            ["scenario", "customer", "name", "tier", "what", "before", "after"], cust_rows, set()
        )
        + more
    )
    return shell.page(
        "Scenarios compared",
        body,
        current="/scenarios",
        mode=mode,
        static_prefix=static_prefix,
    )
