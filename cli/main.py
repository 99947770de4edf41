"""The ``relmap`` command: one entry point composing stores, importers, analyses, maps and API."""

from __future__ import annotations

from importlib.metadata import version as package_version
from typing import Any

import typer
from typer.core import TyperArgument, TyperOption

from cli import accounts, analyze, common, importing, maps, scenario, tokens

app = typer.Typer(
    name="relmap",
    help=(
        "relmap: political maps of key accounts and sales coverage design.\n\n"
        "The store comes from RELMAP_STORE (default sqlite:///relmap.db, the embedded store) or "
        "--store; use bolt://127.0.0.1:7687 or neo4j://host:7687 for Neo4j (user and password "
        "from RELMAP_NEO4J_USER / RELMAP_NEO4J_PASSWORD).\n\n"
        "Typical first run:  relmap demo && relmap serve"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relmap {package_version('relmap')}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    store: str = typer.Option(
        None, "--store", envvar="RELMAP_STORE", help="Store URL (sqlite:///file.db or bolt://...)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    ctx.obj = common.Context(store_url=store)


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option(None, help="Interface to bind (default RELMAP_HOST or 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default RELMAP_PORT or 8000)."),
    workers: int = typer.Option(1, min=1, help="Worker processes (the API is stateless)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the start page in a browser."),
) -> None:
    """Serve the API, the pages and the maps (OpenAPI docs at /docs)."""
    import os

    import uvicorn

    settings = common.settings(ctx)
    os.environ["RELMAP_STORE"] = settings.store  # the app factory reads the same setting
    host = host or settings.host
    port = port or settings.port
    typer.echo(f"relmap serving {settings.store} on http://{host}:{port}/  (docs: /docs)")
    if open_browser:
        import webbrowser

        webbrowser.open(f"http://{host}:{port}/")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers)


@app.command()
def demo(
    ctx: typer.Context,
    customers: int = typer.Option(2000, "--customers", "-n", min=10, help="How many customers."),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same data."),
    clear: bool = typer.Option(True, help="Empty the store first."),
) -> None:
    """Load realistic demo data (teams, accounts, political maps, planted coverage problems)."""
    from graph.demo.generate import generate

    store = common.open_store(ctx)
    with store:
        if clear:
            store.clear()
        total = common.write_stream(store, generate(customers=customers, seed=seed), "demo data")
    typer.echo(f"loaded {total:,} demo records into {store.kind} ({common.settings(ctx).store})")


# Each area's commands, in the order --help lists them.
app.command("import")(importing.import_command)
app.command("export")(importing.export_command)
app.add_typer(analyze.app, name="analyze")
app.add_typer(accounts.app, name="accounts")
app.command("map")(maps.map_command)
app.add_typer(scenario.app, name="scenario")
app.add_typer(tokens.app, name="token")


TYPE_WORDS = {"str": "TEXT", "int": "N", "float": "N", "path": "PATH", "datetime": "DATE"}


def _metavar(param: Any) -> str:
    """What help shows for a value: TEXT, N, PATH, DATE or the choices; nothing for a flag."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if param.param_type_name == "argument":
        return str(param.name or "value").upper()
    shown = str(param.display_type(None)).strip("<>")
    if "|" in shown:
        return shown
    bare = shown.removesuffix(" range").removeprefix("list[").removesuffix("]")
    return TYPE_WORDS.get(bare, bare.upper())


def _type_column(param: Any, ctx: Any) -> str | None:
    """The help's type column: the value's word, nothing for flags and arguments (whose name
    already stands in the usage line)."""
    if param.param_type_name == "argument":
        return None
    return param.metavar if param.metavar is not None else (_metavar(param) or None)


def human_help(command: Any) -> Any:
    """Help in words a user reads (TEXT, N, PATH, the choices) instead of the Python type
    names typer shows (``<str>``, ``<int range>``, ``<bool>`` on every flag, ``--help`` too)."""
    TyperOption.display_type_rich = _type_column  # type: ignore[method-assign,assignment]
    TyperArgument.display_type_rich = _type_column  # type: ignore[method-assign,assignment]
    for param in command.params:
        if param.metavar is None and param.param_type_name == "argument":
            param.metavar = _metavar(param)
    for sub in getattr(command, "commands", {}).values():
        human_help(sub)
    return command


def main() -> None:
    human_help(typer.main.get_command(app))(prog_name="relmap")


if __name__ == "__main__":
    main()
