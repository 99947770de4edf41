"""The configurable tables of the Salesforce mapping: team-member roles, contact roles, tiers.

Salesforce orgs name their ``AccountTeamMember.TeamMemberRole`` and
``OpportunityContactRole.Role`` picklist values freely, so these tables are data, not code: the
defaults below follow Salesforce's standard picklists; a JSON or YAML file given with
``relmap import --mapping FILE`` overrides or extends them (keys are compared
case-insensitively). See docs/importing.md for the documented table.

Example mapping file (YAML)::

    team_roles:
      Solution Architect: overlay
      Inside Sales Rep: support
    contact_roles:
      Procurement: economic_buyer
    tier_bands: {strategic: 5.0e9, key: 5.0e8, mid: 2.0e7}
    tier_by_type: {"Customer - Strategic": strategic}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.model import CoverageRole, DecisionRole, Tier

# AccountTeamMember.TeamMemberRole -> coverage role (standard picklist values first).
DEFAULT_TEAM_ROLES: dict[str, CoverageRole] = {
    "account manager": CoverageRole.OWNER,
    "sales rep": CoverageRole.OWNER,
    "sales manager": CoverageRole.OWNER,
    "opportunity owner": CoverageRole.OWNER,
    "solution specialist": CoverageRole.OVERLAY,
    "solution sales": CoverageRole.OVERLAY,
    "overlay": CoverageRole.OVERLAY,
    "product specialist": CoverageRole.OVERLAY,
    "pre-sales consultant": CoverageRole.SUPPORT,
    "presales consultant": CoverageRole.SUPPORT,
    "sales engineer": CoverageRole.SUPPORT,
    "executive sponsor": CoverageRole.SUPPORT,
    "channel manager": CoverageRole.SUPPORT,
    "partner manager": CoverageRole.SUPPORT,
    "technical account manager": CoverageRole.SUPPORT,
    "customer success manager": CoverageRole.SUPPORT,
    "customer service": CoverageRole.SUPPORT,
    "lead qualifier": CoverageRole.SUPPORT,
    "delivery manager": CoverageRole.SUPPORT,
    "marketing": CoverageRole.SUPPORT,
}

# OpportunityContactRole.Role -> decision role (standard picklist values first).
DEFAULT_CONTACT_ROLES: dict[str, DecisionRole] = {
    "decision maker": DecisionRole.DECISION_MAKER,
    "executive sponsor": DecisionRole.DECISION_MAKER,
    "economic buyer": DecisionRole.ECONOMIC_BUYER,
    "economic decision maker": DecisionRole.ECONOMIC_BUYER,
    "technical buyer": DecisionRole.TECHNICAL_BUYER,
    "evaluator": DecisionRole.EVALUATOR,
    "influencer": DecisionRole.INFLUENCER,
    "business user": DecisionRole.USER,
    "user": DecisionRole.USER,
    "gatekeeper": DecisionRole.GATEKEEPER,
    "coach": DecisionRole.COACH,
    "champion": DecisionRole.COACH,
    "other": DecisionRole.UNKNOWN,
}

# When a contact has several opportunity roles, the most senior one wins (first in this list).
DECISION_SENIORITY: tuple[DecisionRole, ...] = (
    DecisionRole.DECISION_MAKER,
    DecisionRole.ECONOMIC_BUYER,
    DecisionRole.TECHNICAL_BUYER,
    DecisionRole.EVALUATOR,
    DecisionRole.INFLUENCER,
    DecisionRole.GATEKEEPER,
    DecisionRole.COACH,
    DecisionRole.USER,
    DecisionRole.UNKNOWN,
)

# AnnualRevenue at or above the band -> tier (checked from strategic down; below all: small).
DEFAULT_TIER_BANDS: dict[Tier, float] = {
    Tier.STRATEGIC: 1e9,
    Tier.KEY: 1e8,
    Tier.MID: 1e7,
}


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


@dataclass
class SalesforceMapping:
    """The tables that turn Salesforce picklists into relmap's vocabulary."""

    team_roles: dict[str, CoverageRole] = field(default_factory=lambda: dict(DEFAULT_TEAM_ROLES))
    unknown_team_role: CoverageRole = CoverageRole.SUPPORT
    contact_roles: dict[str, DecisionRole] = field(
        default_factory=lambda: dict(DEFAULT_CONTACT_ROLES)
    )
    tier_bands: dict[Tier, float] = field(default_factory=lambda: dict(DEFAULT_TIER_BANDS))
    tier_by_type: dict[str, Tier] = field(default_factory=dict)
    tier_field: str = "Tier__c"

    def team_role(self, role: str) -> tuple[CoverageRole, bool]:
        """Coverage role of a TeamMemberRole, and whether the table knew it."""
        found = self.team_roles.get(_norm(role))
        return (found, True) if found is not None else (self.unknown_team_role, False)

    def contact_role(self, role: str) -> DecisionRole | None:
        return self.contact_roles.get(_norm(role))

    def tier(self, account_type: str, revenue: float, explicit: str = "") -> Tier:
        """Explicit tier column first, then the Type table, then the revenue bands."""
        if explicit:
            try:
                return Tier(_norm(explicit))
            except ValueError:
                pass
        by_type = self.tier_by_type.get(_norm(account_type)) if account_type else None
        if by_type is not None:
            return by_type
        for tier in (Tier.STRATEGIC, Tier.KEY, Tier.MID):
            band = self.tier_bands.get(tier)
            if band is not None and revenue >= band:
                return tier
        return Tier.SMALL

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SalesforceMapping:
        """Defaults overridden by ``data`` (the parsed mapping file)."""
        m = cls()
        unknown = set(data) - {
            "team_roles",
            "unknown_team_role",
            "contact_roles",
            "tier_bands",
            "tier_by_type",
            "tier_field",
        }
        if unknown:
            raise ValueError(f"unknown mapping setting(s): {', '.join(sorted(unknown))}")
        for role, value in (data.get("team_roles") or {}).items():
            m.team_roles[_norm(role)] = CoverageRole(_norm(value).replace(" ", "_"))
        if data.get("unknown_team_role"):
            m.unknown_team_role = CoverageRole(_norm(data["unknown_team_role"]))
        for role, value in (data.get("contact_roles") or {}).items():
            m.contact_roles[_norm(role)] = DecisionRole(_norm(value).replace(" ", "_"))
        if data.get("tier_bands"):
            m.tier_bands = {Tier(_norm(k)): float(v) for k, v in data["tier_bands"].items()}
        for typ, tier in (data.get("tier_by_type") or {}).items():
            m.tier_by_type[_norm(typ)] = Tier(_norm(tier))
        if data.get("tier_field"):
            m.tier_field = str(data["tier_field"])
        return m

    @classmethod
    def load(cls, path: Path) -> SalesforceMapping:
        """Read a JSON or YAML mapping file (errors name the file)."""
        import yaml

        text = path.read_text(encoding="utf-8-sig")
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
            if data is not None and not isinstance(data, dict):
                raise ValueError("must hold a mapping of settings")
            return cls.from_dict(data or {})
        except (ValueError, TypeError, AttributeError, yaml.YAMLError) as exc:
            raise ValueError(f"mapping file {path.name}: {exc}") from exc
