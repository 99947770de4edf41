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
  (:mod:`importers.salesforce.roles`). One coverage per person and account: owner beats
  overlay beats support.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from graph.model import (
    RECORD_TYPES,
    WRITE_ORDER,
    CoverageRole,
    HolderKind,
    RecordKind,
    ReportingLine,
)
from importers.files import Table, normalise_header
from importers.report import ImportProblem
from importers.salesforce.aggregate import ScratchAggregate
from importers.salesforce.objects import (
    OBJECTS,
    ObjectTable,
    api_name,
    object_of,
    parse_bool,
    parse_number,
    person_name,
    sf_id18,
)
from importers.salesforce.roles import DECISION_SENIORITY, SalesforceMapping
from importers.salesforce.scratch import (
    FROM_ACCOUNT_OWNER,
    FROM_TEAM_MEMBER,
    LOOKUP,
    RANK_ROLE,
    chunks,
    lookup,
)
from importers.source import SourceRow

__all__ = ["SalesforceSource"]


class SalesforceSource:
    """A Salesforce export folder, prepared.

    The objects that only feed other records (contact roles, opportunities, splits, team
    members, account owners) are read up front and folded in a scratch SQLite database on
    disk (:class:`~importers.salesforce.aggregate.ScratchAggregate`), so memory stays flat
    however many accounts the export holds (a million accounts with several opportunities
    each would be gigabytes of Python objects). Accounts, contacts, users and the folded
    coverage then stream. The scratch database lives in a temporary folder removed by
    :meth:`close`, or when the source is garbage-collected."""

    format = "salesforce"

    def __init__(
        self,
        tables: list[Table],
        mapping: SalesforceMapping | None = None,
        objects: Sequence[str | None] | None = None,
    ) -> None:
        """``objects``: each table's object when format detection has worked it out already
        (:func:`~importers.salesforce.objects.object_of`), so it is not worked out again."""
        self.mapping = mapping or SalesforceMapping()
        self.problems: list[ImportProblem] = []
        self.warnings: list[str] = []
        self._objects: dict[str, list[ObjectTable]] = defaultdict(list)
        self._tabs: list[ObjectTable] = []
        if objects is None:
            objects = [object_of(t) for t in tables]
        for table, obj in zip(tables, objects, strict=True):
            if obj is None:
                self.warnings.append(
                    f"{table.file}: not a Salesforce object this import reads; ignored"
                )
                continue
            index = table.index
            required, _ = OBJECTS[obj]
            missing = [c for c in required if c not in index]
            if obj == "user" and "name" not in index and "lastname" not in index:
                missing.append("Name")
            for column in missing:
                self.problems.append(
                    ImportProblem(table.file, 1, api_name(column), "required column is missing")
                )
            if not missing:
                tab = ObjectTable(table, index, len(self._tabs))
                self._tabs.append(tab)
                self._objects[obj].append(tab)
        self._aggregate = ScratchAggregate(
            self._tabs, self._objects, self.mapping, self.problems, self.warnings
        )
        self._aggregate.prepare()

    def close(self) -> None:
        """Remove the scratch database (rows that need it cannot be read afterwards)."""
        self._aggregate.close()

    def __enter__(self) -> SalesforceSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        if self._aggregate.has_coverage:
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

    def _row_id(
        self, row: SourceRow, tab: ObjectTable, values: dict[str, str], name: str
    ) -> str | None:
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
                        revenue = parse_number(revenue_text)
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
        with self._aggregate.reading() as db:
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
                for chunk in chunks(tab.table.rows(), LOOKUP):
                    rows = [self._contact(tab, columns, number, values) for number, values in chunk]
                    roles: dict[str, tuple[Any, ...]] = {}
                    if self._aggregate.has_decisions:
                        roles = lookup(
                            db,
                            "SELECT contact, role_rank FROM decision WHERE contact IN ({})",
                            {contact for _, contact in rows if contact},
                        )
                    for row, contact in rows:
                        if contact and contact in roles:
                            row.data["decision_role"] = DECISION_SENIORITY[roles[contact][0]]
                        yield row

    def _contact(
        self, tab: ObjectTable, columns: dict[str, str], number: int, values: dict[str, str]
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
                    active = parse_bool(active_text)
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
        with self._aggregate.reading() as db:
            merged = db.execute(
                "SELECT account, person, role_rank, credit, origin, tab, rownum "
                "FROM coverage ORDER BY rowid"
            )
            for account, user, rank, credit, origin, tab_number, number in merged:
                tab = self._tabs[tab_number]
                if origin == FROM_ACCOUNT_OWNER:
                    columns = {"holder_id": tab.col("ownerid"), "customer_id": tab.col("id")}
                elif origin == FROM_TEAM_MEMBER:
                    columns = {"holder_id": tab.col("userid"), "customer_id": tab.col("accountid")}
                else:
                    columns = {"holder_id": tab.col("splitownerid"), "customer_id": "OpportunityId"}
                role = RANK_ROLE[rank]
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
