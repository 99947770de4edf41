"""Gathering the input of the coverage analyses: the one place that reads records for them.

The org (teams, employees, memberships: thousands) is read whole; customers (up to millions) are
streamed in chunks, each with its coverage records fetched by ``customer_id`` so the store does
the filtering and memory stays bounded. Anything with a ``scan`` works as the source: a Store, or
``MemorySource`` over plain records (tests, scenarios diffing before/after a restructure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graph.coverage.policy import OVERRIDES_COLLECTION
from graph.coverage.scoring import Override
from graph.model import Coverage, Customer, Employee, Membership, Record, RecordKind, Team, Tier
from graph.prefetch import prefetched

DEFAULT_CHUNK = 5000


class RecordSource(Protocol):
    """What the analyses need of a store: streaming records of a kind, optionally filtered."""

    def scan(
        self, kind: RecordKind, *, where: Mapping[str, Any] | None = None, batch_size: int = ...
    ) -> Iterator[Record]: ...


@dataclass(frozen=True)
class OrgRecords:
    """Our side, small enough to hold in memory."""

    teams: tuple[Team, ...]
    employees: tuple[Employee, ...]
    memberships: tuple[Membership, ...]


@dataclass(frozen=True)
class CustomerChunk:
    """Some customers and every coverage record of those customers."""

    customers: tuple[Customer, ...]
    coverage: tuple[Coverage, ...]


def read_org(source: RecordSource) -> OrgRecords:
    """Teams, employees and memberships, in key order."""
    return OrgRecords(
        teams=tuple(r for r in source.scan(RecordKind.TEAM) if isinstance(r, Team)),
        employees=tuple(r for r in source.scan(RecordKind.EMPLOYEE) if isinstance(r, Employee)),
        memberships=tuple(
            r for r in source.scan(RecordKind.MEMBERSHIP) if isinstance(r, Membership)
        ),
    )


def customer_chunks(
    source: RecordSource, chunk_size: int = DEFAULT_CHUNK, *, prefetch: int = 1
) -> Iterator[CustomerChunk]:
    """Customers in key order, ``chunk_size`` at a time, each chunk with its coverage.

    With ``prefetch`` > 0 a background thread reads up to that many chunks ahead, so the store's
    work and the network overlap the caller's analysis; memory stays bounded by the chunks in
    flight."""
    chunks = _read_chunks(source, chunk_size)
    if prefetch <= 0:
        return chunks
    return prefetched(chunks, prefetch)


def _read_chunks(source: RecordSource, chunk_size: int) -> Iterator[CustomerChunk]:
    batch: list[Customer] = []
    for record in source.scan(RecordKind.CUSTOMER, batch_size=chunk_size):
        if isinstance(record, Customer):
            batch.append(record)
        if len(batch) >= chunk_size:
            yield _with_coverage(source, batch)
            batch = []
    if batch:
        yield _with_coverage(source, batch)


def _with_coverage(source: RecordSource, customers: list[Customer]) -> CustomerChunk:
    ids = [c.id for c in customers]
    coverage = tuple(
        r
        for r in source.scan(RecordKind.COVERAGE, where={"customer_id": ids}, batch_size=len(ids))
        if isinstance(r, Coverage)
    )
    return CustomerChunk(tuple(customers), coverage)


class MemorySource:
    """An in-memory ``RecordSource`` over plain records (equality / membership filters)."""

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
        self, kind: RecordKind, *, where: Mapping[str, Any] | None = None, batch_size: int = 5000
    ) -> Iterator[Record]:
        if kind is RecordKind.COVERAGE and where and set(where) == {"customer_id"}:
            wanted = where["customer_id"]
            ids = [wanted] if isinstance(wanted, str) else sorted(set(wanted))
            found = [c for cid in ids for c in self._coverage_by_customer.get(cid, [])]
            yield from sorted(found, key=lambda r: r.key)
            return
        records = self._by_kind.get(kind, {})
        for key in sorted(records):
            record = records[key]
            if where is None or all(_matches(getattr(record, f), v) for f, v in where.items()):
                yield record


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, list | tuple | set | frozenset):
        return value in wanted
    return bool(value == wanted)


class DocLister(Protocol):
    """What reading overrides needs of a store: listing a document collection."""

    def list_docs(
        self, collection: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, dict[str, Any]]]: ...


def read_overrides(source: DocLister) -> dict[str, Override]:
    """The manual tier overrides stored as documents ``score_overrides/<customer id>``."""
    out: dict[str, Override] = {}
    after: str | None = None
    while True:
        page = source.list_docs(OVERRIDES_COLLECTION, after=after, limit=100)
        for doc_id, data in page:
            out[doc_id] = Override(Tier(data["tier"]), str(data.get("reason", "")))
        if len(page) < 100:
            return out
        after = page[-1][0]


def override_document(override: Override, by: str = "") -> dict[str, Any]:
    """The document an override is stored as."""
    return {"tier": override.tier.value, "reason": override.reason, "by": by}
