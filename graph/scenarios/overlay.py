"""A copy-on-write view of the graph: the live records, with a scenario's changes laid over them.

Only the records a scenario touches are held (``changed``); every other read goes to the base
source (a store, or ``MemorySource``). ``scan`` merges the base stream with the overlay in key
order and honours ``where`` on the overlaid records, so every analysis that reads a
``RecordReader`` (coverage, political maps) runs unchanged on "the graph as the scenario would
leave it" without the live graph being touched.

``before`` remembers the base content of every touched key (``None``: it did not exist): it is
the inverse change set of an apply and the snapshot a stale scenario is checked against.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graph.model import Record, RecordKind
from graph.store.reader import RecordReader, conditions, is_membership, matches, plain

TouchedKey = tuple[RecordKind, str]


class Overlay:
    """The base graph with some records replaced, added or deleted."""

    def __init__(self, base: RecordReader) -> None:
        self.base = base
        self.changed: dict[TouchedKey, Record | None] = {}
        self.before: dict[TouchedKey, Record | None] = {}
        self._known: dict[TouchedKey, Record | None] = {}
        self._keys: dict[RecordKind, set[str]] = {}
        self._index: dict[tuple[RecordKind, str], dict[Any, set[str]]] = {}

    # ------------------------------------------------------------------ writes (in memory)
    def know(self, records: Iterable[Record]) -> None:
        """Remember base content already read (saves a lookup when it is touched later)."""
        for r in records:
            k = (r.kind, r.key)
            if k not in self.changed:
                self._known.setdefault(k, r)

    def know_absent(self, kind: RecordKind, keys: Iterable[str]) -> None:
        for key in keys:
            k = (kind, key)
            if k not in self.changed:
                self._known.setdefault(k, None)

    def _capture(self, k: TouchedKey) -> None:
        if k in self.before:
            return
        if k in self._known:
            self.before[k] = self._known[k]
        else:
            self.before[k] = self.base.get(k[0], k[1])

    def put(self, record: Record) -> None:
        k = (record.kind, record.key)
        self._capture(k)
        self._changed(k, record)

    def _changed(self, k: TouchedKey, record: Record | None) -> None:
        self.changed[k] = record
        self._keys.setdefault(k[0], set()).add(k[1])
        for ik in [ik for ik in self._index if ik[0] is k[0]]:
            del self._index[ik]

    def delete(self, kind: RecordKind, key: str, known: Record | None = None) -> None:
        k = (kind, key)
        if known is not None and k not in self.changed:
            self._known.setdefault(k, known)
        self._capture(k)
        self._changed(k, None)

    # ------------------------------------------------------------------ reads
    def get(self, kind: RecordKind, key: str) -> Record | None:
        k = (kind, key)
        if k in self.changed:
            return self.changed[k]
        if k in self._known:
            return self._known[k]
        found = self.base.get(kind, key)
        self._known[k] = found  # the base does not change while a scenario is resolved
        return found

    def scan(
        self, kind: RecordKind, *, where: Mapping[str, Any] | None = None, batch_size: int = 5000
    ) -> Iterator[Record]:
        yield from self.view(kind, self.base.scan(kind, where=where, batch_size=batch_size), where)

    def view(
        self, kind: RecordKind, base_records: Iterable[Record], where: Mapping[str, Any] | None
    ) -> Iterator[Record]:
        """``base_records`` (the base's answer to ``where``, in key order, e.g. read once for
        both sides of a diff) as the overlaid graph would answer the same query."""
        touched = self._keys.get(kind, set())
        if not touched:
            yield from base_records
            return
        conds = conditions(where)
        mine = sorted(
            (r for r in self._candidates(kind, touched, where) if matches(r, conds)),
            key=lambda r: r.key,
        )
        base = (r for r in base_records if r.key not in touched)
        yield from heapq.merge(base, mine, key=lambda r: r.key)

    def _candidates(
        self, kind: RecordKind, touched: set[str], where: Mapping[str, Any] | None
    ) -> Iterator[Record]:
        """Overlaid records of ``kind`` that may match ``where`` (indexed on its first field)."""
        if not touched:
            return
        if not where:
            for key in touched:
                r = self.changed[(kind, key)]
                if r is not None:
                    yield r
            return
        fld, wanted = next(iter(where.items()))
        index = self._index.get((kind, fld))
        if index is None:
            index = {}
            for key in touched:
                r = self.changed[(kind, key)]
                if r is not None:
                    index.setdefault(plain(getattr(r, fld, None)), set()).add(key)
            self._index[(kind, fld)] = index
        values = wanted if is_membership(wanted) else [wanted]
        for v in {plain(w) for w in values}:
            for key in index.get(v, ()):
                r = self.changed[(kind, key)]
                if r is not None:
                    yield r

    # ------------------------------------------------------------------ result
    def net(self) -> tuple[list[Record], list[TouchedKey], dict[TouchedKey, Record | None]]:
        """Upserts and deletes that differ from the base, and the base content of each."""
        upserts: list[Record] = []
        deletes: list[TouchedKey] = []
        before: dict[TouchedKey, Record | None] = {}
        for k in sorted(self.changed, key=lambda k: (k[0].value, k[1])):
            new, old = self.changed[k], self.before.get(k)
            if new == old:
                continue
            before[k] = old
            if new is None:
                deletes.append(k)
            else:
                upserts.append(new)
        return upserts, deletes, before
