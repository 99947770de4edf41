"""Full coverage reports, computed once per graph version in this process.

Every analytics endpoint (gaps, conflicts, credit, capacity, hierarchy, scores, summary and the
coverage page) is a view of one full report, and a full report reads the whole graph: about a
minute at a million customers. The report only changes when the graph, the policy or the
overrides change, so it is kept per (graph version, policy, overrides, top limit) and the next
request answers from memory. Stateless across replicas: each process keeps its own copy and
checks the store's version on every request, so a write through any replica is seen at once.

Concurrent requests for the same report wait for one computation instead of each starting one.
A report is only kept if the graph version did not move while it was computed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

from graph.coverage.policy import Policy
from graph.coverage.report import CoverageReport
from graph.coverage.scoring import Override

ReportKey = tuple[Hashable, ...]


def report_key(
    version: int, policy: Policy, overrides: Mapping[str, Override], top_limit: int
) -> ReportKey:
    """What a full report depends on besides the records (those are named by ``version``)."""
    pinned = tuple(sorted((k, o.tier.value, o.reason) for k, o in overrides.items()))
    return (version, policy.model_dump_json(), pinned, top_limit)


class ReportCache:
    """The last ``max_entries`` full reports (0 keeps none: every request computes)."""

    def __init__(self, max_entries: int = 2) -> None:
        self.max_entries = max_entries
        self._reports: OrderedDict[ReportKey, CoverageReport] = OrderedDict()
        self._computing: dict[ReportKey, threading.Lock] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many reports were built (tests and metrics read it)

    def get(
        self,
        key: ReportKey,
        compute: Callable[[], CoverageReport],
        version_now: Callable[[], int],
    ) -> CoverageReport:
        """The report for ``key`` (whose first member is the graph version it was asked at),
        computing it if needed; kept only if ``version_now()`` still equals that version."""
        if self.max_entries <= 0:
            self.computed += 1
            return compute()
        with self._lock:
            found = self._reports.get(key)
            if found is not None:
                self._reports.move_to_end(key)
                return found
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                found = self._reports.get(key)
                if found is not None:
                    return found
            try:
                report = compute()
                current = version_now() == key[0]
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:
                self.computed += 1
                if current:
                    self._reports[key] = report
                    while len(self._reports) > self.max_entries:
                        self._reports.popitem(last=False)
                self._computing.pop(key, None)
            return report
