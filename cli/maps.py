"""``relmap map``: write an interactive map to one self-contained HTML file.

``relmap map ACCOUNT -o acme.html [--no-subsidiaries] [--hierarchical]`` writes the account's
political map (``-o acme.png`` or ``acme.pdf``: a picture or printout of it);
``relmap map --coverage -o coverage.html [--group-by industry]`` the coverage
map. The file carries vis-network and relmap's script inline (with a hash-based
Content-Security-Policy), so it opens offline, from a mail attachment or a file share, and
fetches nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli import common
from cli.snapshot import FORMATS, SnapshotError, snapshot
from graph.coverage.inputs import read_org
from graph.coverage.policy import load_policy
from graph.coverage.report import report_from_source
from graph.i18n import translator
from visualize.account_map import render_account_map
from visualize.coverage_map import (
    GROUPINGS,
    CoverageCollector,
    build_coverage_map,
    render_coverage_map,
)
from visualize.html import AssetMode


def map_command(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write: .html, .png or .pdf.")
    ],
    account: Annotated[
        str | None, typer.Argument(help="Customer id of the account (leave out with --coverage).")
    ] = None,
    coverage: Annotated[
        bool, typer.Option("--coverage", help="Write the coverage map of the whole book instead.")
    ] = False,
    subsidiaries: Annotated[
        bool,
        typer.Option("--subsidiaries/--no-subsidiaries", help="Include its subsidiaries."),
    ] = True,
    hierarchical: Annotated[
        bool, typer.Option("--hierarchical", help="Open the map laid out along reporting lines.")
    ] = False,
    group_by: Annotated[
        str, typer.Option("--group-by", help="Coverage map clusters: region or industry.")
    ] = "region",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="html, png or pdf (default: from the file's suffix, else html)."
        ),
    ] = None,
) -> None:
    """Write an account's political map (or, with --coverage, the coverage map) to HTML, or as
    a PNG picture or PDF printout of it (through headless Chromium)."""
    kind = (fmt or output.suffix.lstrip(".") or "html").lower()
    if kind not in ("html", *FORMATS):
        typer.secho("--format must be html, png or pdf", fg="red", err=True)
        raise typer.Exit(2)
    if coverage == bool(account):
        typer.secho("give either an ACCOUNT id or --coverage", fg="red", err=True)
        raise typer.Exit(2)
    if group_by not in GROUPINGS:
        typer.secho(f"--group-by must be one of {', '.join(GROUPINGS)}", fg="red", err=True)
        raise typer.Exit(2)
    started = time.perf_counter()
    store = common.open_store(ctx)
    with store:
        if coverage:
            settings = common.settings(ctx)
            policy = load_policy(store, settings.policy_file)
            collector = CoverageCollector()
            report = report_from_source(store, policy, on_coverage=collector.add)
            cview = build_coverage_map(
                read_org(store),
                collector.coverages(),
                gaps=report.gaps,
                conflicts=report.conflicts,
                subtitle="the whole book",
                group_by=group_by,
                not_passed=collector.dropped,
            )
            html = render_coverage_map(cview, mode=AssetMode.INLINE)
            what = f"coverage map of {cview.stats['customers']:,} customers"
        else:
            assert account is not None
            built = render_account_map(
                store,
                account,
                include_subsidiaries=subsidiaries,
                hierarchical=hierarchical,
                mode=AssetMode.INLINE,
                tr=translator(common.settings(ctx).language),
            )
            if built is None:
                typer.secho(f"no account with id {account!r}", fg="red", err=True)
                raise typer.Exit(1)
            html = built.html
            contacts = built.view.stats["contacts"]
            what = f"political map of {built.customer.name} ({contacts:,} contacts)"
    output.parent.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        output.write_text(html, encoding="utf-8")
    else:
        try:
            snapshot(html, output, kind)
        except SnapshotError as exc:
            typer.secho(str(exc), fg="red", err=True)
            raise typer.Exit(1) from exc
    took = time.perf_counter() - started
    size = output.stat().st_size / 1e6
    typer.echo(f"wrote {what} to {output} ({size:.1f} MB, {took:.1f} s)")
