"""The one coverage policy every coverage analysis reads: credit rules, who may own which tier,
tier norms (customers per account manager), territory rules and the key-account scoring weights.

It comes from a YAML/JSON file (``Settings.policy_file`` / ``RELMAP_POLICY_FILE``) or from the
store (document ``policy/current``, which the API can change); ``Policy()`` is the default that
follows ``shared/DOMAIN.md``. Validation errors name the field, e.g. weights that do not sum to 1:

>>> try:
...     Weights(revenue=0.5, potential=0.5, reference=0.5, winnability=0.0)
... except ValidationError as exc:
...     print(policy_errors(exc))
policy: weights: must sum to 1 (revenue 0.5 + potential 0.5 + reference 0.5 + winnability 0.0 = 1.5)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graph.errors import RelmapError
from graph.model import TeamKind, Tier
from graph.store.reader import DocReader

POLICY_COLLECTION = "policy"
POLICY_DOC_ID = "current"
OVERRIDES_COLLECTION = "score_overrides"
WEIGHT_TOLERANCE = 1e-6


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CreditRules(_Strict):
    """How credit may be counted: owners share at most ``max_owner_credit`` of a customer's
    revenue; overlay teams of ``overlay_credit_kinds`` are dual-credited on top (intended)."""

    max_owner_credit: float = Field(default=1.0, gt=0, le=10)
    overlay_credit_kinds: tuple[TeamKind, ...] = (TeamKind.SOLUTION,)
    territory_credit_share: float = Field(
        default=1.0, ge=0, le=1, description="credit a territory (default) owner carries"
    )


def _default_owner_kinds() -> dict[Tier, tuple[TeamKind, ...]]:
    named = (TeamKind.KEY_ACCOUNT, TeamKind.GOVERNMENT)
    broad = (TeamKind.REGIONAL, TeamKind.KEY_ACCOUNT, TeamKind.GOVERNMENT)
    return {Tier.STRATEGIC: named, Tier.KEY: named, Tier.MID: broad, Tier.SMALL: broad}


class TierNorm(_Strict):
    """How many customers of one tier an account manager carries: ``min``-``max``."""

    min: int = Field(ge=0)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> TierNorm:
        if self.min > self.max:
            raise ValueError(f"min: {self.min} is above max {self.max}")
        return self


def _default_norms() -> dict[Tier, TierNorm]:
    return {
        Tier.STRATEGIC: TierNorm(min=1, max=1),
        Tier.KEY: TierNorm(min=3, max=10),
        Tier.MID: TierNorm(min=100, max=500),
        Tier.SMALL: TierNorm(min=1000, max=5000),
    }


class CapacityRules(_Strict):
    """Tier norms per account manager; weighted load = sum over tiers of count / norm max, so
    1.0 is a full book (one strategic account, or ten key accounts, or 500 mid...)."""

    norms: dict[Tier, TierNorm] = Field(default_factory=_default_norms)
    max_weighted_load: float = Field(default=1.0, gt=0)
    account_manager_roles: tuple[str, ...] = Field(
        default=("account_manager", "account_director", "key_account_manager"),
        description="membership roles that make someone an account manager of a team",
    )

    @field_validator("norms")
    @classmethod
    def _every_tier(cls, norms: dict[Tier, TierNorm]) -> dict[Tier, TierNorm]:
        missing = [t.value for t in Tier if t not in norms]
        if missing:
            raise ValueError(f"norms: missing tier(s) {', '.join(missing)}")
        return norms


class Weights(_Strict):
    """Weights of the four scoring dimensions; they must sum to 1."""

    revenue: float = Field(ge=0, le=1)
    potential: float = Field(ge=0, le=1)
    reference: float = Field(ge=0, le=1)
    winnability: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Weights:
        total = self.revenue + self.potential + self.reference + self.winnability
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise ValueError(
                f"weights: must sum to 1 (revenue {self.revenue} + potential {self.potential} + "
                f"reference {self.reference} + winnability {self.winnability} = {total:g})"
            )
        return self


class Preset(StrEnum):
    """Market strategies of DOMAIN.md section 2, each with its weights."""

    NEW_MARKET = "new_market"
    GROWTH = "growth"
    SATURATED = "saturated"


PRESETS: dict[Preset, Weights] = {
    # entering a new market: reference value + potential weigh most
    Preset.NEW_MARKET: Weights(revenue=0.1, potential=0.4, reference=0.4, winnability=0.1),
    # steadily growing market: revenue + potential
    Preset.GROWTH: Weights(revenue=0.4, potential=0.4, reference=0.1, winnability=0.1),
    # saturated market: winnability + revenue
    Preset.SATURATED: Weights(revenue=0.4, potential=0.1, reference=0.1, winnability=0.4),
}


class ScoringRules(_Strict):
    """Key-account scoring: a preset or custom weights, the top ``key_top_percent`` % by score
    become key accounts, revenue and potential normalised per industry."""

    preset: Preset = Preset.GROWTH
    weights: Weights | None = Field(default=None, description="custom weights; override preset")
    key_top_percent: float = Field(default=3.0, gt=0, le=100)
    normalise_per_industry: bool = True

    def effective_weights(self) -> Weights:
        return self.weights if self.weights is not None else PRESETS[self.preset]


class TerritoryRule(_Strict):
    """A regional team owns by default the customers of its regions that are not named to a
    key-account or government team; a rule may restrict that to some tiers, industries or teams
    (empty = all)."""

    team_ids: tuple[str, ...] = ()
    tiers: tuple[Tier, ...] = ()
    industries: tuple[str, ...] = ()

    def matches(self, team_id: str, tier: Tier, industry: str) -> bool:
        return (
            (not self.team_ids or team_id in self.team_ids)
            and (not self.tiers or tier in self.tiers)
            and (not self.industries or industry in self.industries)
        )


class Policy(_Strict):
    """The coverage policy: one object, read by every coverage analysis."""

    credit: CreditRules = Field(default_factory=CreditRules)
    owner_kinds_by_tier: dict[Tier, tuple[TeamKind, ...]] = Field(
        default_factory=_default_owner_kinds
    )
    named_kinds: tuple[TeamKind, ...] = Field(
        default=(TeamKind.KEY_ACCOUNT, TeamKind.GOVERNMENT),
        description="a customer owned by one of these kinds is out of every territory",
    )
    capacity: CapacityRules = Field(default_factory=CapacityRules)
    scoring: ScoringRules = Field(default_factory=ScoringRules)
    territory_rules: tuple[TerritoryRule, ...] = (TerritoryRule(),)

    @field_validator("owner_kinds_by_tier")
    @classmethod
    def _every_tier(
        cls, value: dict[Tier, tuple[TeamKind, ...]]
    ) -> dict[Tier, tuple[TeamKind, ...]]:
        missing = [t.value for t in Tier if t not in value]
        if missing:
            raise ValueError(f"owner_kinds_by_tier: missing tier(s) {', '.join(missing)}")
        return value

    def with_scoring(
        self,
        *,
        preset: Preset | None = None,
        weights: Weights | None = None,
        key_top_percent: float | None = None,
    ) -> Policy:
        """A copy with other scoring choices (what-if scoring without saving the policy)."""
        scoring = self.scoring.model_dump()
        if preset is not None:
            scoring["preset"] = preset
            scoring["weights"] = None
        if weights is not None:
            scoring["weights"] = weights.model_dump()
        if key_top_percent is not None:
            scoring["key_top_percent"] = key_top_percent
        data = self.model_dump()
        data["scoring"] = scoring
        return Policy.model_validate(data)


class PolicyError(RelmapError, ValueError):
    """A policy file or document that cannot be used; the message names the field."""


def parse_policy(data: Mapping[str, Any], source: str = "policy") -> Policy:
    """Validate plain data into a Policy, with errors naming the field and the source."""
    try:
        return Policy.model_validate(dict(data))
    except ValidationError as exc:
        raise PolicyError(f"{source}: {policy_errors(exc)}") from exc


def policy_errors(exc: ValidationError) -> str:
    """One line per problem: ``field.path: message``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "policy"
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def load_policy_file(path: str | Path) -> Policy:
    """Read a policy from a ``.yaml``/``.yml`` or ``.json`` file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"policy file {p}: cannot read ({exc.strerror})") from exc
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise PolicyError(f"policy file {p}: not valid {p.suffix or 'YAML'}: {exc}") from exc
    if data is None:
        return Policy()
    if not isinstance(data, dict):
        raise PolicyError(f"policy file {p}: must hold a mapping of policy fields")
    return parse_policy(data, f"policy file {p}")


def load_policy(store: DocReader | None = None, policy_file: str | None = None) -> Policy:
    """The policy in force: the stored document ``policy/current`` if there is one (set via the
    API), else the file named by ``policy_file``, else the default."""
    if store is not None:
        doc = store.get_doc(POLICY_COLLECTION, POLICY_DOC_ID)
        if doc is not None:
            return parse_policy(doc, f"stored policy {POLICY_COLLECTION}/{POLICY_DOC_ID}")
    if policy_file:
        return load_policy_file(policy_file)
    return Policy()


def policy_document(policy: Policy) -> dict[str, Any]:
    """The JSON document a policy is stored as."""
    return policy.model_dump(mode="json")
