"""Salesforce coverage at scale: thousands of generated accounts whose credits follow simple
formulas, folded in the importer's scratch database; and that scratch database's cleanup."""

from __future__ import annotations

import gc
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from import_helpers import import_paths, write_csv

from graph.model import CoverageRole, DecisionRole, RecordKind
from graph.store.base import Store
from importers.detect import open_source
from importers.salesforce import sf_id18

USERS = 30
OWNER, OVERLAY, SUPPORT = CoverageRole.OWNER, CoverageRole.OVERLAY, CoverageRole.SUPPORT


def _id(prefix: str, number: int) -> str:
    return sf_id18(f"{prefix}{number:012d}")


def _user(a: int, offset: int) -> str:
    return _id("005", (a + offset) % USERS)


def _export(folder: Path, accounts: int) -> Path:
    """Accounts in four shapes (by account number mod 4), each with its expected coverage:

    0. no opportunities: the owner carries 1.0; a support team member;
    1. one opportunity, revenue split 60/40 between the owner and a second seller;
    2. 1000 at 100% owner + 3000 at 50/50 -> 2500/4000 = 0.625 and 0.375, and a 100% overlay
       split on the 3000 deal for a third person (dual credit 1.0);
    3. the same splits on two deals of amount 0: count-weighted, (1 + 0.5) / 2 = 0.75 and 0.25;
       the owner's own overlay split adds nothing; the second seller is also an Account
       Manager team member (owner role, same credit)."""
    revenue, overlay = _id("149", 1), _id("149", 2)
    write_csv(folder / "User.csv", ["Id", "Name"], [[_id("005", u), f"U{u}"] for u in range(USERS)])
    write_csv(
        folder / "OpportunitySplitType.csv",
        ["Id", "IsTotalValidated"],
        [[revenue, "true"], [overlay, "false"]],
    )
    account_rows, opps, splits, team, contacts, roles = [], [], [], [], [], []
    for a in range(accounts):
        account, owner, second = _id("001", a), _user(a, 0), _user(a, 1)
        account_rows.append([account, f"Account {a}", owner])
        contact = _id("003", a)
        contacts.append([contact, account, f"C{a}"])
        shape = a % 4
        if shape == 0:
            team.append([account, _user(a, 3), "Sales Engineer"])
            continue
        first, other = _id("006", 2 * a), _id("006", 2 * a + 1)
        if shape == 1:
            opps.append([first, account, "1000"])
            splits += [[first, owner, "60", revenue], [first, second, "40", revenue]]
        else:
            amount = 1 if shape == 2 else 0
            opps += [[first, account, str(1000 * amount)], [other, account, str(3000 * amount)]]
            splits += [
                [first, owner, "100", revenue],
                [other, owner, "50", revenue],
                [other, second, "50", revenue],
            ]
            if shape == 2:
                splits.append([other, _user(a, 2), "100", overlay])
            else:
                splits.append([other, owner, "100", overlay])
                team.append([account, second, "Account Manager"])
        roles.append([first, contact, "Evaluator"])
        if shape != 3:
            roles.append([first, contact, "Decision Maker"])
    write_csv(folder / "Account.csv", ["Id", "Name", "OwnerId"], account_rows)
    write_csv(folder / "Opportunity.csv", ["Id", "AccountId", "Amount"], opps)
    write_csv(
        folder / "OpportunitySplit.csv",
        ["OpportunityId", "SplitOwnerId", "SplitPercentage", "SplitTypeId"],
        splits,
    )
    write_csv(folder / "AccountTeamMember.csv", ["AccountId", "UserId", "TeamMemberRole"], team)
    write_csv(folder / "Contact.csv", ["Id", "AccountId", "LastName"], contacts)
    write_csv(folder / "OpportunityContactRole.csv", ["OpportunityId", "ContactId", "Role"], roles)
    return folder


def _expected(a: int) -> dict[str, tuple[CoverageRole, float]]:
    owner, second = _user(a, 0), _user(a, 1)
    return [
        {owner: (OWNER, 1.0), _user(a, 3): (SUPPORT, 0.0)},
        {owner: (OWNER, 0.6), second: (OWNER, 0.4)},
        {owner: (OWNER, 0.625), second: (OWNER, 0.375), _user(a, 2): (OVERLAY, 1.0)},
        {owner: (OWNER, 0.75), second: (OWNER, 0.25)},
    ][a % 4]


def test_thousands_of_accounts_get_the_credits_of_their_splits(tmp_path: Path) -> None:
    accounts = 3000
    source = open_source([_export(tmp_path, accounts)], "salesforce")
    assert source.problems == [] and source.warnings == []
    rows = list(source.rows(RecordKind.COVERAGE))
    assert len(rows) == accounts // 4 * (2 + 2 + 3 + 2)
    coverage: dict[str, dict[str, tuple[CoverageRole, float]]] = defaultdict(dict)
    order: list[str] = []
    for row in rows:
        account = row.data["customer_id"]
        if not order or order[-1] != account:
            order.append(account)
        coverage[account][row.data["holder_id"]] = (row.data["role"], row.data["credit_share"])
    # one block of rows per account, in the order of Account.csv
    assert order == [_id("001", a) for a in range(accounts)]
    for a in range(accounts):
        assert coverage[_id("001", a)] == _expected(a), a
        owners = sum(c for role, c in coverage[_id("001", a)].values() if role is OWNER)
        assert owners == pytest.approx(1.0)
    # each coverage names the row it came from
    first = rows[0]  # account 0's owner: Account.csv row 2
    assert (first.file, first.row, first.column("holder_id")) == ("Account.csv", 2, "OwnerId")
    second = next(r for r in rows if r.data["holder_id"] == _user(1, 1))  # account 1's 40%
    assert (second.file, second.row, second.column("holder_id")) == (
        "OpportunitySplit.csv",
        3,
        "SplitOwnerId",
    )
    assert second.column("customer_id") == "OpportunityId"
    # the decision role is the most senior contact role of each contact
    decision = {r.data["id"]: r.data.get("decision_role") for r in source.rows(RecordKind.CONTACT)}
    assert len(decision) == accounts
    for a in range(accounts):
        maker, evaluator = DecisionRole.DECISION_MAKER, DecisionRole.EVALUATOR
        assert decision[_id("003", a)] == [None, maker, maker, evaluator][a % 4], a


def test_generated_export_imports_into_the_store(store: Store, tmp_path: Path) -> None:
    accounts = 200
    report = import_paths(store, _export(tmp_path, accounts), fmt="salesforce")
    assert report.ok, [str(p) for p in report.problems]
    assert store.count(RecordKind.COVERAGE) == accounts // 4 * 9
    credit: dict[str, float] = defaultdict(float)
    for c in store.scan(RecordKind.COVERAGE):
        if c.role is OWNER:  # type: ignore[attr-defined]
            credit[c.customer_id] += c.credit_share  # type: ignore[attr-defined]
    assert len(credit) == accounts
    assert all(v == pytest.approx(1.0) for v in credit.values())


def test_the_scratch_database_is_removed_on_close_and_when_the_source_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = _export(tmp_path / "export", 8)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    source = open_source([export], "salesforce")
    assert len(list(scratch.iterdir())) == 1
    assert len(list(source.rows(RecordKind.COVERAGE))) == 2 * 9
    source.close()  # type: ignore[attr-defined]
    assert list(scratch.iterdir()) == []
    source = open_source([export], "salesforce")
    assert len(list(scratch.iterdir())) == 1
    del source
    gc.collect()
    assert list(scratch.iterdir()) == []
