"""The scenario comparison page: several restructures side by side against today.

A plain HTML document (no script at all): the headline metrics (today, each scenario's value
after and the change, better/worse marked), the counts of what each scenario opens, closes and
moves, and the per-customer changes, with links to the exports and to each scenario's map.
Every value is escaped (``visualize.html.esc``); styles come from the bundled ``relmap.css``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlencode

from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from graph.scenarios.export import Comparison
from visualize import shell
from visualize.account_page import account_href
from visualize.html import AssetMode, esc
from visualize.names import NameBook

# metrics where a rise is good news; for every other headline metric a rise is bad news
HIGHER_IS_BETTER = {"owned", "dual_credit_customers", "customers"}
NEUTRAL = {"customers", "double_counted_revenue", "dual_credit_customers", "tier_changes"}
MAX_CUSTOMER_ROWS = 500


def _num(v: float | None, tr: Translator) -> str:
    if v is None:
        return tr.gettext("unchanged")
    return tr.number(v, 0 if float(v).is_integer() or abs(v) >= 1000 else 2)


def _change(metric: str, delta: float | None, tr: Translator) -> str:
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
    return f'<span class="delta{tone}">{esc(sign + _num(delta, tr))}</span>'


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int], nothing: str
) -> str:
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
        return f'<p class="empty">{esc(nothing)}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _what_words(tr: Translator) -> dict[str, str]:
    g = tr.gettext
    return {
        "owner": g("owner changes"),
        "gap_opened": g("gap opened"),
        "gap_closed": g("gap closed"),
        "conflict_opened": g("conflict opened"),
        "conflict_closed": g("conflict closed"),
        "client_team": g("client team changes"),
        "key_contact_orphaned": g("key contact left without a relationship"),
        "hierarchy_opened": g("hierarchy finding opened"),
        "hierarchy_closed": g("hierarchy finding closed"),
        "proposed_tier": g("proposed tier"),
    }


def render_comparison_page(
    comp: Comparison,
    *,
    api_prefix: str = "/v1",
    names: NameBook | None = None,
    tr: Translator | None = None,
    here: str = "/scenarios/compare",
    title: str | None = None,
    actions: str = "",
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """The comparison as one HTML document, in ``tr``'s language, teams and people by name;
    ``actions`` (safe markup, e.g. the apply form) stands under the headline."""
    tr = tr or translator()
    g = tr.gettext
    book = names or NameBook()
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
    head = [g("metric"), g("today")]
    for sid, name in comp.scenarios:
        head += [f"{name} ({sid})", g("change")]
    numeric = set(range(1, len(head)))
    rows = []
    for r in comp.headline:
        row = [esc(g(r.label)), esc(_num(r.today, tr))]
        for i in range(len(ids)):
            row += [esc(_num(r.after[i], tr)), _change(r.metric, r.change(i), tr)]
        rows.append(row)
    counts_rows = [
        [esc(g(label)), *[esc(tr.number(v)) for v in values]]
        for _m, label, values in comp.diff_counts
    ]
    customers = comp.customers[:MAX_CUSTOMER_ROWS]
    what = _what_words(tr)
    cust_rows = [
        [
            esc(c.scenario_id),
            f'<a href="{esc(account_href(c.customer_id))}" title="{esc(c.customer_id)}">'
            f"{esc(c.name)}</a>",
            esc(term(tr, c.tier)),
            esc(what.get(c.what, c.what.replace("_", " "))),
            esc(term(tr, c.before) if c.what == "proposed_tier" else book.text(c.before)),
            esc(term(tr, c.after) if c.what == "proposed_tier" else book.text(c.after)),
        ]
        for c in customers
    ]
    rest = len(comp.customers) - len(customers)
    more = (
        f'<p class="muted">{esc(g("{n} more rows in the exports.", n=tr.number(rest)))}</p>'
        if rest > 0
        else ""
    )
    modes = ", ".join(f"{sid}: {m}" for sid, m in zip(ids, comp.modes, strict=True))
    title = title or g("Scenarios compared")
    intro = g("Against today's live graph; evaluation {modes}.", modes=modes)
    scenario_heads = [f"{n} ({s})" for s, n in comp.scenarios]
    per_customer = g("Per-customer changes ({n})", n=tr.number(len(comp.customers)))
    cust_head = [g("scenario"), g("Customer"), g("tier"), g("what"), g("before"), g("after")]
    nothing = g("nothing changes")
    body = (
        f"<h1>{esc(title)}</h1>"
        f'<p class="subtitle">{esc(intro)} {esc(g("Export"))}: {exports}. '
        f"{esc(g('Maps'))}: {maps}.</p>"
        f"<h2>{esc(g('Headline'))}</h2>"
        + _table(head, rows, numeric, nothing)
        + actions
        + f"<h2>{esc(g('What changes'))}</h2>"
        + _table(["", *scenario_heads], counts_rows, set(range(1, len(ids) + 1)), nothing)
        + f"<h2>{esc(per_customer)}</h2>"
        + _table(cust_head, cust_rows, set(), nothing)
        + more
    )
    return shell.page(
        title, body, tr=tr, current="/scenarios", here=here, mode=mode, static_prefix=static_prefix
    )
