"""The scratch SQLite database a Salesforce import folds its supporting objects in.

Contact roles, opportunities, splits, account owners and team members are written into these
tables and folded there by SQL (:data:`FOLD_SPLITS`, the ``CLAIM_*`` statements,
:data:`MERGE_CLAIMS`), so memory stays flat however large the export is. This module holds the
schema and statements and the small helpers to fill and query the database in chunks; what is
read into it, and in which order, is :mod:`importers.salesforce.aggregate`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from graph.model import CoverageRole

__all__ = [
    "CLAIM_ACCOUNT_OWNERS",
    "CLAIM_SPLITS",
    "CLAIM_TEAM_MEMBERS",
    "FOLD_SPLITS",
    "FROM_ACCOUNT_OWNER",
    "FROM_OVERLAY_SPLIT",
    "FROM_REVENUE_SPLIT",
    "FROM_TEAM_MEMBER",
    "LOOKUP",
    "MERGE_CLAIMS",
    "RANK_ROLE",
    "ROLE_RANK",
    "SCHEMA",
    "Inserts",
    "chunks",
    "credit_share",
    "lookup",
    "open_to_fill",
    "open_to_read",
]

_T = TypeVar("_T")

ROLE_RANK = {CoverageRole.OWNER: 0, CoverageRole.OVERLAY: 1, CoverageRole.SUPPORT: 2}
RANK_ROLE = {rank: role for role, rank in ROLE_RANK.items()}

# Where a coverage claim came from: it decides which columns a problem with the coverage names.
FROM_ACCOUNT_OWNER, FROM_REVENUE_SPLIT, FROM_OVERLAY_SPLIT, FROM_TEAM_MEMBER = range(4)

# Ids per ``IN (...)`` lookup (below SQLite's historical limit of 999 variables).
LOOKUP = 500
# Rows per ``executemany`` into the scratch database.
_INSERT = 5000

SCHEMA = """
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

# Splits folded per account, as the in-memory version did it (see
# ScratchAggregate._fold_splits). A column outside the GROUP BY next to a single min() takes its
# value from the row holding that minimum (SQLite's documented "bare column" rule): the owner's
# first row in their earliest opportunity.
FOLD_SPLITS = """
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
CLAIM_ACCOUNT_OWNERS = f"""
INSERT INTO claim (account, person, role_rank, credit, origin, tab, rownum)
SELECT a.account, a.owner, 0,
       CASE WHEN b.account IS NULL THEN 1.0 ELSE coalesce(s.credit, 0.0) END,
       {FROM_ACCOUNT_OWNER}, a.tab, a.rownum
FROM account_owner a
LEFT JOIN split_base b ON b.account = a.account AND b.revenue = 1
LEFT JOIN split_share s ON s.account = a.account AND s.revenue = 1 AND s.owner = a.owner
ORDER BY a.seq
"""
CLAIM_SPLITS = """
INSERT INTO claim (account, person, role_rank, credit, origin, tab, rownum)
SELECT s.account, s.owner, ?, s.credit, ?, sp.tab, sp.rownum
FROM split_share s JOIN split sp ON sp.seq = s.first_seq
WHERE s.revenue = ? ORDER BY s.group_seq, s.first_seq
"""
CLAIM_TEAM_MEMBERS = f"""
INSERT INTO claim (account, person, role_rank, credit, origin, tab, rownum)
SELECT t.account, t.person, t.role_rank,
       CASE WHEN t.role_rank = 0 AND b.account IS NOT NULL THEN coalesce(s.credit, 0.0)
            ELSE 0.0 END,
       {FROM_TEAM_MEMBER}, t.tab, t.rownum
FROM team_member t
LEFT JOIN split_base b ON b.account = t.account AND b.revenue = 1
LEFT JOIN split_share s ON s.account = t.account AND s.revenue = 1 AND s.owner = t.person
ORDER BY t.seq
"""
# One coverage per person and account: the best role wins (owner beats overlay beats support),
# with the highest credit claimed for that role and the origin of its first claim. Ordered as
# the in-memory dict was: accounts, then people, by their first claim.
MERGE_CLAIMS = """
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


def credit_share(amount: float, count: float, base_amount: float, base_count: int) -> float:
    """One split owner's credit on one account: their part of the amount of the account's
    split opportunities, or of their number when those carry no amount; at most 1, rounded to
    4 places. SQL function ``share`` of the scratch database, so rounding stays Python's."""
    share = amount / base_amount if base_amount > 0 else count / max(base_count, 1)
    return round(min(share, 1.0), 4)


def chunks(rows: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class Inserts:
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

    def __enter__(self) -> Inserts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


def lookup(db: sqlite3.Connection, sql: str, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """``key -> rest of the row`` for the keys found; ``sql`` selects the key first and ends
    with ``IN ({})`` for the placeholders."""
    out: dict[str, tuple[Any, ...]] = {}
    for chunk in chunks(keys, LOOKUP):
        for key, *rest in db.execute(sql.format(",".join("?" * len(chunk))), chunk):
            out[key] = tuple(rest)
    return out


def open_to_fill(path: Path) -> sqlite3.Connection:
    """The scratch database, opened to be filled: no journal and no syncing (it is thrown
    away on any failure), sorts spilled to temporary files. The page cache is small: each
    sorter of the merge may hold as much again in memory (4 of them peak at ~80 MiB RSS in
    all with 8 MiB), and a larger one made the folding no faster."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA temp_store = FILE")
    db.execute("PRAGMA cache_size = -8192")  # KiB
    db.create_function("share", 4, credit_share, deterministic=True)
    return db


@contextmanager
def open_to_read(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection of its own for one stream of rows (the pipeline reads
    rows in a second thread while it writes)."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()
