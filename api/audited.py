"""Writing one settings document (the policy, a tier override) together with its audit entry,
in one change set, so the audit trail never misses a change nor records one that failed."""

from __future__ import annotations

from typing import Any

from graph.auth.principal import Principal
from graph.store.audit import audit_doc
from graph.store.base import ChangeSet, Store

__all__ = ["write_audited_doc"]


def write_audited_doc(
    store: Store,
    principal: Principal,
    action: str,
    collection: str,
    doc_id: str,
    doc: dict[str, Any] | None,
) -> None:
    """Store ``doc`` as ``collection/doc_id`` (None deletes it), audited as ``principal``."""
    audit = audit_doc(
        actor=principal.id,
        role=principal.role.value,
        action=action,
        kind=collection,
        key=doc_id,
        changes=doc,
    )
    store.write(ChangeSet(docs=[(collection, doc_id, doc), audit]))
