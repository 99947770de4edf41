"""Fuzzing with schemathesis against the app's own OpenAPI document (bounded, runs in CI).

Every operation gets generated requests, sent as an admin (so they get past authentication and
reach the validation and store code); the checks: never a 5xx, and every response matches what
the document promises for its status (schema and content type, errors as problem+json).
Runs on both stores (the store is seeded; writes land in a throwaway store).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from api.app import create_app
from graph.auth.tokens import COLLECTION as TOKENS
from graph.auth.tokens import mint_token
from graph.model import record_to_dict
from graph.settings import Settings
from graph.store.base import ChangeSet
from graph.store.open import open_store
from tests.api.conftest import seed_records
from tests.support.stores import store_settings

MAX_EXAMPLES = 6
_ADMIN: dict[str, str] = {}
# One app for the whole module: the schema is read from it at import; each test points its
# state at a seeded store of one kind (schemathesis calls the ASGI app without its lifespan).
APP = create_app(Settings(store="sqlite:///:memory:"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _seeded(kind: str, tmp: Path, neo4j_url: str | None) -> Iterator[None]:
    store = open_store(store_settings(kind, tmp, neo4j_url))
    secret, info, doc = mint_token(name="fuzzer", role="admin", can_apply=True)
    store.clear()
    store.write(ChangeSet(upserts=seed_records(), docs=[(TOKENS, info.id, doc)]))
    _ADMIN["Authorization"] = f"Bearer {secret}"
    APP.state.store = store
    try:
        yield
    finally:
        store.close()


@pytest.fixture(scope="module")
def fuzz_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield from _seeded("sqlite", tmp_path_factory.mktemp("fuzz"), None)


@pytest.fixture(scope="module")
def fuzz_neo4j(tmp_path_factory: pytest.TempPathFactory, neo4j_url: str) -> Iterator[None]:
    yield from _seeded("neo4j", tmp_path_factory.mktemp("fuzz"), neo4j_url)


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_sqlite_no_server_error_and_schema_conformance(
    case: schemathesis.Case, fuzz_sqlite: None
) -> None:
    case.call_and_validate(headers=dict(_ADMIN), checks=CHECKS)


@pytest.mark.neo4j
@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_neo4j_no_server_error_and_schema_conformance(
    case: schemathesis.Case, fuzz_neo4j: None
) -> None:
    case.call_and_validate(headers=dict(_ADMIN), checks=CHECKS)


def test_seed_records_are_valid_examples() -> None:
    """The fuzzer starts from a valid graph (guards the fixture itself)."""
    assert all(record_to_dict(r) for r in seed_records())
