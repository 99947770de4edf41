"""Synthetic data sets for import tests and benchmarks, written as relmap-format files.

``demo_batches`` uses the project's demo generator (``graph.demo.generate.generate``) when it is
available and a small deterministic generator of its own otherwise; ``write_relmap_files``
streams any record batches into one CSV per kind (bounded memory, so it can write a million
customers).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.model import (
    WRITE_ORDER,
    Contact,
    ContactReportsTo,
    Coverage,
    CoverageRole,
    Customer,
    Employee,
    HolderKind,
    Membership,
    Record,
    RecordKind,
    Relationship,
    Team,
    TeamKind,
    Tier,
)
from importers.relmap_format import columns, record_row

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
_REGIONS = ("上海", "江苏", "浙江", "广东", "北京", "四川", "湖北", "山东")
_INDUSTRIES = ("finance", "manufacturing", "retail", "government", "energy")


def simple_batches(
    customers: int, seed: int = 7, contacts_per_customer: int = 3, batch: int = 5000
) -> Iterator[list[Record]]:
    """A plain deterministic data set: teams and sellers, customers (every 10th a branch of
    the one before), contacts with reporting lines, coverage and relationships; batches in
    write order."""
    rng = random.Random(seed)
    sellers = max(5, customers // 200)
    teams = [
        Team(id=f"T{i}", name=f"团队{i}", team_kind=TeamKind.REGIONAL, regions=(region,))
        for i, region in enumerate(_REGIONS)
    ]
    yield list[Record](teams)
    employees = [
        Employee(
            id=f"E{i:06d}", name=rng.choice(_SURNAMES) + rng.choice(_GIVEN), region=_REGIONS[i % 8]
        )
        for i in range(sellers)
    ]
    members = [Membership(employee_id=e.id, team_id=f"T{i % 8}") for i, e in enumerate(employees)]
    yield list[Record](employees)
    yield list[Record](members)

    def chunks(make: Iterable[Record]) -> Iterator[list[Record]]:
        out: list[Record] = []
        for record in make:
            out.append(record)
            if len(out) >= batch:
                yield out
                out = []
        if out:
            yield out

    def customer(i: int) -> Customer:
        r = random.Random(seed * 1_000_003 + i)
        return Customer(
            id=f"C{i:07d}",
            name=f"{r.choice(_REGIONS)}{r.choice(_SURNAMES)}{i}有限公司",
            tier=(Tier.KEY if i % 50 == 0 else Tier.MID if i % 7 == 0 else Tier.SMALL),
            industry=_INDUSTRIES[i % 5],
            region=_REGIONS[i % 8],
            revenue=float(r.randint(1, 10_000) * 1000),
            parent_id=f"C{i - 1:07d}" if i % 10 == 9 else None,
        )

    def contacts() -> Iterator[Record]:
        for i in range(customers):
            r = random.Random(seed * 7_000_003 + i)
            for j in range(contacts_per_customer):
                yield Contact(
                    id=f"K{i:07d}-{j}",
                    customer_id=f"C{i:07d}",
                    name=r.choice(_SURNAMES) + r.choice(_GIVEN),
                    level=min(10, 1 + j * 2),
                )

    def lines() -> Iterator[Record]:
        for i in range(customers):
            for j in range(1, contacts_per_customer):
                yield ContactReportsTo(contact_id=f"K{i:07d}-{j}", manager_id=f"K{i:07d}-0")

    def coverage() -> Iterator[Record]:
        for i in range(customers):
            seller = employees[i % sellers].id
            yield Coverage(
                holder_kind=HolderKind.EMPLOYEE, holder_id=seller, customer_id=f"C{i:07d}"
            )
            if i % 4 == 0:
                yield Coverage(
                    holder_kind=HolderKind.TEAM,
                    holder_id=f"T{i % 8}",
                    customer_id=f"C{i:07d}",
                    role=CoverageRole.SUPPORT,
                    credit_share=0.0,
                )

    def relationships() -> Iterator[Record]:
        for i in range(0, customers, 2):
            yield Relationship(employee_id=employees[i % sellers].id, contact_id=f"K{i:07d}-0")

    yield from chunks(customer(i) for i in range(customers))
    yield from chunks(contacts())
    yield from chunks(lines())
    yield from chunks(coverage())
    yield from chunks(relationships())


def demo_batches(customers: int, seed: int = 7) -> Iterator[list[Record]]:
    """The project's demo data if its generator is installed, else :func:`simple_batches`."""
    try:
        from graph.demo.generate import generate  # type: ignore[import-not-found]
    except ImportError:
        yield from simple_batches(customers, seed)
        return
    yield from generate(customers=customers, seed=seed)


def write_relmap_files(batches: Iterable[list[Record]], folder: Path) -> dict[RecordKind, int]:
    """Stream record batches into ``folder/<kind>.csv`` (UTF-8); returns rows per kind."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = {}
    writers = {}
    counts = dict.fromkeys(WRITE_ORDER, 0)
    try:
        for batch in batches:
            for record in batch:
                kind = record.kind
                if kind not in writers:
                    fh = (folder / f"{kind.value}.csv").open("w", encoding="utf-8", newline="")
                    handles[kind] = fh
                    writers[kind] = csv.writer(fh)
                    writers[kind].writerow(columns(kind))
                writers[kind].writerow(record_row(record))
                counts[kind] += 1
    finally:
        for fh in handles.values():
            fh.close()
    return {k: n for k, n in counts.items() if n}
