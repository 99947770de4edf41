"""Folding a Salesforce export's supporting objects into coverage, in a scratch database.

The objects that only feed other records (contact roles, opportunities, splits, team members,
account owners) are read up front into the scratch SQLite database of
:mod:`importers.salesforce.scratch` and folded there: each contact's most senior decision role,
each split owner's credit per account, and one coverage per person and account (owner beats
overlay beats support). Problems are reported in the order the files are read.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from graph.model import CoverageRole
from importers.report import ImportProblem
from importers.salesforce.objects import ObjectTable, parse_bool, parse_number, sf_id18
from importers.salesforce.roles import DECISION_SENIORITY, SalesforceMapping
from importers.salesforce.scratch import (
    CLAIM_ACCOUNT_OWNERS,
    CLAIM_SPLITS,
    CLAIM_TEAM_MEMBERS,
    FOLD_SPLITS,
    FROM_OVERLAY_SPLIT,
    FROM_REVENUE_SPLIT,
    LOOKUP,
    MERGE_CLAIMS,
    ROLE_RANK,
    SCHEMA,
    Inserts,
    chunks,
    lookup,
    open_to_fill,
    open_to_read,
)

__all__ = ["ScratchAggregate"]

# One split row as read: (row number, cells, opportunity, owner, split type, percentage).
_SplitRow = tuple[int, dict[str, str], str | None, str | None, str | None, float]


class ScratchAggregate:
    """The folded supporting objects of one export, in a scratch database on disk.

    ``tabs`` are the export's recognised tables (a table's ``number`` is its position there),
    ``objects`` the same by object name; ``problems`` and ``warnings`` are the source's
    lists: what is found while reading is added to them. The database lives in a temporary
    folder removed by :meth:`close`, or when this object is garbage-collected."""

    def __init__(
        self,
        tabs: list[ObjectTable],
        objects: dict[str, list[ObjectTable]],
        mapping: SalesforceMapping,
        problems: list[ImportProblem],
        warnings: list[str],
    ) -> None:
        self.tabs = tabs
        self.objects = objects
        self.mapping = mapping
        self.problems = problems
        self.warnings = warnings
        self.has_decisions = False
        self.has_coverage = False
        self._unknown_roles: set[str] = set()
        folder = tempfile.mkdtemp(prefix="relmap-salesforce-")
        self.path = Path(folder) / "aggregate.sqlite"
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)

    def close(self) -> None:
        """Remove the scratch database (rows that need it cannot be read afterwards)."""
        self._cleanup()

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read-only connection of its own, for one stream of rows (a context manager)."""
        return open_to_read(self.path)

    # ---------------------------------------------------------------------------- helpers

    def _id(
        self,
        tab: ObjectTable,
        number: int | None,
        values: dict[str, str],
        name: str,
        quiet: bool = False,
    ) -> str | None:
        """The 18-char id in a column, None when empty; a bad id is a problem (unless
        ``quiet``: the row is streamed later and reported then)."""
        raw = tab.get(values, name)
        if not raw:
            return None
        try:
            return sf_id18(raw)
        except ValueError as exc:
            if not quiet:
                self.problems.append(ImportProblem(tab.table.file, number, tab.col(name), str(exc)))
            return None

    def _number(
        self, tab: ObjectTable, number: int | None, values: dict[str, str], name: str
    ) -> float:
        raw = tab.get(values, name)
        if not raw:
            return 0.0
        try:
            return parse_number(raw)
        except ValueError:
            self.problems.append(
                ImportProblem(tab.table.file, number, tab.col(name), f"{raw!r} is not a number")
            )
            return 0.0

    # ---------------------------------------------------------------------------- prepare

    def prepare(self) -> None:
        """Read everything the streamed records depend on into the scratch database, then
        fold it there. Problems are reported in the order the files are read."""
        db = open_to_fill(self.path)
        try:
            db.executescript(SCHEMA)
            db.execute("BEGIN")
            self._read_contact_roles(db)
            validated = self._read_split_types()
            self._read_opportunities(db)
            self._read_splits(db, validated)
            self._fold_splits(db)
            self._read_account_owners(db)
            self._read_team_members(db)
            self._merge_coverage(db)
            db.execute("COMMIT")
        finally:
            db.close()
        if self._unknown_roles:
            self.warnings.append(
                "TeamMemberRole value(s) not in the role table, imported as "
                f"{self.mapping.unknown_team_role.value}: " + ", ".join(sorted(self._unknown_roles))
            )

    def _read_contact_roles(self, db: sqlite3.Connection) -> None:
        """Each contact's most senior OpportunityContactRole.Role (lowest rank wins)."""
        rank = {r: i for i, r in enumerate(DECISION_SENIORITY)}
        unknown: set[str] = set()
        upsert = (
            "INSERT INTO decision VALUES (?, ?) "
            "ON CONFLICT (contact) DO UPDATE SET role_rank = min(role_rank, excluded.role_rank)"
        )
        with Inserts(db, upsert) as out:
            for tab in self.objects.get("opportunitycontactrole", []):
                for number, values in tab.table.rows():
                    contact = self._id(tab, number, values, "contactid")
                    role_text = tab.get(values, "role")
                    if contact is None or not role_text:
                        continue
                    role = self.mapping.contact_role(role_text)
                    if role is None:
                        unknown.add(role_text)
                        continue
                    out.add((contact, rank[role]))
        self.has_decisions = out.count > 0
        if unknown:
            self.warnings.append(
                "OpportunityContactRole.Role value(s) not in the role table, ignored: "
                + ", ".join(sorted(unknown))
            )

    def _read_split_types(self) -> dict[str, bool]:
        """Split type -> revenue (IsTotalValidated). An org has a handful: kept in memory."""
        validated: dict[str, bool] = {}
        for tab in self.objects.get("opportunitysplittype", []):
            for number, values in tab.table.rows():
                type_id = self._id(tab, number, values, "id")
                flag = parse_bool(tab.get(values, "istotalvalidated"))
                if type_id is None:
                    continue
                if flag is None:
                    self.problems.append(
                        ImportProblem(
                            tab.table.file,
                            number,
                            tab.col("istotalvalidated"),
                            "must be true or false",
                        )
                    )
                    continue
                validated[type_id] = flag
        return validated

    def _read_opportunities(self, db: sqlite3.Connection) -> None:
        """Opportunity -> (account, amount); a later row for the same id replaces it."""
        with Inserts(db, "INSERT OR REPLACE INTO opportunity VALUES (?, ?, ?)") as out:
            for tab in self.objects.get("opportunity", []):
                for number, values in tab.table.rows():
                    opp = self._id(tab, number, values, "id")
                    account = self._id(tab, number, values, "accountid")
                    amount = self._number(tab, number, values, "amount")
                    if opp is not None and account is not None:
                        out.add((opp, account, max(amount, 0.0)))

    def _read_splits(self, db: sqlite3.Connection, validated: dict[str, bool]) -> None:
        """The usable split rows, each with its opportunity's account and amount.

        Rows are checked in chunks so that their opportunities are looked up in one query per
        chunk; each row's problems are still reported in file order."""
        tabs = self.objects.get("opportunitysplit", [])
        if tabs and not self.objects.get("opportunitysplittype"):
            self.problems.append(
                ImportProblem(
                    tabs[0].table.file,
                    None,
                    "SplitTypeId",
                    "OpportunitySplitType.csv is needed to tell revenue splits (total 100%) "
                    "from overlay splits: export it with the splits",
                )
            )
            return
        insert = (
            "INSERT INTO split (opp, revenue, owner, pct, account, amount, tab, rownum) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
        find = "SELECT id, account, amount FROM opportunity WHERE id IN ({})"
        with Inserts(db, insert) as out:
            for tab in tabs:
                for chunk in chunks(tab.table.rows(), LOOKUP):
                    parsed = [self._parse_split(tab, number, values) for number, values in chunk]
                    known = lookup(db, find, {p[0][2] for p in parsed if p[0][2] is not None})
                    for split, problems in parsed:
                        self.problems.extend(problems)
                        number, _values, opp, owner, type_id, pct = split
                        if self._split_unusable(tab, split, known, validated):
                            continue
                        assert opp is not None and type_id is not None  # usable: ids are there
                        account, amount = known[opp]
                        revenue = validated[type_id]
                        out.add((opp, revenue, owner, pct, account, amount, tab.number, number))

    def _parse_split(
        self, tab: ObjectTable, number: int, values: dict[str, str]
    ) -> tuple[_SplitRow, list[ImportProblem]]:
        """One split row's ids and percentage, and the problems reading them (held back, to be
        reported in file order once the chunk's opportunities are looked up)."""
        start = len(self.problems)
        opp = self._id(tab, number, values, "opportunityid")
        owner = self._id(tab, number, values, "splitownerid")
        type_id = self._id(tab, number, values, "splittypeid")
        pct = self._number(tab, number, values, "splitpercentage")
        problems = self.problems[start:]
        del self.problems[start:]
        return (number, values, opp, owner, type_id, pct), problems

    def _split_unusable(
        self,
        tab: ObjectTable,
        split: _SplitRow,
        known: dict[str, tuple[Any, ...]],
        validated: dict[str, bool],
    ) -> bool:
        """Whether a split row cannot be used (an empty id, an opportunity or split type the
        export lacks, a percentage out of range), reporting why."""
        number, values, opp, owner, type_id, pct = split
        file = tab.table.file
        if opp is None or owner is None or type_id is None:
            for name in ("opportunityid", "splitownerid", "splittypeid"):
                if not tab.get(values, name):
                    self.problems.append(ImportProblem(file, number, tab.col(name), "is empty"))
            return True
        if opp not in known:
            message = f"opportunity {opp} is not in Opportunity.csv (its account is needed)"
            self.problems.append(ImportProblem(file, number, tab.col("opportunityid"), message))
            return True
        if type_id not in validated:
            message = f"split type {type_id} is not in OpportunitySplitType.csv"
            self.problems.append(ImportProblem(file, number, tab.col("splittypeid"), message))
            return True
        if not 0 <= pct <= 100:
            message = f"{pct:g}% is not a percentage between 0 and 100"
            self.problems.append(ImportProblem(file, number, tab.col("splitpercentage"), message))
            return True
        return False

    def _fold_splits(self, db: sqlite3.Connection) -> None:
        """Splits folded per account, by SQL over the scratch tables.

        Per opportunity and split kind (revenue or overlay): each owner's percentage and the
        row it first appeared on; revenue splits must total 100% (reported at the first row of
        the opportunity's splits). Per account and kind, over its valid opportunities: the
        amount and number of opportunities. Per account, kind and owner: the owner's credit
        (:func:`~importers.salesforce.scratch.credit_share`: amount-weighted, count-weighted
        when the amounts are 0), and the row that names the coverage: the owner's first row in
        the account's earliest opportunity that has them."""
        for statement in FOLD_SPLITS.split(";"):
            if statement.strip():
                db.execute(statement)
        bad = db.execute(
            "SELECT g.opp, g.total, s.tab, s.rownum FROM split_group g "
            "JOIN split s ON s.seq = g.first_seq WHERE NOT g.valid ORDER BY g.first_seq"
        )
        for opp, total, tab_number, at_row in bad:
            tab = self.tabs[tab_number]
            self.problems.append(
                ImportProblem(
                    tab.table.file,
                    at_row,
                    tab.col("splitpercentage"),
                    f"revenue splits of opportunity {opp} total {total:g}%; revenue splits "
                    "must total 100%",
                )
            )

    def _read_account_owners(self, db: sqlite3.Connection) -> None:
        insert = "INSERT INTO account_owner (account, owner, tab, rownum) VALUES (?, ?, ?, ?)"
        with Inserts(db, insert) as out:
            for tab in self.objects.get("account", []):
                if "ownerid" not in tab.index:
                    continue
                for number, values in tab.table.rows():
                    account = self._id(tab, number, values, "id", quiet=True)
                    owner = self._id(tab, number, values, "ownerid")
                    if account is None or owner is None:
                        continue
                    out.add((account, owner, tab.number, number))

    def _read_team_members(self, db: sqlite3.Connection) -> None:
        insert = (
            "INSERT INTO team_member (account, person, role_rank, tab, rownum) "
            "VALUES (?, ?, ?, ?, ?)"
        )
        with Inserts(db, insert) as out:
            for tab in self.objects.get("accountteammember", []):
                for number, values in tab.table.rows():
                    account = self._id(tab, number, values, "accountid")
                    user = self._id(tab, number, values, "userid")
                    role_text = tab.get(values, "teammemberrole")
                    if account is None or user is None:
                        continue
                    role, known = self.mapping.team_role(role_text)
                    if not known:
                        self._unknown_roles.add(role_text or "(empty)")
                    out.add((account, user, ROLE_RANK[role], tab.number, number))

    def _merge_coverage(self, db: sqlite3.Connection) -> None:
        """Every coverage claim, then one coverage per person and account.

        Claims: each account's owner (credit 1.0, or their revenue split share when the
        account has revenue splits); revenue split owners (their share); overlay split owners
        (their share, on top: dual credit); team members (the role from the role table; an
        owner role gets the revenue split share, support and overlay no credit). Merge: owner
        beats overlay beats support, so an owner's own overlay split adds nothing; the higher
        credit of the same role is kept."""
        db.execute(CLAIM_ACCOUNT_OWNERS)
        db.execute(CLAIM_SPLITS, (ROLE_RANK[CoverageRole.OWNER], FROM_REVENUE_SPLIT, True))
        db.execute(CLAIM_SPLITS, (ROLE_RANK[CoverageRole.OVERLAY], FROM_OVERLAY_SPLIT, False))
        db.execute(CLAIM_TEAM_MEMBERS)
        db.execute(MERGE_CLAIMS)
        self.has_coverage = bool(db.execute("SELECT EXISTS (SELECT 1 FROM coverage)").fetchone()[0])

    # ---------------------------------------------------------------------------- rows
