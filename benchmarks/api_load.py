"""API load: N concurrent clients on reads, maps and analyses against a real uvicorn server.

Loads the demo data set into a store (a fresh SQLite file by default, or ``--store bolt://...``
which is **cleared**), starts ``uvicorn api.app:create_app`` on 127.0.0.1 in a subprocess, and
for a fixed time runs ``--clients`` concurrent httpx clients over a mix of record reads, listings
(also as an account manager, whose visibility is computed per request), political-map JSON, key
contacts and coverage analytics, while ``--updaters`` clients increment one customer's revenue
with If-Match (retrying on 412). Prints requests/s, p50, p99, errors (by endpoint too), the
server's RSS after warm-up and at the end, and whether any update was lost. Traffic goes only to
127.0.0.1; the run is bounded by ``--seconds``.

    python -m benchmarks.run api_load --seconds 20 --clients 16 --customers 2000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from graph.auth.tokens import COLLECTION as TOKENS
from graph.auth.tokens import mint_token
from graph.model import RecordKind, Tier
from graph.settings import Settings
from graph.store.base import ChangeSet
from graph.store.open import open_store

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    """Ids the clients pick from."""

    customers: list[str]
    accounts: list[str]  # strategic/key customers with contacts (maps, key contacts)
    target: str  # the customer the updaters increment
    am_employee: str | None


@dataclass
class LoadResult:
    seconds: float
    clients: int
    requests: int = 0
    errors: int = 0
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    updates: int = 0
    update_conflicts: int = 0
    update_errors: int = 0
    revenue_expected: float = 0.0
    revenue_actual: float = 0.0
    rss_start_kb: int = 0
    rss_warm_kb: int = 0
    rss_end_kb: int = 0

    @property
    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies_ms.values() for v in values]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def lost_updates(self) -> float:
        return self.revenue_expected - self.revenue_actual

    def report(self) -> str:
        lat = self.all_latencies
        lines = [
            f"clients {self.clients}, {self.seconds:.1f}s: {self.requests} requests, "
            f"{self.rps:.1f} req/s, p50 {_pct(lat, 50):.1f} ms, p99 {_pct(lat, 99):.1f} ms, "
            f"errors {self.errors}",
        ]
        for name, values in sorted(self.latencies_ms.items()):
            lines.append(
                f"  {name:<14} {len(values):>6}  p50 {_pct(values, 50):8.1f} ms  "
                f"p99 {_pct(values, 99):8.1f} ms"
            )
        lines.append(
            f"updates: {self.updates} applied, {self.update_conflicts} refused with 412 and "
            f"retried, {self.update_errors} errors; revenue expected {self.revenue_expected:.0f}, "
            f"found {self.revenue_actual:.0f} (lost {self.lost_updates:.0f})"
        )
        lines.append(
            f"server RSS: start {self.rss_start_kb / 1024:.1f} MB, after warm-up "
            f"{self.rss_warm_kb / 1024:.1f} MB, end {self.rss_end_kb / 1024:.1f} MB"
        )
        for sample in self.error_samples[:5]:
            lines.append(f"  error: {sample}")
        return "\n".join(lines)


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(store_url: str, customers: int, seed: int = 7) -> tuple[dict[str, str], Sample]:
    """Load the demo data and two tokens (admin, account manager) into an emptied store."""
    from graph.demo.generate import generate

    settings = Settings(store=store_url)
    store = open_store(settings)
    try:
        store.clear()
        for batch in generate(customers=customers, seed=seed):
            store.write(ChangeSet(upserts=batch))
        admin, admin_info, admin_doc = mint_token(name="load admin", role="admin")
        cov = next(
            iter(store.page(RecordKind.COVERAGE, where={"holder_kind": "employee"}, limit=1)), None
        )
        am_employee = getattr(cov, "holder_id", None)
        docs: list[tuple[str, str, dict[str, Any] | None]] = [(TOKENS, admin_info.id, admin_doc)]
        tokens = {"admin": admin}
        if am_employee:
            am, am_info, am_doc = mint_token(
                name="load am", role="account_manager", employee_id=am_employee
            )
            docs.append((TOKENS, am_info.id, am_doc))
            tokens["account_manager"] = am
        store.write(ChangeSet(docs=docs))
        ids = [c.key for c in store.page(RecordKind.CUSTOMER, limit=1000)]
        big = [
            c.key
            for c in store.page(
                RecordKind.CUSTOMER,
                where={"tier": [Tier.STRATEGIC.value, Tier.KEY.value]},
                limit=200,
            )
        ]
        with_contacts = [
            c for c in big if store.count(RecordKind.CONTACT, where={"customer_id": c}) > 0
        ][:50] or ids[:10]
        return tokens, Sample(ids, with_contacts, ids[0], am_employee)
    finally:
        store.close()


def start_server(store_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RELMAP_STORE": store_url, "RELMAP_AUTH_REQUIRED": "true"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not come up within 60s")


def _requests(sample: Sample, tokens: dict[str, str], rng: random.Random) -> tuple[str, str, str]:
    """(name, path, role) of one request of the mix."""
    roll = rng.random()
    cust = rng.choice(sample.customers)
    acct = rng.choice(sample.accounts)
    if roll < 0.25:
        return "get_customer", f"/v1/customers/{cust}", "admin"
    if roll < 0.40:
        tier = rng.choice(["strategic", "key", "mid", "small"])
        return "list_customers", f"/v1/customers?tier={tier}&limit=100", "admin"
    if roll < 0.50:
        return "list_contacts", f"/v1/contacts?customer_id={acct}", "admin"
    if roll < 0.60 and "account_manager" in tokens:
        return "am_customers", "/v1/customers?limit=50", "account_manager"
    if roll < 0.75:
        return "map_json", f"/v1/accounts/{acct}/map.json", "admin"
    if roll < 0.85:
        return "key_contacts", f"/v1/accounts/{acct}/key-contacts", "admin"
    if roll < 0.93:
        return "analytics", "/v1/analytics/summary", "admin"
    return "gaps", "/v1/analytics/gaps", "admin"


async def _reader(
    client: httpx.AsyncClient,
    stop_at: float,
    sample: Sample,
    tokens: dict[str, str],
    result: LoadResult,
    seed: int,
) -> None:
    rng = random.Random(seed)
    headers = {role: {"Authorization": f"Bearer {tok}"} for role, tok in tokens.items()}
    while time.monotonic() < stop_at:
        name, path, role = _requests(sample, tokens, rng)
        start = time.perf_counter()
        try:
            r = await client.get(path, headers=headers[role])
            ok = r.status_code == 200
            detail = f"{name} {path}: {r.status_code} {r.text[:200]}"
        except httpx.HTTPError as exc:
            ok, detail = False, f"{name} {path}: {type(exc).__name__} {exc}"
        result.latencies_ms.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        result.requests += 1
        if not ok:
            result.errors += 1
            if len(result.error_samples) < 20:
                result.error_samples.append(detail)


async def _updater(
    client: httpx.AsyncClient, stop_at: float, target: str, token: str, result: LoadResult
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < stop_at:
        start = time.perf_counter()
        try:
            got = await client.get(f"/v1/customers/{target}", headers=headers)
            if got.status_code != 200:
                result.update_errors += 1
                continue
            r = await client.patch(
                f"/v1/customers/{target}",
                json={"revenue": got.json()["revenue"] + 1},
                headers={**headers, "If-Match": got.headers["etag"]},
            )
        except httpx.HTTPError:
            result.update_errors += 1
            continue
        result.latencies_ms.setdefault("update", []).append((time.perf_counter() - start) * 1000)
        result.requests += 2
        if r.status_code == 200:
            result.updates += 1
        elif r.status_code == 412:
            result.update_conflicts += 1
        else:
            result.update_errors += 1
            result.errors += 1
            if len(result.error_samples) < 20:
                result.error_samples.append(f"update: {r.status_code} {r.text[:200]}")


async def _drive(
    base: str,
    seconds: float,
    clients: int,
    updaters: int,
    sample: Sample,
    tokens: dict[str, str],
    pid: int,
) -> LoadResult:
    result = LoadResult(seconds=seconds, clients=clients)
    limits = httpx.Limits(max_connections=clients + updaters + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        start_revenue = (
            await client.get(
                f"/v1/customers/{sample.target}",
                headers={"Authorization": f"Bearer {tokens['admin']}"},
            )
        ).json()["revenue"]
        result.rss_start_kb = _rss_kb(pid)
        began = time.monotonic()
        stop_at = began + seconds
        tasks = [
            asyncio.create_task(_reader(client, stop_at, sample, tokens, result, seed=i))
            for i in range(clients)
        ] + [
            asyncio.create_task(_updater(client, stop_at, sample.target, tokens["admin"], result))
            for _ in range(updaters)
        ]
        await asyncio.sleep(seconds * 0.3)
        result.rss_warm_kb = _rss_kb(pid)
        await asyncio.gather(*tasks)
        result.seconds = time.monotonic() - began
        result.rss_end_kb = _rss_kb(pid)
        final = (
            await client.get(
                f"/v1/customers/{sample.target}",
                headers={"Authorization": f"Bearer {tokens['admin']}"},
            )
        ).json()["revenue"]
    result.revenue_expected = start_revenue + result.updates
    result.revenue_actual = final
    return result


def run_load(
    *,
    store_url: str | None = None,
    customers: int = 2000,
    seconds: float = 20.0,
    clients: int = 16,
    updaters: int = 4,
) -> LoadResult:
    """Prepare, serve, drive, stop; returns the measurements (nothing is asserted here)."""
    with tempfile.TemporaryDirectory(prefix="relmap-load-") as tmp:
        url = store_url or f"sqlite:///{Path(tmp) / 'load.db'}"
        tokens, sample = prepare(url, customers)
        port = _free_port()
        server = start_server(url, port)
        try:
            drive = _drive(
                f"http://127.0.0.1:{port}", seconds, clients, updaters, sample, tokens, server.pid
            )
            # A fresh thread owns the event loop, so this also runs where a loop is already
            # running (pytest after Playwright's sync API, notebooks).
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, drive).result()
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="api_load", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store",
        default=None,
        help="store URL (default: a temporary SQLite file; a Neo4j store is CLEARED)",
    )
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--updaters", type=int, default=4)
    args = parser.parse_args(argv)
    if args.store and not any(h in args.store for h in ("127.0.0.1", "localhost", "sqlite://")):
        parser.error("load runs only against a local store (127.0.0.1)")
    print(
        f"load: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"store {args.store or 'sqlite (temp)'}, {args.customers} demo customers"
    )
    result = run_load(
        store_url=args.store,
        customers=args.customers,
        seconds=args.seconds,
        clients=args.clients,
        updaters=args.updaters,
    )
    print(result.report())
    return 0 if result.errors == 0 and result.lost_updates == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
