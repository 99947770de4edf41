"""What every CLI command shares: settings, opening the store, progress on long writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.model import Record
from graph.settings import Settings, load_settings
from graph.store.base import ChangeSet, Store, StoreError, ValidationFailed
from graph.store.open import open_store as _open_store


@dataclass
class Context:
    store_url: str | None = None


def settings(ctx: typer.Context) -> Settings:
    obj: Context = ctx.obj or Context()
    return load_settings(store=obj.store_url)


def open_store(ctx: typer.Context) -> Store:
    """The configured store, or a clear message and exit code 2."""
    s = settings(ctx)
    try:
        return _open_store(s)
    except (StoreError, ValueError) as exc:
        typer.secho(f"cannot open store {s.store}: {exc}", fg="red", err=True)
        raise typer.Exit(2) from exc


def write_stream(store: Store, batches: Iterable[list[Record]], what: str) -> int:
    """Write batches with a progress bar; report a rejected batch clearly and exit 1."""
    total = 0
    with Progress(
        TextColumn(f"writing {what}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(what, total=None)
        for batch in batches:
            try:
                store.write(ChangeSet(upserts=batch))
            except ValidationFailed as exc:
                for err in exc.errors[:50]:
                    typer.secho(str(err), fg="red", err=True)
                raise typer.Exit(1) from exc
            total += len(batch)
            progress.update(task, advance=len(batch))
    return total
