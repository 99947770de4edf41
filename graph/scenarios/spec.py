"""Org design scenarios: a named, ordered list of changes against the live graph.

A scenario is what an org designer writes before anyone is moved (issue 6): move customers to
another team or account manager, create / merge / split / dissolve teams, move people, change
reporting lines, a person leaves, headcount is added, territories change, the credit policy,
tier norms or scoring weights change. The live graph stays untouched until the scenario is
applied (``graph.scenarios.apply``).

Each change is one pydantic model; ``Change`` is their discriminated union on ``op``. Files are
YAML or JSON; ``load_scenario_file`` / ``parse_scenario`` raise :class:`ScenarioError` whose
message names the change index, its ``op`` and the field, e.g.
``changes[2] (move_customers) field 'select': give ids or at least one filter``.

Pure: imports only the model and the policy vocabulary.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.coverage.policy import CreditRules, ScoringRules, TerritoryRule, TierNorm
from graph.errors import RelmapError
from graph.model import CoverageRole, HolderKind, ReportingLine, TeamKind, Tier

SCENARIO_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
MAX_CHANGES = 1000


class ScenarioError(RelmapError, ValueError):
    """A scenario that cannot be used; the message names the change index and field."""

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [{"change": None, "op": None, "field": "", "message": message}]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CustomerSelect(_Strict):
    """Which customers a change is about: explicit ids, or a filter (all given fields must
    match; a list means any of). ``owner`` matches customers with an explicit owner coverage link
    held by that team or employee id. ``branches`` keeps (``include``), leaves out (``exclude``)
    or keeps only (``only``) the customers that have a parent (HQ) in the hierarchy."""

    ids: tuple[str, ...] = ()
    tier: tuple[Tier, ...] = ()
    industry: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    branches: Literal["include", "exclude", "only"] = "include"

    @model_validator(mode="before")
    @classmethod
    def _listify(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: [v] if isinstance(v, str) and k != "branches" else v for k, v in data.items()
            }
        return data

    @model_validator(mode="after")
    def _something(self) -> CustomerSelect:
        if not (self.ids or self.tier or self.industry or self.region or self.owner):
            raise ValueError("give ids or at least one filter (tier, industry, region, owner)")
        if self.ids and (self.tier or self.industry or self.region or self.owner):
            raise ValueError("give either ids or a filter, not both")
        return self

    def describe(self) -> str:
        if self.ids:
            return f"customers {', '.join(self.ids[:5])}" + ("..." if len(self.ids) > 5 else "")
        parts = [
            f"{name}={'|'.join(str(v) for v in values)}"
            for name, values in (
                ("tier", self.tier),
                ("industry", self.industry),
                ("region", self.region),
                ("owner", self.owner),
            )
            if values
        ]
        if self.branches != "include":
            parts.append(f"branches={self.branches}")
        return "customers with " + ", ".join(parts)


class MoveCustomers(_Strict):
    """Move customers to another owner. The new owner team is ``to_team``, or per customer
    (``to_team_of``) the key-account/government team of its **industry** (one it is already
    owned by, else the one whose regions hold the customer's region, else the industry's head
    team), the regional team of its **region**, or the team that owns its **hq** (the parent's
    owner team link, else its named AM's team: branches follow their HQ). Owner links of other
    teams go; the team's link
    carries ``credit_share`` and named AMs' links 0 (the team carries the number). Named AMs who
    are active members of the new team stay; ``to_account_manager`` names one instead, and
    ``assign_account_manager`` gives customers left without one the least-loaded account manager
    of the new team. With only ``to_account_manager`` the person owns alone (with the credit);
    with no target at all the customers are left to the territory rules. Overlay and support
    links stay."""

    op: Literal["move_customers"] = "move_customers"
    select: CustomerSelect
    to_team: str | None = None
    to_team_of: Literal["industry", "region", "hq"] | None = None
    to_account_manager: str | None = None
    assign_account_manager: bool = False
    credit_share: float = Field(default=1.0, ge=0, le=1)

    @model_validator(mode="after")
    def _one_target(self) -> MoveCustomers:
        if self.to_team and self.to_team_of:
            raise ValueError("to_team_of: give either to_team or to_team_of, not both")
        if self.to_account_manager and self.assign_account_manager:
            raise ValueError(
                "assign_account_manager: give either to_account_manager or "
                "assign_account_manager, not both"
            )
        if self.assign_account_manager and not (self.to_team or self.to_team_of):
            raise ValueError("assign_account_manager: needs to_team or to_team_of")
        return self


class AddCoverage(_Strict):
    """Add a coverage link of a team or person to customers (e.g. dual credit: an overlay)."""

    op: Literal["add_coverage"] = "add_coverage"
    select: CustomerSelect
    holder_kind: HolderKind
    holder_id: str = Field(min_length=1, max_length=200)
    role: CoverageRole = CoverageRole.OVERLAY
    credit_share: float = Field(default=1.0, ge=0, le=1)

    @model_validator(mode="after")
    def _support_no_credit(self) -> AddCoverage:
        if self.role is CoverageRole.SUPPORT and self.credit_share > 0:
            raise ValueError("credit_share: support coverage carries no credit (use 0)")
        return self


class RemoveCoverage(_Strict):
    """Remove coverage links of a team or person from customers (optionally one role only)."""

    op: Literal["remove_coverage"] = "remove_coverage"
    select: CustomerSelect
    holder_kind: HolderKind
    holder_id: str = Field(min_length=1, max_length=200)
    role: CoverageRole | None = None


class CreateTeam(_Strict):
    """A new team (its parent must exist or be created earlier in the scenario)."""

    op: Literal["create_team"] = "create_team"
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=300)
    team_kind: TeamKind
    regions: tuple[str, ...] = ()
    industry: str = ""
    parent_id: str | None = None


class MergeTeams(_Strict):
    """Merge ``teams`` into ``into``: members, team-held coverage, sub-teams and (for regional
    teams) regions move to ``into``; the merged teams are deleted."""

    op: Literal["merge_teams"] = "merge_teams"
    teams: tuple[str, ...] = Field(min_length=1)
    into: str = Field(min_length=1, max_length=200)


class SplitPart(_Strict):
    """One team a split creates, with the industries or regions it takes."""

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=300)
    values: tuple[str, ...] = Field(min_length=1)
    members: tuple[str, ...] = ()


class SplitTeam(_Strict):
    """Split a team by industry or region: each part is a new team of the same kind and parent;
    team-held coverage of customers whose industry/region is in a part's ``values`` moves to it
    (a regional team's regions likewise); the listed ``members`` move. The rest stays."""

    op: Literal["split_team"] = "split_team"
    team: str = Field(min_length=1, max_length=200)
    by: Literal["industry", "region"]
    parts: tuple[SplitPart, ...] = Field(min_length=1)


class DissolveTeam(_Strict):
    """Delete a team: members move to ``members_to`` (or lose the membership), team-held
    coverage moves to ``customers_to`` (or is removed: territory may pick the customers up),
    sub-teams move up to the team's parent."""

    op: Literal["dissolve_team"] = "dissolve_team"
    team: str = Field(min_length=1, max_length=200)
    members_to: str | None = None
    customers_to: str | None = None


class MovePerson(_Strict):
    """Move a person to ``to_team`` (from ``from_team``, or from every team they are in)."""

    op: Literal["move_person"] = "move_person"
    employee: str = Field(min_length=1, max_length=200)
    to_team: str = Field(min_length=1, max_length=200)
    from_team: str | None = None
    role: str | None = Field(default=None, max_length=100)


class ReportingLineChange(_Strict):
    """Set (or with ``remove`` drop) a reporting line of ``employee``, or of every member of
    ``team`` and its sub-teams (optionally only those with one of ``roles``). A new solid line
    replaces the person's other solid lines; dotted lines are added alongside."""

    op: Literal["reporting_line"] = "reporting_line"
    employee: str | None = Field(default=None, min_length=1, max_length=200)
    team: str | None = Field(default=None, min_length=1, max_length=200)
    roles: tuple[str, ...] = ()
    manager: str = Field(min_length=1, max_length=200)
    line: ReportingLine = ReportingLine.SOLID
    remove: bool = False

    @model_validator(mode="after")
    def _who(self) -> ReportingLineChange:
        if bool(self.employee) == bool(self.team):
            raise ValueError("employee: give either employee or team")
        if self.roles and not self.team:
            raise ValueError("roles: only with team")
        return self


class PersonLeaves(_Strict):
    """A person leaves: inactive, out of every team, their own reporting lines and relationships
    go; their coverage links and direct reports pass to ``successor`` if given (else the coverage
    stays with an inactive holder, which the gap analysis flags)."""

    op: Literal["person_leaves"] = "person_leaves"
    employee: str = Field(min_length=1, max_length=200)
    successor: str | None = None


class AddHeadcount(_Strict):
    """A new person in a team, optionally reporting to ``manager`` (solid) and ``dotted_to``."""

    op: Literal["add_headcount"] = "add_headcount"
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=300)
    team: str = Field(min_length=1, max_length=200)
    role: str = Field(default="account_manager", max_length=100)
    title: str = Field(default="", max_length=300)
    region: str = Field(default="", max_length=300)
    manager: str | None = None
    dotted_to: str | None = None


class ChangeTerritory(_Strict):
    """Change a regional team's regions: ``regions`` replaces them, ``add``/``remove`` edit."""

    op: Literal["change_territory"] = "change_territory"
    team: str = Field(min_length=1, max_length=200)
    regions: tuple[str, ...] | None = None
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


class ChangePolicy(_Strict):
    """Change parts of the coverage policy: credit rules, tier norms, scoring weights, territory
    rules, which team kinds may own a tier and which are "named" (out of territory)."""

    op: Literal["change_policy"] = "change_policy"
    credit: CreditRules | None = None
    tier_norms: dict[Tier, TierNorm] | None = None
    max_weighted_load: float | None = Field(default=None, gt=0)
    scoring: ScoringRules | None = None
    territory_rules: tuple[TerritoryRule, ...] | None = None
    owner_kinds_by_tier: dict[Tier, tuple[TeamKind, ...]] | None = None
    named_kinds: tuple[TeamKind, ...] | None = None


Change = Annotated[
    MoveCustomers
    | AddCoverage
    | RemoveCoverage
    | CreateTeam
    | MergeTeams
    | SplitTeam
    | DissolveTeam
    | MovePerson
    | ReportingLineChange
    | PersonLeaves
    | AddHeadcount
    | ChangeTerritory
    | ChangePolicy,
    Field(discriminator="op"),
]

CHANGE_OPS: tuple[str, ...] = (
    "move_customers",
    "add_coverage",
    "remove_coverage",
    "create_team",
    "merge_teams",
    "split_team",
    "dissolve_team",
    "move_person",
    "reporting_line",
    "person_leaves",
    "add_headcount",
    "change_territory",
    "change_policy",
)


class Scenario(_Strict):
    """A named, ordered list of changes. ``base_version`` is the live graph version it was
    resolved against (set when stored / evaluated; used to detect a stale scenario)."""

    id: str = Field(pattern=SCENARIO_ID)
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    changes: tuple[Change, ...] = Field(default=(), max_length=MAX_CHANGES)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data (what files and the API hold)."""
        return self.model_dump(mode="json", exclude_defaults=False)


_LOC_INDEX = re.compile(r"^\d+$")


def scenario_errors(exc: ValidationError, data: Any) -> list[dict[str, Any]]:
    """One entry per problem: change index, its op, the field path and the message."""
    out: list[dict[str, Any]] = []
    changes = data.get("changes") if isinstance(data, dict) else None
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        msg = str(err["msg"]).removeprefix("Value error, ")
        index: int | None = None
        op: str | None = None
        if len(loc) >= 2 and loc[0] == "changes" and _LOC_INDEX.match(loc[1]):
            index = int(loc[1])
            rest = loc[2:]
            if rest and rest[0] in CHANGE_OPS:
                rest = rest[1:]
            if isinstance(changes, list) and index < len(changes):
                raw = changes[index]
                op = raw.get("op") if isinstance(raw, dict) else None
            field = ".".join(rest)
        else:
            field = ".".join(loc)
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            msg = f"unknown or missing op {op!r} (one of: {', '.join(CHANGE_OPS)})"
            field = "op"
        out.append({"change": index, "op": op, "field": field, "message": msg})
    return out


def format_error(e: dict[str, Any]) -> str:
    where = "scenario"
    if e.get("change") is not None:
        where = f"changes[{e['change']}] ({e['op'] or '?'})"
    field = f" field {e['field']!r}" if e.get("field") else ""
    return f"{where}{field}: {e['message']}"


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Validate plain data into a Scenario; errors name the change index, op and field."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: must hold a mapping with id, name and changes")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = scenario_errors(exc, data)
        raise ScenarioError(
            f"{source}: " + "; ".join(format_error(e) for e in errors), errors
        ) from exc


def parse_scenario_text(text: str, name: str = "scenario.yaml") -> Scenario:
    """A scenario from the text of a ``.yaml``/``.yml`` or ``.json`` file called ``name``."""
    suffix = Path(name).suffix.lower()
    try:
        data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"scenario file {name}: not valid {suffix or 'YAML'}: {exc}") from exc
    return parse_scenario(data, f"scenario file {name}")


def load_scenario_file(path: str | Path) -> Scenario:
    """Read a scenario from a ``.yaml``/``.yml`` or ``.json`` file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"scenario file {p}: cannot read ({exc.strerror})") from exc
    return parse_scenario_text(text, str(p))


def dump_scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML (round-trips through ``parse_scenario``)."""
    return yaml.safe_dump(scenario.to_data(), allow_unicode=True, sort_keys=False)
