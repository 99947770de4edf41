"""Restructures simulated before anyone moves.

``spec`` (the scenario YAML), ``overlay`` (the graph as the changes see it), ``apply``
(resolving a scenario into a change set), ``evaluate`` and ``diff`` (before/after), ``export``
and ``service``: the one place that combines a store with the scenario analyses (evaluate,
apply, revert).
"""

__all__ = ["apply", "diff", "evaluate", "export", "overlay", "service", "spec"]
