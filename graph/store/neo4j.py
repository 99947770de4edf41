"""The Neo4j store, relmap's system of record, behind the same ``Store`` contract as SQLite.

The graph shape and every fixed Cypher statement are in ``graph.store.cypher``, the statements
built per call and the row conversions in ``graph.store.neo4j_query``, writing a change set in
``graph.store.neo4j_write``. One driver (a
connection pool) per store; every call runs in a managed transaction (``execute_read`` /
``execute_write``, retried by the driver on transient errors) in the configured database, so the
store is stateless and several API replicas can share a cluster or Aura.

A write locks the ``(:Meta {id: 'graph'})`` node first, checks ``expected_version``, validates
the change set against the graph *inside* that transaction, then applies it with batched
``UNWIND`` statements (upserts, then deletes, then documents) and bumps the version if any
record changed: all in one transaction, so a change set is written whole or not at all.
Deletes behave like SQLite's: an entity's links go with it, and a customer's contacts with theirs.

Reads page by key with keyset cursors on the id / link-key indexes (index hints, so a plan cached
from stale statistics never scans), either way; pages sorted by a field resume after a
(value, key) keyset position too, with a top-N sort over the matching records (no index holds
that order, so filters keep big sets fast). Each page is aggregated into one Bolt message. A
down server fails within seconds: short connection timeout and retry budget, and driver errors of
reachability, credentials or database become ``StoreUnavailable``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as nx

from graph.model import HIERARCHIES, Record, RecordKind
from graph.store import cypher as cy
from graph.store.base import (
    MAX_PAGE,
    ChangeSet,
    Position,
    Store,
    StoreError,
    StoreHealth,
    StoreUnavailable,
    WriteResult,
    resolve_order,
)
from graph.store.neo4j_query import (
    count_query,
    existing_keys,
    link_key_row,
    lock_meta,
    page_query,
    parents,
    record_of,
    single_list,
)
from graph.store.neo4j_write import Neo4jChangeWriter
from graph.store.reader import Where

T = TypeVar("T")

CLEAR_BATCH = 10_000  # nodes per inner transaction of clear()

# Rows per keyset page of scan(): bigger pages were measured 2-3x slower per record (a page of
# 5,000 decoded property maps no longer stays in the CPU caches while records are built).
SCAN_PAGE_MAX = 1000
SCHEMA_RACE_CODES = frozenset(
    {
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        "Neo.ClientError.Schema.ConstraintAlreadyExists",
        "Neo.ClientError.Schema.IndexAlreadyExists",
    }
)


class Neo4jStore(Neo4jChangeWriter, Store):
    """Store on a Neo4j 5 server, cluster or Aura (``bolt://``, ``neo4j://``, ``+s`` variants).

    ``connection_timeout`` and ``max_retry_time`` are short so a down server answers within a few
    seconds (StoreUnavailable, or an unhealthy ``health()``) instead of after minutes.
    """

    kind = "neo4j"
    # One page's statement and parameters (besides ``$limit``); tests read its plans.
    _page_query = staticmethod(page_query)

    def __init__(
        self,
        uri: str,
        *,
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        batch_size: int = 5000,
        connection_timeout: float = 3.0,
        max_retry_time: float = 3.0,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.uri = uri
        self.user = user
        self.database = database
        self.batch_size = batch_size
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=max(connection_timeout * 2, 10.0),
                max_transaction_retry_time=max_retry_time,
                user_agent="relmap",
            )
        except (nx.ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"neo4j {uri}: cannot configure the driver: {exc}") from exc

    # ------------------------------------------------------------------ plumbing

    def _where(self) -> str:
        return f"neo4j {self.uri} (database {self.database!r})"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Driver failures of reachability, credentials or database become StoreUnavailable."""
        try:
            yield
        except (nx.ServiceUnavailable, nx.SessionExpired) as exc:
            raise StoreUnavailable(f"{self._where()} is unavailable: {exc}") from exc
        except nx.AuthError as exc:
            raise StoreUnavailable(
                f"{self._where()} refused the credentials of user {self.user!r}: {exc.message}"
            ) from exc
        except nx.DatabaseUnavailable as exc:
            raise StoreUnavailable(f"{self._where()}: database unavailable: {exc.message}") from exc
        except nx.TransientError as exc:
            # Still failing after the driver's retries (locks, leader switch): try again later.
            raise StoreUnavailable(f"{self._where()} is busy, try again: {exc.message}") from exc
        except nx.ClientError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailable(f"{self._where()}: no such database") from exc
            raise StoreError(f"{self._where()}: {exc.code}: {exc.message}") from exc
        except nx.Neo4jError as exc:
            raise StoreError(f"{self._where()}: {exc.code}: {exc.message}") from exc
        except nx.DriverError as exc:
            raise StoreError(f"{self._where()}: {exc}") from exc

    def _session(self, access_mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(
            database=self.database,
            default_access_mode=access_mode,
            # Read-your-writes across this store's sessions, also on a cluster.
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._errors(), self._session() as session:
            return session.execute_read(work)

    def _write_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._errors(), self._session() as session:
            return session.execute_write(work)

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._driver.close()

    def health(self) -> StoreHealth:
        try:
            with self._errors(), self._session(neo4j.READ_ACCESS) as session:
                row = session.run(cy.READ_VERSION).single()
                version = int(row["v"]) if row else 0
                agent = session.run(
                    "CALL dbms.components() YIELD name, versions "
                    "RETURN name + ' ' + versions[0] AS v"
                ).single()
        except Exception as exc:  # health never raises
            detail = str(exc) if isinstance(exc, StoreError) else f"{self._where()}: {exc}"
            return StoreHealth(self.kind, False, detail)
        server = agent["v"] if agent else "Neo4j"
        return StoreHealth(
            self.kind, True, f"{server} at {self.uri}, database {self.database!r}", version
        )

    def ensure_schema(self) -> None:
        with self._errors(), self._session() as session:
            for statement in cy.schema_statements():
                try:
                    session.run(statement).consume()
                except nx.ClientError as exc:
                    # Another replica created the same rule meanwhile (IF NOT EXISTS races).
                    if exc.code not in SCHEMA_RACE_CODES:
                        raise
            session.run("CALL db.awaitIndexes(300)").consume()
            session.execute_write(lambda tx: tx.run(cy.ENSURE_META).consume())

    def clear(self) -> None:
        with self._errors(), self._session() as session:
            session.run(cy.CLEAR, rows=CLEAR_BATCH).consume()
            session.execute_write(lambda tx: (lock_meta(tx), tx.run(cy.BUMP_VERSION).consume()))

    # ------------------------------------------------------------------ writes

    def write(
        self,
        changes: ChangeSet,
        *,
        expected_version: int | None = None,
        prevalidated: bool = False,
    ) -> WriteResult:
        """One transaction. With ``prevalidated`` the upserts' references and cycles are not
        looked up again: every statement that joins two records checks that it found both ends
        and fails the transaction otherwise, so a reference deleted meanwhile still writes
        nothing."""
        return self._write_tx(lambda tx: self._apply(tx, changes, expected_version, prevalidated))

    # ------------------------------------------------------------------ reads

    def version(self) -> int:
        def work(tx: ManagedTransaction) -> int:
            row = tx.run(cy.READ_VERSION).single()
            return int(row["v"]) if row else 0

        return self._read(work)

    def get(self, kind: RecordKind, key: str) -> Record | None:
        if kind in cy.LABELS:

            def work(tx: ManagedTransaction) -> dict[str, Any] | None:
                row = tx.run(cy.get_entity(kind), id=key).single()
                return dict(row["p"]) if row else None
        else:
            addressed = link_key_row(kind, key)
            if addressed is None:
                return None
            label, key_row = addressed
            query = cy.get_link(kind, label)

            def work(tx: ManagedTransaction) -> dict[str, Any] | None:
                row = tx.run(query, a=key_row["a"], b=key_row["b"]).single()
                return dict(row["p"]) if row else None

        props = self._read(work)
        return record_of(kind, props) if props is not None else None

    def _page_props(
        self,
        kind: RecordKind,
        where: Where | None,
        limit: int,
        order_by: str | None = None,
        descending: bool = False,
        position: Position | None = None,
    ) -> list[dict[str, Any]]:
        """Stored properties of one keyset page (records not built yet)."""
        query, params = self._page_query(kind, where, order_by, descending, position)
        params["limit"] = max(0, int(limit))

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return single_list(tx.run(query, params), "ps")

        return self._read(work)

    def page(
        self,
        kind: RecordKind,
        *,
        where: Where | None = None,
        after: str | Position | None = None,
        limit: int = 100,
        order_by: str | None = None,
        descending: bool = False,
    ) -> list[Record]:
        order_by, position = resolve_order(kind, order_by, after)
        size = min(int(limit), MAX_PAGE)
        props = self._page_props(kind, where, size, order_by, descending, position)
        return [record_of(kind, p) for p in props]

    def scan(
        self, kind: RecordKind, *, where: Where | None = None, batch_size: int = 5000
    ) -> Iterator[Record]:
        """Keyset pages of up to ``min(batch_size, SCAN_PAGE_MAX)`` records, each its own read
        transaction: bounded memory, no long-running transaction, index-ordered; a record is
        built when the consumer pulls it."""
        size = max(1, min(int(batch_size), SCAN_PAGE_MAX))
        after: Position | None = None
        while True:
            props = self._page_props(kind, where, size, position=after)
            record: Record | None = None
            # Built one at a time as the consumer pulls: a page of thousands of live models
            # makes Python's cyclic GC several times slower per record.
            for p in props:
                record = record_of(kind, p)
                yield record
            if len(props) < size or record is None:
                return
            after = Position(record.key)

    def count(self, kind: RecordKind, *, where: Where | None = None) -> int:
        query, params = count_query(kind, where)

        def work(tx: ManagedTransaction) -> int:
            row = tx.run(query, params).single()
            return int(row["n"]) if row else 0

        return self._read(work)

    def existing_keys(self, kind: RecordKind, keys: Collection[str]) -> set[str]:
        return self._read(lambda tx: existing_keys(tx, kind, keys))

    def parents(self, kind: RecordKind, children: Collection[str]) -> dict[str, list[str]]:
        if kind not in HIERARCHIES:
            raise ValueError(f"{kind.value} is not a hierarchy kind")
        return self._read(lambda tx: parents(tx, kind, children))

    # ------------------------------------------------------------------ documents

    def get_doc(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        def work(tx: ManagedTransaction) -> str | None:
            row = tx.run(cy.GET_DOC, c=collection, id=doc_id).single()
            return row["json"] if row else None

        text = self._read(work)
        return json.loads(text) if text is not None else None

    def list_docs(
        self, collection: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, dict[str, Any]]]:
        params = {
            "c": collection,
            "after": after if after is not None else "",
            "limit": max(0, min(int(limit), MAX_PAGE)),
        }

        def work(tx: ManagedTransaction) -> list[tuple[str, str]]:
            return [(rec["id"], rec["json"]) for rec in tx.run(cy.LIST_DOCS, params)]

        return [(doc_id, json.loads(text)) for doc_id, text in self._read(work)]


def wait_until_available(store: Neo4jStore, timeout: float = 60.0) -> StoreHealth:
    """Poll ``health()`` until the server answers (scripts, benchmarks); the last health."""
    deadline = time.monotonic() + timeout
    while True:
        health = store.health()
        if health.ok or time.monotonic() >= deadline:
            return health
        time.sleep(0.5)
