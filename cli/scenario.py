"""``relmap scenario evaluate|compare|apply|revert|map FILE...``: org design scenarios from YAML
or JSON files, evaluated against the live graph before anyone is moved.

* ``evaluate FILE...``: the diff against today (headline before/after, gaps and conflicts
  opened and closed, owner changes, load changes, orphaned key contacts, broken client teams).
* ``compare FILE...``: several scenarios side by side (``--format csv|xlsx|json`` to export).
* ``apply FILE``: stores the scenario (if new or changed) and applies it atomically, recorded in
  the audit trail; a stale scenario is refused with what changed meanwhile (``--rebase``).
* ``revert FILE``: restores the exact previous content of every record the apply touched.
* ``map FILE -o map.html``: the coverage edges the scenario adds and removes.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli import common
from graph.scenarios.evaluate import Evaluation
from graph.scenarios.export import (
    comparison,
    comparison_data,
    evaluation_data,
    to_csv,
    to_xlsx,
)
from graph.scenarios.service import (
    COLLECTION,
    ScenarioNotFound,
    ScenarioStale,
    StoredScenario,
    apply_scenario,
    evaluate_scenario,
    revert_scenario,
    save_scenario,
)
from graph.scenarios.spec import Scenario, ScenarioError, load_scenario_file
from graph.store.base import StoreError, ValidationFailed, VersionConflict

app = typer.Typer(
    name="scenario",
    help="Org design scenarios: evaluate, compare, apply and revert restructures.",
    no_args_is_help=True,
)

ACTOR = "cli"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


FILES_ARG = typer.Argument(..., exists=True, dir_okay=False, help="Scenario YAML/JSON file(s).")
FORMAT_OPT = typer.Option(Format.TABLE, "--format", "-f", help="table, json, csv or xlsx.")
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
FULL_OPT = typer.Option(False, "--full", help="Re-analyse every customer (no incremental).")
LIMIT_OPT = typer.Option(20, "--limit", "-n", min=1, help="Rows per table.")
FILE_ARG = typer.Argument(..., exists=True, dir_okay=False, help="Scenario YAML/JSON file.")
FILE_OR_ID_ARG = typer.Argument(..., help="The scenario file (or its id).")
HTML_OUT_OPT = typer.Option(..., "--output", "-o", help="HTML file to write.")

console = Console()


def _load(path: Path) -> Scenario:
    try:
        return load_scenario_file(path)
    except ScenarioError as exc:
        _fail(str(exc), getattr(exc, "errors", None))
        raise  # unreachable


def _fail(message: str, errors: list[dict[str, Any]] | None = None, code: int = 1) -> None:
    typer.secho(
        message if not errors or len(errors) < 2 else message.split(": ", 1)[0] + ":",
        fg="red",
        err=True,
    )
    if errors and len(errors) > 1:
        from graph.scenarios.spec import format_error

        for e in errors:
            typer.secho(f"  {format_error(e)}", fg="red", err=True)
    raise typer.Exit(code)


def _evaluate(ctx: typer.Context, files: list[Path], full: bool) -> list[tuple[Evaluation, int]]:
    scenarios = [_load(f) for f in files]
    store = common.open_store(ctx)
    out = []
    with store:
        for sc in scenarios:
            try:
                out.append(
                    evaluate_scenario(
                        store, sc, force_full=full, policy_file=common.settings(ctx).policy_file
                    )
                )
            except ScenarioError as exc:
                _fail(str(exc), getattr(exc, "errors", None))
    return out


def _write(data: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(data, bytes):
            typer.secho("xlsx needs --output FILE", fg="red", err=True)
            raise typer.Exit(2)
        typer.echo(data, nl=not data.endswith("\n"))
        return
    if isinstance(data, bytes):
        output.write_bytes(data)
    else:
        output.write_text(data, encoding="utf-8")
    typer.echo(f"wrote {output}", err=True)


def _num(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.0f}" if abs(v) >= 1000 or float(v).is_integer() else f"{v:,.2f}"


def _signed(v: float | None) -> str:
    if v is None:
        return "-"
    if v == 0:
        return "0"
    return ("+" if v > 0 else "") + _num(v)


def _show_evaluation(ev: Evaluation, version: int, limit: int) -> None:
    d = ev.diff
    console.print(
        f"[bold]{ev.name}[/bold] ({ev.scenario_id}) against graph version {version}: "
        f"{ev.mode} evaluation, {ev.touched_customers:,} customer(s) re-analysed"
        + (f" ({ev.reason})" if ev.reason else "")
    )
    for w in ev.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), str(w)))
    comp = comparison([ev])
    t = Table("metric", "today", "after", "change", title="Headline")
    for r in comp.headline:
        t.add_row(r.label, _num(r.today), _num(r.after[0]), _signed(r.change(0)))
    console.print(t)
    t = Table("what", "count", title="Changes")
    for _m, label, v in comp.diff_counts:
        t.add_row(label, str(v[0]))
    console.print(t)
    sections: list[tuple[str, list[str], list[list[str]]]] = [
        (
            "Customers changing owner",
            ["customer", "tier", "before", "after"],
            [
                [
                    f"{o.customer_id} {o.name}",
                    o.tier.value,
                    "; ".join(o.owners_before) or "-",
                    "; ".join(o.owners_after) or "-",
                ]
                for o in d.owner_changes
            ],
        ),
        (
            "Gaps opened",
            ["customer", "gap", "revenue"],
            [[f"{g.customer_id} {g.name}", g.kind.value, _num(g.revenue)] for g in d.gaps_opened],
        ),
        (
            "Gaps closed",
            ["customer", "gap", "revenue"],
            [[f"{g.customer_id} {g.name}", g.kind.value, _num(g.revenue)] for g in d.gaps_closed],
        ),
        (
            "Conflicts opened",
            ["customer", "owners"],
            [[f"{c.customer_id} {c.name}", "; ".join(c.owners)] for c in d.conflicts_opened],
        ),
        (
            "Conflicts closed",
            ["customer", "owners"],
            [[f"{c.customer_id} {c.name}", "; ".join(c.owners)] for c in d.conflicts_closed],
        ),
        (
            "Load changes (people)",
            ["person", "books before -> after (S/K/M/s)", "load", "status"],
            [
                [
                    p.id,
                    f"{'/'.join(map(str, p.counts_before))} -> "
                    f"{'/'.join(map(str, p.counts_after))}",
                    f"{p.load_before} -> {p.load_after}",
                    "NEWLY OVERLOADED"
                    if p.overloaded_after and not p.overloaded_before
                    else ("relieved" if p.overloaded_before and not p.overloaded_after else ""),
                ]
                for p in d.people
            ],
        ),
        (
            "Load changes (teams)",
            ["team", "books (S/K/M/s)", "AMs", "load per AM", "status"],
            [
                [
                    t.id,
                    f"{'/'.join(map(str, t.counts_before))} -> "
                    f"{'/'.join(map(str, t.counts_after))}",
                    f"{t.account_managers_before} -> {t.account_managers_after}",
                    f"{t.load_before} -> {t.load_after}",
                    "NEWLY OVERLOADED" if t.overloaded_after and not t.overloaded_before else "",
                ]
                for t in d.teams
            ],
        ),
        (
            "Key contacts losing all relationships",
            ["account", "contact", "known before by"],
            [
                [k.account_id, f"{k.contact_id} {k.name}", ", ".join(k.holders_before)]
                for k in d.key_contacts_orphaned
            ],
        ),
        (
            "Client teams that break",
            ["account", "tier", "loses", "gains", "named AM after"],
            [
                [
                    f"{b.customer_id} {b.name}",
                    b.tier.value,
                    ", ".join(b.lost),
                    ", ".join(b.gained),
                    "yes" if b.named_am_after else "NO",
                ]
                for b in d.broken_client_teams
            ],
        ),
        (
            "Hierarchy findings opened",
            ["branch", "finding", "HQ"],
            [[f"{h.customer_id} {h.name}", h.kind, h.hq_id] for h in d.hierarchy_opened],
        ),
        (
            "Hierarchy findings closed",
            ["branch", "finding", "HQ"],
            [[f"{h.customer_id} {h.name}", h.kind, h.hq_id] for h in d.hierarchy_closed],
        ),
        (
            "Proposed tiers that change",
            ["customer", "tier today", "proposed before", "after"],
            [
                [
                    f"{t.customer_id} {t.name}",
                    t.current_tier.value,
                    t.proposed_before.value,
                    t.proposed_after.value,
                ]
                for t in d.tier_proposals
            ],
        ),
    ]
    for title, cols, rows in sections:
        if not rows:
            continue
        t = Table(*cols, title=f"{title} ({len(rows)})")
        for row in rows[:limit]:
            t.add_row(*row)
        console.print(t)
        if len(rows) > limit:
            console.print(f"  ... {len(rows) - limit} more (--limit, or --format json/csv/xlsx)")


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    files: list[Path] = FILES_ARG,
    fmt: Format = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    full: bool = FULL_OPT,
    limit: int = LIMIT_OPT,
) -> None:
    """What each scenario does against today (the live graph stays untouched)."""
    results = _evaluate(ctx, files, full)
    if fmt is Format.TABLE:
        for ev, version in results:
            _show_evaluation(ev, version, limit)
        return
    if fmt is Format.JSON:
        data = [evaluation_data(ev, v) for ev, v in results]
        _write(
            json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2), output
        )
        return
    comp = comparison([ev for ev, _v in results])
    _write(to_csv(comp) if fmt is Format.CSV else to_xlsx(comp), output)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    files: list[Path] = FILES_ARG,
    fmt: Format = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    full: bool = FULL_OPT,
    limit: int = LIMIT_OPT,
) -> None:
    """Several scenarios side by side: headline metrics and per-customer changes."""
    results = _evaluate(ctx, files, full)
    comp = comparison([ev for ev, _v in results])
    if fmt is Format.JSON:
        _write(json.dumps(comparison_data(comp), ensure_ascii=False, indent=2), output)
        return
    if fmt is Format.CSV:
        _write(to_csv(comp), output)
        return
    if fmt is Format.XLSX:
        _write(to_xlsx(comp), output)
        return
    ids = [sid for sid, _n in comp.scenarios]
    t = Table("metric", "today", *ids, title="Scenarios compared (after, change)")
    for r in comp.headline:
        t.add_row(
            r.label,
            _num(r.today),
            *[f"{_num(r.after[i])} ({_signed(r.change(i))})" for i in range(len(ids))],
        )
    for _m, label, v in comp.diff_counts:
        t.add_row(label, "", *[str(x) for x in v])
    console.print(t)
    t = Table(
        "scenario",
        "customer",
        "what",
        "before",
        "after",
        title=f"Per-customer changes ({len(comp.customers)})",
    )
    for row in comp.customers[: limit * len(ids)]:
        t.add_row(row.scenario_id, f"{row.customer_id} {row.name}", row.what, row.before, row.after)
    console.print(t)


def _stored_or_saved(store: Any, sc: Scenario, policy_file: str | None) -> StoredScenario:
    """The stored scenario of the file: stored now if new, re-stored if the file changed."""
    doc = store.get_doc(COLLECTION, sc.id)
    if doc is not None:
        stored = StoredScenario.from_doc(doc)
        if stored.scenario == sc:
            return stored
        if stored.status == "applied":
            _fail(f"scenario {sc.id} is applied and the file differs from it: revert it first")
    saved, _resolved = save_scenario(store, sc, actor=ACTOR, policy_file=policy_file)
    typer.echo(f"stored scenario {sc.id} against graph version {saved.base_version}")
    return saved


@app.command("save")
def save_command(ctx: typer.Context, file: Path = FILE_ARG) -> None:
    """Store a scenario (validated against the live graph; its base version is recorded)."""
    sc = _load(file)
    store = common.open_store(ctx)
    with store:
        try:
            stored, _r = save_scenario(
                store, sc, actor=ACTOR, policy_file=common.settings(ctx).policy_file
            )
        except ScenarioError as exc:
            _fail(str(exc), getattr(exc, "errors", None))
    typer.echo(f"stored scenario {sc.id} against graph version {stored.base_version}")


@app.command("apply")
def apply_command(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    rebase: bool = typer.Option(
        False,
        "--rebase",
        help="Apply a stale scenario to the current graph (re-resolve its changes).",
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Apply a scenario to the live graph atomically (audited; ``revert`` undoes it)."""
    sc = _load(file)
    store = common.open_store(ctx)
    policy_file = common.settings(ctx).policy_file
    with store:
        try:
            _stored_or_saved(store, sc, policy_file)
            if not yes:
                typer.confirm(f"apply scenario {sc.id} ({sc.name}) to {store.kind}?", abort=True)
            result = apply_scenario(
                store, sc.id, actor=ACTOR, role="admin", rebase=rebase, policy_file=policy_file
            )
        except ScenarioStale as exc:
            typer.secho(str(exc), fg="yellow", err=True)
            for d in exc.drift[:50]:
                typer.secho(f"  {d.describe()}", fg="yellow", err=True)
            typer.secho(
                "nothing applied; use --rebase to apply to the current graph", fg="yellow", err=True
            )
            raise typer.Exit(3) from exc
        except ScenarioNotFound as exc:
            _fail(f"no stored scenario {exc}")
        except ScenarioError as exc:
            _fail(str(exc), getattr(exc, "errors", None))
        except VersionConflict as exc:
            _fail(f"nothing applied: {exc}; try again", code=3)
        except ValidationFailed as exc:
            _fail(f"nothing applied: {exc}")
        except StoreError as exc:
            _fail(f"nothing applied: {exc}", code=2)
    typer.echo(
        f"applied scenario {sc.id}: {result.upserts} upserts, {result.deletes} deletes"
        + (", policy changed" if result.policy_changed else "")
        + (" (rebased)" if result.rebased else "")
        + f"; graph version {result.version_before} -> {result.version_after}; "
        f"audit entry {result.audit_id}"
    )
    for w in result.warnings:
        typer.secho(f"warning: {w}", fg="yellow", err=True)


@app.command("revert")
def revert_command(
    ctx: typer.Context,
    file: Path = FILE_OR_ID_ARG,
    force: bool = typer.Option(False, "--force", help="Overwrite records edited since."),
) -> None:
    """Restore the exact previous graph of an applied scenario (atomic, audited)."""
    scenario_id = _load(file).id if file.exists() else str(file)
    store = common.open_store(ctx)
    with store:
        try:
            result = revert_scenario(store, scenario_id, actor=ACTOR, role="admin", force=force)
        except ScenarioStale as exc:
            typer.secho(str(exc), fg="yellow", err=True)
            raise typer.Exit(3) from exc
        except ScenarioNotFound:
            _fail(f"no stored scenario {scenario_id}")
        except ScenarioError as exc:
            _fail(str(exc))
        except VersionConflict as exc:
            _fail(f"nothing reverted: {exc}; try again", code=3)
    typer.echo(
        f"reverted scenario {scenario_id}: {result.restored} records restored, "
        f"{result.removed} removed; graph version {result.version_before} -> "
        f"{result.version_after}"
    )


@app.command("map")
def map_command(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    output: Path = HTML_OUT_OPT,
    limit: int = typer.Option(300, help="At most this many changed customers on the map."),
) -> None:
    """A self-contained HTML map of the coverage edges the scenario adds and removes."""
    from visualize.scenario_map import render_scenario_map

    [(ev, _version)] = _evaluate(ctx, [file], False)
    output.write_text(render_scenario_map(ev, limit=limit), encoding="utf-8")
    typer.echo(f"wrote {output}")
