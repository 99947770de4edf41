"""``GET /v1/audit``: the audit trail of every write, for admins only.

Entries are documents whose ids start with their UTC time, so ``since`` becomes a cursor pushed
into the store and the listing is in time order. The other filters (actor, action, kind, key)
are applied while paging through the collection; one request reads at most ``MAX_SCAN`` entries
and, if it found fewer matches than asked, still returns a ``next_cursor`` to continue from, so
no request is unbounded however sparse the matches.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import RequireAdmin, StoreDep
from graph.store.audit import COLLECTION, time_cursor

router = APIRouter(tags=["audit"])

MAX_LIMIT = 500
MAX_SCAN = 5000


class AuditEntry(BaseModel):
    """One write: who (actor, role), when (at), what (action on kind/key, changes)."""

    id: str
    at: str
    actor: str
    role: str
    action: str
    kind: str
    key: str
    changes: dict[str, Any] = Field(default_factory=dict)
    detail: str = ""


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = None


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(default=None, max_length=300, description="e.g. token:ab12cd34ef56")
    action: str | None = Field(
        default=None, max_length=50, description="create, replace, patch, delete, ..."
    )
    kind: str | None = Field(default=None, max_length=50, description="record kind, e.g. customer")
    key: str | None = Field(default=None, max_length=1000, description="record key")
    since: dt.datetime | None = Field(default=None, description="entries at or after this time")
    until: dt.datetime | None = Field(default=None, description="entries before this time")
    after: str | None = Field(
        default=None, max_length=200, description="next_cursor of the previous page"
    )
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT)


def _entry(doc_id: str, doc: dict[str, Any]) -> AuditEntry:
    """One stored entry as the API shows it (tolerant of entries written by older versions)."""
    text = {
        k: str(doc.get(k) or "") for k in ("at", "actor", "role", "action", "kind", "key", "detail")
    }
    changes = doc.get("changes")
    return AuditEntry(id=doc_id, changes=changes if isinstance(changes, dict) else {}, **text)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@router.get("/v1/audit", response_model=AuditPage, summary="The audit trail (admins only)")
def list_audit(
    principal: RequireAdmin, store: StoreDep, q: Annotated[AuditQuery, Query()]
) -> AuditPage:
    cursor = q.after
    if q.since is not None:
        start = time_cursor(_aware(q.since))
        if cursor is None or cursor < start:
            cursor = start
    stop = time_cursor(_aware(q.until)) if q.until is not None else None
    wanted = {"actor": q.actor, "action": q.action, "kind": q.kind, "key": q.key}
    wanted = {k: v for k, v in wanted.items() if v is not None}
    items: list[AuditEntry] = []
    scanned = 0
    while scanned < MAX_SCAN:
        batch = store.list_docs(COLLECTION, after=cursor, limit=min(1000, MAX_SCAN - scanned))
        if not batch:
            return AuditPage(items=items, next_cursor=None)
        for doc_id, doc in batch:
            scanned += 1
            cursor = doc_id
            if stop is not None and doc_id >= stop:
                return AuditPage(items=items, next_cursor=None)
            if all(doc.get(k) == v for k, v in wanted.items()):
                items.append(_entry(doc_id, doc))
                if len(items) == q.limit:
                    return AuditPage(items=items, next_cursor=doc_id)
    return AuditPage(items=items, next_cursor=cursor)
