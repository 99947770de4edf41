"""``relmap token create|list|revoke`` against a real store (the secret is printed once)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from graph.auth.tokens import verify_token
from graph.model import Employee
from graph.settings import Settings
from graph.store.open import open_store


def test_token_create_list_revoke(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_store(Settings(store=url)) as store:
        store.upsert([Employee(id="E1", name="Zhang Min")])
    runner = CliRunner()
    made = runner.invoke(
        app,
        [
            "--store",
            url,
            "token",
            "create",
            "--name",
            "CRM sync",
            "--role",
            "account_manager",
            "--employee",
            "E1",
        ],
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("rm_")
    with open_store(Settings(store=url)) as store:
        info = verify_token(store, secret)
        assert info is not None and info.role == "account_manager" and info.employee_id == "E1"
    listed = runner.invoke(app, ["--store", url, "token", "list"])
    assert info.id in listed.stdout and "active" in listed.stdout and secret not in listed.stdout
    revoked = runner.invoke(app, ["--store", url, "token", "revoke", info.id])
    assert revoked.exit_code == 0
    with open_store(Settings(store=url)) as store:
        assert verify_token(store, secret) is None
    assert "revoked" in runner.invoke(app, ["--store", url, "token", "list"]).stdout


def test_token_create_refuses_unknown_role_and_missing_employee(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    bad_role = runner.invoke(
        app, ["--store", url, "token", "create", "--name", "x", "--role", "root"]
    )
    assert bad_role.exit_code == 2 and "role" in bad_role.output
    no_emp = runner.invoke(
        app, ["--store", url, "token", "create", "--name", "x", "--role", "account_manager"]
    )
    assert no_emp.exit_code == 2 and "employee" in no_emp.output
    assert runner.invoke(app, ["--store", url, "token", "revoke", "nope"]).exit_code == 1
