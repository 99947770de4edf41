"""Conditional writes of the record routes: check and write atomically, retry on a race.

Every record write runs its checks and builds its change set inside :func:`commit`, which
writes it conditionally on the graph version read before the checks and starts over when
another write slipped in between; so a precondition (``If-Match``, "exists already") is never
checked against a graph that has changed by the time the write lands.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from fastapi import HTTPException, status

from graph.store.base import ChangeSet, Store, StoreUnavailable, VersionConflict, WriteResult

__all__ = ["commit"]

WRITE_ATTEMPTS = 60
BUSY_RETRIES = 3
_WRITE_LOCK = threading.Lock()


def commit(store: Store, build: Callable[[], ChangeSet | None]) -> WriteResult | None:
    """Run ``build`` (reads, checks preconditions, returns the change set) and write its result
    conditionally on the graph version read before it; retry when another write came between.
    ``build`` returning None means there is nothing to write.

    Conditional writes on one graph version succeed one at a time anyway, so this process sends
    them one at a time (``_WRITE_LOCK``): its own threads then never deadlock each other inside
    the database. A write refused as "busy" by a store that is otherwise healthy (lock
    contention with other replicas outlasting the driver's retries) is retried a few times; a
    store that is really down fails fast with 503."""
    busy = 0
    for attempt in range(WRITE_ATTEMPTS):
        version = store.version()
        changes = build()
        if changes is None:
            return None
        try:
            with _WRITE_LOCK:
                return store.write(changes, expected_version=version)
        except VersionConflict:
            time.sleep(random.uniform(0.001, 0.004) * min(attempt + 1, 10))
        except StoreUnavailable:
            busy += 1
            if busy > BUSY_RETRIES or not store.health().ok:
                raise
            time.sleep(random.uniform(0.05, 0.2) * busy)
    raise HTTPException(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "the graph is changing too fast to write safely; retry shortly",
        {"Retry-After": "1"},
    )
