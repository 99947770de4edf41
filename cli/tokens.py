"""``relmap token create|list|revoke``: API tokens for people and integrations.

The secret is printed once at creation and stored only as a SHA-256 hash (``graph.auth.tokens``);
revoking is immediate because the API checks the token on every request.
"""

from __future__ import annotations

import typer

from cli import common
from graph.auth.principal import ROLE_NAMES
from graph.auth.tokens import TokenError, create_token, list_tokens, revoke_token

app = typer.Typer(
    help="API tokens: create (secret shown once), list, revoke.", no_args_is_help=True
)


@app.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="Who or what uses the token."),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(ROLE_NAMES)}."),
    employee: str = typer.Option(
        None, "--employee", help="Employee id (required for account_manager: their accounts)."
    ),
    can_apply: bool = typer.Option(
        False, "--can-apply", help="May apply scenarios to the live coverage model."
    ),
) -> None:
    """Create a token and print its secret (the only time it is shown)."""
    store = common.open_store(ctx)
    with store:
        try:
            secret, info = create_token(
                store, name=name, role=role, employee_id=employee, can_apply=can_apply
            )
        except TokenError as exc:
            typer.secho(str(exc), fg="red", err=True)
            raise typer.Exit(2) from exc
    typer.echo(f"created token {info.id} ({info.name}, role {info.role})", err=True)
    typer.echo("the secret below is shown only now; store it safely:", err=True)
    typer.echo(secret)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List tokens (ids, names, roles, state; never secrets)."""
    store = common.open_store(ctx)
    with store:
        after: str | None = None
        while True:
            batch = list_tokens(store, after=after, limit=1000)
            for t in batch:
                state = f"revoked {t.revoked}" if t.revoked else "active"
                emp = f" employee={t.employee_id}" if t.employee_id else ""
                apply = " can-apply" if t.can_apply else ""
                typer.echo(
                    f"{t.id}  {t.role:<15} {state:<10} {t.name}{emp}{apply}  created {t.created}"
                )
            if len(batch) < 1000:
                break
            after = batch[-1].id


@app.command("revoke")
def revoke(
    ctx: typer.Context, token_id: str = typer.Argument(..., help="Token id from `list`.")
) -> None:
    """Revoke a token: it stops working at once."""
    store = common.open_store(ctx)
    with store:
        try:
            info = revoke_token(store, token_id)
        except KeyError:
            typer.secho(f"no token {token_id!r}", fg="red", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"revoked {info.id} ({info.name})")
