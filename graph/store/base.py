"""The store interface every backend implements (Neo4j, the system of record, and embedded SQLite).

One contract (``tests/contract``) runs against every implementation. Writes are atomic change
sets: validated first (``graph.store.validation``), then written in one transaction, or not at all.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from graph.errors import RelmapError
from graph.model import RECORD_TYPES, Record, RecordKind
from graph.store.reader import Where

MAX_PAGE = 1000

# Field types a listing can be ordered by (enums are ``StrEnum``s: ordered by their value text).
SORTABLE_TYPES: tuple[type, ...] = (str, int, float, bool, enum.Enum, dt.date)


class StoreError(RelmapError):
    """Base of store errors."""


class StoreUnavailable(StoreError):
    """The backing database cannot be reached (the API answers 503)."""


class VersionConflict(StoreError):
    """A write expected the graph at one version and found another."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"graph changed meanwhile: expected version {expected}, found {actual}")
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class RecordError:
    """One problem with one record, named so a sales-ops person can find and fix it."""

    record: str
    field: str
    message: str
    source: str = ""  # e.g. "accounts.csv row 17" when the record came from a file

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        fld = f" field {self.field!r}" if self.field else ""
        return f"{where}{self.record}{fld}: {self.message}"


class ValidationFailed(StoreError):
    """A change set was rejected; nothing of it was written."""

    def __init__(self, errors: Sequence[RecordError]) -> None:
        self.errors = list(errors)
        head = "; ".join(str(e) for e in self.errors[:5])
        more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"{len(self.errors)} invalid record(s), nothing written: {head}{more}")


@dataclass(frozen=True)
class Position:
    """A keyset cursor of a sorted listing: strictly after the record with ``key`` whose sort
    field holds ``value`` (as the record's JSON has it; None when the field is null). In key
    order ``value`` is ignored. ``position_of`` makes one from the last record of a page."""

    key: str
    value: Any = None


@dataclass
class ChangeSet:
    """Records to upsert and keys to delete, written atomically together with documents.

    ``sources`` optionally maps ``id(record)`` to where it came from (file and row) so that
    validation errors can name it.
    """

    upserts: list[Record] = field(default_factory=list)
    deletes: list[tuple[RecordKind, str]] = field(default_factory=list)
    docs: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)

    def add(self, *records: Record) -> ChangeSet:
        self.upserts.extend(records)
        return self

    def by_kind(self) -> dict[RecordKind, list[Record]]:
        grouped: dict[RecordKind, list[Record]] = defaultdict(list)
        for record in self.upserts:
            grouped[record.kind].append(record)
        return grouped

    def __len__(self) -> int:
        return len(self.upserts) + len(self.deletes) + len(self.docs)


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class WriteResult:
    """What one committed change set did, per record kind, and the graph version after it."""

    counts: dict[RecordKind, KindCounts] = field(default_factory=dict)
    version: int = 0

    def of(self, kind: RecordKind) -> KindCounts:
        return self.counts.setdefault(kind, KindCounts())

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated + c.deleted for c in self.counts.values())


@dataclass(frozen=True)
class StoreHealth:
    kind: str  # "sqlite" or "neo4j"
    ok: bool
    detail: str
    version: int | None = None


class Store(ABC):
    """What every backend offers. Keys are ``Record.key`` strings; listings are ordered by key
    unless ``page(order_by=...)`` names a sortable field."""

    kind: str = "abstract"

    # -------------------------------------------------------------------- lifecycle
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def health(self) -> StoreHealth:
        """Reachability and graph version; never raises."""

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create tables / constraints / indexes idempotently."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every record and document (tests, demo reloads)."""

    # -------------------------------------------------------------------- writes
    @abstractmethod
    def write(
        self,
        changes: ChangeSet,
        *,
        expected_version: int | None = None,
        prevalidated: bool = False,
    ) -> WriteResult:
        """Validate and apply a change set atomically: upserts by key (unchanged records are
        counted, not rewritten), deletes (an entity's links go with it), documents (``None``
        data deletes). Raises ValidationFailed, VersionConflict, StoreUnavailable; on any error
        nothing is written. Each committed write that changes a record bumps ``version()``
        (documents alone do not). ``expected_version`` makes the write conditional.

        ``prevalidated`` says the caller (the importer's first pass) has already checked these
        upserts' references and hierarchy cycles against this store. A store whose write
        statements themselves refuse a missing endpoint may then skip the re-check (Neo4j: a
        dangling reference still fails the whole write, as a StoreError); others ignore it."""

    def upsert(self, records: Iterable[Record]) -> WriteResult:
        return self.write(ChangeSet(upserts=list(records)))

    def delete(self, kind: RecordKind, keys: Iterable[str]) -> WriteResult:
        return self.write(ChangeSet(deletes=[(kind, k) for k in keys]))

    # -------------------------------------------------------------------- reads
    @abstractmethod
    def version(self) -> int:
        """Monotonic graph version, bumped by every committed change."""

    @abstractmethod
    def get(self, kind: RecordKind, key: str) -> Record | None: ...

    @abstractmethod
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
        """Records of ``kind`` matching ``where``, strictly after the cursor ``after``, at most
        ``min(limit, MAX_PAGE)``.

        Order: by key (``order_by=None``), or by the field ``order_by`` (one of
        ``sortable_fields(kind)``, else ValueError) with ties broken by key; ``descending``
        reverses the whole order. Null field values sort after every value (last ascending,
        first descending); enums sort by their value text. The cursor is a keyset position, so
        a page costs the same wherever it lies and records are never skipped or repeated: a
        key string (key order only) or a ``Position`` (``position_of`` the page's last record).
        Implementations resolve the arguments with ``resolve_order``."""

    @abstractmethod
    def count(self, kind: RecordKind, *, where: Where | None = None) -> int: ...

    def scan(
        self, kind: RecordKind, *, where: Where | None = None, batch_size: int = 5000
    ) -> Iterator[Record]:
        """Stream every matching record in key order with bounded memory."""
        after: str | None = None
        while True:
            batch = self.page(kind, where=where, after=after, limit=batch_size)
            yield from batch
            if len(batch) < min(batch_size, MAX_PAGE):
                return
            after = batch[-1].key

    @abstractmethod
    def existing_keys(self, kind: RecordKind, keys: Collection[str]) -> set[str]:
        """Which of ``keys`` exist (used by validation for references)."""

    @abstractmethod
    def parents(self, kind: RecordKind, children: Collection[str]) -> dict[str, list[str]]:
        """For a hierarchy kind (see ``model.HIERARCHIES``): the stored parents of each child."""

    # -------------------------------------------------------------------- documents
    @abstractmethod
    def get_doc(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        """Documents hold scenarios, policies, overrides, API tokens and the audit trail."""

    @abstractmethod
    def list_docs(
        self, collection: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, dict[str, Any]]]:
        """Documents of a collection ordered by id."""

    def put_doc(self, collection: str, doc_id: str, data: dict[str, Any] | None) -> WriteResult:
        return self.write(ChangeSet(docs=[(collection, doc_id, data)]))


@cache
def sortable_fields(kind: RecordKind) -> tuple[str, ...]:
    """Fields of ``kind`` a listing can be ordered by: the scalar ones (text, numbers,
    booleans, enums, dates; optional or not), in model order. Lists are not orderable."""
    return tuple(
        name
        for name, info in RECORD_TYPES[kind].model_fields.items()
        if _is_scalar(info.annotation)
    )


def _is_scalar(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, types.UnionType):
        present = [a for a in get_args(annotation) if a is not type(None)]
        return len(present) == 1 and _is_scalar(present[0])
    return isinstance(annotation, type) and issubclass(annotation, SORTABLE_TYPES)


def resolve_order(
    kind: RecordKind, order_by: str | None, after: str | Position | None
) -> tuple[str | None, Position | None]:
    """Checked ``page`` ordering arguments: the sort field (None for key order, also when
    ``order_by`` is an entity's own key field) and the cursor as a ``Position`` whose value is
    in stored JSON form. ValueError naming the problem for a field that is not sortable, a
    cursor value of the wrong type, or a bare key cursor with a field order (it cannot say
    where in the field order it stands)."""
    if order_by is not None:
        if order_by not in sortable_fields(kind):
            allowed = ", ".join(sortable_fields(kind))
            raise ValueError(
                f"{kind.value} cannot be ordered by {order_by!r}; sortable fields: {allowed}"
            )
        if (order_by,) == RECORD_TYPES[kind].key_fields:
            order_by = None
    if after is None:
        return order_by, None
    if isinstance(after, str):
        if order_by is not None:
            raise ValueError(f"ordered by {order_by!r}: the cursor must be a Position, not a key")
        return None, Position(after)
    if order_by is None:
        return None, Position(after.key)
    return order_by, Position(after.key, filter_value(kind, order_by, after.value))


def position_of(record: Record, order_by: str | None = None) -> Position:
    """The cursor just after ``record`` in a listing ordered by ``order_by`` (None: key)."""
    if order_by is None:
        return Position(record.key)
    value = getattr(record, order_by)
    return Position(record.key, filter_value(record.kind, order_by, value))


@cache
def _field_adapter(kind: RecordKind, field: str) -> TypeAdapter[Any]:
    annotation = RECORD_TYPES[kind].model_fields[field].annotation
    return TypeAdapter(Any if annotation is None else annotation)


def filter_value(kind: RecordKind, field: str, value: Any) -> Any:
    """A ``where`` value in its stored JSON form (enums as values, dates as ISO text), checked
    against the field's type; raises ValueError naming the field. Both stores filter with it."""
    if value is None:
        return None
    adapter = _field_adapter(kind, field)
    try:
        out = adapter.dump_python(adapter.validate_python(value), mode="json")
    except ValidationError:
        raise ValueError(f"{kind.value} field {field!r}: {value!r} is not a valid value") from None
    if isinstance(out, list | dict):
        raise ValueError(f"{kind.value} field {field!r}: cannot filter on a list field")
    return out


def canonical_json(data: Any) -> str:
    """Canonical JSON text: equal data gives equal text (both stores detect unchanged records
    and store documents with it)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
