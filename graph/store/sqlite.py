"""The embedded default store: SQLite (stdlib ``sqlite3``), same ``Store`` contract as Neo4j.

Layout: one table per ``RecordKind`` named after the kind, with ``k`` (the record key, primary
key, so listing by key is an index scan), the key fields and every ``*_id`` reference field as
indexed columns, and ``data``: the record as canonical JSON (``record_to_dict``). Columns are
derived from ``RECORD_TYPES`` so the model can grow. ``docs`` holds documents, ``meta`` the graph
version.

Pages in key order walk the primary key (both ways). Pages sorted by a field order by the same
expression the filters use (column or ``json_extract``: numbers compare as numbers) and resume
after a (value, key) keyset position; without an index on the field SQLite reads the matching
rows and keeps the page's top N, so memory stays bounded by the page.

Writes validate first (``graph.store.validation``), then apply the whole change set in one
``BEGIN IMMEDIATE`` transaction; on any error nothing is written. Upserts go first, then deletes,
then documents. Deleting an entity deletes its links (and a customer's contacts with theirs);
deleting a customer with branches or a team with sub-teams is a validation error naming the
child, unless the child is deleted or moved in the same change set.

One connection (WAL, ``busy_timeout``) shared across threads behind a re-entrant lock, so a
FastAPI app can use it; several processes may open the same file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.model import (
    ENTITY_KINDS,
    HIERARCHIES,
    RECORD_TYPES,
    WRITE_ORDER,
    HolderKind,
    Record,
    RecordKind,
    record_from_dict,
    record_to_dict,
)
from graph.store.base import (
    MAX_PAGE,
    ChangeSet,
    Position,
    Store,
    StoreHealth,
    StoreUnavailable,
    ValidationFailed,
    VersionConflict,
    WriteResult,
    canonical_json,
    filter_value,
    resolve_order,
)
from graph.store.reader import Where, is_membership
from graph.store.validation import validate_changes, validate_deletes, validate_docs

BUSY_TIMEOUT_S = 30.0
_IN_JSON = "(SELECT value FROM json_each(?))"  # one parameter holding a JSON list of values
CHUNK = 5000  # keys per lookup / rows per executemany batch

# What deleting an entity takes with it: (dependent kind, column pointing at the entity, extra
# condition). Dependents that are entities themselves (a customer's contacts) cascade further.
DEPENDENTS: dict[RecordKind, tuple[tuple[RecordKind, str, tuple[str, str] | None], ...]] = {
    RecordKind.CUSTOMER: (
        (RecordKind.CONTACT, "customer_id", None),
        (RecordKind.COVERAGE, "customer_id", None),
    ),
    RecordKind.CONTACT: (
        (RecordKind.CONTACT_REPORTS_TO, "contact_id", None),
        (RecordKind.CONTACT_REPORTS_TO, "manager_id", None),
        (RecordKind.INFLUENCE, "source_id", None),
        (RecordKind.INFLUENCE, "target_id", None),
        (RecordKind.RELATIONSHIP, "contact_id", None),
    ),
    RecordKind.EMPLOYEE: (
        (RecordKind.MEMBERSHIP, "employee_id", None),
        (RecordKind.EMPLOYEE_REPORTS_TO, "employee_id", None),
        (RecordKind.EMPLOYEE_REPORTS_TO, "manager_id", None),
        (RecordKind.COVERAGE, "holder_id", ("holder_kind", HolderKind.EMPLOYEE.value)),
        (RecordKind.RELATIONSHIP, "employee_id", None),
    ),
    RecordKind.TEAM: (
        (RecordKind.MEMBERSHIP, "team_id", None),
        (RecordKind.COVERAGE, "holder_id", ("holder_kind", HolderKind.TEAM.value)),
    ),
}


@dataclass(frozen=True)
class _Table:
    """How one record kind is laid out: table name and its indexed columns."""

    kind: RecordKind
    name: str
    columns: tuple[str, ...]

    @property
    def quoted(self) -> str:
        return f'"{self.name}"'


def _table_of(kind: RecordKind) -> _Table:
    cls = RECORD_TYPES[kind]
    cols = list(cls.key_fields)
    for name in cls.model_fields:
        if name.endswith("_id") and name not in cols:
            cols.append(name)
    return _Table(kind, kind.value, tuple(cols))


TABLES: dict[RecordKind, _Table] = {kind: _table_of(kind) for kind in RECORD_TYPES}


def _stored_value(kind: RecordKind, field: str, value: Any) -> Any:
    """A filter value as ``json_extract`` returns it: booleans as 0/1."""
    out = filter_value(kind, field, value)
    return int(out) if isinstance(out, bool) else out


class SqliteStore(Store):
    """SQLite-backed store; ``path`` is a file (created with its folder) or ``":memory:"``."""

    kind = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            if path != ":memory:" and not path.startswith("file:"):
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                path,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_S,
                uri=path.startswith("file:"),
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(f"sqlite {path}: {exc}") from exc
        self.ensure_schema()

    # ------------------------------------------------------------------ lifecycle

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; database failures become StoreUnavailable."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                if isinstance(exc, sqlite3.IntegrityError):
                    raise  # a bug of ours, not an unavailable database
                raise StoreUnavailable(f"sqlite {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def health(self) -> StoreHealth:
        try:
            version = self.version()
        except Exception as exc:  # health never raises
            return StoreHealth(self.kind, False, f"sqlite {self.path}: {exc}")
        return StoreHealth(self.kind, True, f"sqlite {self.path}", version)

    def ensure_schema(self) -> None:
        with self._db() as conn:
            statements = [
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO meta (name, value) VALUES ('version', 0)",
                "CREATE TABLE IF NOT EXISTS docs (collection TEXT NOT NULL, id TEXT NOT NULL, "
                "data TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID",
            ]
            for t in TABLES.values():
                cols = ", ".join(f'"{c}" TEXT' for c in t.columns)
                statements.append(
                    f"CREATE TABLE IF NOT EXISTS {t.quoted} (k TEXT PRIMARY KEY, {cols}, "
                    "data TEXT NOT NULL) WITHOUT ROWID"
                )
                single_key = RECORD_TYPES[t.kind].key_fields
                for c in t.columns:
                    if single_key == (c,):
                        continue  # same as k
                    statements.append(
                        f'CREATE INDEX IF NOT EXISTS "ix_{t.name}_{c}" ON {t.quoted} ("{c}")'
                    )
            conn.execute("BEGIN IMMEDIATE")
            try:
                for sql in statements:
                    conn.execute(sql)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def clear(self) -> None:
        with self._db() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for t in TABLES.values():
                    conn.execute(f"DELETE FROM {t.quoted}")
                conn.execute("DELETE FROM docs")
                conn.execute("UPDATE meta SET value = value + 1 WHERE name = 'version'")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------------ writes

    def write(
        self,
        changes: ChangeSet,
        *,
        expected_version: int | None = None,
        prevalidated: bool = False,
    ) -> WriteResult:
        """Validate and apply ``changes`` in one ``BEGIN IMMEDIATE`` transaction (version check
        and validation inside it, so no other writer slips in between). Upserts, then deletes
        (an entity's links go with it; a customer's contacts too), then documents. Deleting a
        customer with branches or a team with sub-teams fails naming the child unless the child
        is deleted or moved in the same change set. Always validates, ``prevalidated`` or not:
        SQLite tables do not refuse a dangling reference by themselves, and the check is
        in-process."""
        with self._db() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = self._write_locked(conn, changes, expected_version)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

    def _write_locked(
        self, conn: sqlite3.Connection, changes: ChangeSet, expected_version: int | None
    ) -> WriteResult:
        current = self._read_version(conn)
        if expected_version is not None and expected_version != current:
            raise VersionConflict(expected_version, current)
        errors = validate_changes(changes, self.existing_keys, self.parents)
        errors += validate_deletes(changes, self._children)
        errors += validate_docs(changes.docs)
        if errors:
            raise ValidationFailed(errors)
        result = WriteResult()
        self._apply_upserts(conn, changes, result)
        self._apply_deletes(conn, changes.deletes, result)
        self._apply_docs(conn, changes.docs)
        if result.changed:
            conn.execute("UPDATE meta SET value = value + 1 WHERE name = 'version'")
        result.version = self._read_version(conn)
        return result

    def _apply_upserts(
        self, conn: sqlite3.Connection, changes: ChangeSet, result: WriteResult
    ) -> None:
        grouped = changes.by_kind()
        for kind in WRITE_ORDER:
            records = grouped.get(kind)
            if not records:
                continue
            t = TABLES[kind]
            unique = list({r.key: r for r in records}.values())
            counts = result.of(kind)
            cols = ", ".join(f'"{c}"' for c in t.columns)
            marks = ", ".join("?" for _ in range(len(t.columns) + 2))
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in (*t.columns, "data"))
            sql = (
                f"INSERT INTO {t.quoted} (k, {cols}, data) VALUES ({marks}) "
                f"ON CONFLICT (k) DO UPDATE SET {updates}"
            )
            for start in range(0, len(unique), CHUNK):
                chunk = unique[start : start + CHUNK]
                stored = dict(
                    conn.execute(
                        f"SELECT k, data FROM {t.quoted} WHERE k IN {_IN_JSON}",
                        (json.dumps([r.key for r in chunk]),),
                    ).fetchall()
                )
                rows = []
                for record in chunk:
                    data = record_to_dict(record)
                    text = canonical_json(data)
                    before = stored.get(record.key)
                    if before == text:
                        counts.unchanged += 1
                        continue
                    if before is None:
                        counts.created += 1
                    else:
                        counts.updated += 1
                    rows.append((record.key, *(data[c] for c in t.columns), text))
                if rows:
                    conn.executemany(sql, rows)

    def _apply_deletes(
        self,
        conn: sqlite3.Connection,
        deletes: Sequence[tuple[RecordKind, str]],
        result: WriteResult,
    ) -> None:
        if not deletes:
            return
        wanted: dict[RecordKind, set[str]] = {}
        for kind, key in deletes:
            wanted.setdefault(kind, set()).add(key)
        # Entities that go: the named ones plus entities depending on them (a customer's contacts).
        for kind in ENTITY_KINDS:
            keys = wanted.get(kind)
            if not keys:
                continue
            for dep, column, cond in DEPENDENTS.get(kind, ()):
                if dep in ENTITY_KINDS:
                    found = self._keys_where(conn, dep, column, keys, cond)
                    wanted.setdefault(dep, set()).update(found)
        # Links first (named ones and those of deleted entities), then the entities.
        for kind in reversed(WRITE_ORDER):
            if kind in ENTITY_KINDS:
                continue
            keys = wanted.get(kind)
            if keys:
                result.of(kind).deleted += self._delete_where(conn, kind, "k", keys, None)
        for entity in ENTITY_KINDS:
            keys = wanted.get(entity)
            if not keys:
                continue
            for dep, column, cond in DEPENDENTS.get(entity, ()):
                if dep not in ENTITY_KINDS:
                    result.of(dep).deleted += self._delete_where(conn, dep, column, keys, cond)
        for entity in reversed(ENTITY_KINDS):
            keys = wanted.get(entity)
            if keys:
                result.of(entity).deleted += self._delete_where(conn, entity, "k", keys, None)

    @staticmethod
    def _condition(column: str, cond: tuple[str, str] | None) -> tuple[str, list[Any]]:
        sql = f'"{column}" IN {_IN_JSON}'
        if cond is None:
            return sql, []
        return f'{sql} AND "{cond[0]}" = ?', [cond[1]]

    def _keys_where(
        self,
        conn: sqlite3.Connection,
        kind: RecordKind,
        column: str,
        values: Collection[str],
        cond: tuple[str, str] | None,
    ) -> set[str]:
        sql, extra = self._condition(column, cond)
        out: set[str] = set()
        for chunk in _chunks(values):
            rows = conn.execute(
                f"SELECT k FROM {TABLES[kind].quoted} WHERE {sql}", (json.dumps(chunk), *extra)
            )
            out.update(k for (k,) in rows)
        return out

    def _delete_where(
        self,
        conn: sqlite3.Connection,
        kind: RecordKind,
        column: str,
        values: Collection[str],
        cond: tuple[str, str] | None,
    ) -> int:
        sql, extra = self._condition(column, cond)
        total = 0
        for chunk in _chunks(values):
            cur = conn.execute(
                f"DELETE FROM {TABLES[kind].quoted} WHERE {sql}", (json.dumps(chunk), *extra)
            )
            total += cur.rowcount
        return total

    @staticmethod
    def _apply_docs(
        conn: sqlite3.Connection, docs: Sequence[tuple[str, str, dict[str, Any] | None]]
    ) -> None:
        for collection, doc_id, data in docs:
            if data is None:
                conn.execute(
                    "DELETE FROM docs WHERE collection = ? AND id = ?", (collection, doc_id)
                )
            else:
                conn.execute(
                    "INSERT INTO docs (collection, id, data) VALUES (?, ?, ?) "
                    "ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data",
                    (collection, doc_id, canonical_json(data)),
                )

    # ------------------------------------------------------------------ reads

    @staticmethod
    def _read_version(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        return int(row[0]) if row else 0

    def version(self) -> int:
        with self._db() as conn:
            return self._read_version(conn)

    def get(self, kind: RecordKind, key: str) -> Record | None:
        with self._db() as conn:
            row = conn.execute(
                f"SELECT data FROM {TABLES[kind].quoted} WHERE k = ?", (key,)
            ).fetchone()
        return record_from_dict(kind, json.loads(row[0])) if row else None

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
        clauses, params = _where_sql(kind, where)
        order = _order_sql(kind, order_by, descending, position)
        if order.keyset:
            clauses.append(order.keyset)
            params.extend(order.params)
        sql = f"SELECT data FROM {TABLES[kind].quoted}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {order.order_by} LIMIT ?"
        params.append(max(0, min(int(limit), MAX_PAGE)))
        with self._db() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [record_from_dict(kind, json.loads(data)) for (data,) in rows]

    def count(self, kind: RecordKind, *, where: Where | None = None) -> int:
        clauses, params = _where_sql(kind, where)
        sql = f"SELECT COUNT(*) FROM {TABLES[kind].quoted}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        with self._db() as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    def existing_keys(self, kind: RecordKind, keys: Collection[str]) -> set[str]:
        with self._db() as conn:
            return self._keys_where(conn, kind, "k", keys, None)

    def parents(self, kind: RecordKind, children: Collection[str]) -> dict[str, list[str]]:
        if kind not in HIERARCHIES:
            raise ValueError(f"{kind.value} is not a hierarchy kind")
        child_col, parent_col = HIERARCHIES[kind]
        return self._pairs(kind, child_col, parent_col, children)

    def _children(self, kind: RecordKind, parents: Collection[str]) -> dict[str, list[str]]:
        """Stored children (by parent column) of each given parent, for hierarchy kinds."""
        child_col, parent_col = HIERARCHIES[kind]
        return self._pairs(kind, parent_col, child_col, parents)

    def _pairs(
        self, kind: RecordKind, by_col: str, other_col: str, values: Collection[str]
    ) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        sql = (
            f'SELECT "{by_col}", "{other_col}" FROM {TABLES[kind].quoted} '
            f'WHERE "{by_col}" IN {_IN_JSON} AND "{other_col}" IS NOT NULL '
            f'ORDER BY "{by_col}", "{other_col}"'
        )
        with self._db() as conn:
            for chunk in _chunks(values):
                for by, other in conn.execute(sql, (json.dumps(chunk),)):
                    out.setdefault(by, []).append(other)
        return out

    # ------------------------------------------------------------------ documents

    def get_doc(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT data FROM docs WHERE collection = ? AND id = ?", (collection, doc_id)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def list_docs(
        self, collection: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, dict[str, Any]]]:
        sql = "SELECT id, data FROM docs WHERE collection = ?"
        params: list[Any] = [collection]
        if after is not None:
            sql += " AND id > ?"
            params.append(after)
        sql += " ORDER BY id LIMIT ?"
        params.append(max(0, min(int(limit), MAX_PAGE)))
        with self._db() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [(doc_id, json.loads(data)) for doc_id, data in rows]


def _chunks(values: Collection[str], size: int = CHUNK) -> Iterator[list[str]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _field_sql(kind: RecordKind, field: str) -> str:
    """The SQL expression of a model field (checked by the caller): the key column for an
    entity's id, an indexed column when there is one, else ``json_extract`` of the JSON."""
    if (field,) == RECORD_TYPES[kind].key_fields:
        return "k"  # an entity's id is its key: the primary index, not a table scan
    if field in TABLES[kind].columns:
        return f'"{field}"'
    return f"json_extract(data, '$.{field}')"


@dataclass(frozen=True)
class _Order:
    """ORDER BY of a page and the keyset condition (with its parameters) resuming after a
    cursor; empty condition without a cursor."""

    order_by: str
    keyset: str
    params: tuple[Any, ...]


def _order_sql(
    kind: RecordKind, field: str | None, descending: bool, position: Position | None
) -> _Order:
    """Key order, or field order with the key breaking ties; nulls sort after every value.
    ``field`` comes from the model (``resolve_order``), never from the user."""
    cmp, way = ("<", " DESC") if descending else (">", "")
    if field is None:
        keyset = f"k {cmp} ?" if position else ""
        return _Order(f"k{way}", keyset, (position.key,) if position else ())
    expr = _field_sql(kind, field)
    order = f"{expr} IS NULL{way}, {expr}{way}, k{way}"
    if position is None:
        return _Order(order, "", ())
    value = int(position.value) if isinstance(position.value, bool) else position.value
    if value is None:  # among the nulls: ascending they come last, descending first
        if descending:
            return _Order(order, f"({expr} IS NOT NULL OR k < ?)", (position.key,))
        return _Order(order, f"({expr} IS NULL AND k > ?)", (position.key,))
    same = f"({expr} = ? AND k {cmp} ?)"
    if descending:
        return _Order(order, f"({expr} < ? OR {same})", (value, value, position.key))
    keyset = f"({expr} > ? OR {same} OR {expr} IS NULL)"
    return _Order(order, keyset, (value, value, position.key))


def _where_sql(kind: RecordKind, where: Where | None) -> tuple[list[str], list[Any]]:
    """SQL conditions for a filter: indexed column when there is one, else ``json_extract``."""
    clauses: list[str] = []
    params: list[Any] = []
    if not where:
        return clauses, params
    fields = RECORD_TYPES[kind].model_fields
    for field, value in where.items():
        if field not in fields:
            raise ValueError(f"{kind.value} has no field {field!r}")
        expr = _field_sql(kind, field)
        if is_membership(value):
            values = [_stored_value(kind, field, v) for v in value]
            present = [v for v in values if v is not None]
            parts = [f"{expr} IN {_IN_JSON}"] if present else []
            params.extend([json.dumps(present)] if present else [])
            if len(present) < len(values):
                parts.append(f"{expr} IS NULL")
            clauses.append("(" + " OR ".join(parts) + ")" if parts else "0")
        else:
            stored = _stored_value(kind, field, value)
            if stored is None:
                clauses.append(f"{expr} IS NULL")
            else:
                clauses.append(f"{expr} = ?")
                params.append(stored)
    return clauses, params
