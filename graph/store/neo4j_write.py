"""Writing one change set to Neo4j inside the write transaction: lock, check, validate, apply.

``Neo4jChangeWriter._apply`` locks the ``(:Meta {id: 'graph'})`` node, checks ``expected_version``,
validates the change set against the graph inside the same transaction, then applies it with
batched ``UNWIND`` statements (upserts, then deletes, then documents) and bumps the version if
any record changed. Every statement that joins two records checks that it found both ends and
fails the transaction otherwise. Deletes behave like SQLite's: an entity's links go with it, and
a customer's contacts with theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from graph.model import ENTITY_KINDS, WRITE_ORDER, Record, RecordKind
from graph.store import cypher as cy
from graph.store.base import (
    ChangeSet,
    StoreError,
    ValidationFailed,
    VersionConflict,
    WriteResult,
    canonical_json,
)
from graph.store.neo4j_query import (
    LOOKUP_CHUNK,
    children,
    chunks,
    entity_props,
    existing_keys,
    link_key_row,
    link_row,
    lock_meta,
    parents,
)
from graph.store.validation import validate_changes, validate_deletes, validate_docs


class Neo4jChangeWriter:
    """The write half of ``Neo4jStore`` (a mixin): applies a change set in a given transaction,
    ``batch_size`` rows per statement; ``_where()`` names the server and database in errors.
    The steps are methods so that tests can make one of them fail."""

    batch_size: int

    def _where(self) -> str:
        raise NotImplementedError

    def _apply(
        self,
        tx: ManagedTransaction,
        changes: ChangeSet,
        expected_version: int | None,
        prevalidated: bool = False,
    ) -> WriteResult:
        """The whole change set in one transaction (re-run from scratch if the driver retries)."""
        row = lock_meta(tx)
        current = int(row["v"]) if row else 0
        if expected_version is not None and expected_version != current:
            raise VersionConflict(expected_version, current)
        errors = (
            []
            if prevalidated
            else validate_changes(
                changes,
                lambda kind, keys: existing_keys(tx, kind, keys),
                lambda kind, keys: parents(tx, kind, keys),
            )
        )
        errors += validate_deletes(changes, lambda kind, keys: children(tx, kind, keys))
        errors += validate_docs(changes.docs)
        if errors:
            raise ValidationFailed(errors)
        result = WriteResult()
        self._apply_upserts(tx, changes, result)
        self._apply_deletes(tx, changes.deletes, result)
        _write_docs(tx, changes.docs)
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
        for chunk in chunks(records, self.batch_size):
            if edge is not None and inline:
                rows = [
                    {"id": r.key, "p": entity_props(r), "ref": getattr(r, edge.field)}
                    for r in chunk
                ]
            else:
                rows = [{"id": r.key, "p": entity_props(r)} for r in chunk]
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
            for ids in chunks(updated, self.batch_size):
                tx.run(
                    cy.unlink_entity_edges(kind), rows=[{"id": i, "ref": refs[i]} for i in ids]
                ).consume()
        linked = [i for i in (*([] if inline else created), *updated) if refs[i] is not None]
        for ids in chunks(linked, self.batch_size):
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
            label, row = link_row(record)
            by_label.setdefault(label, []).append(row)
        for label, rows in by_label.items():
            query = cy.upsert_links(kind, label)
            for chunk in chunks(rows, self.batch_size):
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
        for ids in chunks(customers, LOOKUP_CHUNK):
            row = tx.run(cy.cascade_contacts(), ids=list(ids)).single()
            wanted.setdefault(RecordKind.CONTACT, set()).update(row["ids"] if row else ())
        # Named links first, then the links of deleted entities, then the entities.
        for kind in reversed(WRITE_ORDER):
            if kind in cy.LABELS or not wanted.get(kind):
                continue
            by_label: dict[str, list[dict[str, Any]]] = {}
            for key in sorted(wanted[kind]):
                addressed = link_key_row(kind, key)
                if addressed is not None:
                    by_label.setdefault(addressed[0], []).append(addressed[1])
            for label, rows in by_label.items():
                for chunk in chunks(rows, self.batch_size):
                    row = tx.run(cy.delete_links(kind, label), rows=list(chunk)).single()
                    result.of(kind).deleted += int(row["n"]) if row else 0
        for entity in ENTITY_KINDS:
            ids_all = sorted(wanted.get(entity, ()))
            if not ids_all:
                continue
            for link, other in cy.TOUCHING[entity]:
                for ids in chunks(ids_all, self.batch_size):
                    row = tx.run(cy.delete_touching(entity, link, other), ids=list(ids)).single()
                    n = int(row["n"]) if row else 0
                    if n:
                        result.of(link).deleted += n
        for entity in reversed(ENTITY_KINDS):
            ids_all = sorted(wanted.get(entity, ()))
            for ids in chunks(ids_all, self.batch_size):
                row = tx.run(cy.delete_entities(entity), ids=list(ids)).single()
                result.of(entity).deleted += int(row["n"]) if row else 0


def _write_docs(
    tx: ManagedTransaction, docs: Sequence[tuple[str, str, dict[str, Any] | None]]
) -> None:
    """Documents put or dropped; the last word on one id wins."""
    if not docs:
        return
    last: dict[tuple[str, str], dict[str, Any] | None] = {}
    for collection, doc_id, data in docs:
        last[(collection, doc_id)] = data
    puts = [
        {"c": c, "id": i, "json": canonical_json(d)} for (c, i), d in last.items() if d is not None
    ]
    drops = [{"c": c, "id": i} for (c, i), d in last.items() if d is None]
    if drops:
        tx.run(cy.DELETE_DOCS, rows=drops).consume()
    if puts:
        tx.run(cy.PUT_DOCS, rows=puts).consume()
