"""What only the embedded SQLite store must do: persist in a file, share it between connections
and threads, stay fast on bulk writes, and fail clearly once closed."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from graph.model import Contact, Customer, Record, RecordKind, Tier
from graph.settings import Settings
from graph.store.base import StoreUnavailable
from graph.store.open import open_store
from graph.store.sqlite import TABLES, SqliteStore

K = RecordKind


def test_records_and_version_survive_reopening_the_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nested" / "relmap.db")
    with SqliteStore(path) as store:
        store.upsert([Customer(id="c1", name="华为技术有限公司")])
        store.put_doc("notes", "n1", {"text": "张伟"})
        version = store.version()
    with SqliteStore(path) as again:
        assert again.get(K.CUSTOMER, "c1") == Customer(id="c1", name="华为技术有限公司")
        assert again.get_doc("notes", "n1") == {"text": "张伟"}
        assert again.version() == version


def test_open_store_understands_sqlite_urls(tmp_path: Path) -> None:
    store = open_store(Settings(store=f"sqlite:///{tmp_path / 'x' / 'r.db'}"))
    try:
        assert store.kind == "sqlite" and store.health().ok
    finally:
        store.close()
    assert (tmp_path / "x" / "r.db").exists()


def test_two_connections_to_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    with SqliteStore(path) as a, SqliteStore(path) as b:
        a.upsert([Customer(id="c1", name="一")])
        b.upsert([Contact(id="p1", customer_id="c1", name="张伟")])
        assert a.count(K.CONTACT) == 1
        assert a.version() == b.version() == 2


def test_concurrent_writes_from_threads_all_commit(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "threads.db"))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                store.upsert([Customer(id=f"t{n}-{i}", name="并发")])
                store.count(K.CUSTOMER)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count(K.CUSTOMER) == 80
    assert store.version() == 80
    store.close()


def test_twenty_thousand_records_write_in_one_transaction_quickly(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "bulk.db"))
    n = 20_000
    records: list[Record] = [Customer(id=f"c{i:06d}", name=f"客户{i}") for i in range(n)]
    records += [Contact(id=f"p{i:06d}", customer_id=f"c{i:06d}", name="张伟") for i in range(n)]
    start = time.perf_counter()
    result = store.upsert(records)
    elapsed = time.perf_counter() - start
    assert result.of(K.CUSTOMER).created == n and result.of(K.CONTACT).created == n
    assert result.version == 1
    assert elapsed < 10, f"bulk write took {elapsed:.1f}s"
    again = store.upsert(records)
    assert again.of(K.CONTACT).unchanged == n and again.version == 1
    store.close()


def test_reference_columns_are_indexed(tmp_path: Path) -> None:
    SqliteStore(str(tmp_path / "s.db")).close()
    conn = sqlite3.connect(tmp_path / "s.db")
    indexed = {row[1] for row in conn.execute("SELECT * FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert "ix_contact_customer_id" in indexed
    assert "ix_coverage_holder_id" in indexed
    assert "ix_influence_target_id" in indexed
    assert TABLES[K.COVERAGE].columns == ("holder_kind", "holder_id", "customer_id")


def test_a_closed_store_reports_unhealthy_and_refuses_work(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "c.db"))
    store.close()
    health = store.health()
    assert not health.ok and "c.db" in health.detail
    with pytest.raises(StoreUnavailable):
        store.count(K.CUSTOMER)


def test_in_memory_store_works(tmp_path: Path) -> None:
    with SqliteStore(":memory:") as store:
        store.upsert([Customer(id="c", name="内存")])
        assert store.count(K.CUSTOMER) == 1


def test_filter_values_are_checked_against_the_field_type(tmp_path: Path) -> None:
    with SqliteStore(":memory:") as store:
        store.upsert([Customer(id="c", name="n", tier=Tier.KEY)])
        with pytest.raises(ValueError, match="tier"):
            store.page(K.CUSTOMER, where={"tier": "platinum"})
        with pytest.raises(ValueError, match="regions"):
            store.page(K.TEAM, where={"regions": "south"})
