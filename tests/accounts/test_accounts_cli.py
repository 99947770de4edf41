"""``relmap accounts ...`` on both stores: JSON answers and readable tables."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app
from graph.settings import Settings

runner = CliRunner()


def _run(settings: Settings, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--store", settings.store, "accounts", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_key_contacts_json_ranks_the_hidden_broker_first(loaded_store, settings):
    out = json.loads(_run(settings, "key-contacts", "acme", "--no-subsidiaries", "-f", "json"))
    first = out["contacts"][0]
    assert first["contact_id"] == "b"
    assert first["hidden_influencer"] and first["betweenness_rank"] == 1
    assert first["explanation"].startswith("score ")


def test_coverage_json_names_uncovered_and_single_threaded(loaded_store, settings):
    out = json.loads(_run(settings, "coverage", "acme", "--today", "2026-11-23", "-f", "json"))
    assert out["uncovered"] == ["b"]
    assert sorted(out["single_threaded_contacts"]) == ["i1", "sh1"]


def test_what_if_leaves_table_lists_each_lost_relationship(loaded_store, settings):
    out = _run(settings, "what-if-leaves", "e1")
    for name in ("张伟", "李娜", "Sam", "Dan"):
        assert name in out
    data = json.loads(_run(settings, "what-if-leaves", "e1", "-f", "json"))
    assert data["relationships_lost"] == 4


def test_unknown_account_exits_with_a_message(loaded_store, settings):
    result = runner.invoke(app, ["--store", settings.store, "accounts", "coverage", "nope"])
    assert result.exit_code == 1 and "no account 'nope'" in result.output


def test_risks_json_flags_the_single_threaded_account(loaded_store, settings):
    rows = json.loads(_run(settings, "risks", "--today", "2026-11-23", "-f", "json"))
    by_id = {r["account_id"]: r for r in rows}
    assert sorted(by_id) == ["acme", "acme-sh", "solo"]
    assert by_id["solo"]["single_threaded"] and not by_id["acme"]["single_threaded"]
    at_risk = json.loads(_run(settings, "risks", "--at-risk", "-f", "json"))
    assert all(r["at_risk"] for r in at_risk)
