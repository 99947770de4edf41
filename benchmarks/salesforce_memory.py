"""Peak memory and speed of importing a generated Salesforce export of N accounts.

The export has every object the Salesforce importer reads: per account an owner, 1-4
opportunities (some with amount 0), revenue splits 60/40 on half of them and a 100% overlay
split on a fifth, two team members, two contacts and one opportunity contact role per
opportunity; one user per 100 accounts. Two child processes run on the same files, each
measured with ``wait4``:

1. ``prepare``: opens the export as a source and streams every row of every kind (the
   Salesforce importer alone: what its aggregation of splits, owners and team members costs);
2. ``import``: the real command, ``python -m cli.main import DIR --format salesforce``, into a
   temporary SQLite store (the whole pipeline).

Prints rows, seconds, rows/s and peak RSS of each. ``--root`` runs the children in another
checkout (e.g. a ``git worktree`` of an older commit) to compare versions on the same files.

    python -m benchmarks.salesforce_memory                       # 20,000 accounts (quick)
    python -m benchmarks.salesforce_memory --accounts 200000
    python -m benchmarks.salesforce_memory --accounts 200000 --root /tmp/sf-before
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks.child import run_child
from importers.salesforce import sf_id18

ROOT = Path(__file__).resolve().parent.parent

TEAM_ROLES = ("Sales Engineer", "Solution Sales", "Account Manager", "Executive Sponsor")
CONTACT_ROLES = ("Decision Maker", "Economic Buyer", "Evaluator", "Influencer", "Business User")

# Streams every row of every kind of the export given as argv[1]; prints how many.
PREPARE = """
import sys
from pathlib import Path
from importers.detect import open_source
source = open_source([Path(sys.argv[1])], "salesforce")
print(sum(1 for kind in source.kinds() for _ in source.rows(kind)))
"""


def sf_id(prefix: str, number: int) -> str:
    """The 18-character id of object ``prefix`` number ``number``."""
    return sf_id18(f"{prefix}{number:012d}")


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(folder: Path, accounts: int, seed: int = 7) -> int:
    """Write the export's CSV files into ``folder``; the number of data rows."""
    rnd = random.Random(seed)
    users = max(50, accounts // 100)
    user_ids = [sf_id("005", u) for u in range(users)]
    revenue_type, overlay_type = sf_id("149", 1), sf_id("149", 2)
    rows = _write(
        folder / "User.csv",
        ["Id", "FirstName", "LastName", "IsActive", "ManagerId"],
        (
            [uid, "User", str(u), "true", user_ids[(u - 1) // 10] if u else ""]
            for u, uid in enumerate(user_ids)
        ),
    )
    rows += _write(
        folder / "OpportunitySplitType.csv",
        ["Id", "MasterLabel", "IsTotalValidated"],
        [[revenue_type, "Revenue", "true"], [overlay_type, "Overlay", "false"]],
    )
    files = {
        name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
        for name in (
            "Account",
            "Opportunity",
            "OpportunitySplit",
            "AccountTeamMember",
            "Contact",
            "OpportunityContactRole",
        )
    }
    try:
        out = {name: csv.writer(fh) for name, fh in files.items()}
        out["Account"].writerow(["Id", "Name", "OwnerId", "BillingCountry", "AnnualRevenue"])
        out["Opportunity"].writerow(["Id", "AccountId", "Amount", "StageName", "CloseDate"])
        out["OpportunitySplit"].writerow(
            ["OpportunityId", "SplitOwnerId", "SplitPercentage", "SplitTypeId"]
        )
        out["AccountTeamMember"].writerow(["AccountId", "UserId", "TeamMemberRole"])
        out["Contact"].writerow(["Id", "AccountId", "FirstName", "LastName", "Title"])
        out["OpportunityContactRole"].writerow(["OpportunityId", "ContactId", "Role"])
        opp_number = contact_number = 0
        for a in range(accounts):
            account = sf_id("001", a)
            owner = user_ids[a % users]
            out["Account"].writerow(
                [account, f"Account {a}", owner, "China", rnd.randrange(10**5, 10**9)]
            )
            contacts = []
            for _ in range(2):
                contact = sf_id("003", contact_number)
                contact_number += 1
                contacts.append(contact)
                out["Contact"].writerow([contact, account, "C", str(contact_number), "CTO"])
            for _ in range(1 + a % 4):
                opp = sf_id("006", opp_number)
                opp_number += 1
                amount = 0 if rnd.random() < 0.1 else rnd.randrange(1_000, 1_000_000)
                out["Opportunity"].writerow([opp, account, amount, "Closed Won", "2025-06-30"])
                if rnd.random() < 0.5:
                    other = user_ids[rnd.randrange(users)]
                    if other != owner:
                        out["OpportunitySplit"].writerow([opp, owner, 60, revenue_type])
                        out["OpportunitySplit"].writerow([opp, other, 40, revenue_type])
                if rnd.random() < 0.2:
                    overlay = user_ids[rnd.randrange(users)]
                    out["OpportunitySplit"].writerow([opp, overlay, 100, overlay_type])
                out["OpportunityContactRole"].writerow(
                    [opp, rnd.choice(contacts), rnd.choice(CONTACT_ROLES)]
                )
            for member in rnd.sample(user_ids, 2):
                out["AccountTeamMember"].writerow([account, member, rnd.choice(TEAM_ROLES)])
    finally:
        for fh in files.values():
            fh.close()
    for name in files:
        with (folder / f"{name}.csv").open(encoding="utf-8") as fh:
            rows += sum(1 for _ in fh) - 1
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="salesforce_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to run the children in")
    parser.add_argument("--skip-import", action="store_true", help="measure 'prepare' only")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="relmap-sf-bench-") as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        start = time.perf_counter()
        rows = generate(folder, args.accounts, args.seed)
        print(
            f"generated {args.accounts:,} accounts, {rows:,} rows "
            f"in {time.perf_counter() - start:.1f} s; running in {root}"
        )
        env = dict(os.environ, PYTHONPATH=str(root), COLUMNS="120")
        phases = [("prepare", ["-c", PREPARE, str(folder)])]
        if not args.skip_import:
            store = f"sqlite:///{Path(tmp) / 'relmap.db'}"
            phases.append(
                (
                    "import",
                    ["-m", "cli.main", "import", str(folder), "--format", "salesforce"],
                )
            )
            env["RELMAP_STORE"] = store
        for name, child in phases:
            seconds, rss, _output = run_child(child, root, env)
            print(
                f"{name:8} {rows:>10,} rows  {seconds:8.1f} s  {rows / seconds:>9,.0f} rows/s  "
                f"peak RSS {rss / 2**20:,.0f} MiB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
