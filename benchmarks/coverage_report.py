"""Full coverage report over N demo customers in Neo4j vs merely streaming its input out.

Loads the demo's org, customers and coverage (``graph.demo.generate``, contacts left out: the
report does
not read them) into Neo4j, then, in the same run and on the same server:

* **baseline**: stream exactly what the report reads (teams, employees, memberships, and the
  customers chunk by chunk, each chunk with its coverage fetched by ``customer_id``) and count;
* **report**: ``graph.coverage.report.report_from_source`` over the same store: effective
  coverage, gaps, conflicts and credit, capacity, hierarchy, scoring and the summary.

Prints both times, the ratio report/baseline (target <= 2x) and the peak RSS of each phase, and
checks the findings against the demo manifest. The loaded data is kept and reused by the next
run with the same ``--customers``/``--seed`` (``--reload`` forces a fresh load).

    scripts/neo4j-local start
    python -m benchmarks.coverage_report                      # 20,000 customers
    python -m benchmarks.coverage_report --customers 1000000  # the target (load takes a while)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

from graph.coverage.inputs import customer_chunks, read_org, read_overrides
from graph.coverage.policy import Policy
from graph.coverage.report import CoverageReport, report_from_source
from graph.model import Record, RecordKind
from graph.settings import Settings
from graph.store.base import ChangeSet, Store
from graph.store.open import open_store

LOADED_KINDS = frozenset(
    {
        RecordKind.TEAM,
        RecordKind.EMPLOYEE,
        RecordKind.MEMBERSHIP,
        RecordKind.CUSTOMER,
        RecordKind.COVERAGE,
    }
)
MARKER = ("benchmarks", "coverage_report")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.coverage_report", description=__doc__.splitlines()[0]
    )
    p.add_argument("--customers", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--uri", default=os.environ.get("RELMAP_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")
    )
    p.add_argument("--user", default="neo4j")
    p.add_argument(
        "--password", default=os.environ.get("RELMAP_NEO4J_PASSWORD", "relmap-test-password")
    )
    p.add_argument("--chunk", type=int, default=5000, help="customers per chunk (5000)")
    p.add_argument("--changeset", type=int, default=20_000, help="records per load write")
    p.add_argument("--repeat", type=int, default=2, help="timed rounds; the best is kept (2)")
    p.add_argument("--reload", action="store_true", help="clear and load even if loaded")
    p.add_argument("--allow-remote", action="store_true", help="allow clearing a non-local server")
    return p.parse_args(argv)


# ------------------------------------------------------------------------------ memory


def _status(field: str) -> int:
    """A /proc/self/status value in bytes (0 where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakRss:
    """Samples this process's resident set every few milliseconds in a background thread: the
    peak RSS of one phase, above what the process held when the phase began."""

    def __init__(self, every: float = 0.02) -> None:
        self.every = every
        self.start = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PeakRss:
        self.start = self.peak = _status("VmRSS")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, _status("VmRSS"))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak = max(self.peak, _status("VmRSS"))

    @property
    def above_start(self) -> int:
        return self.peak - self.start


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


# ------------------------------------------------------------------------------ phases


def demo_batches(customers: int, seed: int, size: int) -> Iterator[list[Record]]:
    from graph.demo.generate import generate

    buf: list[Record] = []
    for batch in generate(customers=customers, seed=seed):
        buf.extend(r for r in batch if r.kind in LOADED_KINDS)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def manifest_fingerprint(customers: int, seed: int) -> str:
    """A hash of the demo manifest: the loaded data is stale when the generator changed."""
    import hashlib

    from graph.demo.generate import manifest

    return hashlib.sha256(repr(manifest(customers=customers, seed=seed)).encode()).hexdigest()[:16]


def load(store: Store, args: argparse.Namespace) -> None:
    marker = store.get_doc(*MARKER)
    wanted = {
        "customers": args.customers,
        "seed": args.seed,
        "manifest": manifest_fingerprint(args.customers, args.seed),
    }
    if marker == wanted and not args.reload:
        print(f"reusing the loaded {args.customers:,} demo customers (--reload to load again)")
        return
    host = urlparse(args.uri).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1") and not args.allow_remote:
        sys.exit(f"refusing to clear {args.uri}: not local (use --allow-remote)")
    store.clear()
    t0 = time.perf_counter()
    total = 0
    for batch in demo_batches(args.customers, args.seed, args.changeset):
        store.write(ChangeSet(upserts=batch))
        total += len(batch)
        if total % 200_000 < len(batch):
            print(f"  loaded {total:,} records ({time.perf_counter() - t0:,.0f} s)", flush=True)
    store.put_doc(*MARKER, wanted)
    print(f"loaded {total:,} records in {time.perf_counter() - t0:,.1f} s (not part of the ratio)")


def stream(store: Store, chunk: int) -> tuple[int, int]:
    """The baseline: read everything the report reads, do nothing with it; returns the
    customers and the other records (coverage, teams, employees, memberships) read."""
    org = read_org(store)
    read_overrides(store)
    customers = coverage = 0
    for c in customer_chunks(store, chunk):
        customers += len(c.customers)
        coverage += len(c.coverage)
    return customers, coverage + len(org.teams) + len(org.employees) + len(org.memberships)


def report(store: Store, chunk: int) -> CoverageReport:
    return report_from_source(store, Policy(), read_overrides(store), chunk_size=chunk)


def check_manifest(rep: CoverageReport, customers: int, seed: int) -> list[str]:
    from graph.coverage.gaps import GapKind
    from graph.demo.generate import manifest

    m = manifest(customers=customers, seed=seed)
    got = {
        "gap_customers": rep.gaps.customer_ids(GapKind.NO_OWNER),
        "conflict_customers": rep.conflicts.customer_ids(),
        "inflation_customers": rep.credit.inflation_ids(),
        "overloaded_account_managers": sorted(p.employee_id for p in rep.capacity.overloaded),
        "strategic_without_dedicated_am": rep.gaps.customer_ids(
            GapKind.STRATEGIC_WITHOUT_DEDICATED_AM
        ),
        "key_without_named_am": rep.gaps.customer_ids(GapKind.KEY_WITHOUT_NAMED_AM),
        "key_left_to_regional": rep.gaps.customer_ids(GapKind.OWNER_KIND_MISFIT),
        "uncovered_branches": rep.hierarchy.uncovered_ids(),
        "hq_branch_conflicts": rep.hierarchy.conflict_ids(),
        "inactive_owner_customers": rep.gaps.customer_ids(GapKind.INACTIVE_OWNER),
    }
    return [name for name, ids in got.items() if ids != sorted(getattr(m, name))]


def main(argv: list[str] | None = None) -> float:
    args = parse(argv)
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    settings = Settings(
        store=args.uri,
        neo4j_user=args.user,
        neo4j_password=args.password,  # type: ignore[arg-type]
    )
    store = open_store(settings)
    try:
        if store.kind != "neo4j":
            sys.exit(f"{args.uri} is not a Neo4j URL")
        return run(store, args)
    finally:
        store.close()


def run(store: Store, args: argparse.Namespace) -> float:
    print(
        f"coverage_report: {args.customers:,} demo customers (seed {args.seed}), "
        f"Neo4j at {args.uri}, chunks of {args.chunk:,}"
    )
    load(store, args)
    best_stream = best_report = float("inf")
    stream_rss = report_rss = 0
    rep: CoverageReport | None = None
    counted = (0, 0)
    stream(store, args.chunk)  # warm-up: both timed phases then find the same warm caches
    for _ in range(max(1, args.repeat)):
        rep = None
        with PeakRss() as mem:
            t0 = time.perf_counter()
            counted = stream(store, args.chunk)
            best_stream = min(best_stream, time.perf_counter() - t0)
        stream_rss = max(stream_rss, mem.above_start)
        with PeakRss() as mem:
            t0 = time.perf_counter()
            rep = report(store, args.chunk)
            best_report = min(best_report, time.perf_counter() - t0)
        report_rss = max(report_rss, mem.above_start)
    assert rep is not None
    customers, records = counted
    ratio = best_report / best_stream
    print(
        f"baseline  stream the input ({customers:,} customers + {records:,} coverage and org "
        "records): "
        f"{best_stream:,.2f} s ({customers / best_stream:,.0f} customers/s)"
    )
    print(
        f"report    full coverage report: {best_report:,.2f} s "
        f"({customers / best_report:,.0f} customers/s)"
    )
    print(f"ratio     report / baseline = {ratio:.2f}x  (target <= 2x)")
    print(
        f"memory    peak RSS above phase start: stream {mb(stream_rss)}, report "
        f"{mb(report_rss)}; process peak {mb(_status('VmHWM'))}"
    )
    c = rep.summary.counts
    print(
        f"findings  {c.no_owner} gaps, {c.conflicts} conflicts, {c.inflation} inflation, "
        f"{c.overloaded_people} overloaded, {c.uncovered_branches} uncovered branches, "
        f"{c.hq_branch_conflicts} HQ-branch conflicts, {c.tier_changes:,} tier changes"
    )
    bad = check_manifest(rep, args.customers, args.seed)
    print(
        "manifest  every planted problem found, nothing else: "
        + ("yes" if not bad else f"NO ({', '.join(bad)})")
    )
    return ratio


if __name__ == "__main__":
    main()
