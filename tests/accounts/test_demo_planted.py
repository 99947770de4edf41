"""The analyses find what the demo generator plants (graph.demo.generate's manifest) in a small
demo."""

from __future__ import annotations

import datetime as dt
from functools import cache

from graph.accounts.analysis import account_coverage, account_key_contacts
from graph.demo.generate import DemoManifest, generate, manifest
from graph.model import Contact, Customer, RecordKind, Tier
from graph.store.reader import MemorySource

CUSTOMERS, SEED = 200, 7
TODAY = dt.date(2026, 11, 23)


@cache
def _demo() -> tuple[MemorySource, DemoManifest]:
    records = [r for batch in generate(customers=CUSTOMERS, seed=SEED) for r in batch]
    return MemorySource(records), manifest(CUSTOMERS, SEED)


def test_every_planted_hidden_influencer_is_surfaced_in_its_account():
    src, m = _demo()
    assert m.hidden_influencers
    for contact in src.scan(RecordKind.CONTACT, where={"id": list(m.hidden_influencers)}):
        assert isinstance(contact, Contact)
        _, result = account_key_contacts(src, contact.customer_id, include_subsidiaries=False)
        found = result.by_id()[contact.id]
        assert found.hidden_influencer, found.explanation
        assert found.is_key


def test_every_planted_single_threaded_account_is_found():
    src, m = _demo()
    assert m.single_threaded_customers
    for customer_id in m.single_threaded_customers:
        cov = account_coverage(src, customer_id, today=TODAY, include_subsidiaries=False)
        assert cov.single_threaded and len(cov.threads) == 1, customer_id


def test_no_other_key_or_strategic_account_is_single_threaded():
    src, m = _demo()
    planted = set(m.single_threaded_customers)
    checked = 0
    for customer in src.scan(RecordKind.CUSTOMER, where={"tier": [Tier.STRATEGIC, Tier.KEY]}):
        assert isinstance(customer, Customer)
        if customer.id in planted:
            continue
        cov = account_coverage(src, customer.id, today=TODAY, include_subsidiaries=False)
        assert not cov.single_threaded, (customer.id, cov.threads)
        checked += 1
    assert checked > 10
