"""Scenario evaluations as plain data, comparison tables and files (JSON, CSV, XLSX).

One shape for every consumer: the CLI prints the comparison table and writes files, the API
answers JSON or a download, the comparison page renders the same rows.

* ``evaluation_data``: one evaluation as JSON-ready data.
* ``comparison``: several evaluations side by side: headline metrics (today, then each scenario
  after, with the change) and the per-customer changes of every scenario.
* ``to_csv`` / ``to_xlsx``: the comparison as one long CSV table (a ``section`` column says what
  each row is) or as a workbook with one sheet per section (written by :mod:`graph.tabular`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph.i18n import N_
from graph.scenarios.diff_results import Headline
from graph.scenarios.evaluate import Evaluation
from graph.tabular import Sheet, csv_text, xlsx_bytes

# labels are marked for the catalog (N_) and translated where a page shows them
HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("customers", N_("customers")),
    ("owned", N_("customers with an owner")),
    ("gaps", N_("gap findings")),
    ("no_owner", N_("no owner")),
    ("owner_kind_misfit", N_("owner of the wrong kind")),
    ("key_without_named_am", N_("key account without named AM")),
    ("strategic_without_dedicated_am", N_("strategic without dedicated AM")),
    ("inactive_owner", N_("inactive owner")),
    ("conflicts", N_("conflicts")),
    ("inflation", N_("credit inflation")),
    ("dual_credit_customers", N_("intended dual credit")),
    ("double_counted_revenue", N_("revenue counted twice")),
    ("inflated_revenue", N_("revenue counted beyond policy")),
    ("overloaded_people", N_("overloaded people")),
    ("overloaded_teams", N_("overloaded teams")),
    ("uncovered_branches", N_("uncovered branches of covered HQs")),
    ("hq_branch_conflicts", N_("HQ-branch conflicts")),
    ("tier_changes", N_("tier changes proposed by scoring")),
)

DIFF_METRICS: tuple[tuple[str, str], ...] = (
    ("owner_changes", N_("customers changing owner")),
    ("gaps_opened", N_("gaps opened")),
    ("gaps_closed", N_("gaps closed")),
    ("conflicts_opened", N_("conflicts opened")),
    ("conflicts_closed", N_("conflicts closed")),
    ("newly_overloaded_people", N_("newly overloaded people")),
    ("newly_overloaded_teams", N_("newly overloaded teams")),
    ("key_contacts_orphaned", N_("key contacts losing all relationships")),
    ("broken_client_teams", N_("client teams that break")),
    ("hierarchy_opened", N_("hierarchy findings opened")),
    ("hierarchy_closed", N_("hierarchy findings closed")),
    ("tier_proposals", N_("customers whose proposed tier changes")),
)


def plain(value: Any) -> Any:
    """Dataclasses, enums, tuples -> JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def diff_counts(ev: Evaluation) -> dict[str, int]:
    d = ev.diff
    return {
        "owner_changes": d.owner_change_count,
        "gaps_opened": len(d.gaps_opened),
        "gaps_closed": len(d.gaps_closed),
        "conflicts_opened": len(d.conflicts_opened),
        "conflicts_closed": len(d.conflicts_closed),
        "newly_overloaded_people": len(d.newly_overloaded_people),
        "newly_overloaded_teams": len(d.newly_overloaded_teams),
        "key_contacts_orphaned": len(d.key_contacts_orphaned),
        "broken_client_teams": len(d.broken_client_teams),
        "hierarchy_opened": len(d.hierarchy_opened),
        "hierarchy_closed": len(d.hierarchy_closed),
        "tier_proposals": len(d.tier_proposals),
    }


def evaluation_data(ev: Evaluation, version: int | None = None) -> dict[str, Any]:
    """One evaluation, JSON-ready (the API's answer and ``--format json``)."""
    d = ev.diff
    data = plain(d)
    data["double_counted_change"] = d.double_counted_change
    data["newly_overloaded_people"] = list(d.newly_overloaded_people)
    data["newly_overloaded_teams"] = list(d.newly_overloaded_teams)
    return {
        "scenario_id": ev.scenario_id,
        "name": ev.name,
        "mode": ev.mode,
        "reason": ev.reason,
        "graph_version": version,
        "touched_customers": ev.touched_customers,
        "warnings": list(ev.warnings),
        "counts": diff_counts(ev),
        "diff": data,
    }


@dataclass(frozen=True)
class HeadlineRow:
    metric: str
    label: str
    today: float | None  # None: not computed (tier changes when the scoring is unchanged)
    after: tuple[float | None, ...]  # one per scenario, in order

    def change(self, i: int) -> float | None:
        after = self.after[i]
        if after is None or self.today is None:
            return None
        return round(after - self.today, 2)


@dataclass(frozen=True)
class CustomerChangeRow:
    scenario_id: str
    customer_id: str
    name: str
    tier: str
    what: str  # owner | gap_opened | gap_closed | conflict_opened | conflict_closed | client_team
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    scenarios: tuple[tuple[str, str], ...]  # (id, name)
    modes: tuple[str, ...]
    headline: tuple[HeadlineRow, ...]
    diff_counts: tuple[tuple[str, str, tuple[int, ...]], ...]  # (metric, label, per scenario)
    customers: tuple[CustomerChangeRow, ...]


def _headline_value(h: Headline, metric: str) -> float | None:
    value = getattr(h, metric)
    return None if value is None else float(value)


def customer_rows(ev: Evaluation) -> list[CustomerChangeRow]:
    """Every per-customer change of one scenario, by customer then kind of change."""
    d, sid = ev.diff, ev.scenario_id
    rows = [
        CustomerChangeRow(
            sid,
            o.customer_id,
            o.name,
            o.tier.value,
            "owner",
            "; ".join(o.owners_before) + _ams(o.account_managers_before),
            "; ".join(o.owners_after) + _ams(o.account_managers_after),
        )
        for o in d.owner_changes
    ]
    rows += [
        CustomerChangeRow(sid, g.customer_id, g.name, g.tier.value, "gap_opened", "", g.kind.value)
        for g in d.gaps_opened
    ]
    rows += [
        CustomerChangeRow(sid, g.customer_id, g.name, g.tier.value, "gap_closed", g.kind.value, "")
        for g in d.gaps_closed
    ]
    rows += [
        CustomerChangeRow(
            sid, c.customer_id, c.name, c.tier.value, "conflict_opened", "", "; ".join(c.owners)
        )
        for c in d.conflicts_opened
    ]
    rows += [
        CustomerChangeRow(
            sid, c.customer_id, c.name, c.tier.value, "conflict_closed", "; ".join(c.owners), ""
        )
        for c in d.conflicts_closed
    ]
    rows += [
        CustomerChangeRow(
            sid,
            b.customer_id,
            b.name,
            b.tier.value,
            "client_team",
            "loses " + ", ".join(b.lost),
            "gains " + ", ".join(b.gained),
        )
        for b in d.broken_client_teams
    ]
    rows += [
        CustomerChangeRow(
            sid,
            k.account_id,
            k.name,
            "",
            "key_contact_orphaned",
            ", ".join(k.holders_before),
            "nobody",
        )
        for k in d.key_contacts_orphaned
    ]
    rows += [
        CustomerChangeRow(
            sid, h.customer_id, h.name, "", "hierarchy_opened", "", f"{h.kind} (HQ {h.hq_id})"
        )
        for h in d.hierarchy_opened
    ]
    rows += [
        CustomerChangeRow(
            sid, h.customer_id, h.name, "", "hierarchy_closed", f"{h.kind} (HQ {h.hq_id})", ""
        )
        for h in d.hierarchy_closed
    ]
    rows += [
        CustomerChangeRow(
            sid,
            t.customer_id,
            t.name,
            t.current_tier.value,
            "proposed_tier",
            t.proposed_before.value,
            t.proposed_after.value,
        )
        for t in d.tier_proposals
    ]
    order = {
        w: i
        for i, w in enumerate(
            (
                "owner",
                "gap_opened",
                "gap_closed",
                "conflict_opened",
                "conflict_closed",
                "client_team",
                "key_contact_orphaned",
                "hierarchy_opened",
                "hierarchy_closed",
                "proposed_tier",
            )
        )
    }
    rows.sort(key=lambda r: (r.customer_id, order[r.what], r.after))
    return rows


def _ams(ams: Sequence[str]) -> str:
    return f" (AM {', '.join(ams)})" if ams else ""


def comparison(evaluations: Sequence[Evaluation]) -> Comparison:
    """Several evaluations (against the same today) side by side."""
    if not evaluations:
        raise ValueError("nothing to compare: give at least one scenario")
    today = evaluations[0].diff.before
    headline = tuple(
        HeadlineRow(
            m,
            label,
            _headline_value(today, m),
            tuple(_headline_value(ev.diff.after, m) for ev in evaluations),
        )
        for m, label in HEADLINE_METRICS
    )
    counts = [diff_counts(ev) for ev in evaluations]
    return Comparison(
        scenarios=tuple((ev.scenario_id, ev.name) for ev in evaluations),
        modes=tuple(ev.mode for ev in evaluations),
        headline=headline,
        diff_counts=tuple((m, label, tuple(c[m] for c in counts)) for m, label in DIFF_METRICS),
        customers=tuple(r for ev in evaluations for r in customer_rows(ev)),
    )


def comparison_data(comp: Comparison) -> dict[str, Any]:
    return {
        "scenarios": [
            {"id": i, "name": n, "mode": m}
            for (i, n), m in zip(comp.scenarios, comp.modes, strict=True)
        ],
        "headline": [
            {
                "metric": r.metric,
                "label": r.label,
                "today": r.today,
                "after": {sid: r.after[i] for i, (sid, _n) in enumerate(comp.scenarios)},
                "change": {sid: r.change(i) for i, (sid, _n) in enumerate(comp.scenarios)},
            }
            for r in comp.headline
        ],
        "diff_counts": [
            {
                "metric": m,
                "label": label,
                "values": {sid: v[i] for i, (sid, _n) in enumerate(comp.scenarios)},
            }
            for m, label, v in comp.diff_counts
        ],
        "customers": [plain(r) for r in comp.customers],
    }


def _sheets(comp: Comparison) -> dict[str, list[list[Any]]]:
    ids = [sid for sid, _n in comp.scenarios]
    head: list[list[Any]] = [
        ["metric", "label", "today", *[f"{i} after" for i in ids], *[f"{i} change" for i in ids]]
    ]
    head += [
        [r.metric, r.label, r.today, *r.after, *[r.change(i) for i in range(len(ids))]]
        for r in comp.headline
    ]
    head += [[m, label, "", *v, *([""] * len(v))] for m, label, v in comp.diff_counts]
    cust: list[list[Any]] = [["scenario", "customer_id", "name", "tier", "what", "before", "after"]]
    cust += [
        [r.scenario_id, r.customer_id, r.name, r.tier, r.what, r.before, r.after]
        for r in comp.customers
    ]
    return {"headline": head, "customers": cust}


def _cell(value: Any) -> Any:
    """Spreadsheet-safe text: a leading = + - @ is neutralised (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(comp: Comparison) -> str:
    """One long table: ``section`` (headline | customers) then that section's columns."""
    return csv_text(None, _long_rows(comp))


def _long_rows(comp: Comparison) -> Iterator[list[Any]]:
    for section, rows in _sheets(comp).items():
        header, *body = rows
        yield ["section", *header]
        for row in body:
            yield [section, *[_cell(v) for v in row]]


def to_xlsx(comp: Comparison) -> bytes:
    """A workbook with a ``headline`` and a ``customers`` sheet."""
    return xlsx_bytes(
        Sheet(section, None, ([_cell(v) for v in row] for row in rows))
        for section, rows in _sheets(comp).items()
    )
