"""The Neo4j store, relmap's system of record, behind the same ``Store`` contract as SQLite.

The graph shape and every Cypher statement are fixed in ``graph.store.cypher``. One driver (a
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
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as nx

from graph.model import (
    ENTITY_KINDS,
    HIERARCHIES,
    RECORD_TYPES,
    WRITE_ORDER,
    Record,
    RecordKind,
    record_to_dict,
    split_key,
)
from graph.store import cypher as cy
from graph.store.base import (
    MAX_PAGE,
    ChangeSet,
    Position,
    Store,
    StoreError,
    StoreHealth,
    StoreUnavailable,
    ValidationFailed,
    VersionConflict,
    Where,
    WriteResult,
    canonical_json,
    filter_value,
    resolve_order,
)
from graph.store.validation import validate_changes, validate_deletes, validate_docs

T = TypeVar("T")

LOOKUP_CHUNK = 10_000  # keys per existence / parent lookup statement
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


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _where_cypher(
    kind: RecordKind, where: Where | None, seekable: set[str] | None = None
) -> tuple[list[str], dict[str, Any]]:
    """Cypher conditions and parameters for a filter; field names are checked against the
    model and mapped to fixed expressions, values travel as parameters. ``seekable`` collects
    the fields compared with non-null values only (an index can start from those)."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if not where:
        return clauses, params
    exprs = cy.field_expressions(kind)
    for i, (field, value) in enumerate(where.items()):
        expr = exprs.get(field)
        if expr is None:
            raise ValueError(f"{kind.value} has no field {field!r}")
        name = f"w{i}"
        if isinstance(value, list | tuple | set | frozenset):
            values = [filter_value(kind, field, v) for v in value]
            present = [v for v in values if v is not None]
            parts = [f"{expr} IN ${name}"] if present else []
            if present:
                params[name] = present
            if len(present) < len(values):
                parts.append(f"{expr} IS NULL")
            elif present and seekable is not None:
                seekable.add(field)
            clauses.append("(" + " OR ".join(parts) + ")" if parts else "false")
        else:
            stored = filter_value(kind, field, value)
            if stored is None:
                clauses.append(f"{expr} IS NULL")
            else:
                clauses.append(f"{expr} = ${name}")
                params[name] = stored
                if seekable is not None:
                    seekable.add(field)
    return clauses, params


def _keyset_cypher(
    expr: str, key: str, descending: bool, position: Position | None
) -> tuple[str, dict[str, Any]]:
    """The condition resuming a (field, key) ordered listing after ``position`` (none without
    one). Neo4j sorts nulls (absent properties) last ascending and first descending, after
    every value; the condition follows that order. ``expr`` and ``key`` are fixed expressions
    of the model's fields, the cursor travels as parameters."""
    if position is None:
        return "", {}
    params: dict[str, Any] = {"sk": position.key}
    if position.value is None:
        if descending:
            return f"({expr} IS NOT NULL OR {key} < $sk)", params
        return f"({expr} IS NULL AND {key} > $sk)", params
    params["sv"] = position.value
    if descending:
        return f"({expr} < $sv OR ({expr} = $sv AND {key} < $sk))", params
    return f"({expr} > $sv OR ({expr} = $sv AND {key} > $sk) OR {expr} IS NULL)", params


def _entity_props(record: Record) -> dict[str, Any]:
    """Node properties of an entity: its JSON fields, without the ``None`` ones (Neo4j stores
    no nulls; an absent property reads back as the field's default ``None``)."""
    return {k: v for k, v in record_to_dict(record).items() if v is not None}


def _link_row(record: Record) -> tuple[str, dict[str, Any]]:
    """(start label, UNWIND row) of a link record: endpoint ids, key and properties."""
    shape = cy.LINKS[record.kind]
    data = record_to_dict(record)
    a = data.pop(shape.start_field)
    b = data.pop(shape.end_field)
    props = {k: v for k, v in data.items() if v is not None}
    key = props[cy.KEY_PROPERTY] = record.key
    label = shape.start_label or cy.HOLDER_LABELS[props["holder_kind"]]
    return label, {"a": a, "b": b, "k": key, "p": props}


def _link_key_row(kind: RecordKind, key: str) -> tuple[str, dict[str, Any]] | None:
    """(start label, row) addressing a link by its key, or None if the key cannot be one."""
    shape = cy.LINKS[kind]
    fields = RECORD_TYPES[kind].key_fields
    parts = split_key(key)
    if len(parts) != len(fields):
        return None
    named = dict(zip(fields, parts, strict=True))
    if shape.start_label:
        label = shape.start_label
    else:
        found = cy.HOLDER_LABELS.get(named.get("holder_kind", ""))
        if found is None:
            return None
        label = found
    return label, {"a": named[shape.start_field], "b": named[shape.end_field], "k": key}


def _single_list(result: neo4j.Result, field: str) -> list[Any]:
    """The list in ``field`` of a statement that aggregates into one row (one Bolt message
    instead of one per row: much cheaper for the driver)."""
    row = result.single()
    return list(row[field]) if row else []


def _record(kind: RecordKind, props: dict[str, Any]) -> Record:
    """A record from stored properties (links: key fields restored from ``k``)."""
    if kind not in cy.LABELS:
        props = dict(props)
        key = props.pop(cy.KEY_PROPERTY)
        props.update(zip(RECORD_TYPES[kind].key_fields, split_key(key), strict=True))
    return RECORD_TYPES[kind].model_validate(props)


class Neo4jStore(Store):
    """Store on a Neo4j 5 server, cluster or Aura (``bolt://``, ``neo4j://``, ``+s`` variants).

    ``connection_timeout`` and ``max_retry_time`` are short so a down server answers within a few
    seconds (StoreUnavailable, or an unhealthy ``health()``) instead of after minutes.
    """

    kind = "neo4j"

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
            session.execute_write(lambda tx: (_lock_meta(tx), tx.run(cy.BUMP_VERSION).consume()))

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

    def _apply(
        self,
        tx: ManagedTransaction,
        changes: ChangeSet,
        expected_version: int | None,
        prevalidated: bool = False,
    ) -> WriteResult:
        """The whole change set in one transaction (re-run from scratch if the driver retries)."""
        row = _lock_meta(tx)
        current = int(row["v"]) if row else 0
        if expected_version is not None and expected_version != current:
            raise VersionConflict(expected_version, current)
        errors = (
            []
            if prevalidated
            else validate_changes(
                changes,
                lambda kind, keys: self._existing_keys(tx, kind, keys),
                lambda kind, keys: self._parents(tx, kind, keys),
            )
        )
        errors += validate_deletes(changes, lambda kind, keys: self._children(tx, kind, keys))
        errors += validate_docs(changes.docs)
        if errors:
            raise ValidationFailed(errors)
        result = WriteResult()
        self._apply_upserts(tx, changes, result)
        self._apply_deletes(tx, changes.deletes, result)
        self._apply_docs(tx, changes.docs)
        result.version = current
        if result.changed:
            bumped = tx.run(cy.BUMP_VERSION).single()
            result.version = int(bumped["v"]) if bumped else current + 1
        return result

    def _apply_upserts(
        self, tx: ManagedTransaction, changes: ChangeSet, result: WriteResult
    ) -> None:
        grouped = changes.by_kind()
        for kind in WRITE_ORDER:
            records = grouped.get(kind)
            if not records:
                continue
            unique = list({r.key: r for r in records}.values())
            if kind in cy.LABELS:
                self._upsert_entities(tx, kind, unique, result)
            else:
                self._upsert_links(tx, kind, unique, result)

    def _upsert_entities(
        self, tx: ManagedTransaction, kind: RecordKind, records: list[Record], result: WriteResult
    ) -> None:
        counts = result.of(kind)
        query = cy.upsert_entities(kind)
        edge = cy.ENTITY_EDGES.get(kind)
        created: list[str] = []
        updated: list[str] = []
        inline = cy.edge_created_inline(kind)
        for chunk in _chunks(records, self.batch_size):
            if edge is not None and inline:
                rows = [
                    {"id": r.key, "p": _entity_props(r), "ref": getattr(r, edge.field)}
                    for r in chunk
                ]
            else:
                rows = [{"id": r.key, "p": _entity_props(r)} for r in chunk]
            seen = 0
            for rec in tx.run(query, rows=rows):
                st, n = rec["st"], rec["n"]
                seen += n
                if st == 0:
                    counts.created += n
                    created.extend(rec["ids"])
                elif st == 1:
                    counts.updated += n
                    updated.extend(rec["ids"])
                else:
                    counts.unchanged += n
            if seen != len(rows):
                raise StoreError(f"{self._where()}: wrote {seen} of {len(rows)} {kind.value} rows")
        if edge is None or not (created or updated):
            return
        # Structural relationships once every node of the kind exists (a parent may come later
        # in the same change set).
        refs = {r.key: getattr(r, edge.field) for r in records}
        if updated:
            for ids in _chunks(updated, self.batch_size):
                tx.run(
                    cy.unlink_entity_edges(kind), rows=[{"id": i, "ref": refs[i]} for i in ids]
                ).consume()
        linked = [i for i in (*([] if inline else created), *updated) if refs[i] is not None]
        for ids in _chunks(linked, self.batch_size):
            row = tx.run(
                cy.link_entity_edges(kind), rows=[{"id": i, "ref": refs[i]} for i in ids]
            ).single()
            if row is None or int(row["n"]) != len(ids):
                raise StoreError(
                    f"{self._where()}: linked {row['n'] if row else 0} of {len(ids)} "
                    f"{kind.value} rows (a {edge.field} refers to a missing record)"
                )

    def _upsert_links(
        self, tx: ManagedTransaction, kind: RecordKind, records: list[Record], result: WriteResult
    ) -> None:
        counts = result.of(kind)
        by_label: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            label, row = _link_row(record)
            by_label.setdefault(label, []).append(row)
        for label, rows in by_label.items():
            query = cy.upsert_links(kind, label)
            for chunk in _chunks(rows, self.batch_size):
                seen = 0
                for rec in tx.run(query, rows=list(chunk)):
                    st, n = rec["st"], rec["n"]
                    seen += n
                    if st == 0:
                        counts.created += n
                    elif st == 1:
                        counts.updated += n
                    else:
                        counts.unchanged += n
                if seen != len(chunk):
                    raise StoreError(
                        f"{self._where()}: wrote {seen} of {len(chunk)} {kind.value} rows "
                        "(an endpoint is missing)"
                    )

    def _apply_deletes(
        self,
        tx: ManagedTransaction,
        deletes: Sequence[tuple[RecordKind, str]],
        result: WriteResult,
    ) -> None:
        if not deletes:
            return
        wanted: dict[RecordKind, set[str]] = {}
        for kind, key in deletes:
            wanted.setdefault(kind, set()).add(key)
        # A deleted customer takes its contacts with it (as in SQLite).
        customers = sorted(wanted.get(RecordKind.CUSTOMER, ()))
        for ids in _chunks(customers, LOOKUP_CHUNK):
            row = tx.run(cy.cascade_contacts(), ids=list(ids)).single()
            wanted.setdefault(RecordKind.CONTACT, set()).update(row["ids"] if row else ())
        # Named links first, then the links of deleted entities, then the entities.
        for kind in reversed(WRITE_ORDER):
            if kind in cy.LABELS or not wanted.get(kind):
                continue
            by_label: dict[str, list[dict[str, Any]]] = {}
            for key in sorted(wanted[kind]):
                addressed = _link_key_row(kind, key)
                if addressed is not None:
                    by_label.setdefault(addressed[0], []).append(addressed[1])
            for label, rows in by_label.items():
                for chunk in _chunks(rows, self.batch_size):
                    row = tx.run(cy.delete_links(kind, label), rows=list(chunk)).single()
                    result.of(kind).deleted += int(row["n"]) if row else 0
        for entity in ENTITY_KINDS:
            ids_all = sorted(wanted.get(entity, ()))
            if not ids_all:
                continue
            for link, other in cy.TOUCHING[entity]:
                for ids in _chunks(ids_all, self.batch_size):
                    row = tx.run(cy.delete_touching(entity, link, other), ids=list(ids)).single()
                    n = int(row["n"]) if row else 0
                    if n:
                        result.of(link).deleted += n
        for entity in reversed(ENTITY_KINDS):
            ids_all = sorted(wanted.get(entity, ()))
            for ids in _chunks(ids_all, self.batch_size):
                row = tx.run(cy.delete_entities(entity), ids=list(ids)).single()
                result.of(entity).deleted += int(row["n"]) if row else 0

    @staticmethod
    def _apply_docs(
        tx: ManagedTransaction, docs: Sequence[tuple[str, str, dict[str, Any] | None]]
    ) -> None:
        if not docs:
            return
        last: dict[tuple[str, str], dict[str, Any] | None] = {}
        for collection, doc_id, data in docs:
            last[(collection, doc_id)] = data
        puts = [
            {"c": c, "id": i, "json": canonical_json(d)}
            for (c, i), d in last.items()
            if d is not None
        ]
        drops = [{"c": c, "id": i} for (c, i), d in last.items() if d is None]
        if drops:
            tx.run(cy.DELETE_DOCS, rows=drops).consume()
        if puts:
            tx.run(cy.PUT_DOCS, rows=puts).consume()

    # ------------------------------------------------------------------ lookups (any tx)

    def _existing_keys(
        self, tx: ManagedTransaction, kind: RecordKind, keys: Collection[str]
    ) -> set[str]:
        out: set[str] = set()
        if kind in cy.LABELS:
            for ids in _chunks(list(keys), LOOKUP_CHUNK):
                out.update(_single_list(tx.run(cy.existing_entities(kind), ids=list(ids)), "ks"))
            return out
        by_label: dict[str, list[dict[str, Any]]] = {}
        for key in keys:
            addressed = _link_key_row(kind, key)
            if addressed is not None:
                by_label.setdefault(addressed[0], []).append(addressed[1])
        for label, rows in by_label.items():
            for chunk in _chunks(rows, LOOKUP_CHUNK):
                found = tx.run(cy.existing_links(kind, label), rows=list(chunk))
                out.update(_single_list(found, "ks"))
        return out

    def _parents(
        self, tx: ManagedTransaction, kind: RecordKind, children: Collection[str]
    ) -> dict[str, list[str]]:
        if kind not in HIERARCHIES:
            raise ValueError(f"{kind.value} is not a hierarchy kind")
        query = cy.parents_of_entities(kind) if kind in cy.LABELS else cy.parents_of_links(kind)
        out: dict[str, list[str]] = {}
        for ids in _chunks(list(children), LOOKUP_CHUNK):
            for child, parent in _single_list(tx.run(query, ids=list(ids)), "pairs"):
                out.setdefault(child, []).append(parent)
        return {k: sorted(v) for k, v in out.items()}

    def _children(
        self, tx: ManagedTransaction, kind: RecordKind, parents: Collection[str]
    ) -> dict[str, list[str]]:
        """Stored children (by parent_id) of each given customer or team."""
        out: dict[str, list[str]] = {}
        for ids in _chunks(list(parents), LOOKUP_CHUNK):
            for parent, child in _single_list(tx.run(cy.children(kind), ids=list(ids)), "pairs"):
                out.setdefault(parent, []).append(child)
        return {k: sorted(v) for k, v in out.items()}

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
            addressed = _link_key_row(kind, key)
            if addressed is None:
                return None
            label, key_row = addressed
            query = cy.get_link(kind, label)

            def work(tx: ManagedTransaction) -> dict[str, Any] | None:
                row = tx.run(query, a=key_row["a"], b=key_row["b"]).single()
                return dict(row["p"]) if row else None

        props = self._read(work)
        return _record(kind, props) if props is not None else None

    def _page_query(
        self,
        kind: RecordKind,
        where: Where | None,
        order_by: str | None = None,
        descending: bool = False,
        position: Position | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """One page's statement and parameters (besides ``$limit``)."""
        seekable: set[str] = set()
        clauses, params = _where_cypher(kind, where, seekable)
        key = cy.key_expression(kind)
        var = "n" if kind in cy.LABELS else "r"
        if order_by is None and not descending:
            conditions = [f"{key} > $after", *clauses]
            params["after"] = position.key if position else ""  # "" is before every key
            # Hints keep pages index-driven whatever the planner's (possibly stale) statistics
            # say.
            hint = cy.seek_hint(kind, seekable) or cy.order_hint(kind)
            order = key
        elif order_by is None:
            # Descending key order walks the same index backwards; ``>= ""`` (every key) gives
            # the first page a range predicate to seek with.
            cond = f"{key} < $after" if position else f'{key} >= ""'
            if position:
                params["after"] = position.key
            conditions = [cond, *clauses]
            hint = cy.seek_hint(kind, seekable) or cy.order_hint(kind)
            order = f"{key} DESC"
        else:
            expr = cy.field_expressions(kind)[order_by]
            keyset, keyset_params = _keyset_cypher(expr, key, descending, position)
            conditions = [*clauses, *([keyset] if keyset else [])]
            params.update(keyset_params)
            # A selective filter's index if there is one; else the planner's choice (a label or
            # type scan feeding a top-N sort: no index holds the (field, key) order).
            hint = cy.seek_hint(kind, seekable) or cy.filter_hint(kind, seekable) or ""
            way = " DESC" if descending else ""
            var = f"{var}, {expr} AS sv"
            order = f"sv{way}, {key}{way}"
        where_text = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        hint_text = f" {hint}" if hint else ""
        # One aggregated row per page: one Bolt message instead of one per record, which makes
        # the driver several times faster; collect keeps the order.
        query = (
            f"{cy.match_pattern(kind)}{hint_text}{where_text} "
            f"WITH {var} ORDER BY {order} LIMIT $limit "
            f"RETURN collect({cy.value_expression(kind)}) AS ps"
        )
        return query, params

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
            return _single_list(tx.run(query, params), "ps")

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
        return [_record(kind, p) for p in props]

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
                record = _record(kind, p)
                yield record
            if len(props) < size or record is None:
                return
            after = Position(record.key)

    def count(self, kind: RecordKind, *, where: Where | None = None) -> int:
        seekable: set[str] = set()
        clauses, params = _where_cypher(kind, where, seekable)
        var = "n" if kind in cy.LABELS else "r"
        cond = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        hint = cy.seek_hint(kind, seekable)
        hint = f" {hint}" if hint else ""
        query = f"{cy.match_pattern(kind)}{hint}{cond} RETURN count({var}) AS n"

        def work(tx: ManagedTransaction) -> int:
            row = tx.run(query, params).single()
            return int(row["n"]) if row else 0

        return self._read(work)

    def existing_keys(self, kind: RecordKind, keys: Collection[str]) -> set[str]:
        return self._read(lambda tx: self._existing_keys(tx, kind, keys))

    def parents(self, kind: RecordKind, children: Collection[str]) -> dict[str, list[str]]:
        if kind not in HIERARCHIES:
            raise ValueError(f"{kind.value} is not a hierarchy kind")
        return self._read(lambda tx: self._parents(tx, kind, children))

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


def _lock_meta(tx: ManagedTransaction) -> Any:
    """Take the graph-wide write lock (the Meta node), creating the node if a fresh database
    lacks it; returns the row holding the current version."""
    row = tx.run(cy.LOCK_META).single()
    if row is None:
        tx.run(cy.ENSURE_META).consume()
        row = tx.run(cy.LOCK_META).single()
    return row
