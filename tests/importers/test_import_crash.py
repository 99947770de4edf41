"""Crash safety: ``relmap import`` killed with SIGKILL midway, run again, ends complete with no
duplicates and no orphans (on both stores, with a real subprocess and a real kill)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from import_helpers import ROOT

from graph.model import WRITE_ORDER, RecordKind
from graph.settings import Settings
from graph.store.base import Store
from importers.demo_data import demo_batches, write_relmap_files


def _import_process(folder: Path, settings: Settings, batch: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["RELMAP_STORE"] = settings.store
    env["RELMAP_NEO4J_PASSWORD"] = settings.neo4j_password.get_secret_value()
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "import", str(folder), "--batch-size", str(batch)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _total(store: Store) -> int:
    return sum(store.count(k) for k in WRITE_ORDER)


def test_import_killed_midway_and_run_again_is_complete_without_duplicates_or_orphans(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    expected = write_relmap_files(demo_batches(customers=800, seed=5), tmp_path / "data")
    full = sum(expected.values())
    assert full > 5000

    proc = _import_process(tmp_path / "data", settings, batch=25)
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and proc.poll() is None:
        written = _total(store)
        if written >= 50:  # at least two batches committed
            break
        time.sleep(0.02)
    assert proc.poll() is None, "import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = _total(store)
    assert 0 < partial < full

    rerun = _import_process(tmp_path / "data", settings, batch=500)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode(errors="replace")

    assert {k: store.count(k) for k in expected} == expected
    for kind in WRITE_ORDER:
        wanted: dict[RecordKind, set[str]] = {}
        for record in store.scan(kind):
            for ref in record.refs():
                wanted.setdefault(ref.kind, set()).add(ref.key)
        for ref_kind, keys in wanted.items():
            assert store.existing_keys(ref_kind, keys) == keys, f"orphaned {kind.value} links"
