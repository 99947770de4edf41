"""The one base of relmap's domain errors, so callers (the API above all) can tell a domain
refusal from a bug.

Each package keeps its own error classes next to the code that raises them (``StoreError`` in
``graph.store.base``, ``ScenarioError`` in ``graph.scenarios.spec``, ``PolicyError`` in
``graph.coverage.policy``, ``AccountNotFound`` in ``graph.accounts.gather``, ``TokenError`` in
``graph.auth.tokens``, ``FileProblem`` / ``ImportAborted`` in ``importers``); all of them derive
from :class:`RelmapError`, and ``api.errors`` maps them to HTTP statuses in one place.

>>> from graph.scenarios.spec import ScenarioError
>>> issubclass(ScenarioError, RelmapError)
True
"""

from __future__ import annotations

__all__ = ["PermissionDenied", "RelmapError"]


class RelmapError(Exception):
    """Base of every error relmap raises on purpose (bad input, missing record, wrong state)."""


class PermissionDenied(RelmapError):
    """The caller's role may not do what it asked (the API answers 403 with the message)."""
