"""A page as a picture or a printout: headless Chromium turns a self-contained HTML file into
PNG (a screenshot of the first screen's worth at the given size) or PDF (the printed page).

Chromium is Debian's ``chromium`` package (``scripts/install-browser``), or the browser named
by ``RELMAP_CHROMIUM``. The HTML must be self-contained (``AssetMode.INLINE``): the browser is
started without network access to anything but the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FORMATS = ("png", "pdf")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 120


class SnapshotError(RuntimeError):
    """No browser, or the browser did not write the file."""


def chromium() -> str:
    """The browser to use: ``RELMAP_CHROMIUM``, else the first of ``CANDIDATES`` on PATH."""
    named = os.environ.get("RELMAP_CHROMIUM")
    if named:
        return named
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise SnapshotError("no Chromium found: install Debian's chromium or set RELMAP_CHROMIUM")


def snapshot(html: str, target: Path, kind: str, *, width: int = 1600, height: int = 1000) -> Path:
    """Write ``html`` as ``kind`` (png or pdf) to ``target``; returns ``target``."""
    if kind not in FORMATS:
        raise SnapshotError(f"format {kind!r}: use png or pdf")
    target = target.resolve()
    with tempfile.TemporaryDirectory(prefix="relmap-snapshot-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        out = ["--screenshot=" + str(target)] if kind == "png" else [
            "--print-to-pdf=" + str(target),
            "--no-pdf-header-footer",
        ]  # fmt: skip
        command = [
            chromium(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--window-size={width},{height}",
            "--virtual-time-budget=15000",
            *out,
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SnapshotError(f"Chromium failed: {exc}") from exc
    if not target.exists() or target.stat().st_size == 0:
        raise SnapshotError(f"Chromium wrote no {kind.upper()} to {target}")
    return target
