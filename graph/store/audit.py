"""The audit trail: one document per write (who, when, what), written in the same change set as
the write itself, so a write and its audit entry are committed together or not at all.

Entries live in the ``audit`` document collection. Their ids start with the UTC time
(``20261123T001500.123456Z-<random>``), so listing the collection by id lists them in time order
and a time range is a cursor range (``after``), pushed into the store.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

COLLECTION = "audit"
ACTIONS = ("create", "replace", "patch", "delete", "import", "apply", "token")


def entry_id(at: dt.datetime) -> str:
    """Sortable id: UTC timestamp with microseconds plus a random suffix against collisions."""
    return f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}"


def time_cursor(at: dt.datetime) -> str:
    """An ``after`` cursor that starts a listing at ``at`` (ids sort after it)."""
    return f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%S.%fZ}"


def audit_doc(
    *,
    actor: str,
    role: str,
    action: str,
    kind: str,
    key: str,
    changes: dict[str, Any] | None = None,
    detail: str = "",
) -> tuple[str, str, dict[str, Any]]:
    """A ``ChangeSet.docs`` entry recording one write.

    ``changes`` holds what changed: for creates the new record, for updates ``{field: [old,
    new]}``, for deletes the removed record (so a mistaken delete can be restored by hand).
    """
    now = dt.datetime.now(dt.UTC)
    data = {
        "at": now.isoformat(),
        "actor": actor,
        "role": role,
        "action": action,
        "kind": kind,
        "key": key,
        "changes": changes or {},
        "detail": detail,
    }
    return (COLLECTION, entry_id(now), data)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value differs: ``{field: [old, new]}``."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}
