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

from graph.accounts.analysis import AccountRisk
from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from graph.model import Customer
from visualize import shell
from visualize.account_page import account_href, account_page
from visualize.html import AssetMode, esc

PRODUCT = shell.PRODUCT
__all__ = [
    "PRODUCT",
    "account_href",
    "account_page",
    "message_page",
    "my_accounts",
    "sign_in_page",
    "start_page",
]


def risk_order(r: AccountRisk) -> tuple[int, int, int, int, str]:
    """Most at risk first: uncovered key contacts, then one thread, missing roles, stale links."""
    return (-r.uncovered, -int(r.single_threaded), -len(r.roles_missing), -r.stale, r.name)


def my_accounts(tr: Translator, risks: Sequence[AccountRisk]) -> str:
    """An account manager's own accounts, most at risk first, under honest headings."""
    g = tr.gettext
    if not risks:
        return ""
    rows = []
    for r in sorted(risks, key=risk_order):
        threads = g("one person") if r.single_threaded else tr.number(r.threads)
        rows.append(
            f'<tr class="{"risk" if r.at_risk else ""}">'
            f'<td><a href="{esc(account_href(r.account_id))}">{esc(r.name)}</a></td>'
            f"<td>{esc(term(tr, r.tier))}</td>"
            f'<td class="num">{esc(r.uncovered)} / {esc(r.key_contacts)}</td>'
            f'<td>{esc(threads)}</td><td class="num">{esc(r.stale)}</td>'
            f"<td>{esc(', '.join(term(tr, m) for m in r.roles_missing))}</td>"
            f'<td class="actions"><a href="{esc(account_href(r.account_id, "/map"))}">'
            f"{esc(g('Map'))}</a></td></tr>"
        )
    at_risk = sum(1 for r in risks if r.at_risk)
    heading = g("My accounts: {at_risk} of {total} at risk", at_risk=at_risk, total=len(risks))
    cols = [
        g("Account"),
        g("Tier"),
        g("Key contacts nobody knows"),
        g("Our threads"),
        g("Stale"),
        g("Buying roles missing"),
        g("Map"),
    ]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    return (
        f'<h2>{esc(heading)}</h2><table class="risks"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def start_page(
    query: str,
    results: Sequence[Customer],
    *,
    more: bool = False,
    heading: str | None = None,
    risks: Sequence[AccountRisk] = (),
    tr: Translator | None = None,
    here: str = "/",
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """The start page: an account manager's accounts by risk (``risks``), a search box, and
    the matching (or, without a query, strategic) accounts."""
    tr = tr or translator()
    g = tr.gettext
    heading = heading or g("Find an account")
    rows = []
    for c in results:
        rows.append(
            "<tr>"
            f'<td><a href="{esc(account_href(c.id))}">{esc(c.name)}</a></td>'
            f"<td>{esc(term(tr, c.tier))}</td><td>{esc(c.industry)}</td>"
            f"<td>{esc(c.region)}</td>"
            f'<td class="actions"><a href="{esc(account_href(c.id, "/map"))}">{esc(g("Map"))}</a>'
            "</td></tr>"
        )
    if rows:
        what = g("Accounts matching “{query}”", query=query) if query else g("Strategic accounts")
        if more:
            what += " " + g("(first matches only: refine the search)")
        cols = [g("Account"), g("Tier"), g("Industry"), g("Region"), g("Map")]
        head = "".join(f"<th>{esc(c)}</th>" for c in cols)
        table = (
            f"<h2>{esc(what)}</h2><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    elif query:
        none = g("No account you can see matches “{query}”.", query=query)
        table = f'<p class="muted">{esc(none)}</p>'
    else:
        table = f'<p class="muted">{esc(g("No strategic accounts yet: search by name or id."))}</p>'
    placeholder = g("Account name or id")
    designers = g(
        "Org designers: the coverage matrix and the coverage map show who covers which "
        "customers, with gaps and conflicts highlighted."
    )
    content = (
        f"<h1>{esc(heading)}</h1>"
        + my_accounts(tr, risks)
        + '<form class="search" method="get" action="/" role="search">'
        f'<input type="search" name="q" id="q" aria-label="{esc(placeholder)}" '
        f'placeholder="{esc(placeholder)}" value="{esc(query)}" maxlength="200" autofocus>'
        f'<button type="submit">{esc(g("Search"))}</button></form>'
        f"{table}"
        f'<p class="muted">{esc(designers)} <a href="/coverage/matrix">{esc(g("Coverage matrix"))}'
        f'</a> · <a href="/coverage/map">{esc(g("Coverage map"))}</a></p>'
    )
    return shell.page(
        heading, content, tr=tr, current="/", here=here, mode=mode, static_prefix=static_prefix
    )


def sign_in_page(
    *, csrf: str, next_url: str, message: str = "", tr: Translator | None = None
) -> str:
    """The sign-in form: paste an API token; the form carries the CSRF pair's token."""
    tr = tr or translator()
    g = tr.gettext
    error = f'<p class="bad">{esc(message)}</p>' if message else ""
    hint = g("Sign in with an API token (ask an admin: relmap token create).")
    content = (
        f'<div class="signin"><h1>{esc(g("Sign in"))}</h1><p>{esc(hint)}</p>{error}'
        '<form method="post" action="/login">'
        f'<input type="hidden" name="csrf_token" value="{esc(csrf)}">'
        f'<input type="hidden" name="next" value="{esc(next_url)}">'
        f'<label for="token">{esc(g("Token"))}</label>'
        '<input id="token" name="token" type="password" autocomplete="off" required '
        'maxlength="300">'
        f'<button type="submit">{esc(g("Sign in"))}</button></form></div>'
    )
    return shell.page(g("Sign in"), content, tr=tr, here="/login")


def message_page(
    title: str,
    message: str,
    *,
    tr: Translator | None = None,
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """A plain page for 'not found' and similar answers to a browser."""
    return shell.page(
        title,
        f"<h1>{esc(title)}</h1><p>{esc(message)}</p>",
        tr=tr,
        mode=mode,
        static_prefix=static_prefix,
    )
