"""Run a benchmark's subject in a child process and measure it from outside."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def run_child(args: list[str], root: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds, peak RSS (bytes, from ``wait4``) and output of ``python args...`` run in
    ``root``; exits the benchmark with the child's tail of output if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    output = proc.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed ({code}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss * 1024, output
