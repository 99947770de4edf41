"""Incremental scenario evaluation (a 1,000-customer move) vs one full coverage analysis.

Builds (once, then reuses) a synthetic sales graph of N customers in a store (SQLite by default:
``--store`` takes any store URL): 36 teams (30 regional offices, 6 industry key-account teams),
about 500 account managers, customers in four tiers; strategic and key accounts are owned by
their industry team with a named AM, mid and small customers by territory. Then, in one run:

* **full analysis**: ``graph.coverage.report.report_from_source``: every coverage analysis over
  every customer (what ``relmap analyze`` and ``/v1/analytics`` do);
* **baseline**: today's aggregates for incremental evaluation, computed once per graph version
  and policy and cached in the store (printed for transparency: paid once, not per scenario);
* **incremental evaluation** of a scenario moving 1,000 customers to another team with a
  named AM: resolve the scenario, re-analyse the touched customers before and after, diff,
  update the aggregates (``graph.scenarios.service.evaluate_scenario`` with the cached baseline).

Prints the times and the ratio incremental / full (target <= 0.10), each phase's best of
``--repeat`` rounds, and checks that the incremental diff equals a full re-evaluation's on small
graphs (``--check``, default on below 200,000 customers).

    python -m benchmarks.scenario_eval                       # 100,000 customers
    python -m benchmarks.scenario_eval --customers 1000000   # the target (load takes minutes)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from graph.coverage.policy import Policy
from graph.coverage.report import report_from_source
from graph.model import (
    Coverage,
    Customer,
    Employee,
    HolderKind,
    Membership,
    Record,
    Team,
    TeamKind,
    Tier,
)
from graph.scenarios.service import BASELINES, cached_baseline, evaluate_scenario
from graph.scenarios.spec import Scenario, parse_scenario
from graph.settings import Settings
from graph.store.base import ChangeSet, Store
from graph.store.open import open_store

INDUSTRIES = ("finance", "manufacturing", "energy", "telecom", "retail", "healthcare")
REGIONS = tuple(f"region-{i:02d}" for i in range(30))
MARKER = ("benchmarks", "scenario_eval")
AMS_PER_KA_TEAM = 60
AMS_PER_OFFICE = 5


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.scenario_eval", description=__doc__.splitlines()[0]
    )
    p.add_argument("--customers", type=int, default=100_000)
    p.add_argument("--moved", type=int, default=1000, help="customers the scenario moves")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--store",
        default=None,
        help="store URL (default: sqlite file under /tmp, reused between runs)",
    )
    p.add_argument("--repeat", type=int, default=2, help="timed rounds; the best is kept")
    p.add_argument("--batch", type=int, default=20_000, help="records per load write")
    p.add_argument("--reload", action="store_true", help="rebuild the graph")
    p.add_argument(
        "--check",
        choices=("auto", "yes", "no"),
        default="auto",
        help="also run a full evaluation and compare the diffs",
    )
    return p.parse_args(argv)


def org_records() -> list[Record]:
    out: list[Record] = []
    for i, region in enumerate(REGIONS):
        tid = f"reg-{i:02d}"
        out.append(
            Team(id=tid, name=f"Office {i:02d}", team_kind=TeamKind.REGIONAL, regions=(region,))
        )
        for j in range(AMS_PER_OFFICE):
            eid = f"rs-{i:02d}-{j}"
            out += [
                Employee(id=eid, name=eid),
                Membership(employee_id=eid, team_id=tid, role="account_manager"),
            ]
    for ind in INDUSTRIES:
        tid = f"ka-{ind}"
        out.append(Team(id=tid, name=f"KA {ind}", team_kind=TeamKind.KEY_ACCOUNT, industry=ind))
        for j in range(AMS_PER_KA_TEAM):
            eid = f"am-{ind}-{j:02d}"
            out += [
                Employee(id=eid, name=eid),
                Membership(employee_id=eid, team_id=tid, role="account_manager"),
            ]
    return out


def customer_batches(n: int, seed: int, batch: int) -> Iterator[list[Record]]:
    rng = random.Random(seed)
    out: list[Record] = []
    for i in range(n):
        r = rng.random()
        tier = (
            Tier.STRATEGIC
            if r < 0.002
            else Tier.KEY
            if r < 0.032
            else Tier.MID
            if r < 0.18
            else Tier.SMALL
        )
        ind = rng.choice(INDUSTRIES)
        cid = f"C{i:08d}"
        out.append(
            Customer(
                id=cid,
                name=f"Customer {i}",
                tier=tier,
                industry=ind,
                region=rng.choice(REGIONS),
                revenue=round(rng.uniform(1, 1e6), 2),
                potential=round(rng.uniform(1, 2e6), 2),
            )
        )
        if tier in (Tier.STRATEGIC, Tier.KEY):
            am = f"am-{ind}-{rng.randrange(AMS_PER_KA_TEAM):02d}"
            out += [
                Coverage(holder_kind=HolderKind.TEAM, holder_id=f"ka-{ind}", customer_id=cid),
                Coverage(
                    holder_kind=HolderKind.EMPLOYEE, holder_id=am, customer_id=cid, credit_share=0.0
                ),
            ]
        if len(out) >= batch:
            yield out
            out = []
    if out:
        yield out


def load(store: Store, args: argparse.Namespace) -> None:
    marker = store.get_doc(*MARKER)
    wanted = {"customers": args.customers, "seed": args.seed}
    if marker == wanted and not args.reload:
        print(f"reusing the loaded graph ({args.customers:,} customers)")
        return
    store.clear()
    t0 = time.perf_counter()
    store.write(ChangeSet(upserts=org_records()))
    done = 0
    for batch in customer_batches(args.customers, args.seed, args.batch):
        store.write(ChangeSet(upserts=batch))
        done += sum(1 for r in batch if isinstance(r, Customer))
        if done % 100_000 < args.batch // 2:
            print(f"  loaded {done:,} customers ({time.perf_counter() - t0:.0f} s)", flush=True)
    store.put_doc(MARKER[0], MARKER[1], wanted)
    print(f"loaded {args.customers:,} customers in {time.perf_counter() - t0:.1f} s")


def move_scenario(args: argparse.Namespace) -> Scenario:
    """Move ``--moved`` random customers (any tier) to the finance key-account team, each with
    the team's least-loaded account manager."""
    rng = random.Random(args.seed + 1)
    ids = sorted(f"C{i:08d}" for i in rng.sample(range(args.customers), args.moved))
    return parse_scenario(
        {
            "id": "bench-move",
            "name": f"Move {args.moved} customers to finance",
            "changes": [
                {
                    "op": "move_customers",
                    "select": {"ids": ids},
                    "to_team": "ka-finance",
                    "assign_account_manager": True,
                }
            ],
        }
    )


T = TypeVar("T")


def best(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """The best time of ``repeat`` rounds, and the last result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    assert result is not None
    return min(times), result


def main(argv: list[str] | None = None) -> float:
    args = parse(argv)
    url = args.store or f"sqlite:////tmp/relmap-bench-scenario-{args.customers}.db"
    settings = Settings(
        store=url,
        neo4j_password=os.environ.get(  # type: ignore[arg-type]
            "RELMAP_NEO4J_PASSWORD", "relmap-test-password"
        ),
    )
    store = open_store(settings)
    with store:
        load(store, args)
        policy = Policy()
        sc = move_scenario(args)
        t_full, report = best(args.repeat, lambda: report_from_source(store, policy))
        print(
            f"full analysis           {t_full:8.2f} s  ({report.summary.counts.customers:,} "
            "customers, every coverage analysis)"
        )
        stale: list[tuple[str, str, dict[str, Any] | None]] = [
            (BASELINES, i, None) for i, _d in store.list_docs(BASELINES, limit=100)
        ]
        if stale:
            store.write(ChangeSet(docs=stale))  # measure a cold baseline
        t0 = time.perf_counter()
        cached_baseline(store, policy, store.version())
        t_base = time.perf_counter() - t0
        print(
            f"baseline (once/version) {t_base:8.2f} s  (cached in the store, reused by every "
            "evaluation until the graph changes)"
        )
        t_inc, (ev, _v) = best(args.repeat, lambda: evaluate_scenario(store, sc))
        print(
            f"incremental evaluation  {t_inc:8.2f} s  ({ev.mode}, {ev.touched_customers:,} "
            f"customers re-analysed, {ev.diff.owner_change_count:,} change owner)"
        )
        ratio = t_inc / t_full
        print(
            f"ratio incremental / full analysis = {ratio:.4f}  (target <= 0.10: "
            f"{'met' if ratio <= 0.10 else 'NOT met'})"
        )
        print(f"ratio incremental incl. a cold baseline / full = {(t_inc + t_base) / t_full:.3f}")
        check = args.check == "yes" or (args.check == "auto" and args.customers < 200_000)
        if check:
            t_fe, (full_ev, _v2) = best(1, lambda: evaluate_scenario(store, sc, force_full=True))
            same = full_ev.diff == ev.diff
            print(f"full evaluation         {t_fe:8.2f} s  (same diff as incremental: {same})")
            if not same:
                print("incremental and full evaluation disagree", file=sys.stderr)
                return 1.0 + ratio
    return ratio


if __name__ == "__main__":
    main()
