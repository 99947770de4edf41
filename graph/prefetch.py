"""Iterating in a background thread: the next items are produced while the caller uses one.

The coverage inputs read the next customer chunks from the store while an analysis works on the
current one (:func:`graph.coverage.inputs.customer_chunks`); an import's second pass reads rows
and builds the next change sets while the store writes the current one
(:mod:`importers.pipeline`). Both wait on a database most of the time, so the overlap is the
gain. At most ``depth`` items are in flight, so memory stays bounded; an exception in the reader
is raised in the consumer; closing the iterator (or leaving it early) stops the reader.

>>> list(prefetched(iter(range(5)), depth=2))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["prefetched"]

_T = TypeVar("_T")
_END = object()


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def prefetched(
    items: Iterator[_T],
    depth: int,
    *,
    name: str = "relmap-chunk-reader",
    poll: float = 0.05,
    join_timeout: float | None = None,
) -> Generator[_T, None, None]:
    """Iterate ``items`` in a daemon thread ``name``, at most ``depth`` items ahead; errors are
    raised in the consumer, and stopping early stops the reader (which notices within ``poll``
    seconds; the consumer waits up to ``join_timeout`` seconds for it, None: until it ends)."""
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=poll)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer
            put(_Failed(exc))

    reader = threading.Thread(target=run, name=name, daemon=True)
    reader.start()
    try:
        while True:
            item = slots.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        reader.join(join_timeout)
