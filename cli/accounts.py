"""``relmap accounts ...``: key contacts, relationship coverage, what-if-leaves and the
relationship risks of many accounts, as rich tables or ``--format json``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from cli import common
from cli.tables import Col, fit_table, print_table
from graph.accounts.analysis import account_key_contacts, account_risks, employee_what_if_leaves
from graph.accounts.export import coverage_sheets, key_contact_sheet, risk_sheet
from graph.accounts.gather import AccountNotFound
from graph.accounts.key_contacts import KeyContact
from graph.accounts.relationship_coverage import LeaverImpact, relationship_coverage
from graph.model import RecordKind, Tier
from graph.store.base import Store
from graph.tabular import Sheet, csv_bytes, xlsx_bytes

app = typer.Typer(
    name="accounts",
    help="Political-map analytics of an account: key contacts, coverage, what if someone leaves.",
    no_args_is_help=True,
)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


FORMAT_OPT = typer.Option(
    OutputFormat.TABLE, "--format", "-f", help="table, json, csv or xlsx (csv/xlsx need -o)."
)
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write csv/xlsx to this file.")
WIDE_OPT = typer.Option(False, "--wide", help="Show every column, however wide the table gets.")
SUBS_OPT = typer.Option(
    True, "--subsidiaries/--no-subsidiaries", help="Include the account's subsidiaries."
)


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    return value


def _sheets(fmt: OutputFormat, output: Path | None, sheets: list[Sheet]) -> bool:
    """Write ``sheets`` as CSV (the first one) or XLSX (all) when ``fmt`` asks; True if it
    did. CSV and XLSX go to ``--output`` (a terminal is no place for a workbook)."""
    if fmt not in (OutputFormat.CSV, OutputFormat.XLSX):
        return False
    if output is None:
        typer.secho(f"--format {fmt.value} needs --output FILE", fg="red", err=True)
        raise typer.Exit(2)
    if fmt is OutputFormat.CSV:
        first = sheets[0]
        output.write_bytes(csv_bytes(first.headers, first.rows))
    else:
        output.write_bytes(xlsx_bytes(sheets))
    typer.echo(f"wrote {output}", err=True)
    return True


def _json(obj: Any) -> None:
    is_record = dataclasses.is_dataclass(obj) and not isinstance(obj, type)
    data = _plain(dataclasses.asdict(obj) if is_record else obj)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _kc_json(c: KeyContact) -> dict[str, Any]:
    return {**_plain(dataclasses.asdict(c)), "explanation": c.explanation}


def _account_or_exit(err: AccountNotFound) -> typer.Exit:
    typer.secho(f"no account {err.args[0]!r}", fg="red", err=True)
    return typer.Exit(1)


@app.command("key-contacts")
def key_contacts_command(
    ctx: typer.Context,
    account: str = typer.Argument(..., help="Customer id of the account."),
    subsidiaries: bool = SUBS_OPT,
    key_only: bool = typer.Option(False, "--key-only", help="Only the key contacts."),
    limit: int = typer.Option(30, "--limit", min=1, help="Rows in table format."),
    fmt: OutputFormat = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    wide: bool = WIDE_OPT,
) -> None:
    """Rank the account's contacts by influence-network centrality and decision role; hidden
    influencers (high centrality, modest title) are flagged with the reason."""
    store = common.open_store(ctx)
    with store:
        try:
            _, result = account_key_contacts(store, account, include_subsidiaries=subsidiaries)
        except AccountNotFound as exc:
            raise _account_or_exit(exc) from exc
        label = _account_label(store, account)
    rows = result.key_contacts if key_only else result.contacts
    if _sheets(fmt, output, [key_contact_sheet(result, key_only)]):
        return
    if fmt is OutputFormat.JSON:
        typer.echo(
            json.dumps(
                {
                    "account_id": result.account_id,
                    "version": result.version,
                    "contacts": [_kc_json(c) for c in rows],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    cols = [
        Col("#", numeric=True, essential=True),
        Col("contact", essential=True),
        Col("id", optional=True),
        Col("title"),
        Col("role", essential=True),
        Col("score", numeric=True, essential=True),
        Col("key", essential=True),
        Col("hidden"),
        Col("PageRank"),
        Col("betw."),
        Col("sways", numeric=True),
    ]
    table_rows = [
        [
            c.rank,
            c.name,
            c.contact_id,
            c.title,
            c.decision_role.value,
            f"{c.score:.3f}",
            "yes" if c.is_key else "",
            "yes" if c.hidden_influencer else "",
            f"{c.pagerank:.4f} ({c.pagerank_rank})",
            f"{c.betweenness:.3f} ({c.betweenness_rank})",
            f"{c.influence_in_degree:.2f}",
        ]
        for c in rows[:limit]
    ]
    console = Console()
    title = f"Key contacts of {label} ({len(result.key_contacts)} key of {len(result.contacts)})"
    print_table(console, fit_table(title, cols, table_rows, wide=wide, width=console.width), wide)
    for c in result.hidden_influencers:
        console.print(Text(f"hidden influencer {c.name} ({c.contact_id}): {c.hidden_reason}"))


@app.command("coverage")
def coverage_command(
    ctx: typer.Context,
    account: str = typer.Argument(..., help="Customer id of the account."),
    stale_days: int = typer.Option(180, "--stale-days", min=0, help="Untouched this long = stale."),
    today: str = typer.Option(None, "--today", help="Count staleness to this day (YYYY-MM-DD)."),
    subsidiaries: bool = SUBS_OPT,
    fmt: OutputFormat = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    wide: bool = WIDE_OPT,
) -> None:
    """Our strongest relationship to each key contact and who holds it, uncovered and
    single-threaded key contacts, stale relationships, and the buying-roles check."""
    day = dt.date.fromisoformat(today) if today else dt.datetime.now(dt.UTC).date()
    store = common.open_store(ctx)
    with store:
        try:
            g, ranking = account_key_contacts(store, account, include_subsidiaries=subsidiaries)
        except AccountNotFound as exc:
            raise _account_or_exit(exc) from exc
        label = _account_label(store, account)
    cov = relationship_coverage(g, ranking, day, stale_days=stale_days)
    if _sheets(fmt, output, coverage_sheets(cov)):
        return
    if fmt is OutputFormat.JSON:
        _json(cov)
        return
    console = Console()

    def ours(employee_id: str) -> str:
        return str(g.nodes.get(f"employee:{employee_id}", {}).get("label") or employee_id)

    title = (
        f"Relationship coverage of {label} on {day} "
        f"(threads: {', '.join(ours(e) for e in cov.threads) or 'none'}"
        f"{'; SINGLE-THREADED' if cov.single_threaded else ''})"
    )
    cols = [
        Col("#", numeric=True),
        Col("key contact", essential=True),
        Col("id", optional=True),
        Col("role"),
        Col("flag", essential=True),
        Col("strongest", essential=True),
        Col("held by", essential=True),
        Col("stance"),
        Col("threads", numeric=True),
    ]
    rows = [
        [
            c.rank,
            c.name,
            c.contact_id,
            c.decision_role.value,
            "UNCOVERED" if not c.covered else ("single-threaded" if c.single_threaded else ""),
            c.strongest.value,
            ", ".join(ours(e) for e in c.strongest_holders),
            c.stance,
            c.threads,
        ]
        for c in cov.key_contacts
    ]
    width = console.width
    print_table(console, fit_table(title, cols, rows, wide=wide, width=width), wide)
    stale_cols = [
        Col("ours", essential=True),
        Col("contact", essential=True),
        Col("strength"),
        Col("last touch", essential=True),
        Col("days", numeric=True),
        Col("key"),
        Col("employee id", optional=True),
        Col("contact id", optional=True),
    ]
    stale_rows = [
        [
            s.employee_name,
            s.contact_name,
            s.strength.value,
            str(s.last_touch or "never"),
            s.days_since if s.days_since is not None else "-",
            "yes" if s.key_contact else "",
            s.employee_id,
            s.contact_id,
        ]
        for s in cov.stale
    ]
    stale_title = f"Stale relationships (> {stale_days} days)"
    print_table(
        console, fit_table(stale_title, stale_cols, stale_rows, wide=wide, width=width), wide
    )
    roles_title = "Buying roles " + ("complete" if cov.roles_complete else "INCOMPLETE")
    role_cols = [
        Col("requirement", essential=True),
        Col("met", essential=True),
        Col("detail", wrap=True),
    ]
    role_rows = [[r.requirement, "yes" if r.met else "NO", r.detail] for r in cov.roles]
    print_table(console, fit_table(roles_title, role_cols, role_rows, wide=wide, width=width), wide)


@app.command("what-if-leaves")
def what_if_leaves_command(
    ctx: typer.Context,
    employee: str = typer.Argument(..., help="Employee id of ours."),
    fmt: OutputFormat = FORMAT_OPT,
    wide: bool = WIDE_OPT,
) -> None:
    """The relationships lost and key contacts left without any relationship if the employee
    leaves, per account and across all their accounts."""
    store = common.open_store(ctx)
    with store:
        leaver = store.get(RecordKind.EMPLOYEE, employee)
        if leaver is None:
            typer.secho(f"no employee {employee!r}", fg="red", err=True)
            raise typer.Exit(1)
        impact = employee_what_if_leaves(store, employee)
        names = _names(store, impact)
    if fmt in (OutputFormat.CSV, OutputFormat.XLSX):
        typer.secho("what-if-leaves: --format table or json", fg="red", err=True)
        raise typer.Exit(2)
    if fmt is OutputFormat.JSON:
        _json(impact)
        return
    cols = [
        Col("account", essential=True),
        Col("contact", essential=True),
        Col("strength"),
        Col("key", essential=True),
        Col("still known by", essential=True),
        Col("threads", wrap=True),
        Col("contact id", optional=True),
    ]
    rows = []
    for a in impact.accounts:
        threads = f"{a.threads_before} -> {a.threads_after}" + (
            " UNCOVERED"
            if a.becomes_uncovered
            else " single-threaded"
            if a.becomes_single_threaded
            else ""
        )
        for i, r in enumerate(a.relationships_lost):
            known = ", ".join(names.get(e, e) for e in r.still_known_by) or "nobody"
            rows.append(
                [
                    names.get(a.account_id, a.account_id) if i == 0 else "",
                    r.contact_name,
                    r.strength.value,
                    f"#{r.rank}" if r.key_contact else "",
                    known,
                    threads if i == 0 else "",
                    r.contact_id,
                ]
            )
    who = getattr(leaver, "name", employee)
    title = (
        f"If {who} ({employee}) leaves: {impact.relationships_lost} relationships lost, "
        f"{impact.key_contacts_orphaned} key contacts left uncovered"
    )
    console = Console()
    print_table(console, fit_table(title, cols, rows, wide=wide, width=console.width), wide)


def _account_label(store: Store, account: str) -> str:
    record = store.get(RecordKind.CUSTOMER, account)
    name = getattr(record, "name", None)
    return f"{name} ({account})" if name else account


def _names(store: Store, impact: LeaverImpact) -> dict[str, str]:
    """Names of the accounts and of our people a leaver's impact mentions, by id."""
    out: dict[str, str] = {}
    people = {e for a in impact.accounts for r in a.relationships_lost for e in r.still_known_by}
    for kind, ids in (
        (RecordKind.CUSTOMER, {a.account_id for a in impact.accounts}),
        (RecordKind.EMPLOYEE, people),
    ):
        for key in sorted(ids):
            record = store.get(kind, key)
            out[key] = str(getattr(record, "name", key))
    return out


@app.command("risks")
def risks_command(
    ctx: typer.Context,
    tiers: list[Tier] = typer.Option(  # noqa: B008
        [Tier.STRATEGIC, Tier.KEY], "--tier", help="Tiers to check (repeat the option)."
    ),
    stale_days: int = typer.Option(180, "--stale-days", min=0, help="Untouched this long = stale."),
    today: str = typer.Option(None, "--today", help="Count staleness to this day (YYYY-MM-DD)."),
    only_at_risk: bool = typer.Option(False, "--at-risk", help="Only accounts with a risk."),
    fmt: OutputFormat = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    wide: bool = WIDE_OPT,
) -> None:
    """Relationship risks of every account of the given tiers, one row each: uncovered and
    single-threaded key contacts, single-threaded accounts, stale relationships, missing roles."""
    day = dt.date.fromisoformat(today) if today else dt.datetime.now(dt.UTC).date()
    store = common.open_store(ctx)
    with store:
        where = {"tier": [t.value for t in tiers]}
        ids = [c.key for c in store.scan(RecordKind.CUSTOMER, where=where)]
        rows = account_risks(store, ids, today=day, stale_days=stale_days)
    if only_at_risk:
        rows = [r for r in rows if r.at_risk]
    if _sheets(fmt, output, [risk_sheet(rows)]):
        return
    if fmt is OutputFormat.JSON:
        typer.echo(
            json.dumps(
                [{**_plain(dataclasses.asdict(r)), "at_risk": r.at_risk} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    cols = [
        Col("account", essential=True),
        Col("id", optional=True),
        Col("tier"),
        Col("uncovered", numeric=True, essential=True),
        Col("threads", essential=True),
        Col("stale", numeric=True, essential=True),
        Col("roles missing", wrap=True),
        Col("key", numeric=True),
        Col("hidden", numeric=True),
        Col("single-thr. contacts", numeric=True),
    ]
    table_rows = [
        [
            r.name,
            r.account_id,
            r.tier,
            r.uncovered,
            f"{r.threads}{' SINGLE' if r.single_threaded else ''}",
            r.stale,
            ", ".join(r.roles_missing),
            r.key_contacts,
            r.hidden_influencers,
            r.single_threaded_contacts,
        ]
        for r in rows
    ]
    console = Console()
    title = f"Relationship risks on {day} ({len(rows)} accounts)"
    print_table(console, fit_table(title, cols, table_rows, wide=wide, width=console.width), wide)
