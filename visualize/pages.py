"""The small set of web pages around the maps: find an account, read its key contacts and
relationship gaps, open its map or the coverage map.

Plain server-rendered HTML, no scripts at all (so the strict page CSP costs nothing), every
value through ``visualize.html.esc``. The functions take records and analysis results
(``graph.accounts.key_contacts``, ``graph.accounts.relationship_coverage``) and return a complete
document; the
API route decides who may see what and passes ``personal_data=False`` for viewers, who then get
roles and departments instead of names and titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from graph.accounts.key_contacts import KeyContact, KeyContactsResult
from graph.accounts.relationship_coverage import AccountCoverage, ContactCoverage
from graph.model import Customer
from visualize import shell, style
from visualize.html import AssetMode, esc

PRODUCT = shell.PRODUCT


def account_href(customer_id: str, suffix: str = "") -> str:
    """The account page's path (ids may hold any character but control characters)."""
    return "/accounts/" + quote(customer_id, safe="") + suffix


def _page(
    title: str, content: str, *, mode: AssetMode, static_prefix: str, current: str = ""
) -> str:
    return shell.page(title, content, current=current, mode=mode, static_prefix=static_prefix)


def _pretty(value: object) -> str:
    return str(getattr(value, "value", value) or "").replace("_", " ")


def start_page(
    query: str,
    results: Sequence[Customer],
    *,
    more: bool = False,
    heading: str = "Find an account",
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """The start page: a search box and matching (or, without a query, strategic) accounts."""
    rows = []
    for c in results:
        rows.append(
            "<tr>"
            f'<td><a href="{esc(account_href(c.id))}">{esc(c.name)}</a></td>'
            f"<td>{esc(_pretty(c.tier))}</td><td>{esc(c.industry)}</td>"
            f"<td>{esc(c.region)}</td>"
            f'<td class="actions"><a href="{esc(account_href(c.id, "/map"))}">Map</a></td>'
            "</tr>"
        )
    if rows:
        what = (f"Accounts matching “{esc(query)}”" if query else "Strategic accounts") + (
            " (first matches only: refine the search)" if more else ""
        )
        table = (
            f"<h2>{what}</h2><table><thead><tr><th>Account</th><th>Tier</th><th>Industry</th>"
            f"<th>Region</th><th>Map</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    elif query:
        table = f'<p class="muted">No account you can see matches “{esc(query)}”.</p>'
    else:
        table = '<p class="muted">No strategic accounts yet: search by name or id.</p>'
    content = (
        f"<h1>{esc(heading)}</h1>"
        '<form class="search" method="get" action="/" role="search">'
        '<input type="search" name="q" id="q" aria-label="Account name or id" '
        f'placeholder="Account name or id" value="{esc(query)}" maxlength="200" autofocus>'
        '<button type="submit">Search</button></form>'
        f"{table}"
        '<p class="muted">Org designers: the <a href="/coverage/map">coverage map</a> shows '
        "who covers which customers, with gaps and conflicts highlighted.</p>"
    )
    return _page(heading, content, mode=mode, static_prefix=static_prefix, current="/")


def _contact_name(k: KeyContact | ContactCoverage, personal_data: bool) -> str:
    if personal_data:
        return k.name
    role = style.ROLE_LABELS.get(_pretty(k.decision_role).replace(" ", "_"), "Contact")
    return f"{role} ({k.department})" if k.department else role


def _relationships_cell(cc: ContactCoverage | None) -> str:
    if cc is None or not cc.holders:
        return '<span class="badge warn">none</span>'
    parts = []
    for h in sorted(cc.holders, key=lambda h: -h.strength.level):
        touch = f", {h.last_touch.isoformat()}" if h.last_touch else ""
        who = esc(h.employee_name or h.employee_id)
        parts.append(f"{who} ({esc(_pretty(h.strength))}{esc(touch)})")
    return "<br>".join(parts)


def account_page(
    customer: Customer,
    ranking: KeyContactsResult,
    coverage: AccountCoverage,
    *,
    parent: Customer | None = None,
    subsidiaries: Sequence[Customer] = (),
    personal_data: bool = True,
    key_limit: int = 50,
    gap_limit: int = 25,
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """One account: facts, links to its maps, relationship gaps, key contacts, hidden
    influencers."""
    by_id = {c.contact_id: c for c in coverage.key_contacts}
    facts = [
        f"<span>Tier: <strong>{esc(_pretty(customer.tier))}</strong></span>",
        f"<span>Industry: {esc(customer.industry or '—')}</span>",
        f"<span>Region: {esc(customer.region or '—')}</span>",
        f"<span>Contacts on the map: {len(ranking.contacts)}</span>",
    ]
    if parent is not None:
        facts.append(
            f'<span>Part of <a href="{esc(account_href(parent.id))}">{esc(parent.name)}</a></span>'
        )
    if subsidiaries:
        facts.append(f"<span>{len(subsidiaries)} subsidiaries / branches</span>")
    map_href = account_href(customer.id, "/map")
    actions = (
        '<p class="actions">'
        f'<a href="{esc(map_href)}">Open the political map</a>'
        f'<a href="{esc(map_href)}?hierarchical=true">Map along reporting lines</a>'
        f'<a href="{esc(map_href)}?subsidiaries=false">Map without subsidiaries</a>'
        f'<a href="{esc("/v1" + account_href(customer.id, "/map.json"))}">Map as JSON</a>'
        "</p>"
    )

    # ---- relationship gaps
    key = [k for k in ranking.contacts if k.is_key]
    uncovered = [by_id[c] for c in coverage.uncovered if c in by_id]
    single = [by_id[c] for c in coverage.single_threaded_contacts if c in by_id]
    gap_parts = [
        "<h2>Relationship gaps</h2>",
        "<p>"
        f"{len(key)} key contacts · <strong>{len(uncovered)} without a relationship</strong> · "
        f"{len(single)} known by one of our people only · "
        f"{len(coverage.threads)} of our people cover key contacts"
        + (
            " · <strong>the whole account hangs on one person</strong>"
            if coverage.single_threaded
            else ""
        )
        + "</p>",
    ]
    if uncovered:
        gap_parts.append(
            "<h3>Key contacts nobody of ours knows</h3><table><thead><tr><th class=num>#</th>"
            "<th>Contact</th><th>Title</th><th>Department</th><th>Role</th><th>Stance</th>"
            "</tr></thead><tbody>"
        )
        for c in uncovered[:gap_limit]:
            gap_parts.append(
                f"<tr><td class=num>{c.rank}</td><td>{esc(_contact_name(c, personal_data))}</td>"
                f"<td>{esc(c.title if personal_data else '')}</td><td>{esc(c.department)}</td>"
                f"<td>{esc(_pretty(c.decision_role))}</td><td>{esc(_pretty(c.stance))}</td></tr>"
            )
        gap_parts.append("</tbody></table>")
        if len(uncovered) > gap_limit:
            gap_parts.append(
                f'<p class="muted">{len(uncovered) - gap_limit} more: open the map with '
                "“Uncovered only”.</p>"
            )
    if single:
        gap_parts.append(
            "<h3>Single-threaded key contacts</h3><table><thead><tr><th class=num>#</th>"
            "<th>Contact</th><th>Department</th><th>Only known by</th></tr></thead><tbody>"
        )
        for c in single[:gap_limit]:
            gap_parts.append(
                f"<tr><td class=num>{c.rank}</td><td>{esc(_contact_name(c, personal_data))}</td>"
                f"<td>{esc(c.department)}</td><td>{_relationships_cell(c)}</td></tr>"
            )
        gap_parts.append("</tbody></table>")
        if len(single) > gap_limit:
            gap_parts.append(f'<p class="muted">{len(single) - gap_limit} more.</p>')
    unmet = [r for r in coverage.roles if not r.met]
    if unmet:
        gap_parts.append("<h3>Buying roles not covered</h3><ul>")
        gap_parts.extend(f"<li>{esc(r.detail)}</li>" for r in unmet)
        gap_parts.append("</ul>")
    stale = [s for s in coverage.stale if s.key_contact]
    if stale:
        gap_parts.append(
            f"<h3>Stale relationships with key contacts</h3><p>{len(stale)} relationship(s) "
            f"not touched for over {coverage.stale_days} days.</p>"
        )

    # ---- key contacts
    rows = []
    for k in key[:key_limit]:
        cc = by_id.get(k.contact_id)
        badges = ""
        if k.hidden_influencer:
            badges += ' <span class="badge key">hidden influencer</span>'
        if cc is not None and not cc.covered:
            badges += ' <span class="badge warn">uncovered</span>'
        rows.append(
            "<tr>"
            f"<td class=num>{k.rank}</td>"
            f"<td>{esc(_contact_name(k, personal_data))}{badges}</td>"
            f"<td>{esc(k.title if personal_data else '')}</td>"
            f"<td>{esc(k.department)}</td>"
            f"<td>{esc(_pretty(k.decision_role))}</td>"
            f"<td>{esc(_pretty(k.stance))}</td>"
            f"<td class=num>{k.score:.2f}</td>"
            f"<td>{_relationships_cell(cc)}</td>"
            f'<td class="why">{esc(k.key_reason)}</td>'
            "</tr>"
        )
    more = (
        f'<p class="muted">{len(key) - key_limit} more key contacts on the map.</p>'
        if len(key) > key_limit
        else ""
    )
    key_table = "<h2>Key contacts</h2>" + (
        "<table><thead><tr><th class=num>#</th><th>Contact</th><th>Title</th>"
        "<th>Department</th><th>Role</th><th>Stance</th><th class=num>Score</th>"
        "<th>Our relationships</th><th>Why key</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
        if rows
        else '<p class="muted">No key contacts yet: add contacts and their links.</p>'
    )
    hidden = ranking.hidden_influencers
    hidden_html = ""
    if hidden:
        hidden_html = (
            "<h2>Hidden influencers</h2><ul>"
            + "".join(
                f"<li><strong>{esc(_contact_name(h, personal_data))}</strong>: "
                f"{esc(h.hidden_reason)}</li>"
                for h in hidden
            )
            + "</ul>"
        )
    content = (
        f"<h1>{esc(customer.name)}</h1>"
        f'<div class="facts">{"".join(facts)}</div>'
        f"{actions}{''.join(gap_parts)}{key_table}{hidden_html}"
    )
    return _page(customer.name, content, mode=mode, static_prefix=static_prefix)


def message_page(
    title: str, message: str, *, mode: AssetMode = AssetMode.SERVED, static_prefix: str = "/static"
) -> str:
    """A plain page for 'not found' and similar answers to a browser."""
    return _page(
        title,
        f"<h1>{esc(title)}</h1><p>{esc(message)}</p>",
        mode=mode,
        static_prefix=static_prefix,
    )
