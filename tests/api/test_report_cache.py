"""The per-process report cache: one computation per key, never kept across a version change."""

from __future__ import annotations

import threading
import time

import pytest

from api.report_cache import ReportCache, report_key
from graph.coverage.policy import Policy
from graph.coverage.report import CoverageReport, report_from_records
from graph.coverage.scoring import Override
from graph.model import Tier
from graph.settings import Settings
from tests.coverage.worlds import sales_world


def a_report() -> CoverageReport:
    return report_from_records(sales_world())


def test_the_same_key_is_computed_once_and_then_served() -> None:
    cache, calls = ReportCache(), []
    report = a_report()
    key = report_key(7, Policy(), {}, 100)
    for _ in range(3):
        got = cache.get(key, lambda: calls.append(1) or report, lambda: 7)
        assert got is report
    assert len(calls) == 1 and cache.computed == 1


def test_a_report_computed_while_the_version_moved_is_not_kept() -> None:
    cache = ReportCache()
    key = report_key(7, Policy(), {}, 100)
    cache.get(key, a_report, lambda: 8)  # a write landed meanwhile
    cache.get(key, a_report, lambda: 8)
    assert cache.computed == 2


def test_policy_overrides_and_limit_are_part_of_the_key() -> None:
    base = report_key(1, Policy(), {}, 100)
    assert report_key(1, Policy(), {}, 100) == base
    assert report_key(2, Policy(), {}, 100) != base
    assert report_key(1, Policy(), {"c1": Override(Tier.KEY, "灯塔")}, 100) != base
    assert report_key(1, Policy(), {}, 10) != base
    stricter = Policy.model_validate({"credit": {"max_owner_credit": 2.0}})
    assert report_key(1, stricter, {}, 100) != base


def test_only_the_newest_entries_are_kept() -> None:
    cache = ReportCache(max_entries=2)
    report = a_report()
    for version in (1, 2, 3):
        cache.get(report_key(version, Policy(), {}, 100), lambda: report, lambda v=version: v)
    cache.get(report_key(1, Policy(), {}, 100), lambda: report, lambda: 1)
    assert cache.computed == 4  # version 1 had been dropped


def test_concurrent_requests_for_one_key_wait_for_a_single_computation() -> None:
    cache, calls = ReportCache(), []
    report = a_report()

    def slow() -> CoverageReport:
        calls.append(1)
        time.sleep(0.3)
        return report

    key = report_key(5, Policy(), {}, 100)
    got: list[CoverageReport] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get(key, slow, lambda: 5)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(got) == 4 and all(r is report for r in got)


def test_a_failed_computation_is_not_kept_and_can_be_retried() -> None:
    cache = ReportCache()
    key = report_key(1, Policy(), {}, 100)

    def boom() -> CoverageReport:
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        cache.get(key, boom, lambda: 1)
    assert cache.get(key, a_report, lambda: 1) is not None


def test_the_setting_bounds_the_cache() -> None:
    assert Settings().report_cache_entries == 2
