"""Gathering the analyses' input: chunks with their coverage, read ahead in a thread."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from graph.coverage.inputs import customer_chunks
from graph.model import Customer, Record, RecordKind
from graph.store.reader import MemorySource
from tests.coverage.worlds import sales_world


class Broken(MemorySource):
    """Fails after the customers of the first chunk were read."""

    def scan(
        self, kind: RecordKind, *, where: Mapping[str, Any] | None = None, batch_size: int = 5000
    ) -> Iterator[Record]:
        if kind is RecordKind.COVERAGE and where and "k02" in where["customer_id"]:
            raise RuntimeError("store went away")
        yield from super().scan(kind, where=where, batch_size=batch_size)


def test_prefetched_chunks_equal_plain_ones() -> None:
    source = MemorySource(sales_world())
    plain = list(customer_chunks(source, 4, prefetch=0))
    ahead = list(customer_chunks(source, 4, prefetch=2))
    assert ahead == plain
    assert [c.id for chunk in plain for c in chunk.customers] == sorted(
        r.id for r in sales_world() if isinstance(r, Customer)
    )


def test_a_read_error_reaches_the_caller_after_the_good_chunks() -> None:
    chunks = customer_chunks(Broken(sales_world()), 4, prefetch=1)
    first = next(chunks)
    assert [c.id for c in first.customers] == ["bank-zs", "br-bj", "br-gansu", "cu-gansu"]
    with pytest.raises(RuntimeError, match="store went away"):
        list(chunks)


def test_stopping_early_stops_the_reader() -> None:
    chunks = customer_chunks(MemorySource(sales_world()), 1, prefetch=1)
    assert next(chunks).customers[0].id == "bank-zs"
    chunks.close()  # type: ignore[attr-defined]  # joins the reader thread
    import threading

    assert not [t for t in threading.enumerate() if t.name == "relmap-chunk-reader"]
