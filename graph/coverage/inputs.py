"""Gathering the input of the coverage analyses: the one place that reads records for them.

The org (teams, employees, memberships: thousands) is read whole; customers (up to millions) are
streamed in chunks, each with its coverage records fetched by ``customer_id`` so the store does
the filtering and memory stays bounded. Anything with a ``scan`` works as the source: a Store, or
``graph.store.reader.MemorySource`` over plain records (tests, scenarios diffing before/after a
restructure).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graph.coverage.policy import OVERRIDES_COLLECTION
from graph.coverage.scoring import Override
from graph.model import Coverage, Customer, Employee, Membership, RecordKind, Team, Tier
from graph.prefetch import prefetched
from graph.store.reader import DocReader, RecordScanner

DEFAULT_CHUNK = 5000


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


def read_org(source: RecordScanner) -> OrgRecords:
    """Teams, employees and memberships, in key order."""
    return OrgRecords(
        teams=tuple(r for r in source.scan(RecordKind.TEAM) if isinstance(r, Team)),
        employees=tuple(r for r in source.scan(RecordKind.EMPLOYEE) if isinstance(r, Employee)),
        memberships=tuple(
            r for r in source.scan(RecordKind.MEMBERSHIP) if isinstance(r, Membership)
        ),
    )


def customer_chunks(
    source: RecordScanner, chunk_size: int = DEFAULT_CHUNK, *, prefetch: int = 1
) -> Iterator[CustomerChunk]:
    """Customers in key order, ``chunk_size`` at a time, each chunk with its coverage.

    With ``prefetch`` > 0 a background thread reads up to that many chunks ahead, so the store's
    work and the network overlap the caller's analysis; memory stays bounded by the chunks in
    flight."""
    chunks = _read_chunks(source, chunk_size)
    if prefetch <= 0:
        return chunks
    return prefetched(chunks, prefetch)


def _read_chunks(source: RecordScanner, chunk_size: int) -> Iterator[CustomerChunk]:
    batch: list[Customer] = []
    for record in source.scan(RecordKind.CUSTOMER, batch_size=chunk_size):
        if isinstance(record, Customer):
            batch.append(record)
        if len(batch) >= chunk_size:
            yield _with_coverage(source, batch)
            batch = []
    if batch:
        yield _with_coverage(source, batch)


def _with_coverage(source: RecordScanner, customers: list[Customer]) -> CustomerChunk:
    ids = [c.id for c in customers]
    coverage = tuple(
        r
        for r in source.scan(RecordKind.COVERAGE, where={"customer_id": ids}, batch_size=len(ids))
        if isinstance(r, Coverage)
    )
    return CustomerChunk(tuple(customers), coverage)


def read_overrides(source: DocReader) -> dict[str, Override]:
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
