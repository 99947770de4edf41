"""One call per question, from a record source to an answer: the composition the API and the
CLI share (gather an account's records -> build its map -> rank key contacts -> check coverage).

>>> from graph.store.reader import MemorySource
>>> from graph.model import Contact, Customer, DecisionRole
>>> src = MemorySource([Customer(id="a", name="A"),
...                     Contact(id="c", customer_id="a", name="Chen",
...                             decision_role=DecisionRole.DECISION_MAKER)])
>>> account_coverage(src, "a", today=dt.date(2026, 1, 1)).uncovered
('c',)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx

from graph.accounts.gather import employee_account_ids, gather_account
from graph.accounts.key_contacts import KeyContactParams, KeyContactsResult, rank_key_contacts
from graph.accounts.map_graph import build_map_graph
from graph.accounts.relationship_coverage import (
    AccountCoverage,
    LeaverImpact,
    RelationshipPolicy,
    relationship_coverage,
    what_if_leaves,
)
from graph.store.reader import RecordReader


def account_map(
    source: RecordReader,
    account_id: str,
    *,
    include_subsidiaries: bool = True,
    customer_filter: Callable[[str], bool] | None = None,
) -> nx.MultiDiGraph:
    """The political map of one account (raises ``AccountNotFound``)."""
    return build_map_graph(
        gather_account(
            source,
            account_id,
            include_subsidiaries=include_subsidiaries,
            customer_filter=customer_filter,
        )
    )


def account_key_contacts(
    source: RecordReader,
    account_id: str,
    *,
    include_subsidiaries: bool = True,
    params: KeyContactParams | None = None,
    customer_filter: Callable[[str], bool] | None = None,
) -> tuple[nx.MultiDiGraph, KeyContactsResult]:
    """The map and its key-contact ranking."""
    g = account_map(
        source,
        account_id,
        include_subsidiaries=include_subsidiaries,
        customer_filter=customer_filter,
    )
    return g, rank_key_contacts(g, params)


def account_coverage(
    source: RecordReader,
    account_id: str,
    *,
    today: dt.date,
    stale_days: int | None = None,
    include_subsidiaries: bool = True,
    params: KeyContactParams | None = None,
    policy: RelationshipPolicy | None = None,
    customer_filter: Callable[[str], bool] | None = None,
) -> AccountCoverage:
    """Relationship coverage of an account's key contacts."""
    g, ranking = account_key_contacts(
        source,
        account_id,
        include_subsidiaries=include_subsidiaries,
        params=params,
        customer_filter=customer_filter,
    )
    return relationship_coverage(g, ranking, today, policy, stale_days=stale_days)


def employee_what_if_leaves(
    source: RecordReader,
    employee_id: str,
    *,
    account_ids: list[str] | None = None,
    params: KeyContactParams | None = None,
    policy: RelationshipPolicy | None = None,
) -> LeaverImpact:
    """What each customer the employee knows people at (each its own map, subsidiaries apart)
    loses when they leave; ``account_ids`` restricts it (e.g. to the caller's visible ones)."""
    ids = employee_account_ids(source, employee_id)
    if account_ids is not None:
        allowed = set(account_ids)
        ids = [i for i in ids if i in allowed]
    maps = [account_key_contacts(source, i, include_subsidiaries=False, params=params) for i in ids]
    return what_if_leaves(employee_id, maps, policy)


@dataclass(frozen=True)
class AccountRisk:
    """One account's relationship risks in numbers (no person's data: fit for any audience)."""

    account_id: str
    name: str
    tier: str
    contacts: int
    key_contacts: int
    hidden_influencers: int
    uncovered: int
    single_threaded_contacts: int
    threads: int
    single_threaded: bool
    stale: int
    roles_complete: bool
    roles_missing: tuple[str, ...]

    @property
    def at_risk(self) -> bool:
        return bool(
            self.uncovered or self.single_threaded or not self.roles_complete or self.threads == 0
        )


def account_risks(
    source: RecordReader,
    account_ids: Iterable[str],
    *,
    today: dt.date,
    stale_days: int | None = None,
    include_subsidiaries: bool = False,
    policy: RelationshipPolicy | None = None,
) -> list[AccountRisk]:
    """Relationship risks of many accounts, one row each in the order given (each account is
    analysed on its own map, so a branch is judged apart from its HQ by default)."""
    rows = []
    for account_id in account_ids:
        g, ranking = account_key_contacts(
            source, account_id, include_subsidiaries=include_subsidiaries
        )
        cov = relationship_coverage(g, ranking, today, policy, stale_days=stale_days)
        customer = g.graph["customers"].get(account_id, {})
        rows.append(
            AccountRisk(
                account_id=account_id,
                name=str(customer.get("name", "")),
                tier=str(getattr(customer.get("tier"), "value", customer.get("tier", ""))),
                contacts=len(ranking.contacts),
                key_contacts=len(cov.key_contacts),
                hidden_influencers=len(ranking.hidden_influencers),
                uncovered=len(cov.uncovered),
                single_threaded_contacts=len(cov.single_threaded_contacts),
                threads=len(cov.threads),
                single_threaded=cov.single_threaded,
                stale=len(cov.stale),
                roles_complete=cov.roles_complete,
                roles_missing=tuple(r.requirement for r in cov.roles if not r.met),
            )
        )
    return rows
