"""API test fixtures: an app over each store with a small seeded graph and one token per role.

The graph (``seed_records``): the account manager's employee E1 covers C1 (owner) and so sees C1
and its branch C1a with their contacts; C2 and C3 belong to others and must stay invisible to
them. Tokens are real (``graph.auth.tokens``), sent as bearer tokens.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.auth.tokens import COLLECTION as TOKENS
from graph.auth.tokens import mint_token
from graph.model import (
    Contact,
    ContactReportsTo,
    Coverage,
    Customer,
    Employee,
    EmployeeReportsTo,
    Influence,
    Membership,
    Record,
    Relationship,
    Team,
)
from graph.settings import Settings
from graph.store.base import ChangeSet, Store, StoreUnavailable
from graph.store.open import open_store
from tests.support.stores import STORE_KINDS, store_settings

ROLES = ("admin", "org_designer", "account_manager", "viewer")


def seed_records() -> list[Record]:
    """A small graph covering every record kind, with visible and invisible accounts."""
    return [
        Employee(id="E1", name="Zhang Min", email="zm@example.com"),
        Employee(id="E2", name="Wang Fang"),
        Employee(id="E3", name="Huang Tao"),
        Team(id="T1", name="Finance KA", team_kind="key_account", industry="finance"),
        Team(id="T2", name="East region", team_kind="regional", regions=("east",)),
        Customer(id="C1", name="Bank One", tier="key", industry="finance", revenue=100.0),
        Customer(id="C1a", name="Bank One Branch", parent_id="C1"),
        Customer(id="C2", name="Other Bank", tier="key"),
        Customer(id="C3", name="Credit Union", tier="small"),
        Contact(id="P1", customer_id="C1", name="Li Wei", title="CIO"),
        Contact(id="P2", customer_id="C1", name="Chen Jie"),
        Contact(id="P1a", customer_id="C1a", name="Liu Yang"),
        Contact(id="P3", customer_id="C2", name="Zhao Lei"),
        Contact(id="P4", customer_id="C2", name="Sun Li"),
        ContactReportsTo(contact_id="P2", manager_id="P1"),
        ContactReportsTo(contact_id="P4", manager_id="P3"),
        Influence(source_id="P1", target_id="P2", strength=0.7),
        Influence(source_id="P3", target_id="P4", strength=0.4),
        Membership(employee_id="E1", team_id="T1", role="account manager"),
        Membership(employee_id="E2", team_id="T2"),
        EmployeeReportsTo(employee_id="E1", manager_id="E2"),
        Coverage(holder_kind="employee", holder_id="E1", customer_id="C1"),
        Coverage(holder_kind="team", holder_id="T1", customer_id="C2"),
        Coverage(
            holder_kind="employee", holder_id="E2", customer_id="C3", role="support", credit_share=0
        ),
        Relationship(
            employee_id="E1",
            contact_id="P1",
            strength="trusted_advisor",
            last_touch=dt.date(2026, 10, 1),
        ),
        Relationship(employee_id="E2", contact_id="P3"),
    ]


@dataclass
class ApiEnv:
    """A running app (TestClient), its store, and a bearer token per role."""

    client: TestClient
    store: Store
    tokens: dict[str, str]
    token_docs: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)

    def auth(self, role: str | None) -> dict[str, str]:
        """Headers authenticating as ``role`` (None: no credentials)."""
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    def reset(self) -> None:
        """Back to the seeded graph with the same tokens (after a test wrote something)."""
        load_seed(self.store, self.token_docs)


def load_seed(store: Store, docs: list[tuple[str, str, dict[str, Any] | None]]) -> None:
    """Empty the store and write the seed graph with ``docs``. A local Neo4j shared with other
    test processes may refuse a write as busy (lock contention): retried a few times."""
    for attempt in range(5):
        try:
            store.clear()
            store.write(ChangeSet(upserts=seed_records(), docs=list(docs)))
            return
        except StoreUnavailable:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))


def make_env(settings: Settings) -> Iterator[ApiEnv]:
    store = open_store(settings)
    tokens: dict[str, str] = {}
    docs: list[tuple[str, str, dict[str, Any] | None]] = []
    for role in ROLES:
        secret, info, doc = mint_token(
            name=f"test {role}",
            role=role,
            employee_id="E1" if role == "account_manager" else None,
            can_apply=role == "admin",
        )
        tokens[role] = secret
        docs.append((TOKENS, info.id, doc))
    load_seed(store, docs)
    app = create_app(settings)
    with TestClient(app) as client:
        yield ApiEnv(client=client, store=store, tokens=tokens, token_docs=docs)
    store.close()


@pytest.fixture(params=STORE_KINDS)
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ApiEnv]:
    """A fresh seeded app per test, on each store."""
    url = request.getfixturevalue("neo4j_url") if request.param == "neo4j" else None
    yield from make_env(store_settings(request.param, tmp_path, url))


@pytest.fixture(scope="module", params=STORE_KINDS)
def api_module(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiEnv]:
    """One seeded app per module and store (tests reset it after writing)."""
    url = request.getfixturevalue("neo4j_url") if request.param == "neo4j" else None
    yield from make_env(store_settings(request.param, tmp_path_factory.mktemp("api"), url))
