"""Restructures simulated before anyone moves.

``spec`` (the scenario YAML), ``overlay`` (the graph as the changes see it), ``apply``
(resolving a scenario into a change set) with ``resolve_context`` (what every change resolves
against) and the change kinds in ``coverage_changes``, ``team_changes`` and ``people_changes``;
``evaluate`` (before/after) with ``touched`` (the customers a scenario touches), ``deltas``
(orphaned key contacts, hierarchy, scoring), ``diff`` (the per-customer differ) and
``diff_results`` (what a diff reports); ``export`` and ``service``: the one place that combines a
store with the scenario analyses (evaluate, apply, revert).
"""

__all__ = [
    "apply",
    "coverage_changes",
    "deltas",
    "diff",
    "diff_results",
    "evaluate",
    "export",
    "overlay",
    "people_changes",
    "resolve_context",
    "service",
    "spec",
    "team_changes",
    "touched",
]
