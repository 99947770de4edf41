"""Salesforce data export -> relmap records.

Accepts the standard export files by their field API names: ``Account``, ``Contact``, ``User``,
``AccountTeamMember``, ``Opportunity``, ``OpportunitySplit``, ``OpportunitySplitType`` and
``OpportunityContactRole`` (files named after the object, or recognised by their columns).
Headers are matched case-insensitively, so Data Loader's quoted upper-case headers and the
weekly export's CamelCase both work; unknown columns are ignored; a missing required column is
reported once, by name.

Ids: 15-character (case-sensitive) and 18-character (case-safe) forms of the same id resolve to
one record: every id is turned into its 18-character form (computing the checksum suffix for a
15-character id, and restoring the letter case of an 18-character id from its suffix when a
spreadsheet changed it), which becomes the record's external id.

The mapping (documented in docs/importing.md):

- Account -> Customer (tier from ``Tier__c`` if present, else the Type table, else AnnualRevenue
  bands; region from BillingState, else BillingCountry; parent from ParentId);
- Contact -> Contact (name from FirstName/LastName; decision role from the contact's most senior
  OpportunityContactRole.Role), ReportsToId -> contact_reports_to;
- User -> Employee (IsActive=false kept, with active=false), ManagerId -> employee_reports_to;
- Account.OwnerId -> owner coverage, credit 1.0 unless revenue splits say otherwise;
- OpportunitySplit, per account and split owner, weighted by Opportunity.Amount: revenue splits
  (split type with IsTotalValidated=true, must total 100% per opportunity) -> owner credit
  shares; overlay splits (IsTotalValidated=false, any total) -> overlay coverage with credit
  (dual credit on top of the owners');
- AccountTeamMember -> coverage with the role from the TeamMemberRole table
  (:mod:`importers.salesforce_roles`). One coverage per person and account: owner beats
  overlay beats support.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from graph.model import (
    RECORD_TYPES,
    WRITE_ORDER,
    CoverageRole,
    HolderKind,
    RecordKind,
    ReportingLine,
)
from importers.files import Table
from importers.report import ImportProblem
from importers.salesforce_roles import DECISION_SENIORITY, SalesforceMapping
from importers.source import SourceRow, cells, header_index, normalise_header

_SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_T = TypeVar("_T")

# object -> (required columns, columns that identify the object when the file name does not)
OBJECTS: dict[str, tuple[tuple[str, ...], tuple[frozenset[str], ...]]] = {
    "opportunitysplittype": (("id", "istotalvalidated"), (frozenset({"istotalvalidated"}),)),
    "opportunitysplit": (
        ("opportunityid", "splitownerid", "splitpercentage", "splittypeid"),
        (frozenset({"splitownerid", "splitpercentage"}),),
    ),
    "opportunitycontactrole": (
        ("contactid", "role"),
        (frozenset({"contactid", "role", "opportunityid"}),),
    ),
    "accountteammember": (
        ("accountid", "userid", "teammemberrole"),
        (frozenset({"teammemberrole"}),),
    ),
    "opportunity": (
        ("id", "accountid"),
        (frozenset({"stagename"}), frozenset({"closedate", "accountid"})),
    ),
    "contact": (
        ("id", "accountid", "lastname"),
        (frozenset({"accountid", "lastname"}), frozenset({"reportstoid"})),
    ),
    "user": (
        ("id",),
        (frozenset({"username"}), frozenset({"isactive", "managerid"}), frozenset({"userroleid"})),
    ),
    "account": (
        ("id", "name"),
        (
            frozenset({"billingcountry"}),
            frozenset({"billingstate"}),
            frozenset({"annualrevenue"}),
            frozenset({"ownerid", "industry"}),
        ),
    ),
}


def sf_id18(value: str) -> str:
    """The 18-character form of a Salesforce id given in 15- or 18-character form.

    Raises ValueError for anything else. For an 18-character id whose letters a spreadsheet
    upper- or lower-cased, the case is restored from the checksum suffix."""
    text = value.strip()
    if not text.isascii() or not text.isalnum() or len(text) not in (15, 18):
        raise ValueError(f"{value!r} is not a Salesforce id (15 or 18 letters and digits)")
    if len(text) == 18:
        suffix = text[15:].upper()
        if any(c not in _SUFFIX_CHARS for c in suffix):
            raise ValueError(f"{value!r} is not a Salesforce id (bad checksum characters)")
        chars = []
        for i, s in enumerate(suffix):
            bits = _SUFFIX_CHARS.index(s)
            for j, c in enumerate(text[i * 5 : i * 5 + 5]):
                chars.append(c.upper() if bits >> j & 1 else c.lower())
        base = "".join(chars)
    else:
        base = text
    out = []
    for i in range(3):
        chunk = base[i * 5 : i * 5 + 5]
        bits = sum(1 << j for j, c in enumerate(chunk) if "A" <= c <= "Z")
        out.append(_SUFFIX_CHARS[bits])
    return base + "".join(out)


def object_of(table: Table) -> str | None:
    """Which Salesforce object a table holds: by file/sheet name, else by its columns."""
    name = "".join(c for c in normalise_header(table.name) if c.isalnum())
    if name in OBJECTS:
        return name
    if name.endswith("s") and name[:-1] in OBJECTS:
        return name[:-1]
    headers = {normalise_header(h) for h in table.headers}
    for obj, (_required, signatures) in OBJECTS.items():
        if any(sig <= headers for sig in signatures):
            return obj
    return None


def looks_like_salesforce(table: Table) -> bool:
    """Salesforce exports carry CamelCase API names such as AccountId or OwnerId."""
    headers = {normalise_header(h) for h in table.headers}
    specific = {
        "accountid", "ownerid", "firstname", "lastname", "reportstoid", "teammemberrole",
        "splitpercentage", "istotalvalidated", "isactive", "billingcountry", "billingstate",
        "annualrevenue", "userroleid", "managerid", "stagename", "splitownerid", "parentid",
    }  # fmt: skip
    return bool(headers & specific) and object_of(table) is not None


def _parse_bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in ("true", "1", "yes", "y", "t"):
        return True
    if t in ("false", "0", "no", "n", "f"):
        return False
    return None


def _parse_number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").strip())


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def person_name(first: str, last: str) -> str:
    """Western names as "First Last"; Chinese names family name first with no space (王 + 伟 ->
    王伟)."""
    if first and last and _is_cjk(first) and _is_cjk(last):
        return last + first
    return " ".join(p for p in (first, last) if p)


@dataclass
class _Tab:
    table: Table
    index: dict[str, str]  # normalised -> header as written
    number: int = 0  # position in SalesforceSource._tabs: how the scratch database names it

    def get(self, values: dict[str, str], name: str) -> str:
        return cells(values, self.index, name)

    def col(self, name: str) -> str:
        return self.index.get(name, name)


_ROLE_RANK = {CoverageRole.OWNER: 0, CoverageRole.OVERLAY: 1, CoverageRole.SUPPORT: 2}
_RANK_ROLE = {rank: role for role, rank in _ROLE_RANK.items()}

# Where a coverage claim came from: it decides which columns a problem with the coverage names.
_FROM_ACCOUNT_OWNER, _FROM_REVENUE_SPLIT, _FROM_OVERLAY_SPLIT, _FROM_TEAM_MEMBER = range(4)

# Ids per ``IN (...)`` lookup (below SQLite's historical limit of 999 variables).
_LOOKUP = 500
# Rows per ``executemany`` into the scratch database.
_INSERT = 5000

_SCRATCH_SCHEMA = """
CREATE TABLE decision (contact TEXT PRIMARY KEY, role_rank INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE opportunity (
    id TEXT PRIMARY KEY, account TEXT NOT NULL, amount REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE split (
    seq INTEGER PRIMARY KEY, opp TEXT, revenue INTEGER, owner TEXT, pct REAL,
    account TEXT, amount REAL, tab INTEGER, rownum INTEGER
);
CREATE TABLE account_owner (
    seq INTEGER PRIMARY KEY, account TEXT, owner TEXT, tab INTEGER, rownum INTEGER
);
CREATE TABLE team_member (
    seq INTEGER PRIMARY KEY, account TEXT, person TEXT, role_rank INTEGER, tab INTEGER,
    rownum INTEGER
);
CREATE TABLE claim (
    seq INTEGER PRIMARY KEY, account TEXT, person TEXT, role_rank INTEGER, credit REAL,
    origin INTEGER, tab INTEGER, rownum INTEGER
);
"""

# Splits folded per account, as the in-memory version did it (see _fold_splits). A column
# outside the GROUP BY next to a single min() takes its value from the row holding that minimum
# (SQLite's documented "bare column" rule): the owner's first row in their earliest opportunity.
_FOLD_SPLITS = """
CREATE TABLE split_owner AS
SELECT opp, revenue, owner, sum(pct) AS pct, min(seq) AS first_seq, account, amount
FROM split GROUP BY opp, revenue, owner;

CREATE TABLE split_group AS
SELECT opp, revenue, sum(pct) AS total, min(first_seq) AS first_seq, account, amount,
       revenue = 0 OR abs(sum(pct) - 100.0) <= 0.01 AS valid
FROM split_owner GROUP BY opp, revenue;
CREATE UNIQUE INDEX split_group_key ON split_group (opp, revenue);

CREATE TABLE split_base AS
SELECT account, revenue, sum(amount) AS amount, count(*) AS n
FROM split_group WHERE valid GROUP BY account, revenue;
CREATE UNIQUE INDEX split_base_key ON split_base (account, revenue);

CREATE TABLE split_share AS
SELECT o.account AS account, o.revenue AS revenue, o.owner AS owner,
       share(sum(o.amount * o.pct / 100.0), sum(o.pct / 100.0), b.amount, b.n) AS credit,
       min(g.first_seq) AS group_seq, o.first_seq AS first_seq
FROM split_owner o
JOIN split_group g ON g.opp = o.opp AND g.revenue = o.revenue AND g.valid
JOIN split_base b ON b.account = o.account AND b.revenue = o.revenue
GROUP BY o.account, o.revenue, o.owner;
CREATE UNIQUE INDEX split_share_key ON split_share (account, revenue, owner);
"""

# Every coverage claim, in the order the in-memory version made them (account owners, revenue
# splits, overlay splits, team members): the first claim of the winning role names the row.
_CLAIM_ACCOUNT_OWNERS = f"""
INSERT INTO claim (account, person, role_rank, credit, origin, tab, rownum)
SELECT a.account, a.owner, 0,
       CASE WHEN b.account IS NULL THEN 1.0 ELSE coalesce(s.credit, 0.0) END,
       {_FROM_ACCOUNT_OWNER}, a.tab, a.rownum
FROM account_owner a
LEFT JOIN split_base b ON b.account = a.account AND b.revenue = 1
LEFT JOIN split_share s ON s.account = a.account AND s.revenue = 1 AND s.owner = a.owner
ORDER BY a.seq
"""
_CLAIM_SPLITS = """
INSERT INTO claim (account, person, role_rank, credit, origin, tab, rownum)
SELECT s.account, s.owner, ?, s.credit, ?, sp.tab, sp.rownum
FROM split_share s JOIN split sp ON sp.seq = s.first_seq
WHERE s.revenue = ? ORDER BY s.group_seq, s.first_seq
"""
_CLAIM_TEAM_MEMBERS = f"""
INSERT INTO claim (account, person, role_rank, credit, origin, tab, rownum)
SELECT t.account, t.person, t.role_rank,
       CASE WHEN t.role_rank = 0 AND b.account IS NOT NULL THEN coalesce(s.credit, 0.0)
            ELSE 0.0 END,
       {_FROM_TEAM_MEMBER}, t.tab, t.rownum
FROM team_member t
LEFT JOIN split_base b ON b.account = t.account AND b.revenue = 1
LEFT JOIN split_share s ON s.account = t.account AND s.revenue = 1 AND s.owner = t.person
ORDER BY t.seq
"""
# One coverage per person and account: the best role wins (owner beats overlay beats support),
# with the highest credit claimed for that role and the origin of its first claim. Ordered as
# the in-memory dict was: accounts, then people, by their first claim.
_MERGE_CLAIMS = """
CREATE TABLE coverage AS
WITH pair AS (
    SELECT *, min(role_rank) OVER p AS best_rank, min(seq) OVER p AS pair_seq
    FROM claim WINDOW p AS (PARTITION BY account, person)
), winner AS (
    SELECT *, max(credit) OVER w AS best_credit, row_number() OVER (w ORDER BY seq) AS nth
    FROM pair WHERE role_rank = best_rank WINDOW w AS (PARTITION BY account, person)
)
SELECT account, person, role_rank, best_credit AS credit, origin, tab, rownum,
       min(pair_seq) OVER (PARTITION BY account) AS account_seq, pair_seq
FROM winner WHERE nth = 1
ORDER BY account_seq, pair_seq
"""


def _share(amount: float, count: float, base_amount: float, base_count: int) -> float:
    """One split owner's credit on one account: their part of the amount of the account's
    split opportunities, or of their number when those carry no amount; at most 1, rounded to
    4 places. SQL function ``share`` of the scratch database, so rounding stays Python's."""
    share = amount / base_amount if base_amount > 0 else count / max(base_count, 1)
    return round(min(share, 1.0), 4)


def _chunks(rows: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class _Inserts:
    """Rows buffered for one ``executemany`` each ``_INSERT`` rows (flushed on leaving)."""

    def __init__(self, db: sqlite3.Connection, sql: str) -> None:
        self.db = db
        self.sql = sql
        self.rows: list[tuple[object, ...]] = []
        self.count = 0

    def add(self, row: tuple[object, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= _INSERT:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.db.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows.clear()

    def __enter__(self) -> _Inserts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


def _lookup(db: sqlite3.Connection, sql: str, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """``key -> rest of the row`` for the keys found; ``sql`` selects the key first and ends
    with ``IN ({})`` for the placeholders."""
    out: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks(keys, _LOOKUP):
        for key, *rest in db.execute(sql.format(",".join("?" * len(chunk))), chunk):
            out[key] = tuple(rest)
    return out


class SalesforceSource:
    """A Salesforce export folder, prepared.

    The objects that only feed other records (contact roles, opportunities, splits, team
    members, account owners) are read up front and folded in a scratch SQLite database on
    disk, so memory stays flat however many accounts the export holds (a million accounts
    with several opportunities each would be gigabytes of Python objects). Accounts,
    contacts, users and the folded coverage then stream. The scratch database lives in a
    temporary folder removed by :meth:`close`, or when the source is garbage-collected."""

    format = "salesforce"

    def __init__(self, tables: list[Table], mapping: SalesforceMapping | None = None) -> None:
        self.mapping = mapping or SalesforceMapping()
        self.problems: list[ImportProblem] = []
        self.warnings: list[str] = []
        self._objects: dict[str, list[_Tab]] = defaultdict(list)
        self._tabs: list[_Tab] = []
        for table in tables:
            obj = object_of(table)
            if obj is None:
                self.warnings.append(
                    f"{table.file}: not a Salesforce object this import reads; ignored"
                )
                continue
            index = header_index(table.headers)
            required, _ = OBJECTS[obj]
            missing = [c for c in required if c not in index]
            if obj == "user" and "name" not in index and "lastname" not in index:
                missing.append("Name")
            for column in missing:
                self.problems.append(
                    ImportProblem(table.file, 1, _api_name(column), "required column is missing")
                )
            if not missing:
                tab = _Tab(table, index, len(self._tabs))
                self._tabs.append(tab)
                self._objects[obj].append(tab)
        self._has_decisions = False
        self._has_coverage = False
        self._unknown_roles: set[str] = set()
        folder = tempfile.mkdtemp(prefix="relmap-salesforce-")
        self._scratch = Path(folder) / "aggregate.sqlite"
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        self._prepare()

    def close(self) -> None:
        """Remove the scratch database (rows that need it cannot be read afterwards)."""
        self._cleanup()

    def __enter__(self) -> SalesforceSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------- helpers

    def _id(
        self,
        tab: _Tab,
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

    def _number(self, tab: _Tab, number: int | None, values: dict[str, str], name: str) -> float:
        raw = tab.get(values, name)
        if not raw:
            return 0.0
        try:
            return _parse_number(raw)
        except ValueError:
            self.problems.append(
                ImportProblem(tab.table.file, number, tab.col(name), f"{raw!r} is not a number")
            )
            return 0.0

    def _write_scratch(self) -> sqlite3.Connection:
        """The scratch database, opened to be filled: no journal and no syncing (it is thrown
        away on any failure), sorts spilled to temporary files. The page cache is small: each
        sorter of the merge may hold as much again in memory (4 of them peak at ~80 MiB RSS in
        all with 8 MiB), and a larger one made the folding no faster."""
        db = sqlite3.connect(self._scratch, isolation_level=None)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA temp_store = FILE")
        db.execute("PRAGMA cache_size = -8192")  # KiB
        db.create_function("share", 4, _share, deterministic=True)
        return db

    @contextmanager
    def _read_scratch(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection of its own for one stream of rows (the pipeline reads
        rows in a second thread while it writes)."""
        db = sqlite3.connect(f"{self._scratch.as_uri()}?mode=ro", uri=True)
        try:
            yield db
        finally:
            db.close()

    # ---------------------------------------------------------------------------- prepare

    def _prepare(self) -> None:
        """Read everything the streamed records depend on into the scratch database, then
        fold it there. Problems are reported in the order the files are read."""
        db = self._write_scratch()
        try:
            db.executescript(_SCRATCH_SCHEMA)
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
        with _Inserts(db, upsert) as out:
            for tab in self._objects.get("opportunitycontactrole", []):
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
        self._has_decisions = out.count > 0
        if unknown:
            self.warnings.append(
                "OpportunityContactRole.Role value(s) not in the role table, ignored: "
                + ", ".join(sorted(unknown))
            )

    def _read_split_types(self) -> dict[str, bool]:
        """Split type -> revenue (IsTotalValidated). An org has a handful: kept in memory."""
        validated: dict[str, bool] = {}
        for tab in self._objects.get("opportunitysplittype", []):
            for number, values in tab.table.rows():
                type_id = self._id(tab, number, values, "id")
                flag = _parse_bool(tab.get(values, "istotalvalidated"))
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
        with _Inserts(db, "INSERT OR REPLACE INTO opportunity VALUES (?, ?, ?)") as out:
            for tab in self._objects.get("opportunity", []):
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
        tabs = self._objects.get("opportunitysplit", [])
        if tabs and not self._objects.get("opportunitysplittype"):
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
        with _Inserts(db, insert) as out:
            for tab in tabs:
                file = tab.table.file
                for chunk in _chunks(tab.table.rows(), _LOOKUP):
                    parsed = []
                    for number, values in chunk:
                        start = len(self.problems)
                        opp = self._id(tab, number, values, "opportunityid")
                        owner = self._id(tab, number, values, "splitownerid")
                        type_id = self._id(tab, number, values, "splittypeid")
                        pct = self._number(tab, number, values, "splitpercentage")
                        parsed.append(
                            (number, values, opp, owner, type_id, pct, self.problems[start:])
                        )
                        del self.problems[start:]
                    known = _lookup(db, find, {p[2] for p in parsed if p[2] is not None})
                    for number, values, opp, owner, type_id, pct, problems in parsed:
                        self.problems.extend(problems)
                        if opp is None or owner is None or type_id is None:
                            for name in ("opportunityid", "splitownerid", "splittypeid"):
                                if not tab.get(values, name):
                                    self.problems.append(
                                        ImportProblem(file, number, tab.col(name), "is empty")
                                    )
                            continue
                        if opp not in known:
                            self.problems.append(
                                ImportProblem(
                                    file,
                                    number,
                                    tab.col("opportunityid"),
                                    f"opportunity {opp} is not in Opportunity.csv (its account "
                                    "is needed)",
                                )
                            )
                            continue
                        if type_id not in validated:
                            self.problems.append(
                                ImportProblem(
                                    file,
                                    number,
                                    tab.col("splittypeid"),
                                    f"split type {type_id} is not in OpportunitySplitType.csv",
                                )
                            )
                            continue
                        if not 0 <= pct <= 100:
                            self.problems.append(
                                ImportProblem(
                                    file,
                                    number,
                                    tab.col("splitpercentage"),
                                    f"{pct:g}% is not a percentage between 0 and 100",
                                )
                            )
                            continue
                        account, amount = known[opp]
                        out.add(
                            (
                                opp,
                                validated[type_id],
                                owner,
                                pct,
                                account,
                                amount,
                                tab.number,
                                number,
                            )
                        )

    def _fold_splits(self, db: sqlite3.Connection) -> None:
        """Splits folded per account, by SQL over the scratch tables.

        Per opportunity and split kind (revenue or overlay): each owner's percentage and the
        row it first appeared on; revenue splits must total 100% (reported at the first row of
        the opportunity's splits). Per account and kind, over its valid opportunities: the
        amount and number of opportunities. Per account, kind and owner: the owner's credit
        (:func:`_share`: amount-weighted, count-weighted when the amounts are 0), and the row
        that names the coverage: the owner's first row in the account's earliest opportunity
        that has them."""
        for statement in _FOLD_SPLITS.split(";"):
            if statement.strip():
                db.execute(statement)
        bad = db.execute(
            "SELECT g.opp, g.total, s.tab, s.rownum FROM split_group g "
            "JOIN split s ON s.seq = g.first_seq WHERE NOT g.valid ORDER BY g.first_seq"
        )
        for opp, total, tab_number, at_row in bad:
            tab = self._tabs[tab_number]
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
        with _Inserts(db, insert) as out:
            for tab in self._objects.get("account", []):
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
        with _Inserts(db, insert) as out:
            for tab in self._objects.get("accountteammember", []):
                for number, values in tab.table.rows():
                    account = self._id(tab, number, values, "accountid")
                    user = self._id(tab, number, values, "userid")
                    role_text = tab.get(values, "teammemberrole")
                    if account is None or user is None:
                        continue
                    role, known = self.mapping.team_role(role_text)
                    if not known:
                        self._unknown_roles.add(role_text or "(empty)")
                    out.add((account, user, _ROLE_RANK[role], tab.number, number))

    def _merge_coverage(self, db: sqlite3.Connection) -> None:
        """Every coverage claim, then one coverage per person and account.

        Claims: each account's owner (credit 1.0, or their revenue split share when the
        account has revenue splits); revenue split owners (their share); overlay split owners
        (their share, on top: dual credit); team members (the role from the role table; an
        owner role gets the revenue split share, support and overlay no credit). Merge: owner
        beats overlay beats support, so an owner's own overlay split adds nothing; the higher
        credit of the same role is kept."""
        db.execute(_CLAIM_ACCOUNT_OWNERS)
        db.execute(_CLAIM_SPLITS, (_ROLE_RANK[CoverageRole.OWNER], _FROM_REVENUE_SPLIT, True))
        db.execute(_CLAIM_SPLITS, (_ROLE_RANK[CoverageRole.OVERLAY], _FROM_OVERLAY_SPLIT, False))
        db.execute(_CLAIM_TEAM_MEMBERS)
        db.execute(_MERGE_CLAIMS)
        self._has_coverage = bool(
            db.execute("SELECT EXISTS (SELECT 1 FROM coverage)").fetchone()[0]
        )

    # ---------------------------------------------------------------------------- rows

    def kinds(self) -> list[RecordKind]:
        present: set[RecordKind] = set()
        if self._objects.get("account"):
            present.add(RecordKind.CUSTOMER)
        if self._objects.get("contact"):
            present.add(RecordKind.CONTACT)
            if any("reportstoid" in t.index for t in self._objects["contact"]):
                present.add(RecordKind.CONTACT_REPORTS_TO)
        if self._objects.get("user"):
            present.add(RecordKind.EMPLOYEE)
            if any("managerid" in t.index for t in self._objects["user"]):
                present.add(RecordKind.EMPLOYEE_REPORTS_TO)
        if self._has_coverage:
            present.add(RecordKind.COVERAGE)
        return [k for k in WRITE_ORDER if k in present]

    def rows(self, kind: RecordKind) -> Iterator[SourceRow]:
        producers = {
            RecordKind.CUSTOMER: self._customers,
            RecordKind.CONTACT: self._contacts,
            RecordKind.EMPLOYEE: self._employees,
            RecordKind.CONTACT_REPORTS_TO: self._contact_lines,
            RecordKind.EMPLOYEE_REPORTS_TO: self._employee_lines,
            RecordKind.COVERAGE: self._coverages,
        }
        producer = producers.get(kind)
        return producer() if producer else iter(())

    def _row_id(self, row: SourceRow, tab: _Tab, values: dict[str, str], name: str) -> str | None:
        """An id for a streamed row: problems go on the row (so lenient mode can reject it)."""
        raw = tab.get(values, name)
        if not raw:
            return None
        try:
            return sf_id18(raw)
        except ValueError as exc:
            row.problems.append(row.problem(tab.col(name), str(exc)))
            return raw

    def _customers(self) -> Iterator[SourceRow]:
        m = self.mapping
        tier_col = normalise_header(m.tier_field)
        for tab in self._objects.get("account", []):
            columns = {
                "id": tab.col("id"),
                "name": tab.col("name"),
                "industry": tab.col("industry"),
                "region": tab.col(
                    "billingstate" if "billingstate" in tab.index else "billingcountry"
                ),
                "revenue": tab.col("annualrevenue"),
                "tier": tab.col(tier_col if tier_col in tab.index else "type"),
                "parent_id": tab.col("parentid"),
            }
            for number, values in tab.table.rows():
                row = SourceRow(
                    RecordKind.CUSTOMER, {}, tab.table.file, number, columns, values=values
                )
                revenue_text = tab.get(values, "annualrevenue")
                revenue = 0.0
                if revenue_text:
                    try:
                        revenue = _parse_number(revenue_text)
                    except ValueError:
                        row.problems.append(
                            row.problem(
                                tab.col("annualrevenue"), f"{revenue_text!r} is not a number"
                            )
                        )
                data: dict[str, object] = {
                    "id": self._row_id(row, tab, values, "id") or "",
                    "name": tab.get(values, "name"),
                    "industry": tab.get(values, "industry"),
                    "region": tab.get(values, "billingstate") or tab.get(values, "billingcountry"),
                    "revenue": revenue,
                    "tier": m.tier(tab.get(values, "type"), revenue, tab.get(values, tier_col)),
                }
                parent = self._row_id(row, tab, values, "parentid")
                if parent:
                    data["parent_id"] = parent
                row.data = {k: v for k, v in data.items() if v != ""}
                yield row

    def _contacts(self) -> Iterator[SourceRow]:
        """Contacts, with the decision role of their most senior opportunity contact role
        (looked up in the scratch database one chunk of rows at a time)."""
        with self._read_scratch() as db:
            for tab in self._objects.get("contact", []):
                columns = {
                    "id": tab.col("id"),
                    "customer_id": tab.col("accountid"),
                    "name": tab.col("name" if "name" in tab.index else "lastname"),
                    "title": tab.col("title"),
                    "department": tab.col("department"),
                    "email": tab.col("email"),
                    "decision_role": "OpportunityContactRole.Role",
                }
                for chunk in _chunks(tab.table.rows(), _LOOKUP):
                    rows = [self._contact(tab, columns, number, values) for number, values in chunk]
                    roles: dict[str, tuple[Any, ...]] = {}
                    if self._has_decisions:
                        roles = _lookup(
                            db,
                            "SELECT contact, role_rank FROM decision WHERE contact IN ({})",
                            {contact for _, contact in rows if contact},
                        )
                    for row, contact in rows:
                        if contact and contact in roles:
                            row.data["decision_role"] = DECISION_SENIORITY[roles[contact][0]]
                        yield row

    def _contact(
        self, tab: _Tab, columns: dict[str, str], number: int, values: dict[str, str]
    ) -> tuple[SourceRow, str | None]:
        """One contact row without its decision role, and its id to look the role up by."""
        row = SourceRow(RecordKind.CONTACT, {}, tab.table.file, number, columns, values=values)
        contact = self._row_id(row, tab, values, "id")
        account = self._row_id(row, tab, values, "accountid")
        if account is None:
            row.problems.append(
                row.problem(
                    tab.col("accountid"),
                    "is empty: relmap keeps contacts of accounts only",
                )
            )
        name = tab.get(values, "name") or person_name(
            tab.get(values, "firstname"), tab.get(values, "lastname")
        )
        data: dict[str, object] = {
            "id": contact or "",
            "customer_id": account or "",
            "name": name,
            "title": tab.get(values, "title"),
            "department": tab.get(values, "department"),
            "email": tab.get(values, "email"),
        }
        row.data = {k: v for k, v in data.items() if v != ""}
        return row, contact

    def _employees(self) -> Iterator[SourceRow]:
        for tab in self._objects.get("user", []):
            columns = {
                "id": tab.col("id"),
                "name": tab.col("name" if "name" in tab.index else "lastname"),
                "email": tab.col("email"),
                "title": tab.col("title"),
                "region": tab.col("state" if "state" in tab.index else "country"),
                "active": tab.col("isactive"),
            }
            for number, values in tab.table.rows():
                row = SourceRow(
                    RecordKind.EMPLOYEE, {}, tab.table.file, number, columns, values=values
                )
                name = tab.get(values, "name") or person_name(
                    tab.get(values, "firstname"), tab.get(values, "lastname")
                )
                data: dict[str, object] = {
                    "id": self._row_id(row, tab, values, "id") or "",
                    "name": name,
                    "email": tab.get(values, "email"),
                    "title": tab.get(values, "title"),
                    "region": tab.get(values, "state") or tab.get(values, "country"),
                }
                active_text = tab.get(values, "isactive")
                if active_text:
                    active = _parse_bool(active_text)
                    if active is None:
                        row.problems.append(
                            row.problem(
                                tab.col("isactive"), f"{active_text!r} is not true or false"
                            )
                        )
                    else:
                        data["active"] = active
                row.data = {k: v for k, v in data.items() if v != ""}
                yield row

    def _contact_lines(self) -> Iterator[SourceRow]:
        yield from self._reporting_lines("contact", "reportstoid", RecordKind.CONTACT_REPORTS_TO)

    def _employee_lines(self) -> Iterator[SourceRow]:
        yield from self._reporting_lines(
            "user", "managerid", RecordKind.EMPLOYEE_REPORTS_TO, line=ReportingLine.SOLID
        )

    def _reporting_lines(
        self,
        obj: str,
        manager_column: str,
        kind: RecordKind,
        line: ReportingLine | None = None,
    ) -> Iterator[SourceRow]:
        """One reporting-line row per record of ``obj`` whose manager column is filled
        (Contact.ReportsToId, User.ManagerId)."""
        child, parent = RECORD_TYPES[kind].key_fields
        for tab in self._objects.get(obj, []):
            if manager_column not in tab.index:
                continue
            columns = {child: tab.col("id"), parent: tab.col(manager_column)}
            for number, values in tab.table.rows():
                if not tab.get(values, manager_column):
                    continue
                row = SourceRow(kind, {}, tab.table.file, number, columns, values=values)
                row.data = {
                    child: self._row_id(row, tab, values, "id") or "",
                    parent: self._row_id(row, tab, values, manager_column) or "",
                }
                if line is not None:
                    row.data["line"] = line
                yield row

    def _coverages(self) -> Iterator[SourceRow]:
        """The merged coverage, streamed from the scratch database; a coverage's problems name
        the row and columns of its first claim of the winning role."""
        with self._read_scratch() as db:
            merged = db.execute(
                "SELECT account, person, role_rank, credit, origin, tab, rownum "
                "FROM coverage ORDER BY rowid"
            )
            for account, user, rank, credit, origin, tab_number, number in merged:
                tab = self._tabs[tab_number]
                if origin == _FROM_ACCOUNT_OWNER:
                    columns = {"holder_id": tab.col("ownerid"), "customer_id": tab.col("id")}
                elif origin == _FROM_TEAM_MEMBER:
                    columns = {"holder_id": tab.col("userid"), "customer_id": tab.col("accountid")}
                else:
                    columns = {"holder_id": tab.col("splitownerid"), "customer_id": "OpportunityId"}
                role = _RANK_ROLE[rank]
                yield SourceRow(
                    RecordKind.COVERAGE,
                    {
                        "holder_kind": HolderKind.EMPLOYEE,
                        "holder_id": user,
                        "customer_id": account,
                        "role": role,
                        "credit_share": 0.0 if role is CoverageRole.SUPPORT else credit,
                    },
                    tab.table.file,
                    number,
                    columns,
                    values=None,
                )


_API_NAMES = {
    "id": "Id", "name": "Name", "accountid": "AccountId", "lastname": "LastName",
    "userid": "UserId", "teammemberrole": "TeamMemberRole", "opportunityid": "OpportunityId",
    "splitownerid": "SplitOwnerId", "splitpercentage": "SplitPercentage",
    "splittypeid": "SplitTypeId", "istotalvalidated": "IsTotalValidated",
    "contactid": "ContactId", "role": "Role",
}  # fmt: skip


def _api_name(column: str) -> str:
    return _API_NAMES.get(column, column)
