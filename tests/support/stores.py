"""Opening and filling the stores under test: one place for what five test modules repeated.

Every store-facing test runs on both stores. The Neo4j side is the local server started by
``scripts/neo4j-local`` (the test command starts it; the ``neo4j_url`` fixture starts it too if
it is not up).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from graph.model import Record
from graph.settings import Settings
from graph.store.base import ChangeSet, Store
from graph.store.open import open_store

ROOT = Path(__file__).resolve().parents[2]
NEO4J_URL = os.environ.get(
    "RELMAP_TEST_NEO4J_URI", f"bolt://127.0.0.1:{os.environ.get('RELMAP_NEO4J_PORT', '7687')}"
)
NEO4J_PASSWORD = os.environ.get("RELMAP_NEO4J_PASSWORD", "relmap-test-password")

STORE_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("neo4j", marks=pytest.mark.neo4j, id="neo4j"),
]


def store_settings(kind: str, tmp_path: Path, neo4j_url: str | None = None) -> Settings:
    """Settings for an empty store of ``kind``: SQLite in ``tmp_path``, or the local Neo4j."""
    if kind == "sqlite":
        return Settings(store=f"sqlite:///{tmp_path / 'relmap.db'}")
    assert neo4j_url
    return Settings(store=neo4j_url, neo4j_password=NEO4J_PASSWORD)  # type: ignore[arg-type]


def sqlite_settings(tmp_path: Path, name: str = "relmap.db") -> Settings:
    """Settings for a SQLite store file in ``tmp_path``."""
    return Settings(store=f"sqlite:///{tmp_path / name}")


def filled_store(settings: Settings, *batches: Sequence[Record]) -> Store:
    """The store of ``settings``, cleared, with each batch written in its own change set.

    The caller closes it (``with filled_store(...) as store:``)."""
    store = open_store(settings)
    store.clear()
    for batch in batches:
        store.write(ChangeSet(upserts=list(batch)))
    return store


def fill_store(settings: Settings, *batches: Iterable[Record]) -> str:
    """Clear the store of ``settings``, write the batches, close it; its URL for the app."""
    with filled_store(settings, *(list(b) for b in batches)):
        pass
    return settings.store
