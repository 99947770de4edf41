"""``relmap analyze ...``: the coverage analyses as readable tables or JSON / CSV / XLSX files."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from cli import common
from cli.tables import columns_for, fit_table, print_table
from graph.coverage.export import (
    Analysis,
    ExportFormat,
    Table,
    analysis_tables,
    cell,
    headers_of,
    plain,
    to_csv,
    to_xlsx,
)
from graph.coverage.inputs import customer_chunks, read_org, read_overrides
from graph.coverage.policy import Policy, PolicyError, Preset, load_policy, load_policy_file
from graph.coverage.report import CoverageReport, report_from_source
from graph.coverage.resolve import coverage_row, effective_coverage
from graph.i18n import translator
from graph.settings import load_settings

app = typer.Typer(
    name="analyze",
    help="Coverage analytics: gaps, conflicts, credit, capacity, hierarchy, scores, summary.",
    no_args_is_help=True,
)

FORMAT_OPT = typer.Option(ExportFormat.TABLE, "--format", "-f", help="table, json, csv or xlsx.")
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write to this file (xlsx needs one).")
POLICY_OPT = typer.Option(
    None,
    "--policy",
    help="Policy YAML/JSON file (default: the stored policy, else "
    "RELMAP_POLICY_FILE, else the built-in default).",
)
PRESET_OPT = typer.Option(None, help="Weights preset (default: the policy's).")
TOP_PERCENT_OPT = typer.Option(
    None, "--top-percent", min=0.001, max=100, help="Top X% become key accounts."
)
LIMIT_OPT = typer.Option(40, "--limit", min=1, help="Rows per table in table format.")
WIDE_OPT = typer.Option(False, "--wide", help="Show every column, however wide the table gets.")


def _policy(ctx: typer.Context, policy_file: Path | None, store: object) -> Policy:
    try:
        if policy_file is not None:
            return load_policy_file(policy_file)
        return load_policy(store, common.settings(ctx).policy_file)  # type: ignore[arg-type]
    except PolicyError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc


def _report(
    ctx: typer.Context,
    policy_file: Path | None,
    preset: Preset | None = None,
    top_percent: float | None = None,
) -> CoverageReport:
    store = common.open_store(ctx)
    with store:
        policy = _policy(ctx, policy_file, store)
        if preset is not None or top_percent is not None:
            policy = policy.with_scoring(preset=preset, key_top_percent=top_percent)
        return report_from_source(store, policy, read_overrides(store))


def _emit(data: bytes | str, output: Path | None) -> None:
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data + "\n")
        return
    output.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    typer.echo(f"wrote {output}", err=True)


def _rich_table(title: str, rows: Table, limit: int, wide: bool = False) -> RichTable:
    headers = headers_of(rows)
    values = _flat(rows[:limit])
    tr = translator(load_settings().language)
    more = (
        tr.gettext(
            "first {limit} of {total}; use --format csv for all", limit=limit, total=len(rows)
        )
        if len(rows) > limit
        else None
    )
    cols = columns_for(headers, values)
    width = Console().width
    return fit_table(f"{title} ({len(rows)})", cols, values, wide=wide, width=width, caption=more)


def _flat(rows: Table) -> list[list[object]]:
    return [[cell(getattr(r, f.name)) for f in dataclasses.fields(r)] for r in rows]


def _show(
    report: CoverageReport,
    analysis: Analysis,
    fmt: ExportFormat,
    output: Path | None,
    limit: int,
    wide: bool = False,
) -> None:
    tables = analysis_tables(report, analysis)
    if fmt is ExportFormat.JSON:
        _emit(json.dumps(plain(tables), ensure_ascii=False, indent=2), output)
    elif fmt is ExportFormat.CSV:
        name, rows = next(iter(tables.items()))
        _emit(to_csv(rows), output)
        if len(tables) > 1:
            others = ", ".join(list(tables)[1:])
            typer.echo(f"(CSV holds {name}; --format xlsx has {others} too)", err=True)
    elif fmt is ExportFormat.XLSX:
        if output is None:
            typer.secho("--format xlsx needs --output FILE.xlsx", fg="red", err=True)
            raise typer.Exit(2)
        _emit(to_xlsx(tables), output)
    else:
        console = Console()
        if analysis is Analysis.SUMMARY:
            _print_summary(console, report, limit, wide)
            return
        for name, rows in tables.items():
            print_table(console, _rich_table(f"{analysis.value}: {name}", rows, limit, wide), wide)


def _print_summary(console: Console, report: CoverageReport, limit: int, wide: bool) -> None:
    s = report.summary
    counts = RichTable(title="coverage health", title_justify="left", show_header=False)
    counts.add_column("what")
    counts.add_column("count", justify="right")
    for f in dataclasses.fields(s.counts):
        counts.add_row(f.name.replace("_", " "), f"{getattr(s.counts, f.name):,}")
    console.print(counts)
    money = RichTable(title="money at stake", title_justify="left", show_header=False)
    money.add_column("what")
    money.add_column("amount", justify="right")
    for f in dataclasses.fields(s.money):
        money.add_row(f.name.replace("_", " "), f"{getattr(s.money, f.name):,.0f}")
    console.print(money)
    print_table(console, _rich_table("by tier", s.by_tier, limit, wide), wide)
    print_table(console, _rich_table("top offenders", s.top_offenders, limit, wide), wide)


def _command(analysis: Analysis) -> None:
    def run(
        ctx: typer.Context,
        fmt: ExportFormat = FORMAT_OPT,
        output: Path | None = OUTPUT_OPT,
        policy_file: Path | None = POLICY_OPT,
        limit: int = LIMIT_OPT,
        wide: bool = WIDE_OPT,
    ) -> None:
        _show(_report(ctx, policy_file), analysis, fmt, output, limit, wide)

    run.__doc__ = {
        Analysis.GAPS: "Customers nobody owns, and coverage that does not fit the tier.",
        Analysis.CONFLICTS: "Customers more than one team claims as owner.",
        Analysis.CREDIT: "Credit inflation, overlay dual credit, double-counted revenue.",
        Analysis.CAPACITY: "Load per account manager and team against the tier norms.",
        Analysis.HIERARCHY: "HQ -> branch roll-up, uncovered branches, HQ-branch conflicts.",
        Analysis.SUMMARY: "One coverage health report: counts, money at stake, top offenders.",
    }[analysis]
    app.command(analysis.value)(run)


for _a in (
    Analysis.GAPS,
    Analysis.CONFLICTS,
    Analysis.CREDIT,
    Analysis.CAPACITY,
    Analysis.HIERARCHY,
    Analysis.SUMMARY,
):
    _command(_a)


@app.command("scores")
def scores(
    ctx: typer.Context,
    preset: Preset = PRESET_OPT,
    top_percent: float = TOP_PERCENT_OPT,
    fmt: ExportFormat = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    policy_file: Path | None = POLICY_OPT,
    limit: int = LIMIT_OPT,
    wide: bool = WIDE_OPT,
) -> None:
    """Key-account scores and the tier changes against today (quarterly re-evaluation)."""
    report = _report(ctx, policy_file, preset, top_percent)
    w = report.scores.weights
    typer.echo(
        f"weights revenue {w.revenue:g}, potential {w.potential:g}, reference {w.reference:g}, "
        f"winnability {w.winnability:g}; top {report.scores.key_top_percent:g}% = "
        f"{report.scores.key_slots:,} key slots",
        err=True,
    )
    _show(report, Analysis.SCORES, fmt, output, limit, wide)


@app.command("coverage")
def coverage(
    ctx: typer.Context,
    fmt: ExportFormat = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    policy_file: Path | None = POLICY_OPT,
    limit: int = LIMIT_OPT,
    wide: bool = WIDE_OPT,
) -> None:
    """Effective coverage of every customer: owners, overlays, support and why."""
    store = common.open_store(ctx)
    with store:
        policy = _policy(ctx, policy_file, store)
        rows = (
            coverage_row(cc)
            for cc in effective_coverage(read_org(store), customer_chunks(store), policy)
        )
        if fmt is ExportFormat.TABLE:
            first = [r for _, r in zip(range(limit), rows, strict=False)]
            print_table(Console(), _rich_table("effective coverage", first, limit, wide), wide)
            return
        if fmt is ExportFormat.XLSX:
            if output is None:
                typer.secho("--format xlsx needs --output FILE.xlsx", fg="red", err=True)
                raise typer.Exit(2)
            _emit(to_xlsx({"coverage": list(rows)}), output)
            return
        out = (
            output.open(
                "w", encoding="utf-8-sig" if fmt is ExportFormat.CSV else "utf-8", newline=""
            )
            if output
            else sys.stdout
        )
        try:
            if fmt is ExportFormat.CSV:
                writer = csv.writer(out)
                writer.writerow([f.name for f in dataclasses.fields(_row_type())])
                for row in rows:
                    writer.writerow([cell(getattr(row, f.name)) for f in dataclasses.fields(row)])
            else:
                out.write("[")
                for i, row in enumerate(rows):
                    out.write(
                        ("," if i else "") + "\n" + json.dumps(plain(row), ensure_ascii=False)
                    )
                out.write("\n]\n")
        finally:
            if output:
                out.close()


def _row_type() -> type:
    from graph.coverage.resolve import CoverageRow

    return CoverageRow
