"""Persistence: the :class:`Store` contract and its two implementations.

``base`` (the interface, change sets, records' JSON form), ``validation`` (the rules every write
passes first), ``audit`` (the audit entry each write carries), ``sqlite`` (the embedded default),
``neo4j`` with its Cypher in ``cypher``, and ``open`` (a store from a settings URL).
"""

from graph.store.base import ChangeSet, RecordError, Store, VersionConflict, WriteResult
from graph.store.open import open_store

__all__ = ["ChangeSet", "RecordError", "Store", "VersionConflict", "WriteResult", "open_store"]
