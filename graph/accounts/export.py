"""An account's analyses as spreadsheets: key contacts, relationship coverage, account risks.

Each function gives ``graph.tabular`` sheets (headers and rows), so the CLI and the API write
the same CSV or XLSX. Names come first, ids beside them for joining back to the CRM; every
text cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``) is
neutralised, because contact and account names come from outside.

>>> from graph.tabular import csv_text
>>> sheet = risk_sheet([])
>>> csv_text(sheet.headers, sheet.rows).splitlines()[0]
'account,account_id,tier,key_contacts,uncovered,single_threaded_contacts,threads,single_threaded,stale,roles_missing,at_risk'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graph.accounts.analysis import AccountRisk
from graph.accounts.key_contacts import KeyContactsResult
from graph.accounts.relationship_coverage import AccountCoverage
from graph.coverage.export import cell
from graph.tabular import Sheet, spreadsheet_safe


def _row(values: Iterable[Any]) -> list[Any]:
    return [spreadsheet_safe(cell(v)) for v in values]


def key_contact_sheet(result: KeyContactsResult, key_only: bool = False) -> Sheet:
    """Every contact (or only the key ones) ranked, with the parts of the score."""
    headers = [
        "rank", "contact", "contact_id", "title", "department", "customer_id", "decision_role",
        "stance", "score", "key", "hidden_influencer", "pagerank", "pagerank_rank",
        "betweenness", "betweenness_rank", "influence_in_degree", "why_key", "hidden_reason",
    ]  # fmt: skip
    rows = (
        _row(
            (
                c.rank,
                c.name,
                c.contact_id,
                c.title,
                c.department,
                c.customer_id,
                c.decision_role,
                c.stance,
                round(c.score, 4),
                c.is_key,
                c.hidden_influencer,
                round(c.pagerank, 6),
                c.pagerank_rank,
                round(c.betweenness, 6),
                c.betweenness_rank,
                round(c.influence_in_degree, 4),
                c.key_reason,
                c.hidden_reason,
            )
        )  # fmt: skip
        for c in (result.key_contacts if key_only else result.contacts)
    )
    return Sheet("key contacts", headers, rows)


def coverage_sheets(cov: AccountCoverage) -> list[Sheet]:
    """Who of ours holds each key contact, the stale relationships, the buying-role checks."""
    contacts = Sheet(
        "key contact coverage",
        [
            "rank",
            "contact",
            "contact_id",
            "decision_role",
            "stance",
            "covered",
            "single_threaded",
            "strongest",
            "held_by",
            "held_by_ids",
            "threads",
        ],  # fmt: skip
        (
            _row(
                (
                    c.rank,
                    c.name,
                    c.contact_id,
                    c.decision_role,
                    c.stance,
                    c.covered,
                    c.single_threaded,
                    c.strongest,
                    [h.employee_name for h in c.holders],
                    [h.employee_id for h in c.holders],
                    c.threads,
                )
            )  # fmt: skip
            for c in cov.key_contacts
        ),
    )
    stale = Sheet(
        "stale relationships",
        [
            "ours",
            "employee_id",
            "contact",
            "contact_id",
            "strength",
            "last_touch",
            "days_since",
            "key_contact",
        ],  # fmt: skip
        (
            _row(
                (
                    s.employee_name,
                    s.employee_id,
                    s.contact_name,
                    s.contact_id,
                    s.strength,
                    s.last_touch,
                    s.days_since,
                    s.key_contact,
                )
            )  # fmt: skip
            for s in cov.stale
        ),
    )
    roles = Sheet(
        "buying roles",
        ["requirement", "met", "detail"],
        (_row((r.requirement, r.met, r.detail)) for r in cov.roles),
    )
    return [contacts, stale, roles]


def risk_sheet(risks: Sequence[AccountRisk]) -> Sheet:
    """One row per account: its relationship risks in numbers."""
    headers = [
        "account", "account_id", "tier", "key_contacts", "uncovered", "single_threaded_contacts",
        "threads", "single_threaded", "stale", "roles_missing", "at_risk",
    ]  # fmt: skip
    rows = (
        _row(
            (
                r.name,
                r.account_id,
                r.tier,
                r.key_contacts,
                r.uncovered,
                r.single_threaded_contacts,
                r.threads,
                r.single_threaded,
                r.stale,
                r.roles_missing,
                r.at_risk,
            )
        )  # fmt: skip
        for r in risks
    )
    return Sheet("account risks", headers, rows)
