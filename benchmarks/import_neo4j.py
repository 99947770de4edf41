"""relmap import of N customers with contacts and coverage into Neo4j vs LOAD CSV and naive MERGE.

Phases, all on the same generated files, the same server, in the same run (the database is
cleared before each):

1. ``relmap import``: the real command (``python -m cli.main import DIR``) in a child process,
   streaming: pass 1 validates every row, pass 2 upserts in batches through ``Neo4jStore.write``.
   Its peak RSS is measured with ``wait4`` (the target at 1,000,000 customers is under 1 GB).
2. ``LOAD CSV``: Neo4j's own ``LOAD CSV WITH HEADERS ... CALL (row) { MERGE ... } IN
   TRANSACTIONS OF 10000 ROWS`` building the same graph shape (same labels, relationship types,
   properties and constraints), with no validation at all: the server-side upper bound. Its
   lookups carry the same index-seek hints as the store's (without them a plan made while a
   label's statistics were stale scanned every Customer per coverage row at 1M customers:
   about 30 rows/s, a strawman baseline).
3. ``naive``: one ``MERGE`` per record, one transaction per record, on the first
   ``--naive-rows`` rows of the same files (same proportions per kind).

Prints rows/s of each, the import's peak RSS, and the ratios import / LOAD CSV (target >= 50%)
and import / naive (target >= 20x). With ``--repeat N`` the three run in N interleaved rounds and
the best round of each counts (a busy machine slows them alike). The benchmark CLEARS the
database: it refuses a non-local server unless ``--allow-remote``.

    python -m benchmarks.import_neo4j                       # 20,000 customers (quick)
    python -m benchmarks.import_neo4j --customers 1000000   # the target scale
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

from neo4j import GraphDatabase

from benchmarks.child import run_child
from graph.model import ENTITY_KINDS, RECORD_TYPES, WRITE_ORDER, RecordKind
from graph.store.cypher import ENTITY_EDGES, HOLDER_LABELS, KEY_PROPERTY, LABELS, LINKS, by_id
from graph.store.neo4j import Neo4jStore, wait_until_available
from importers.demo_data import demo_batches, write_relmap_files
from importers.relmap_format import columns

ROOT = Path(__file__).resolve().parent.parent
COMMIT_ROWS = 10_000


# ----------------------------------------------------------------------------- Cypher per kind


def _value(kind: RecordKind, field: str) -> str:
    """Cypher turning the CSV cell ``row.<field>`` into the typed property (empty -> null)."""
    annotation = str(RECORD_TYPES[kind].model_fields[field].annotation)
    cell = f"row.{field}"
    if "float" in annotation:
        typed = f"toFloat({cell})"
    elif "int" in annotation:
        typed = f"toInteger({cell})"
    elif "bool" in annotation:
        typed = f"toBoolean({cell})"
    elif "tuple" in annotation:
        return f"CASE WHEN {cell} = '' THEN [] ELSE split({cell}, ';') END"
    elif "date" in annotation:
        typed = f"date({cell})"
    else:
        typed = cell
    return f"CASE WHEN {cell} = '' THEN null ELSE {typed} END"


def kind_statements(kind: RecordKind) -> list[str]:
    """Per-row Cypher bodies (using ``row``) that build this kind's part of the graph."""
    if kind in ENTITY_KINDS:
        label = LABELS[kind]
        sets = ", ".join(f"n.{f} = {_value(kind, f)}" for f in columns(kind) if f != "id")
        out = [f"MERGE (n:{label} {{id: row.id}}) SET {sets}"]
        edge = ENTITY_EDGES.get(kind)
        if edge is not None:
            out.append(
                f"WITH row WHERE row.{edge.field} <> '' "
                f"MATCH (n:{label} {{id: row.id}}) {by_id('n', label)} "
                f"MATCH (m:{edge.target_label} {{id: row.{edge.field}}}) "
                f"{by_id('m', edge.target_label)} "
                f"MERGE (n)-[:{edge.rel_type}]->(m)"
            )
        return out
    shape = LINKS[kind]
    key_fields = RECORD_TYPES[kind].key_fields
    key = " + '\\u001f' + ".join(f"row.{f}" for f in key_fields)
    props = [f for f in columns(kind) if f not in (shape.start_field, shape.end_field)]
    sets = ", ".join(f"r.{f} = {_value(kind, f)}" for f in props)
    set_clause = f" SET {sets}" if sets else ""
    starts = (
        [(shape.start_label, "")]
        if shape.start_label
        else [
            (label, f"WITH row WHERE row.holder_kind = '{hk}' ")
            for hk, label in HOLDER_LABELS.items()
        ]
    )
    return [
        f"{where}MATCH (a:{start} {{id: row.{shape.start_field}}}) {by_id('a', start)} "
        f"MATCH (b:{shape.end_label} {{id: row.{shape.end_field}}}) "
        f"{by_id('b', shape.end_label)} "
        f"MERGE (a)-[r:{shape.rel_type} {{{KEY_PROPERTY}: {key}}}]->(b){set_clause}"
        for start, where in starts
    ]


# ----------------------------------------------------------------------------- phases


def run_relmap_import(folder: Path, uri: str, password: str, batch: int) -> tuple[float, int, str]:
    """Seconds and peak RSS (bytes) of ``relmap import`` in a child process."""
    env = dict(os.environ, RELMAP_STORE=uri, RELMAP_NEO4J_PASSWORD=password, COLUMNS="120")
    args = ["-m", "cli.main", "import", str(folder), "--batch-size", str(batch)]
    return run_child(args, ROOT, env)


def run_load_csv(  # type: ignore[no-untyped-def]
    driver, database: str, import_dir: Path, folder: Path, budget: float | None = None
) -> tuple[float, bool]:
    """Seconds for LOAD CSV ... CALL { } IN TRANSACTIONS over every kind's file, each
    statement's time printed; and whether it finished. With a ``budget`` (seconds) a LOAD CSV
    still running then is terminated: its inner transactions of ``COMMIT_ROWS`` rows that did
    commit stay, so the rows it loaded can be counted."""
    staged = import_dir / "relmap-bench"
    if staged.exists():
        shutil.rmtree(staged)
    shutil.copytree(folder, staged)
    done = threading.Event()
    failure: list[BaseException] = []

    def load() -> None:
        try:
            with driver.session(database=database) as session:
                for kind in WRITE_ORDER:
                    if not (folder / f"{kind.value}.csv").exists():
                        continue
                    for number, body in enumerate(kind_statements(kind), start=1):
                        t0 = time.perf_counter()
                        session.run(
                            "LOAD CSV WITH HEADERS FROM "
                            f"'file:///relmap-bench/{kind.value}.csv' AS row "
                            f"CALL (row) {{ {body} }} IN TRANSACTIONS OF {COMMIT_ROWS} ROWS"
                        ).consume()
                        if done.is_set():
                            return
                        print(
                            f"    LOAD CSV {kind.value} statement {number}: "
                            f"{time.perf_counter() - t0:7.1f} s",
                            flush=True,
                        )
        except BaseException as exc:  # reported by the caller unless it stopped the load
            failure.append(exc)

    start = time.perf_counter()
    worker = threading.Thread(target=load, name="load-csv", daemon=True)
    worker.start()
    worker.join(budget)
    finished = not worker.is_alive()
    seconds = time.perf_counter() - start
    if not finished:
        done.set()
        _terminate_load_csv(driver, database)
        worker.join()
    shutil.rmtree(staged, ignore_errors=True)
    if failure and finished:
        raise failure[0]
    return seconds, finished


def _terminate_load_csv(driver, database: str) -> None:  # type: ignore[no-untyped-def]
    """Stop the running LOAD CSV (its outer and current inner transaction)."""
    with driver.session(database=database) as session:
        for row in session.run(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
            "WHERE currentQuery STARTS WITH 'LOAD CSV' RETURN transactionId"
        ):
            session.run("TERMINATE TRANSACTION $id", id=row["transactionId"]).consume()


def naive_rows(
    folder: Path, counts: dict[RecordKind, int], wanted: int
) -> list[tuple[RecordKind, dict[str, str]]]:
    """The first rows of each kind, in write order, in the data's proportions."""
    total = sum(counts.values())
    out: list[tuple[RecordKind, dict[str, str]]] = []
    for kind in WRITE_ORDER:
        if kind not in counts:
            continue
        take = max(1, round(counts[kind] * wanted / total))
        with (folder / f"{kind.value}.csv").open(encoding="utf-8", newline="") as fh:
            out.extend((kind, row) for row in islice(csv.DictReader(fh), take))
    return out


def run_naive(driver, database: str, rows: list[tuple[RecordKind, dict[str, str]]]) -> float:  # type: ignore[no-untyped-def]
    """Seconds for one MERGE per record, each in its own transaction."""
    statements = {k: [f"WITH $row AS row {b}" for b in kind_statements(k)] for k, _ in rows}
    start = time.perf_counter()
    with driver.session(database=database) as session:
        for kind, row in rows:

            def work(tx, kind=kind, row=row):  # type: ignore[no-untyped-def]
                for statement in statements[kind]:
                    tx.run(statement, row=row).consume()

            session.execute_write(work)
    return time.perf_counter() - start


def _clear(store: Neo4jStore) -> None:
    store.clear()
    store.ensure_schema()


def main(argv: list[str] | None = None) -> float | int:
    parser = argparse.ArgumentParser(prog="import_neo4j", description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=20_000, help="records per store write")
    parser.add_argument("--naive-rows", type=int, default=2_000)
    parser.add_argument(
        "--load-csv-budget",
        type=float,
        default=None,
        help="stop LOAD CSV after this many seconds and rate it by the rows it committed",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best of each counts")
    parser.add_argument(
        "--uri", default=os.environ.get("RELMAP_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")
    )
    parser.add_argument("--user", default="neo4j")
    parser.add_argument(
        "--password", default=os.environ.get("RELMAP_NEO4J_PASSWORD", "relmap-test-password")
    )
    parser.add_argument("--database", default="neo4j")
    parser.add_argument("--import-dir", type=Path, default=None, help="Neo4j's LOAD CSV folder")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write the CSVs")
    parser.add_argument("--allow-remote", action="store_true")
    args = parser.parse_args(argv)

    host = urlsplit(args.uri).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1") and not args.allow_remote:
        print(f"refusing to clear {args.uri}: pass --allow-remote", file=sys.stderr)
        return 2
    import_dir = args.import_dir or Path(
        subprocess.run(
            [str(ROOT / "scripts" / "neo4j-local"), "import-dir"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    store = Neo4jStore(args.uri, user=args.user, password=args.password, database=args.database)
    health = wait_until_available(store)
    if not health.ok:
        print(f"Neo4j not available: {health.detail}", file=sys.stderr)
        return 2
    driver = GraphDatabase.driver(args.uri, auth=(args.user, args.password))
    work = Path(tempfile.mkdtemp(prefix="relmap-bench-", dir=args.workdir))
    try:
        t0 = time.perf_counter()
        counts = write_relmap_files(demo_batches(args.customers, args.seed), work / "data")
        total = sum(counts.values())
        print(f"server: {health.detail}")
        print(
            f"data: {args.customers:,} customers, {total:,} rows "
            + ", ".join(f"{k.value} {n:,}" for k, n in counts.items())
            + f" (generated in {time.perf_counter() - t0:.1f} s)"
        )

        # Rounds interleave the three loaders so that a busy machine slows them alike; the best
        # round of each counts.
        relmap_s, load_s, naive_s, rss, ok = float("inf"), float("inf"), float("inf"), 0, True
        sample = naive_rows(work / "data", counts, args.naive_rows)
        for round_no in range(1, args.repeat + 1):
            _clear(store)
            seconds, peak, _out = run_relmap_import(
                work / "data", args.uri, args.password, args.batch_size
            )
            stored = sum(store.count(k) for k in counts)
            ok = ok and stored == total
            relmap_s, rss = min(relmap_s, seconds), max(rss, peak)
            print(
                f"[round {round_no}] relmap import {seconds:7.1f} s  "
                f"peak RSS {peak / 2**20:,.0f} MiB"
                + ("" if stored == total else f"  WRONG: {stored:,} of {total:,} stored"),
                flush=True,
            )
            _clear(store)
            seconds, finished = run_load_csv(
                driver, args.database, import_dir, work / "data", args.load_csv_budget
            )
            loaded = total if finished else sum(store.count(k) for k in counts)
            # Seconds LOAD CSV would need for every row at the rate it showed.
            load_s = min(load_s, seconds * total / max(loaded, 1))
            print(
                f"[round {round_no}] LOAD CSV      {seconds:7.1f} s"
                + ("" if finished else f"  stopped by the budget after {loaded:,} rows"),
                flush=True,
            )
            _clear(store)
            seconds = run_naive(driver, args.database, sample)
            naive_s = min(naive_s, seconds)
            print(f"[round {round_no}] naive         {seconds:7.1f} s ({len(sample):,} rows)")

        relmap_rate, load_rate, naive_rate = total / relmap_s, total / load_s, len(sample) / naive_s
        print(
            f"relmap import : {total:>10,} rows {relmap_s:8.1f} s {relmap_rate:>10,.0f} rows/s  "
            f"peak RSS {rss / 2**20:,.0f} MiB"
        )
        print(
            f"LOAD CSV      : {total:>10,} rows {load_s:8.1f} s {load_rate:>10,.0f} rows/s"
            + ("" if args.load_csv_budget is None else "  (rate over the rows it loaded)")
        )
        print(
            f"naive MERGE/tx: {len(sample):>10,} rows {naive_s:8.1f} s {naive_rate:>10,.0f} rows/s"
        )

        vs_load = relmap_rate / load_rate
        vs_naive = relmap_rate / naive_rate
        print(f"ratio import / LOAD CSV : {vs_load:6.2f}  (target >= 0.50)")
        print(f"ratio import / naive    : {vs_naive:6.1f}x (target >= 20x)")
        print(
            f"peak RSS of the import  : {rss / 2**20:,.0f} MiB (target < 1024 MiB at 1M customers)"
        )
        _clear(store)
        return vs_load if ok else 1
    finally:
        driver.close()
        store.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    result = main()
    sys.exit(result if isinstance(result, int) else 0)
