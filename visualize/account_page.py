"""One account's page, for its account manager: who covers it on our side, where the
relationships are thin and who could fix that, the key contacts, and the way to the map.

Sections, in the order an AM asks: the account team (owner teams, named AMs, overlays,
support); relationship gaps (key contacts nobody of ours knows, each with the colleagues who
could introduce us; single-threaded contacts; buying roles not covered; stale relationships by
name); key contacts; hidden influencers. Server-rendered, no script, every value escaped, in the
reader's language. Viewers (``personal_data=False``) get roles and departments instead of names.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from urllib.parse import quote

from graph.accounts.introductions import Introduction
from graph.accounts.key_contacts import KeyContact, KeyContactsResult
from graph.accounts.relationship_coverage import AccountCoverage, ContactCoverage
from graph.coverage.resolve import CustomerCoverage
from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from graph.model import Customer
from visualize import shell
from visualize.html import AssetMode, esc
from visualize.names import NameBook


def account_href(customer_id: str, suffix: str = "") -> str:
    """The account page's path (ids may hold any character but control characters)."""
    return "/accounts/" + quote(customer_id, safe="") + suffix


def _contact_name(tr: Translator, k: KeyContact | ContactCoverage, personal_data: bool) -> str:
    if personal_data:
        return k.name
    role = term(tr, k.decision_role)
    return f"{role} ({k.department})" if k.department else role


def _holders(tr: Translator, cc: ContactCoverage | None) -> str:
    if cc is None or not cc.holders:
        return f'<span class="badge warn">{esc(tr.gettext("none"))}</span>'
    parts = []
    for h in sorted(cc.holders, key=lambda h: -h.strength.level):
        touch = f", {tr.date(h.last_touch)}" if h.last_touch else ""
        who = esc(h.employee_name or h.employee_id)
        parts.append(
            f'<span title="{esc(h.employee_id)}">{who}</span> '
            f"({esc(term(tr, h.strength))}{esc(touch)})"
        )
    return "<br>".join(parts)


def _table(headers: Sequence[str], rows: Sequence[str], numeric: Collection[int] = ()) -> str:
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def account_team(tr: Translator, coverage: CustomerCoverage | None, names: NameBook) -> str:
    """Who covers the account on our side: owner teams with their named AMs, overlays, support."""
    g = tr.gettext
    if coverage is None:
        return ""
    rows = []
    for group in coverage.owners:
        teams = names.names(group.teams) or g("no team")
        ams = (
            names.names(group.account_managers)
            or f'<span class="badge warn">{esc(g("no named AM"))}</span>'
        )
        gone = names.names(group.inactive_account_managers)
        extra = f' <span class="badge bad">{esc(g("left: {who}", who=gone))}</span>' if gone else ""
        why = g("territory") if group.territory_only else g("named")
        ams_html = ams if ams.startswith("<span") else esc(ams)
        rows.append(
            f"<tr><td>{esc(g('owner'))}</td><td>{esc(teams)}</td><td>{ams_html}{extra}</td>"
            f'<td class="num">{esc(f"{group.credit:g}")}</td><td>{esc(why)}</td></tr>'
        )
    for role, claims in ((g("overlay"), coverage.overlays), (g("support"), coverage.support)):
        for claim in claims:
            who = names.names(claim.teams) or names.name(claim.holder_id)
            rows.append(
                f"<tr><td>{esc(role)}</td><td>{esc(who)}</td>"
                f"<td>{esc(names.text(claim.reason))}</td>"
                f'<td class="num">{esc(f"{claim.credit_share:g}")}</td><td></td></tr>'
            )
    if not rows:
        return (
            f"<h2>{esc(g('Account team'))}</h2>"
            f'<p class="bad"><strong>{esc(g("Nobody of ours covers this account."))}</strong></p>'
        )
    headers = [g("role"), g("team"), g("account managers / why"), g("credit"), g("how")]
    return f"<h2>{esc(g('Account team'))}</h2>" + _table(headers, rows, {3})


def _intro_cell(tr: Translator, found: Sequence[Introduction], personal_data: bool) -> str:
    if not found:
        return f'<span class="muted">{esc(tr.gettext("nobody of ours is near them yet"))}</span>'
    links = {
        "manager": tr.gettext("their manager"),
        "direct_report": tr.gettext("their direct report"),
        "influencer": tr.gettext("who influences them"),
        "influenced": tr.gettext("whom they influence"),
    }
    parts = []
    for i in found:
        via = i.via_name if personal_data else links.get(i.link, i.link)
        parts.append(
            esc(
                tr.gettext(
                    "{employee} ({strength} of {via}, {link})",
                    employee=i.employee_name,
                    strength=term(tr, i.strength),
                    via=via,
                    link=links.get(i.link, i.link),
                )
            )
        )
    return "<br>".join(parts)


def _gaps(
    tr: Translator,
    ranking: KeyContactsResult,
    coverage: AccountCoverage,
    intros: Mapping[str, Sequence[Introduction]],
    personal_data: bool,
    limit: int,
) -> str:
    g = tr.gettext
    by_id = {c.contact_id: c for c in coverage.key_contacts}
    key = [k for k in ranking.contacts if k.is_key]
    uncovered = [by_id[c] for c in coverage.uncovered if c in by_id]
    single = [by_id[c] for c in coverage.single_threaded_contacts if c in by_id]
    summary = g(
        "{key} key contacts · {uncovered} without a relationship · {single} known by one of our "
        "people only · {threads} of our people cover key contacts",
        key=len(key),
        uncovered=len(uncovered),
        single=len(single),
        threads=len(coverage.threads),
    )
    parts = [f"<h2>{esc(g('Relationship gaps'))}</h2><p>{esc(summary)}"]
    if coverage.single_threaded:
        parts.append(f" · <strong>{esc(g('the whole account hangs on one person'))}</strong>")
    parts.append("</p>")
    if uncovered:
        rows = [
            f"<tr><td class=num>{c.rank}</td><td>{esc(_contact_name(tr, c, personal_data))}</td>"
            f"<td>{esc(c.title if personal_data else '')}</td><td>{esc(c.department)}</td>"
            f"<td>{esc(term(tr, c.decision_role))}</td><td>{esc(term(tr, c.stance))}</td>"
            f"<td>{_intro_cell(tr, intros.get(c.contact_id, ()), personal_data)}</td></tr>"
            for c in uncovered[:limit]
        ]
        headers = [
            "#",
            g("Contact"),
            g("Title"),
            g("Department"),
            g("Role"),
            g("Stance"),
            g("Who could introduce us"),
        ]
        parts.append(
            f"<h3>{esc(g('Key contacts nobody of ours knows'))}</h3>" + _table(headers, rows, {0})
        )
    if single:
        rows = [
            f"<tr><td class=num>{c.rank}</td><td>{esc(_contact_name(tr, c, personal_data))}</td>"
            f"<td>{esc(c.department)}</td><td>{_holders(tr, c)}</td></tr>"
            for c in single[:limit]
        ]
        headers = ["#", g("Contact"), g("Department"), g("Only known by")]
        parts.append(
            f"<h3>{esc(g('Single-threaded key contacts'))}</h3>" + _table(headers, rows, {0})
        )
    unmet = [r for r in coverage.roles if not r.met]
    if unmet:
        parts.append(f"<h3>{esc(g('Buying roles not covered'))}</h3><ul>")
        parts.extend(f"<li>{esc(r.detail)}</li>" for r in unmet)
        parts.append("</ul>")
    stale = sorted(coverage.stale, key=lambda s: (not s.key_contact, -(s.days_since or 10**6)))
    if stale:
        rows = [
            f'<tr><td title="{esc(s.employee_id)}">{esc(s.employee_name)}</td>'
            f"<td>{esc(s.contact_name if personal_data else '')}</td>"
            f"<td>{esc(term(tr, s.strength))}</td>"
            f"<td>{esc(tr.date(s.last_touch) or g('never'))}</td>"
            f'<td class="num">{esc(s.days_since if s.days_since is not None else "—")}</td>'
            f"<td>{esc(g('yes') if s.key_contact else '')}</td></tr>"
            for s in stale[:limit]
        ]
        heading = g(
            "Stale relationships (not touched for over {days} days)", days=coverage.stale_days
        )
        headers = [
            g("Ours"),
            g("Contact"),
            g("Strength"),
            g("Last touch"),
            g("Days"),
            g("Key contact"),
        ]
        parts.append(f"<h3>{esc(heading)}</h3>" + _table(headers, rows, {4}))
    return "".join(parts)


def _key_contacts(
    tr: Translator,
    ranking: KeyContactsResult,
    coverage: AccountCoverage,
    personal_data: bool,
    limit: int,
) -> str:
    g = tr.gettext
    by_id = {c.contact_id: c for c in coverage.key_contacts}
    key = [k for k in ranking.contacts if k.is_key]
    rows = []
    for k in key[:limit]:
        cc = by_id.get(k.contact_id)
        badges = ""
        if k.hidden_influencer:
            badges += f' <span class="badge key">{esc(g("hidden influencer"))}</span>'
        if cc is not None and not cc.covered:
            badges += f' <span class="badge warn">{esc(g("uncovered"))}</span>'
        rows.append(
            f"<tr><td class=num>{k.rank}</td>"
            f"<td>{esc(_contact_name(tr, k, personal_data))}{badges}</td>"
            f"<td>{esc(k.title if personal_data else '')}</td><td>{esc(k.department)}</td>"
            f"<td>{esc(term(tr, k.decision_role))}</td><td>{esc(term(tr, k.stance))}</td>"
            f"<td class=num>{k.score:.2f}</td><td>{_holders(tr, cc)}</td>"
            f'<td class="why">{esc(k.key_reason)}</td></tr>'
        )
    if not rows:
        none = g("No key contacts yet: add contacts and their links.")
        return f'<h2>{esc(g("Key contacts"))}</h2><p class="muted">{esc(none)}</p>'
    headers = [
        "#",
        g("Contact"),
        g("Title"),
        g("Department"),
        g("Role"),
        g("Stance"),
        g("Score"),
        g("Our relationships"),
        g("Why key"),
    ]
    more = ""
    if len(key) > limit:
        rest = g("{n} more key contacts on the map.", n=len(key) - limit)
        more = f'<p class="muted">{esc(rest)}</p>'
    return f"<h2>{esc(g('Key contacts'))}</h2>" + _table(headers, rows, {0, 6}) + more


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
    team: CustomerCoverage | None = None,
    names: NameBook | None = None,
    intros: Mapping[str, Sequence[Introduction]] | None = None,
    tr: Translator | None = None,
    here: str = "",
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """One account's page (see the module docstring for its sections)."""
    tr = tr or translator()
    g = tr.gettext
    facts = [
        f"<span>{esc(g('Tier'))}: <strong>{esc(term(tr, customer.tier))}</strong></span>",
        f"<span>{esc(g('Industry'))}: {esc(customer.industry or '—')}</span>",
        f"<span>{esc(g('Region'))}: {esc(customer.region or '—')}</span>",
        f"<span>{esc(g('Contacts on the map: {n}', n=len(ranking.contacts)))}</span>",
    ]
    if parent is not None:
        facts.append(
            f"<span>{esc(g('Part of'))} "
            f'<a href="{esc(account_href(parent.id))}">{esc(parent.name)}</a></span>'
        )
    if subsidiaries:
        facts.append(f"<span>{esc(g('{n} subsidiaries / branches', n=len(subsidiaries)))}</span>")
    map_href = account_href(customer.id, "/map")
    json_href = "/v1" + account_href(customer.id, "/map.json")
    actions = (
        '<p class="actions">'
        f'<a href="{esc(map_href)}">{esc(g("Open the political map"))}</a>'
        f'<a href="{esc(map_href)}#network">{esc(g("Network view"))}</a>'
        f'<a href="{esc(map_href)}?subsidiaries=false">{esc(g("Map without subsidiaries"))}</a>'
        f'<a href="{esc(json_href)}">{esc(g("Map as JSON"))}</a>'
        "</p>"
    )
    hidden = ranking.hidden_influencers
    hidden_html = ""
    if hidden:
        items = "".join(
            f"<li><strong>{esc(_contact_name(tr, h, personal_data))}</strong>: "
            f"{esc(h.hidden_reason)}</li>"
            for h in hidden
        )
        hidden_html = f"<h2>{esc(g('Hidden influencers'))}</h2><ul>{items}</ul>"
    content = (
        f"<h1>{esc(customer.name)}</h1>"
        f'<div class="facts">{"".join(facts)}</div>{actions}'
        + account_team(tr, team, names or NameBook())
        + _gaps(tr, ranking, coverage, intros or {}, personal_data, gap_limit)
        + _key_contacts(tr, ranking, coverage, personal_data, key_limit)
        + hidden_html
    )
    return shell.page(
        customer.name,
        content,
        tr=tr,
        here=here or account_href(customer.id),
        mode=mode,
        static_prefix=static_prefix,
    )
