"""Hierarchy roll-up: revenue and coverage rolled up from branches to their headquarters.

Over the customer hierarchy (``Customer.parent_id``, a forest in NetworkX):

* **roll-up** per headquarters (a root with at least one branch): branches, covered branches,
  revenue of the whole tree and of its uncovered part, the HQ's owners.
* **uncovered branch**: a customer with a parent and no owner, below a covered customer (the
  nearest covered ancestor is named as its HQ).
* **HQ-branch conflict**: an owned branch whose owners share no team with the owners of its
  nearest covered ancestor: e.g. a branch in another province owned by that province's regional
  office (territory) while the HQ sits with a key-account team: the group is served by two
  teams that do not know of each other (the articles' lost-branches case).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.coverage.customer_table import CustomerTable


@dataclass(frozen=True)
class HqRollup:
    hq_id: str
    hq_name: str
    hq_owners: tuple[str, ...]
    branches: int
    covered_branches: int
    revenue: float  # HQ and every branch below it
    uncovered_revenue: float


@dataclass(frozen=True)
class UncoveredBranch:
    branch_id: str
    branch_name: str
    region: str
    revenue: float
    hq_id: str
    hq_name: str
    hq_owners: tuple[str, ...]


@dataclass(frozen=True)
class HqBranchConflict:
    branch_id: str
    branch_name: str
    branch_owners: tuple[str, ...]
    revenue: float
    hq_id: str
    hq_name: str
    hq_owners: tuple[str, ...]


@dataclass(frozen=True)
class HierarchyReport:
    rollups: tuple[HqRollup, ...]  # by revenue desc, then id
    uncovered_branches: tuple[UncoveredBranch, ...]
    conflicts: tuple[HqBranchConflict, ...]

    def uncovered_ids(self) -> list[str]:
        return sorted(u.branch_id for u in self.uncovered_branches)

    def conflict_ids(self) -> list[str]:
        return sorted(c.branch_id for c in self.conflicts)


def customer_forest(table: CustomerTable) -> tuple[nx.DiGraph, dict[str, int]]:
    """HQ -> branch edges among the customers with a parent, and the row of every node."""
    forest: nx.DiGraph = nx.DiGraph()
    rows: dict[str, int] = {}
    for row, parent in table.parent_of_row.items():
        child = table.ids[row]
        rows[child] = row
        forest.add_edge(parent, child)
    missing = [n for n in forest if n not in rows]
    rows.update(table.rows_of(missing))
    return forest, rows


def hierarchy_report(table: CustomerTable) -> HierarchyReport:
    """Roll-ups, uncovered branches and HQ-branch conflicts of the table's customers."""
    forest, rows = customer_forest(table)

    def owners(node: str) -> tuple[str, ...] | None:
        row = rows.get(node)
        return None if row is None else table.owners(row)

    def name(node: str) -> str:
        row = rows.get(node)
        return node if row is None else table.names[row]

    def revenue(node: str) -> float:
        row = rows.get(node)
        return 0.0 if row is None else table.revenue[row]

    # nearest covered ancestor of every node, top-down
    covered_above: dict[str, str | None] = {}
    for node in nx.topological_sort(forest):
        preds = list(forest.predecessors(node))
        if not preds:
            covered_above[node] = None
            continue
        parent = preds[0]
        covered_above[node] = parent if owners(parent) else covered_above[parent]

    uncovered: list[UncoveredBranch] = []
    conflicts: list[HqBranchConflict] = []
    for node, hq in covered_above.items():
        if hq is None or node not in rows:
            continue
        mine = owners(node)
        hq_owners = owners(hq) or ()
        row = rows[node]
        if mine is None:
            uncovered.append(
                UncoveredBranch(
                    node, name(node), table.region(row), revenue(node), hq, name(hq), hq_owners
                )
            )
        elif not set(mine) & set(hq_owners):
            conflicts.append(
                HqBranchConflict(node, name(node), mine, revenue(node), hq, name(hq), hq_owners)
            )

    rollups = []
    for root in forest:
        if forest.in_degree(root) != 0:
            continue
        below = nx.descendants(forest, root)
        covered = sum(1 for b in below if owners(b))
        total = revenue(root) + sum(revenue(b) for b in below)
        lost = sum(revenue(b) for b in below if not owners(b))
        lost += 0.0 if owners(root) else revenue(root)
        rollups.append(
            HqRollup(root, name(root), owners(root) or (), len(below), covered, total, lost)
        )
    rollups.sort(key=lambda r: (-r.revenue, r.hq_id))
    uncovered.sort(key=lambda u: (-u.revenue, u.branch_id))
    conflicts.sort(key=lambda c: (-c.revenue, c.branch_id))
    return HierarchyReport(tuple(rollups), tuple(uncovered), tuple(conflicts))
