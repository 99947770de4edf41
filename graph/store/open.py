"""Opening the configured store: ``sqlite:///path`` (default) or a Neo4j URI."""

from __future__ import annotations

from graph.settings import Settings
from graph.store.base import Store

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def open_store(settings: Settings) -> Store:
    """The store named by ``settings.store``, schema ensured."""
    url = settings.store
    if url.startswith("sqlite://"):
        from graph.store.sqlite import SqliteStore

        path = url[len("sqlite://") :]
        path = path[1:] if path.startswith("/") else path
        store: Store = SqliteStore(path or ":memory:")
    elif url.startswith(NEO4J_SCHEMES):
        from graph.store.neo4j import Neo4jStore

        store = Neo4jStore(
            url,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            batch_size=settings.write_batch_size,
        )
    else:
        raise ValueError(
            f"RELMAP_STORE={url!r} is not a store URL: use sqlite:///relmap.db or "
            "bolt://127.0.0.1:7687 or neo4j://host:7687"
        )
    store.ensure_schema()
    return store
