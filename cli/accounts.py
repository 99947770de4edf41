"""``relmap accounts ...``: key contacts, relationship coverage, what-if-leaves and the
relationship risks of many accounts, as rich tables or ``--format json``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from cli import common
from graph.accounts.analysis import account_key_contacts, account_risks, employee_what_if_leaves
from graph.accounts.gather import AccountNotFound
from graph.accounts.key_contacts import KeyContact
from graph.accounts.relationship_coverage import relationship_coverage
from graph.model import RecordKind, Tier

app = typer.Typer(
    name="accounts",
    help="Political-map analytics of an account: key contacts, coverage, what if someone leaves.",
    no_args_is_help=True,
)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMAT_OPT = typer.Option(OutputFormat.TABLE, "--format", "-f", help="table or json.")
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
) -> None:
    """Rank the account's contacts by influence-network centrality and decision role; hidden
    influencers (high centrality, modest title) are flagged with the reason."""
    store = common.open_store(ctx)
    with store:
        try:
            _, result = account_key_contacts(store, account, include_subsidiaries=subsidiaries)
        except AccountNotFound as exc:
            raise _account_or_exit(exc) from exc
    rows = result.key_contacts if key_only else result.contacts
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
    table = Table(
        title=f"Key contacts of {account} ({len(result.key_contacts)} key of "
        f"{len(result.contacts)})"
    )
    for col in (
        "#",
        "contact",
        "title",
        "role",
        "score",
        "PageRank",
        "betw.",
        "sways",
        "key",
        "hidden",
    ):
        table.add_column(col, justify="right" if col in ("#", "score", "sways") else "left")
    for c in rows[:limit]:
        table.add_row(
            str(c.rank),
            f"{c.name} ({c.contact_id})",
            c.title,
            c.decision_role.value,
            f"{c.score:.3f}",
            f"{c.pagerank:.4f} ({c.pagerank_rank})",
            f"{c.betweenness:.3f} ({c.betweenness_rank})",
            f"{c.influence_in_degree:.2f}",
            "yes" if c.is_key else "",
            "yes" if c.hidden_influencer else "",
        )
    console = Console()
    console.print(table)
    for c in result.hidden_influencers:
        console.print(f"hidden influencer {c.name} ({c.contact_id}): {c.hidden_reason}")


@app.command("coverage")
def coverage_command(
    ctx: typer.Context,
    account: str = typer.Argument(..., help="Customer id of the account."),
    stale_days: int = typer.Option(180, "--stale-days", min=0, help="Untouched this long = stale."),
    today: str = typer.Option(None, "--today", help="Count staleness to this day (YYYY-MM-DD)."),
    subsidiaries: bool = SUBS_OPT,
    fmt: OutputFormat = FORMAT_OPT,
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
    cov = relationship_coverage(g, ranking, day, stale_days=stale_days)
    if fmt is OutputFormat.JSON:
        _json(cov)
        return
    console = Console()
    table = Table(
        title=f"Relationship coverage of {account} on {day} "
        f"(threads: {', '.join(cov.threads) or 'none'}"
        f"{'; SINGLE-THREADED' if cov.single_threaded else ''})"
    )
    for col in ("#", "key contact", "role", "stance", "strongest", "held by", "threads", "flag"):
        table.add_column(col)
    for c in cov.key_contacts:
        flag = "UNCOVERED" if not c.covered else ("single-threaded" if c.single_threaded else "")
        table.add_row(
            str(c.rank),
            f"{c.name} ({c.contact_id})",
            c.decision_role.value,
            c.stance,
            c.strongest.value,
            ", ".join(c.strongest_holders),
            str(c.threads),
            flag,
        )
    console.print(table)
    stale = Table(title=f"Stale relationships (> {stale_days} days)")
    for col in ("ours", "contact", "strength", "last touch", "days", "key"):
        stale.add_column(col)
    for s in cov.stale:
        stale.add_row(
            f"{s.employee_name} ({s.employee_id})",
            f"{s.contact_name} ({s.contact_id})",
            s.strength.value,
            str(s.last_touch or "never"),
            str(s.days_since if s.days_since is not None else "-"),
            "yes" if s.key_contact else "",
        )
    console.print(stale)
    roles = Table(title="Buying roles " + ("complete" if cov.roles_complete else "INCOMPLETE"))
    for col in ("requirement", "met", "detail"):
        roles.add_column(col)
    for r in cov.roles:
        roles.add_row(r.requirement, "yes" if r.met else "NO", r.detail)
    console.print(roles)


@app.command("what-if-leaves")
def what_if_leaves_command(
    ctx: typer.Context,
    employee: str = typer.Argument(..., help="Employee id of ours."),
    fmt: OutputFormat = FORMAT_OPT,
) -> None:
    """The relationships lost and key contacts left without any relationship if the employee
    leaves, per account and across all their accounts."""
    store = common.open_store(ctx)
    with store:
        if store.get(RecordKind.EMPLOYEE, employee) is None:
            typer.secho(f"no employee {employee!r}", fg="red", err=True)
            raise typer.Exit(1)
        impact = employee_what_if_leaves(store, employee)
    if fmt is OutputFormat.JSON:
        _json(impact)
        return
    table = Table(
        title=f"If {employee} leaves: {impact.relationships_lost} relationships lost, "
        f"{impact.key_contacts_orphaned} key contacts left uncovered"
    )
    for col in ("account", "contact", "strength", "key", "still known by", "threads"):
        table.add_column(col)
    for a in impact.accounts:
        threads = f"{a.threads_before} -> {a.threads_after}" + (
            " UNCOVERED"
            if a.becomes_uncovered
            else " single-threaded"
            if a.becomes_single_threaded
            else ""
        )
        for i, r in enumerate(a.relationships_lost):
            table.add_row(
                a.account_id if i == 0 else "",
                f"{r.contact_name} ({r.contact_id})",
                r.strength.value,
                f"#{r.rank}" if r.key_contact else "",
                ", ".join(r.still_known_by) or "nobody",
                threads if i == 0 else "",
            )
    Console().print(table)


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
    if fmt is OutputFormat.JSON:
        typer.echo(
            json.dumps(
                [{**_plain(dataclasses.asdict(r)), "at_risk": r.at_risk} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    table = Table(title=f"Relationship risks on {day} ({len(rows)} accounts)")
    for col in (
        "account",
        "tier",
        "key",
        "hidden",
        "uncovered",
        "single-thr. contacts",
        "threads",
        "stale",
        "roles missing",
    ):
        table.add_column(col)
    for r in rows:
        table.add_row(
            f"{r.name} ({r.account_id})",
            r.tier,
            str(r.key_contacts),
            str(r.hidden_influencers),
            str(r.uncovered),
            str(r.single_threaded_contacts),
            f"{r.threads}{' SINGLE' if r.single_threaded else ''}",
            str(r.stale),
            ", ".join(r.roles_missing),
        )
    Console().print(table)
