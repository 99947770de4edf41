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

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from graph.model import (
    RECORD_TYPES,
    WRITE_ORDER,
    CoverageRole,
    DecisionRole,
    HolderKind,
    RecordKind,
    ReportingLine,
)
from importers.files import Table
from importers.report import ImportProblem
from importers.salesforce_roles import DECISION_SENIORITY, SalesforceMapping
from importers.source import SourceRow, cells, header_index, normalise_header

_SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

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

    def get(self, values: dict[str, str], name: str) -> str:
        return cells(values, self.index, name)

    def col(self, name: str) -> str:
        return self.index.get(name, name)


@dataclass(slots=True)
class _Cov:
    """One person's coverage of one account, and the row it came from (the row's cells are
    not kept: a million accounts' worth would not fit in memory)."""

    role: CoverageRole
    credit: float
    file: str
    row: int | None
    column: str
    values: dict[str, str] | None = None
    account_column: str = "AccountId"


_ROLE_RANK = {CoverageRole.OWNER: 0, CoverageRole.OVERLAY: 1, CoverageRole.SUPPORT: 2}


@dataclass
class _Split:
    """Amount-weighted and count-weighted credit sums of one split owner on one account."""

    amount: float = 0.0
    count: float = 0.0
    origin: tuple[str, int | None, str] = ("", None, "")


@dataclass
class _SplitBase:
    amount: float = 0.0
    count: int = 0
    owners: dict[str, _Split] = field(default_factory=dict)

    def shares(self) -> dict[str, float]:
        by_amount = self.amount > 0
        out = {}
        for owner, s in self.owners.items():
            share = s.amount / self.amount if by_amount else s.count / max(self.count, 1)
            out[owner] = round(min(share, 1.0), 4)
        return out


class SalesforceSource:
    """A Salesforce export folder, prepared: small lookup tables are read up front (split
    types, opportunities, contact roles, team members, account owners); accounts, contacts and
    users stream."""

    format = "salesforce"

    def __init__(self, tables: list[Table], mapping: SalesforceMapping | None = None) -> None:
        self.mapping = mapping or SalesforceMapping()
        self.problems: list[ImportProblem] = []
        self.warnings: list[str] = []
        self._objects: dict[str, list[_Tab]] = defaultdict(list)
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
                self._objects[obj].append(_Tab(table, index))
        self._decision: dict[str, DecisionRole] = {}
        self._coverage: dict[str, dict[str, _Cov]] = {}
        self._unknown_roles: set[str] = set()
        self._prepare()

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

    # ---------------------------------------------------------------------------- prepare

    def _prepare(self) -> None:
        self._read_contact_roles()
        validated = self._read_split_types()
        opportunities = self._read_opportunities()
        revenue, overlay = self._read_splits(validated, opportunities)
        self._read_account_owners(revenue)
        self._apply_splits(revenue, overlay)
        self._read_team_members(revenue)
        if self._unknown_roles:
            self.warnings.append(
                "TeamMemberRole value(s) not in the role table, imported as "
                f"{self.mapping.unknown_team_role.value}: " + ", ".join(sorted(self._unknown_roles))
            )

    def _read_contact_roles(self) -> None:
        rank = {r: i for i, r in enumerate(DECISION_SENIORITY)}
        unknown: set[str] = set()
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
                current = self._decision.get(contact)
                if current is None or rank[role] < rank[current]:
                    self._decision[contact] = role
        if unknown:
            self.warnings.append(
                "OpportunityContactRole.Role value(s) not in the role table, ignored: "
                + ", ".join(sorted(unknown))
            )

    def _read_split_types(self) -> dict[str, bool]:
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

    def _read_opportunities(self) -> dict[str, tuple[str, float]]:
        opportunities: dict[str, tuple[str, float]] = {}
        for tab in self._objects.get("opportunity", []):
            for number, values in tab.table.rows():
                opp = self._id(tab, number, values, "id")
                account = self._id(tab, number, values, "accountid")
                amount = self._number(tab, number, values, "amount")
                if opp is not None and account is not None:
                    opportunities[opp] = (account, max(amount, 0.0))
        return opportunities

    def _read_splits(
        self, validated: dict[str, bool], opportunities: dict[str, tuple[str, float]]
    ) -> tuple[dict[str, _SplitBase], dict[str, _SplitBase]]:
        """Splits folded per account: (revenue, overlay) -> account -> owners' credit sums."""
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
            return {}, {}
        # per opportunity and type: owner -> percent, plus where the first split row was
        per_opp: dict[tuple[str, bool], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        origin: dict[tuple[str, bool], tuple[str, int | None, str]] = {}
        owner_origin: dict[tuple[str, bool, str], tuple[str, int | None, str]] = {}
        for tab in tabs:
            for number, values in tab.table.rows():
                opp = self._id(tab, number, values, "opportunityid")
                owner = self._id(tab, number, values, "splitownerid")
                type_id = self._id(tab, number, values, "splittypeid")
                pct = self._number(tab, number, values, "splitpercentage")
                if opp is None or owner is None or type_id is None:
                    for name in ("opportunityid", "splitownerid", "splittypeid"):
                        if not tab.get(values, name):
                            self.problems.append(
                                ImportProblem(tab.table.file, number, tab.col(name), "is empty")
                            )
                    continue
                if opp not in opportunities:
                    self.problems.append(
                        ImportProblem(
                            tab.table.file,
                            number,
                            tab.col("opportunityid"),
                            f"opportunity {opp} is not in Opportunity.csv (its account is needed)",
                        )
                    )
                    continue
                if type_id not in validated:
                    self.problems.append(
                        ImportProblem(
                            tab.table.file,
                            number,
                            tab.col("splittypeid"),
                            f"split type {type_id} is not in OpportunitySplitType.csv",
                        )
                    )
                    continue
                if not 0 <= pct <= 100:
                    self.problems.append(
                        ImportProblem(
                            tab.table.file,
                            number,
                            tab.col("splitpercentage"),
                            f"{pct:g}% is not a percentage between 0 and 100",
                        )
                    )
                    continue
                key = (opp, validated[type_id])
                per_opp[key][owner] += pct
                where = (tab.table.file, number, tab.col("splitownerid"))
                origin.setdefault(key, (tab.table.file, number, tab.col("splitpercentage")))
                owner_origin.setdefault((opp, validated[type_id], owner), where)
        revenue: dict[str, _SplitBase] = {}
        overlay: dict[str, _SplitBase] = {}
        for (opp, is_revenue), owners in per_opp.items():
            total = sum(owners.values())
            if is_revenue and abs(total - 100.0) > 0.01:
                file, at_row, column = origin[(opp, is_revenue)]
                self.problems.append(
                    ImportProblem(
                        file,
                        at_row,
                        column,
                        f"revenue splits of opportunity {opp} total {total:g}%; revenue splits "
                        "must total 100%",
                    )
                )
                continue
            account, amount = opportunities[opp]
            base = (revenue if is_revenue else overlay).setdefault(account, _SplitBase())
            base.amount += amount
            base.count += 1
            for owner, pct in owners.items():
                s = base.owners.setdefault(
                    owner, _Split(origin=owner_origin[(opp, is_revenue, owner)])
                )
                s.amount += amount * pct / 100.0
                s.count += pct / 100.0
        return revenue, overlay

    def _cover(self, account: str, user: str, cov: _Cov) -> None:
        """Merge one coverage claim: owner beats overlay beats support; the higher credit of
        the same role is kept."""
        per = self._coverage.setdefault(account, {})
        current = per.get(user)
        if current is None or _ROLE_RANK[cov.role] < _ROLE_RANK[current.role]:
            per[user] = cov
        elif cov.role is current.role and cov.credit > current.credit:
            current.credit = cov.credit

    def _read_account_owners(self, revenue: dict[str, _SplitBase]) -> None:
        for tab in self._objects.get("account", []):
            if "ownerid" not in tab.index:
                continue
            for number, values in tab.table.rows():
                account = self._id(tab, number, values, "id", quiet=True)
                owner = self._id(tab, number, values, "ownerid")
                if account is None or owner is None:
                    continue
                base = revenue.get(account)
                credit = 1.0 if base is None else base.shares().get(owner, 0.0)
                self._cover(
                    account,
                    owner,
                    _Cov(
                        CoverageRole.OWNER,
                        credit,
                        tab.table.file,
                        number,
                        tab.col("ownerid"),
                        None,
                        tab.col("id"),
                    ),
                )

    def _apply_splits(self, revenue: dict[str, _SplitBase], overlay: dict[str, _SplitBase]) -> None:
        for account, base in revenue.items():
            for owner, share in base.shares().items():
                file, number, column = base.owners[owner].origin
                self._cover(
                    account,
                    owner,
                    _Cov(CoverageRole.OWNER, share, file, number, column, None, "OpportunityId"),
                )
        for account, base in overlay.items():
            for owner, share in base.shares().items():
                file, number, column = base.owners[owner].origin
                per = self._coverage.get(account, {})
                current = per.get(owner)
                if current is not None and current.role is CoverageRole.OWNER:
                    continue  # an owner's own overlay split adds nothing: owner beats overlay
                self._cover(
                    account,
                    owner,
                    _Cov(CoverageRole.OVERLAY, share, file, number, column, None, "OpportunityId"),
                )

    def _read_team_members(self, revenue: dict[str, _SplitBase]) -> None:
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
                credit = 0.0
                if role is CoverageRole.OWNER and account in revenue:
                    credit = revenue[account].shares().get(user, 0.0)
                self._cover(
                    account,
                    user,
                    _Cov(
                        role,
                        credit,
                        tab.table.file,
                        number,
                        tab.col("userid"),
                        None,
                        tab.col("accountid"),
                    ),
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
        if self._coverage:
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
            for number, values in tab.table.rows():
                row = SourceRow(
                    RecordKind.CONTACT, {}, tab.table.file, number, columns, values=values
                )
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
                if contact and contact in self._decision:
                    data["decision_role"] = self._decision[contact]
                row.data = {k: v for k, v in data.items() if v != ""}
                yield row

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
        for account, per in self._coverage.items():
            for user, cov in per.items():
                columns = {"holder_id": cov.column, "customer_id": cov.account_column}
                credit = 0.0 if cov.role is CoverageRole.SUPPORT else cov.credit
                yield SourceRow(
                    RecordKind.COVERAGE,
                    {
                        "holder_kind": HolderKind.EMPLOYEE,
                        "holder_id": user,
                        "customer_id": account,
                        "role": cov.role,
                        "credit_share": credit,
                    },
                    cov.file,
                    cov.row,
                    columns,
                    values=cov.values,
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
