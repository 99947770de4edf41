"""``relmap import`` and ``relmap export``: the door for CRM exports and spreadsheets.

Exit codes: 0 imported (with ``--lenient``, also when rows were rejected), 1 problems found and
nothing written, 2 a file or the store could not be used at all.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable
from rich.text import Text

from cli import common
from graph.store.base import StoreError
from importers.detect import FORMATS, open_source
from importers.export import FORMATS as EXPORT_FORMATS
from importers.export import export_store
from importers.files import FileProblem
from importers.pipeline import ImportAborted, ImportOptions, ProgressSink, run_import
from importers.report import ImportReport
from importers.salesforce_roles import SalesforceMapping

DEFAULT_REJECTS = Path("relmap-rejects.csv")


class _Bar(ProgressSink):
    """Draws the pipeline's progress with rich (to stderr, gone when done)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)


def import_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or folders (CSV, XLSX, JSON)."),  # noqa: B008
    fmt: str = typer.Option(
        None, "--format", help="relmap or salesforce (detected from the headers when not given)."
    ),
    encoding: str = typer.Option(
        None, "--encoding", help="Text encoding of CSV files, e.g. gb18030 (detected by default)."
    ),
    lenient: bool = typer.Option(
        False, "--lenient", help="Import the good rows; write rejected ones to --rejects."
    ),
    rejects: Path = typer.Option(  # noqa: B008
        None, "--rejects", help=f"Reject file for --lenient (default {DEFAULT_REJECTS})."
    ),
    prune: bool = typer.Option(
        False,
        "--prune",
        help="Delete stored records of the imported kinds that the files do not hold (a full "
        "export). Shows what would go and writes nothing unless --yes is given too.",
    ),
    yes: bool = typer.Option(False, "--yes", help="Really prune (with --prune)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check everything, write nothing."),
    batch_size: int = typer.Option(
        None, "--batch-size", min=1, help="Records per write (default RELMAP_WRITE_BATCH_SIZE)."
    ),
    mapping: Path = typer.Option(  # noqa: B008
        None, "--mapping", help="Salesforce role/tier mapping file (YAML or JSON)."
    ),
    show: int = typer.Option(200, "--show", min=1, help="How many problems to print at most."),
) -> None:
    """Import relmap files or a Salesforce export: everything is checked first; any bad row
    rejects the whole import (nothing written) unless --lenient."""
    console = Console(stderr=True)
    settings = common.settings(ctx)
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"use {' or '.join(FORMATS)}", param_hint="--format")
    try:
        sf_mapping = SalesforceMapping.load(mapping) if mapping else None
        source = open_source(paths, fmt, encoding, sf_mapping)
    except (FileProblem, ValueError, OSError) as exc:
        typer.secho(f"cannot import: {exc}", fg="red", err=True)
        raise typer.Exit(2) from exc
    options = ImportOptions(
        lenient=lenient,
        rejects=(rejects or DEFAULT_REJECTS) if lenient else None,
        prune=prune,
        dry_run=dry_run or (prune and not yes),
        batch_size=batch_size or settings.write_batch_size,
    )
    store = common.open_store(ctx)
    with store:
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as progress:
                report = run_import(store, source, options, _Bar(progress))
        except ImportAborted as exc:
            _print_report(exc.report, console, show)
            typer.secho("import stopped: the store changed while importing", fg="red", err=True)
            raise typer.Exit(1) from exc
        except (FileProblem, StoreError) as exc:
            typer.secho(f"import failed: {exc}", fg="red", err=True)
            raise typer.Exit(2) from exc
    _print_report(report, console, show)
    if report.problems and not lenient:
        typer.secho(
            f"{len(report.problems)} problem(s) found: nothing was written. Fix them and import "
            "again (or use --lenient to import the good rows).",
            fg="red",
            err=True,
        )
        raise typer.Exit(1)
    if prune and not yes and not dry_run:
        typer.echo("nothing written: run again with --prune --yes to import and delete the above")


def _print_report(report: ImportReport, console: Console, show: int) -> None:
    # Text objects, never markup strings: a file's values ("[red]", "[/]") must print as written.
    for warning in report.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), str(warning)), highlight=False)
    for problem in report.problems[:show]:
        console.print(Text(str(problem), style="red"), highlight=False)
    if len(report.problems) > show:
        console.print(f"... and {len(report.problems) - show} more problem(s)", highlight=False)
    out = Console()
    table = RichTable(title=f"import ({report.format})" + (" - dry run" if report.dry_run else ""))
    for column in ("records", "rows", "created", "updated", "unchanged", "rejected", "deleted"):
        table.add_column(column, justify="left" if column == "records" else "right", no_wrap=True)
    for kind, s in report.summary_rows():
        counts = (s.rows, s.created, s.updated, s.unchanged, s.rejected, s.deleted)
        table.add_row(kind, *(f"{n:,}" for n in counts))
    out.print(table)
    if report.prune_counts:
        for kind, count in report.prune_counts.items():
            if not count:
                continue
            shown = ", ".join(report.prune_candidates.get(kind, []))
            more = (
                f" (and {count - len(report.prune_candidates[kind])} more)"
                if count > len(report.prune_candidates[kind])
                else ""
            )
            verb = "would delete" if report.dry_run else "deleted"
            out.print(f"prune {verb} {count:,} {kind.value}: {shown}{more}", highlight=False)
        if not any(report.prune_counts.values()):
            out.print("prune: nothing to delete")
    if report.rejects_file:
        out.print(f"rejected rows and their reasons: {report.rejects_file}")


def export_command(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder to write into (created if missing)."),  # noqa: B008
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json."),
) -> None:
    """Export the store in relmap's own format (import reads it back unchanged)."""
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    store = common.open_store(ctx)
    with store:
        try:
            counts = export_store(store, folder, fmt)
        except (StoreError, OSError) as exc:
            typer.secho(f"export failed: {exc}", fg="red", err=True)
            raise typer.Exit(2) from exc
    total = sum(counts.values())
    typer.echo(f"exported {total:,} records to {folder} ({fmt})")
