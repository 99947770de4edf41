"""Shared fixtures: every store-facing test runs on both stores (``store`` fixture).

The Neo4j side uses the local server started by ``scripts/neo4j-local`` (the test command starts
it; this fixture starts it too if it is not up). Deselect it locally with ``-m "not neo4j"``;
in CI nothing is skipped.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store.base import Store
from graph.store.open import open_store
from tests.support.stores import NEO4J_URL, ROOT, STORE_KINDS, store_settings


@pytest.fixture(scope="session")
def neo4j_url() -> str:
    """URL of a running local Neo4j, started on demand."""
    if "RELMAP_TEST_NEO4J_URI" not in os.environ:
        subprocess.run([str(ROOT / "scripts" / "neo4j-local"), "start"], check=True)
    return NEO4J_URL


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings pointing at an empty store of the parametrised kind."""
    url = request.getfixturevalue("neo4j_url") if store_kind == "neo4j" else None
    return store_settings(store_kind, tmp_path, url)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """An empty store of each kind (SQLite in a temp file, Neo4j cleared)."""
    s = open_store(settings)
    s.clear()
    try:
        yield s
    finally:
        s.close()
