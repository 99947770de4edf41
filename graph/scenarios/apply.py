"""Resolving a scenario: its ordered changes applied to an in-memory overlay of the live graph.

``resolve_scenario(reader, scenario, policy)`` plays the changes one after another on an
:class:`~graph.scenarios.overlay.Overlay` (each change sees the graph as the changes before it
left it) and returns a :class:`ResolvedScenario`: the net upserts and deletes, the policy after,
the base content of every touched record (the inverse change set) and warnings. References are
checked against the overlaid graph; every problem is collected and raised together as
:class:`ScenarioInvalid`, each naming the change index, its op and the field (unknown team,
customers matched by no filter, a leaver who does not exist...).

Each change kind is a function of a :class:`~graph.scenarios.resolve_context.ResolveContext`
(the overlay, checked lookups, collected errors): coverage changes in ``coverage_changes``, team
changes in ``team_changes``, people changes in ``people_changes``, and the policy change here.
Reads only through the ``RecordReader`` protocol (``scan``/``get``): no store, no API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.coverage.policy import Policy
from graph.model import (
    Record,
    RecordKind,
)
from graph.scenarios.coverage_changes import add_coverage, move_customers, remove_coverage
from graph.scenarios.overlay import Overlay, TouchedKey
from graph.scenarios.people_changes import add_headcount, move_person, person_leaves, reporting_line
from graph.scenarios.resolve_context import ResolveContext
from graph.scenarios.spec import (
    ChangePolicy,
    Scenario,
    ScenarioError,
    format_error,
)
from graph.scenarios.team_changes import (
    change_territory,
    create_team,
    dissolve_team,
    merge_teams,
    split_team,
)
from graph.store.reader import RecordReader


class ScenarioInvalid(ScenarioError):
    """The scenario does not fit the graph it is resolved against; nothing was changed."""


@dataclass(frozen=True)
class ChangeSummary:
    """What one change did: customers it selected and records it touched."""

    index: int
    op: str
    customers: int
    records: int


@dataclass
class ResolvedScenario:
    """A scenario resolved against one version of the graph."""

    scenario: Scenario
    overlay: Overlay
    upserts: list[Record]
    deletes: list[TouchedKey]
    before: dict[TouchedKey, Record | None]
    policy_before: Policy
    policy_after: Policy
    warnings: list[str] = field(default_factory=list)
    steps: list[ChangeSummary] = field(default_factory=list)

    @property
    def policy_changed(self) -> bool:
        return self.policy_after != self.policy_before

    def after(self) -> dict[TouchedKey, Record | None]:
        """Content of every touched key once applied (None: deleted)."""
        return {k: self.overlay.changed[k] for k in self.before}

    def touched(self, kind: RecordKind) -> list[str]:
        return sorted(key for (k, key) in self.before if k is kind)


def change_policy(ctx: ResolveContext, ch: ChangePolicy) -> None:
    """The policy in force after the change (an invalid result is an error of the change)."""
    data = ctx.policy.model_dump()
    if ch.credit is not None:
        data["credit"] = ch.credit.model_dump()
    if ch.tier_norms is not None:
        data["capacity"]["norms"] = {
            **data["capacity"]["norms"],
            **{t: n.model_dump() for t, n in ch.tier_norms.items()},
        }
    if ch.max_weighted_load is not None:
        data["capacity"]["max_weighted_load"] = ch.max_weighted_load
    if ch.scoring is not None:
        data["scoring"] = ch.scoring.model_dump()
    if ch.territory_rules is not None:
        data["territory_rules"] = [r.model_dump() for r in ch.territory_rules]
    if ch.owner_kinds_by_tier is not None:
        data["owner_kinds_by_tier"] = {**data["owner_kinds_by_tier"], **ch.owner_kinds_by_tier}
    if ch.named_kinds is not None:
        data["named_kinds"] = ch.named_kinds
    try:
        ctx.policy = Policy.model_validate(data)
    except ValueError as exc:
        ctx.error("", f"the policy it leads to is invalid: {exc}")


# Every change kind (its ``op``) and the function resolving it.
CHANGE_KINDS: dict[str, Callable[[ResolveContext, Any], None]] = {
    "move_customers": move_customers,
    "add_coverage": add_coverage,
    "remove_coverage": remove_coverage,
    "create_team": create_team,
    "merge_teams": merge_teams,
    "split_team": split_team,
    "dissolve_team": dissolve_team,
    "move_person": move_person,
    "reporting_line": reporting_line,
    "person_leaves": person_leaves,
    "add_headcount": add_headcount,
    "change_territory": change_territory,
    "change_policy": change_policy,
}


def resolve_scenario(reader: RecordReader, scenario: Scenario, policy: Policy) -> ResolvedScenario:
    """Play ``scenario``'s changes on an overlay of ``reader`` (see the module docstring)."""
    r = ResolveContext(reader, policy)
    steps: list[ChangeSummary] = []
    for i, change in enumerate(scenario.changes):
        r.index, r.op, r.count = i, change.op, 0
        before = len(r.ov.changed)
        CHANGE_KINDS[change.op](r, change)
        steps.append(ChangeSummary(i, change.op, r.count, len(r.ov.changed) - before))
    if r.errors:
        raise ScenarioInvalid(
            f"scenario {scenario.id}: " + "; ".join(format_error(e) for e in r.errors), r.errors
        )
    upserts, deletes, before_content = r.ov.net()
    return ResolvedScenario(
        scenario=scenario,
        overlay=r.ov,
        upserts=upserts,
        deletes=deletes,
        before=before_content,
        policy_before=policy,
        policy_after=r.policy,
        warnings=r.warnings,
        steps=steps,
    )
