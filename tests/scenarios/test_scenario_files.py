"""Scenario files: YAML and JSON, errors naming the change index, its op and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.scenarios.spec import (
    ChangePolicy,
    MoveCustomers,
    ScenarioError,
    dump_scenario_yaml,
    load_scenario_file,
    parse_scenario,
)

YAML = """
id: north-cleanup
name: Clean up the north
description: Contested banks go to the finance team.
changes:
  - op: move_customers
    select: {tier: key, industry: finance, region: north}
    to_team: KA-FIN
  - op: change_policy
    scoring: {preset: saturated}
"""


def test_a_yaml_file_loads_into_typed_changes(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(YAML, encoding="utf-8")
    sc = load_scenario_file(path)
    assert sc.id == "north-cleanup"
    move, policy = sc.changes
    assert isinstance(move, MoveCustomers) and isinstance(policy, ChangePolicy)
    assert move.select.tier[0].value == "key" and move.select.region == ("north",)
    assert parse_scenario(__import__("yaml").safe_load(dump_scenario_yaml(sc))) == sc


def test_a_json_file_loads_too(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        '{"id": "j", "name": "J", "changes": [{"op": "person_leaves", '
        '"employee": "e1", "successor": "e2"}]}',
        encoding="utf-8",
    )
    assert load_scenario_file(path).changes[0].op == "person_leaves"


def test_errors_name_the_change_index_op_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\nname: Bad\nchanges:\n"
        "  - op: move_customers\n    select: {}\n"
        "  - op: teleport\n"
        "  - op: add_coverage\n    select: {ids: [c1]}\n    holder_kind: team\n"
        "    holder_id: T\n    credit_share: 2\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario_file(path)
    msg = str(exc.value)
    assert "changes[0] (move_customers) field 'select': give ids or at least one filter" in msg
    assert "changes[1] (teleport) field 'op': unknown or missing op 'teleport'" in msg
    assert "changes[2] (add_coverage) field 'credit_share'" in msg
    assert [e["change"] for e in exc.value.errors] == [0, 1, 2]


def test_unreadable_and_malformed_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario_file(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid .json"):
        load_scenario_file(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="must hold a mapping"):
        load_scenario_file(lst)


def test_ids_and_filters_cannot_be_mixed() -> None:
    with pytest.raises(ScenarioError, match="either ids or a filter"):
        parse_scenario(
            {
                "id": "x",
                "name": "X",
                "changes": [
                    {
                        "op": "move_customers",
                        "select": {"ids": ["a"], "tier": "key"},
                        "to_team": "T",
                    }
                ],
            }
        )
