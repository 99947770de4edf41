"""Reading the graph: the protocols analyses are typed by, the filter rule, records in memory.

Analyses (coverage, accounts, scenarios) never import a store: they are typed by the small
protocols here, which every ``Store`` satisfies, and so does :class:`MemorySource` (records held
in a list: tests, demo data before it is written, before/after diffs) and the scenario overlay.
This module imports only the model, so importing it pulls in no store implementation.

The filter rule (``where=``) is the same everywhere: a field name maps to one value (equality)
or to a list/tuple/set of values (membership); enum members compare by their value. The stores
translate it into SQL or Cypher (:func:`is_membership` tells them which of the two a value is);
in memory it is :func:`matches`.

>>> from graph.model import Customer
>>> src = MemorySource([Customer(id="a", name="A", tier="key"), Customer(id="b", name="B")])
>>> [c.key for c in src.scan(RecordKind.CUSTOMER, where={"tier": ["key", "strategic"]})]
['a']
>>> src.get(RecordKind.CUSTOMER, "b").name
'B'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from graph.model import Coverage, Record, RecordKind

__all__ = [
    "Conditions",
    "DocReader",
    "MemorySource",
    "RecordReader",
    "RecordScanner",
    "Where",
    "conditions",
    "is_membership",
    "matches",
    "plain",
]

# A filter maps a field name to one value (equality) or a list/tuple/set of values (membership).
Where = Mapping[str, Any]


class RecordScanner(Protocol):
    """Streaming the records of a kind in key order, optionally filtered (coverage inputs)."""

    def scan(
        self, kind: RecordKind, *, where: Where | None = None, batch_size: int = ...
    ) -> Iterator[Record]: ...


class RecordReader(RecordScanner, Protocol):
    """Filtered scans and lookups by key: what gathering an account and scenarios read."""

    def get(self, kind: RecordKind, key: str) -> Record | None: ...


class DocReader(Protocol):
    """Reading documents (policy, overrides): one by id, or a collection a page at a time."""

    def get_doc(self, collection: str, doc_id: str) -> dict[str, Any] | None: ...

    def list_docs(
        self, collection: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, dict[str, Any]]]: ...


def is_membership(wanted: Any) -> bool:
    """Whether a filter value asks for membership (a list/tuple/set) rather than equality."""
    return isinstance(wanted, list | tuple | set | frozenset)


def plain(value: Any) -> Any:
    """Enum members compare by value (filters may hold either)."""
    return getattr(value, "value", value)


Conditions = list[tuple[str, bool, Any]]  # (field, is a membership test, value or set)


def conditions(where: Where | None) -> Conditions:
    """A filter prepared once per scan: plain values, membership sets."""
    out: Conditions = []
    for field, wanted in (where or {}).items():
        if is_membership(wanted):
            out.append((field, True, {plain(w) for w in wanted}))
        else:
            out.append((field, False, plain(wanted)))
    return out


def matches(record: Record, where: Where | Conditions | None) -> bool:
    """Store filter semantics: a value means equality, a list/tuple/set means membership."""
    conds = where if isinstance(where, list) else conditions(where)
    for field, member, wanted in conds:
        value = plain(getattr(record, field, None))
        if (value not in wanted) if member else (value != wanted):
            return False
    return True


class MemorySource:
    """Records held in memory, answering ``scan``/``get`` as the stores do: in key order, with
    the store filter rule. Coverage by ``customer_id`` is indexed (the coverage analyses read
    it chunk by chunk)."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._by_kind: dict[RecordKind, dict[str, Record]] = defaultdict(dict)
        self._coverage_by_customer: dict[str, list[Coverage]] = defaultdict(list)
        for record in records:
            self._by_kind[record.kind][record.key] = record
        for key in sorted(self._by_kind[RecordKind.COVERAGE]):
            cov = self._by_kind[RecordKind.COVERAGE][key]
            assert isinstance(cov, Coverage)
            self._coverage_by_customer[cov.customer_id].append(cov)

    def scan(
        self, kind: RecordKind, *, where: Where | None = None, batch_size: int = 5000
    ) -> Iterator[Record]:
        if kind is RecordKind.COVERAGE and where and set(where) == {"customer_id"}:
            wanted = where["customer_id"]
            ids = sorted(set(wanted)) if is_membership(wanted) else [wanted]
            found = [c for cid in ids for c in self._coverage_by_customer.get(cid, [])]
            yield from sorted(found, key=lambda r: r.key)
            return
        records = self._by_kind.get(kind, {})
        conds = conditions(where)
        for key in sorted(records):
            if matches(records[key], conds):
                yield records[key]

    def get(self, kind: RecordKind, key: str) -> Record | None:
        return self._by_kind.get(kind, {}).get(key)
