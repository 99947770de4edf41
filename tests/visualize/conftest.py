"""Fixtures of the map unit tests: sample accounts and a coverage book as analysis results."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.accounts.key_contacts import KeyContactsResult, rank_key_contacts
from graph.accounts.map_graph import build_map_graph
from graph.coverage.conflicts import ConflictReport
from graph.coverage.gaps import GapReport
from graph.coverage.inputs import OrgRecords, read_org
from graph.coverage.policy import Policy
from graph.coverage.report import report_from_source
from graph.coverage.resolve import CustomerCoverage
from graph.store.reader import MemorySource
from tests.support.map_samples import account_records, book_records


@pytest.fixture(scope="session")
def small_account() -> tuple[nx.MultiDiGraph, KeyContactsResult]:
    """60 contacts incl. the XSS payload names and Chinese names, ranked."""
    _, recs = account_records(60)
    g = build_map_graph(recs)
    return g, rank_key_contacts(g)


@pytest.fixture(scope="session")
def book() -> tuple[OrgRecords, list[CustomerCoverage], GapReport, ConflictReport]:
    """A 400-customer book with planted gaps, conflicts and misfits, analysed."""
    source = MemorySource(book_records(400))
    coverages: list[CustomerCoverage] = []
    report = report_from_source(source, Policy(), on_coverage=coverages.append)
    return read_org(source), coverages, report.gaps, report.conflicts
