"""One account's political map, from the store to the finished HTML: the single builder behind
``relmap map ACCOUNT`` (a self-contained file) and the ``/accounts/{id}/map`` page (served).

The account is looked up once, by the gathering itself; a missing account (or one the viewer
may not see) is answered with None, so callers only say "not found" their own way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.accounts.analysis import account_key_contacts
from graph.accounts.gather import AccountNotFound
from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from graph.model import Customer
from graph.store.reader import RecordReader
from visualize.html import AssetMode
from visualize.political_map import MapView, build_political_map, render_political_map

__all__ = ["AccountMap", "account_subtitle", "render_account_map"]


@dataclass(frozen=True)
class AccountMap:
    """The rendered map with what callers report about it."""

    customer: Customer
    view: MapView
    html: str


def account_subtitle(customer: Customer, tr: Translator | None = None) -> str:
    """``key account · finance · east``: the line under the map's title."""
    tr = tr or translator()
    return tr.gettext(
        "{tier} account · {industry} · {region}",
        tier=term(tr, customer.tier),
        industry=customer.industry or "—",
        region=customer.region or "—",
    )


def render_account_map(
    source: RecordReader,
    customer_id: str,
    *,
    include_subsidiaries: bool = True,
    hierarchical: bool = False,
    personal_data: bool = True,
    customer_filter: Callable[[str], bool] | None = None,
    mode: AssetMode = AssetMode.SERVED,
    links: list[tuple[str, str]] | None = None,
    tr: Translator | None = None,
    here: str = "",
) -> AccountMap | None:
    """The political map of ``customer_id`` as HTML, or None when there is no such account or
    ``customer_filter`` (which customers the viewer sees) leaves it out; subsidiaries it
    leaves out are not drawn."""
    if customer_filter is not None and not customer_filter(customer_id):
        return None
    try:
        g, ranking = account_key_contacts(
            source,
            customer_id,
            include_subsidiaries=include_subsidiaries,
            customer_filter=customer_filter,
        )
    except AccountNotFound:
        return None
    customer = Customer.model_validate(g.graph["customers"][customer_id])
    view = build_political_map(
        g,
        subtitle=account_subtitle(customer, tr),
        ranking=ranking,
        hierarchical=hierarchical,
        personal_data=personal_data,
        tr=tr,
    )
    page = render_political_map(view, mode=mode, links=links, tr=tr, here=here)
    return AccountMap(customer, view, page)
