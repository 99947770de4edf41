"""Key-account scoring: presets, custom weights, per-industry normalisation, overrides."""

from __future__ import annotations

import pytest

from graph.coverage.policy import Policy, Preset, Weights
from graph.coverage.scoring import Override, score_customers
from graph.model import Customer, Tier
from tests.coverage.worlds import scoring_world


def _customers() -> list[Customer]:
    return [r for r in scoring_world() if isinstance(r, Customer)]


def _policy(preset: Preset) -> Policy:
    return Policy().with_scoring(preset=preset, key_top_percent=10)


@pytest.mark.parametrize(
    ("preset", "promoted", "score"),
    [
        (Preset.NEW_MARKET, "c-ref", 0.8),
        (Preset.GROWTH, "c-rev", 0.6),
        (Preset.SATURATED, "c-win", 0.72),
    ],
)
def test_each_preset_promotes_its_own_customer_and_demotes_the_weak_key_account(
    preset: Preset, promoted: str, score: float
) -> None:
    report = score_customers(_customers(), _policy(preset))
    assert report.key_slots == 1
    assert [(s.customer_id, s.score) for s in report.top] == [(promoted, score)]
    changes = {c.customer_id: (c.current_tier, c.proposed_tier) for c in report.changes}
    assert changes == {promoted: (Tier.MID, Tier.KEY), "c-key": (Tier.KEY, Tier.MID)}
    assert dict(report.proposed_counts)[Tier.KEY] == 1


def test_custom_weights_replace_the_preset() -> None:
    weights = Weights(revenue=0, potential=0, reference=0, winnability=1)
    policy = Policy().with_scoring(weights=weights, key_top_percent=10)
    report = score_customers(_customers(), policy)
    assert report.top[0].customer_id == "c-win"
    assert report.weights == weights


def test_manual_override_wins_over_the_score() -> None:
    overrides = {"c-key": Override(Tier.KEY, "board decision"), "c-fill0": Override(Tier.MID)}
    report = score_customers(_customers(), _policy(Preset.GROWTH), overrides)
    changes = {c.customer_id: (c.proposed_tier, c.reason) for c in report.changes}
    assert changes == {
        "c-rev": (Tier.KEY, "in top by score"),
        "c-fill0": (Tier.MID, "override"),
    }


def test_revenue_is_normalised_per_industry() -> None:
    customers = [
        Customer(id="bank", name="bank", tier=Tier.MID, industry="finance", revenue=10),
        Customer(id="plant", name="plant", tier=Tier.MID, industry="manufacturing", revenue=1000),
        Customer(
            id="small-plant",
            name="small-plant",
            tier=Tier.MID,
            industry="manufacturing",
            revenue=100,
        ),
    ]
    policy = Policy().with_scoring(
        weights=Weights(revenue=1, potential=0, reference=0, winnability=0), key_top_percent=50
    )
    per_industry = score_customers(customers, policy)
    assert [(s.customer_id, s.score) for s in per_industry.top] == [("bank", 1.0), ("plant", 1.0)]
    data = policy.model_dump()
    data["scoring"]["normalise_per_industry"] = False
    global_ = score_customers(customers, Policy.model_validate(data))
    assert [s.customer_id for s in global_.top] == ["plant", "small-plant"]


def test_strategic_accounts_stay_strategic_without_an_override() -> None:
    customers = [
        Customer(id="s", name="s", tier=Tier.STRATEGIC, revenue=0),
        Customer(id="m", name="m", tier=Tier.MID, revenue=5),
    ]
    report = score_customers(customers, Policy().with_scoring(key_top_percent=50))
    assert [c.customer_id for c in report.changes] == ["m"]
