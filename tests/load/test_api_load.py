"""A short, bounded load run against a real uvicorn server on 127.0.0.1 (``benchmarks.api_load``).

Asserts only correctness under load: zero errors, no lost If-Match update, server memory flat
after warm-up. Requests/s, p50 and p99 are printed (run with ``-s``), never asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.api_load import run_load
from tests.support.stores import STORE_KINDS, store_settings

SECONDS = 4.0
MEMORY_GROWTH_LIMIT_KB = 64 * 1024  # after warm-up; a leak per request would pass this quickly


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_concurrent_reads_maps_analyses_and_updates_have_no_errors_and_lose_nothing(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("neo4j_url") if kind == "neo4j" else None
    store_url = store_settings(kind, tmp_path, url).store
    result = run_load(store_url=store_url, customers=200, seconds=SECONDS, clients=6, updaters=3)
    print(f"\n[{kind}] " + result.report())
    assert result.requests > 0
    assert result.errors == 0, result.error_samples
    assert result.update_errors == 0
    assert result.updates > 0
    assert result.revenue_actual == result.revenue_expected
    assert result.rss_end_kb - result.rss_warm_kb < MEMORY_GROWTH_LIMIT_KB
