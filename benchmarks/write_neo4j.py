"""Neo4jStore.write of 100,000 contacts with their links against one MERGE per transaction.

Phases, all against the same server in the same run (the database is cleared before 1, 3 and
each half of 4):

1. ``store``: the generated graph (customers, contacts, our employees, the contacts' reporting
   lines, influence and our relationships to them) written through ``Neo4jStore.write`` in change
   sets of ``--changeset`` records (batched ``UNWIND`` inside one transaction per change set).
2. ``store, unchanged``: the same records written again: all counted unchanged, nothing rewritten.
3. ``bound``: the same change sets as plain ``UNWIND ... CREATE`` transactions with no validation,
   no status, no version: roughly the least the server needs for this graph (context, not a
   target: the store does more).
4. ``baseline``: the naive way, one ``MERGE`` per record and one transaction per record
   (``session.execute_write``), on a graph of the same mix with about ``--baseline-rows`` records
   in all: half of them before phase 1 and half after phase 3, so that load on the machine that
   changes during the run weighs on both sides.

Prints records/s of each phase and the ratio store / baseline (the target is >= 20x).
The benchmark CLEARS the database: it refuses non-local servers unless ``--allow-remote``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from neo4j import ManagedTransaction

from graph.model import (
    WRITE_ORDER,
    Contact,
    ContactReportsTo,
    Customer,
    DecisionRole,
    Employee,
    Influence,
    Record,
    RecordKind,
    Relationship,
    RelationshipStrength,
    Stance,
    Tier,
    record_to_dict,
)
from graph.store.base import ChangeSet
from graph.store.cypher import HOLDER_LABELS, LABELS, LINKS, by_id
from graph.store.neo4j import Neo4jStore, wait_until_available

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
INDUSTRIES = ("finance", "manufacturing", "retail", "energy", "government", "healthcare")
REGIONS = ("华东", "华北", "华南", "西南", "西北", "东北", "华中")
TITLES = ("CIO", "CFO", "IT 总监", "采购经理", "架构师", "工程师", "财务经理", "董事长")


@dataclass(frozen=True)
class Shape:
    """How big the generated graph is; the link counts follow from the contacts."""

    contacts: int
    contacts_per_customer: int = 10
    employees: int = 500
    influence_per_contact: float = 0.5
    relationship_per_contact: float = 0.5

    @property
    def customers(self) -> int:
        return max(1, -(-self.contacts // self.contacts_per_customer))


def generate(shape: Shape, seed: int = 7) -> Iterator[Record]:
    """The graph's records in write order (a record only refers to ones yielded before it),
    generated lazily so memory stays bounded whatever the size."""
    rng = random.Random(seed)
    per = shape.contacts_per_customer

    def name() -> str:
        return (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        )

    for c in range(shape.customers):
        yield Customer(
            id=f"cu{c:07d}",
            name=f"{rng.choice(REGIONS)}{c}号客户有限公司",
            tier=rng.choice(list(Tier)),
            industry=rng.choice(INDUSTRIES),
            region=rng.choice(REGIONS),
            revenue=round(rng.random() * 1e7, 2),
            potential=round(rng.random() * 2e7, 2),
            reference_value=round(rng.random(), 3),
            winnability=round(rng.random(), 3),
            parent_id=f"cu{c - c % 50:07d}" if c % 50 else None,
        )
    for i in range(shape.contacts):
        yield Contact(
            id=f"ct{i:08d}",
            customer_id=f"cu{i // per:07d}",
            name=name(),
            title=rng.choice(TITLES),
            department=rng.choice(("信息部", "采购部", "财务部", "总经办")),
            level=rng.randint(0, 10),
            decision_role=rng.choice(list(DecisionRole)),
            stance=rng.choice(list(Stance)),
            email=f"ct{i}@example.cn",
        )
    for e in range(shape.employees):
        yield Employee(id=f"em{e:05d}", name=name(), region=rng.choice(REGIONS))
    for i in range(shape.contacts):
        if i % per:  # everyone but the first contact of a customer reports to someone above
            boss = i - i % per + rng.randrange(i % per)
            yield ContactReportsTo(contact_id=f"ct{i:08d}", manager_id=f"ct{boss:08d}")
    for i in range(shape.contacts):
        if rng.random() < shape.influence_per_contact and per > 1:
            other = i - i % per + rng.randrange(per)
            if other != i and other < shape.contacts:
                yield Influence(
                    source_id=f"ct{i:08d}",
                    target_id=f"ct{other:08d}",
                    strength=round(rng.uniform(0.1, 1.0), 2),
                )
    for i in range(shape.contacts):
        if rng.random() < shape.relationship_per_contact:
            yield Relationship(
                employee_id=f"em{rng.randrange(shape.employees):05d}",
                contact_id=f"ct{i:08d}",
                strength=rng.choice(list(RelationshipStrength)),
            )


def change_sets(records: Iterable[Record], size: int) -> Iterator[ChangeSet]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield ChangeSet(upserts=batch)
            batch = []
    if batch:
        yield ChangeSet(upserts=batch)


@dataclass
class Measured:
    name: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")

    def line(self) -> str:
        return (
            f"{self.name:<26} {self.rows:>9,} records {self.seconds:>8.2f} s "
            f"{self.rate:>10,.0f} records/s"
        )


def run_store(store: Neo4jStore, shape: Shape, changeset: int, label: str) -> tuple[Measured, int]:
    """Write the generated graph through ``Neo4jStore.write``; (measurement, records changed).
    Only ``write`` is timed, not generating the records."""
    rows = changed = 0
    seconds = 0.0
    for cs in change_sets(generate(shape), changeset):
        started = time.perf_counter()
        result = store.write(cs)
        seconds += time.perf_counter() - started
        rows += len(cs.upserts)
        changed += result.changed
    return Measured(label, rows, seconds), changed


def naive_statement(record: Record) -> tuple[str, dict[str, object]]:
    """One MERGE for one record, the way a first integration would write it."""
    data = {k: v for k, v in record_to_dict(record).items() if v is not None}
    if record.kind in LABELS:
        return f"MERGE (n:{LABELS[record.kind]} {{id: $id}}) SET n += $p", {
            "id": record.key,
            "p": data,
        }
    shape = LINKS[record.kind]
    a, b = data.pop(shape.start_field), data.pop(shape.end_field)
    start = shape.start_label or HOLDER_LABELS[str(data["holder_kind"])]
    data["k"] = record.key
    query = (
        f"MATCH (a:{start} {{id: $a}}) MATCH (b:{shape.end_label} {{id: $b}}) "
        f"MERGE (a)-[r:{shape.rel_type}]->(b) SET r += $p"
    )
    return query, {"a": a, "b": b, "p": data}


def _bound_tx(tx: ManagedTransaction, changes: ChangeSet, batch: int) -> None:
    """A change set as plain ``UNWIND ... CREATE`` statements: no validation, no lookups of what
    exists, no counts, no version. What the server costs at least for this graph."""
    grouped = changes.by_kind()
    for kind in WRITE_ORDER:
        records = grouped.get(kind, [])
        if kind in LABELS:
            label = LABELS[kind]
            rows = [{"p": _plain(r), "ref": getattr(r, "customer_id", None)} for r in records]
            if kind is RecordKind.CONTACT:
                query = (
                    "UNWIND $rows AS row MATCH (p:Customer {id: row.ref}) "
                    f"{by_id('p', 'Customer')} CREATE (n:Contact)-[:WORKS_AT]->(p) SET n = row.p"
                )
            else:
                query = f"UNWIND $rows AS row CREATE (n:{label}) SET n = row.p"
            for start in range(0, len(rows), batch):
                tx.run(query, rows=rows[start : start + batch]).consume()
            if kind is RecordKind.CUSTOMER:
                links = [{"id": r.key, "ref": r.parent_id} for r in records if r.parent_id]  # type: ignore[attr-defined]
                query = (
                    "UNWIND $rows AS row MATCH (n:Customer {id: row.id}) "
                    f"{by_id('n', 'Customer')} MATCH (p:Customer {{id: row.ref}}) "
                    f"{by_id('p', 'Customer')} CREATE (n)-[:SUBSIDIARY_OF]->(p)"
                )
                for start in range(0, len(links), batch):
                    tx.run(query, rows=links[start : start + batch]).consume()
        elif records:
            shape = LINKS[kind]
            if shape.start_label is None:
                raise NotImplementedError("the generated graph has no coverage")
            start_label = shape.start_label
            query = (
                f"UNWIND $rows AS row MATCH (a:{start_label} {{id: row.a}}) "
                f"{by_id('a', start_label)} MATCH (b:{shape.end_label} {{id: row.b}}) "
                f"{by_id('b', shape.end_label)} CREATE (a)-[r:{shape.rel_type}]->(b) SET r = row.p"
            )
            rows = []
            for r in records:
                data = _plain(r)
                a, b = data.pop(shape.start_field), data.pop(shape.end_field)
                data["k"] = r.key
                rows.append({"a": a, "b": b, "p": data})
            for start in range(0, len(rows), batch):
                tx.run(query, rows=rows[start : start + batch]).consume()


def _plain(record: Record) -> dict[str, object]:
    return {k: v for k, v in record_to_dict(record).items() if v is not None}


def run_bound(store: Neo4jStore, shape: Shape, changeset: int, batch: int) -> Measured:
    """The same change sets as plain UNWIND CREATE transactions (only the transactions timed)."""
    rows = 0
    seconds = 0.0
    with store._session() as session:
        for cs in change_sets(generate(shape), changeset):
            started = time.perf_counter()
            session.execute_write(_bound_tx, cs, batch)
            seconds += time.perf_counter() - started
            rows += len(cs.upserts)
    return Measured("bound: plain UNWIND CREATE", rows, seconds)


def _run_one(tx: ManagedTransaction, query: str, params: dict[str, object]) -> None:
    tx.run(query, params).consume()


def run_baseline(store: Neo4jStore, shape: Shape) -> Measured:
    """One MERGE per record, one managed transaction per MERGE (plus the WORKS_AT of a contact
    in the same transaction, so the graph matches what the store writes). Only the transactions
    are timed."""
    rows = 0
    seconds = 0.0
    with store._session() as session:
        for record in generate(shape):
            query, params = naive_statement(record)
            if record.kind is RecordKind.CONTACT:
                query += (
                    " WITH n MATCH (c:Customer {id: $p.customer_id}) MERGE (n)-[:WORKS_AT]->(c)"
                )
            started = time.perf_counter()
            session.execute_write(_run_one, query, params)
            seconds += time.perf_counter() - started
            rows += 1
    return Measured("baseline: MERGE per tx", rows, seconds)


def _load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _is_local(uri: str) -> bool:
    host = urlsplit(uri).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def main(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.run write_neo4j",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Start the local server first: scripts/neo4j-local start",
    )
    ap.add_argument(
        "--uri", default=os.environ.get("RELMAP_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")
    )
    ap.add_argument("--user", default=os.environ.get("RELMAP_NEO4J_USER", "neo4j"))
    ap.add_argument(
        "--password", default=os.environ.get("RELMAP_NEO4J_PASSWORD", "relmap-test-password")
    )
    ap.add_argument("--database", default="neo4j")
    ap.add_argument(
        "--contacts", type=int, default=100_000, help="contacts to write (default 100000)"
    )
    ap.add_argument(
        "--changeset", type=int, default=20_000, help="records per change set (default 20000)"
    )
    ap.add_argument("--batch-size", type=int, default=5000, help="rows per UNWIND (default 5000)")
    ap.add_argument(
        "--baseline-rows",
        type=int,
        default=2000,
        help="records of the naive baseline (default 2000)",
    )
    ap.add_argument(
        "--allow-remote", action="store_true", help="allow a non-local server (it is CLEARED)"
    )
    args = ap.parse_args(argv)
    if not _is_local(args.uri) and not args.allow_remote:
        ap.error(
            f"{args.uri} is not local and this benchmark clears the database: add --allow-remote"
        )

    store = Neo4jStore(
        args.uri,
        user=args.user,
        password=args.password,
        database=args.database,
        batch_size=args.batch_size,
    )
    try:
        health = wait_until_available(store, timeout=30)
        if not health.ok:
            print(f"Neo4j not reachable: {health.detail}", file=sys.stderr)
            return 0.0
        store.ensure_schema()
        shape = Shape(contacts=args.contacts)
        # About --baseline-rows records of the same mix (about three records per contact).
        per_contact = sum(1 for _ in generate(Shape(contacts=1000))) / 1000
        half = args.baseline_rows / 2
        small = Shape(contacts=max(10, round(half / per_contact)), employees=25)

        print(f"server: {health.detail}")
        print(
            f"machine: {os.cpu_count()} CPUs, load average {_load()} (client and server share it)"
        )
        print(
            f"graph: {shape.contacts:,} contacts, {shape.customers:,} customers, "
            f"{shape.employees} employees, their reporting lines, influence and relationships; "
            f"change sets of {args.changeset:,} records, UNWIND batches of {args.batch_size:,}"
        )
        # The baseline runs half before and half after the store phases (same sample, each in
        # an empty database) so load that drifts during the run weighs on both sides alike.
        store.clear()
        before = run_baseline(store, small)
        store.clear()
        fresh, changed = run_store(store, shape, args.changeset, "store: write (new)")
        contacts = store.count(RecordKind.CONTACT)
        if contacts != shape.contacts or changed != fresh.rows:
            print(f"WRONG: {contacts} contacts stored, {changed} of {fresh.rows} records changed")
            return 0.0
        again, changed = run_store(store, shape, args.changeset, "store: write (unchanged)")
        if changed:
            print(f"WRONG: rewriting the same records changed {changed}")
            return 0.0
        store.clear()
        bound = run_bound(store, shape, args.changeset, args.batch_size)
        store.clear()
        after = run_baseline(store, small)
        store.clear()
        base = Measured(
            "baseline: MERGE per tx", before.rows + after.rows, before.seconds + after.seconds
        )

        print(f"load average at the end: {_load()}")
        print(fresh.line())
        print(again.line())
        print(bound.line())
        print(base.line())
        ratio = fresh.rate / base.rate
        print(f"ratio store/baseline (new records): {ratio:.1f}x   (target >= 20x)")
        print(f"ratio store/baseline (unchanged):   {again.rate / base.rate:.1f}x")
        print(f"store / bound (new records):        {fresh.rate / bound.rate:.0%} of plain CREATE")
        return ratio
    finally:
        store.close()


if __name__ == "__main__":
    main()
