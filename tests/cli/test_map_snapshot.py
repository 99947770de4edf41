"""``relmap map -o x.png|x.pdf``: headless Chromium turns the self-contained map into a picture
or a printout (real browser, real files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.support.map_samples import account_records
from tests.support.stores import fill_store, sqlite_settings

pytestmark = pytest.mark.browser


@pytest.fixture
def url(tmp_path: Path) -> str:
    return fill_store(sqlite_settings(tmp_path), account_records(30)[0])


@pytest.mark.parametrize(("suffix", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_the_map_is_written_as_png_and_pdf(
    url: str, tmp_path: Path, suffix: str, magic: bytes
) -> None:
    out = tmp_path / f"acme.{suffix}"
    result = CliRunner().invoke(app, ["--store", url, "map", "acme", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 20_000  # a drawn map, not a blank page


def test_an_unknown_format_is_refused(url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--store", url, "map", "acme", "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 2 and "html, png or pdf" in result.output
