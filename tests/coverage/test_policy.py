"""The policy object: defaults from DOMAIN.md, validation naming the field, file and store."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.coverage.policy import (
    PRESETS,
    Policy,
    PolicyError,
    Preset,
    load_policy,
    load_policy_file,
    parse_policy,
    policy_document,
)
from graph.model import TeamKind, Tier
from graph.store.base import Store


def test_default_policy_follows_the_domain_rules() -> None:
    policy = Policy()
    assert policy.credit.max_owner_credit == 1.0
    assert policy.credit.overlay_credit_kinds == (TeamKind.SOLUTION,)
    assert TeamKind.REGIONAL not in policy.owner_kinds_by_tier[Tier.KEY]
    assert (policy.capacity.norms[Tier.KEY].min, policy.capacity.norms[Tier.KEY].max) == (3, 10)
    for preset, w in PRESETS.items():
        assert w.revenue + w.potential + w.reference + w.winnability == pytest.approx(1), preset


def test_weights_not_summing_to_one_are_rejected_naming_the_field() -> None:
    bad = {
        "scoring": {
            "weights": {"revenue": 0.5, "potential": 0.5, "reference": 0.2, "winnability": 0}
        }
    }
    with pytest.raises(PolicyError, match=r"scoring\.weights: weights: must sum to 1"):
        parse_policy(bad)


def test_tier_norm_min_above_max_is_rejected() -> None:
    bad = {"capacity": {"norms": {t.value: {"min": 1, "max": 5} for t in Tier}}}
    bad["capacity"]["norms"]["key"] = {"min": 20, "max": 10}
    with pytest.raises(PolicyError, match=r"capacity\.norms\.key.*min: 20 is above max 10"):
        parse_policy(bad)


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(PolicyError, match="credit.max_credit"):
        parse_policy({"credit": {"max_credit": 2}})


def test_policy_file_yaml_and_json(tmp_path: Path) -> None:
    yml = tmp_path / "policy.yaml"
    yml.write_text("scoring:\n  preset: saturated\n  key_top_percent: 3\n", encoding="utf-8")
    assert load_policy_file(yml).scoring.preset is Preset.SATURATED
    js = tmp_path / "policy.json"
    js.write_text('{"credit": {"max_owner_credit": 1.5}}', encoding="utf-8")
    assert load_policy_file(js).credit.max_owner_credit == 1.5
    broken = tmp_path / "broken.yaml"
    broken.write_text("scoring: [", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid"):
        load_policy_file(broken)


def test_stored_policy_wins_over_the_file(store: Store, tmp_path: Path) -> None:
    yml = tmp_path / "policy.yaml"
    yml.write_text("scoring:\n  preset: new_market\n", encoding="utf-8")
    assert load_policy(store, str(yml)).scoring.preset is Preset.NEW_MARKET
    stored = Policy().with_scoring(preset=Preset.SATURATED)
    store.put_doc("policy", "current", policy_document(stored))
    assert load_policy(store, str(yml)) == stored


def test_the_example_policy_file_is_valid_and_equals_the_default() -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "coverage-policy.example.yaml"
    assert load_policy_file(example) == Policy()
