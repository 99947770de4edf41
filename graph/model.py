"""The domain model: customers, their people, our people and teams, and the links between them.

Vocabulary and rules come from ``shared/DOMAIN.md``. This module imports nothing of relmap's own:
stores, analyses, importers, the API and the maps all build on it.

Every record type has a *kind* (``RecordKind``), a *key* (its identity, used for idempotent
upserts) and *references* to the records it links (checked by ``graph.store.validation``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# --------------------------------------------------------------------------------------- enums


class Tier(StrEnum):
    """Customer segment by size and importance (DOMAIN.md section 2)."""

    STRATEGIC = "strategic"
    KEY = "key"
    MID = "mid"
    SMALL = "small"


TIER_ORDER: tuple[Tier, ...] = (Tier.STRATEGIC, Tier.KEY, Tier.MID, Tier.SMALL)


class TeamKind(StrEnum):
    """What a team of ours does (DOMAIN.md section 3)."""

    REGIONAL = "regional"
    KEY_ACCOUNT = "key_account"
    GOVERNMENT = "government"
    SOLUTION = "solution"
    DELIVERY = "delivery"
    PARTNER = "partner"
    INSIDE_SALES = "inside_sales"


class CoverageRole(StrEnum):
    """How a team or person covers a customer: owner carries it, overlay co-sells with dual
    credit, support helps without credit."""

    OWNER = "owner"
    OVERLAY = "overlay"
    SUPPORT = "support"


class HolderKind(StrEnum):
    """Coverage is held either by a whole team or by a named person."""

    TEAM = "team"
    EMPLOYEE = "employee"


class DecisionRole(StrEnum):
    """The part a contact plays in buying decisions."""

    DECISION_MAKER = "decision_maker"
    ECONOMIC_BUYER = "economic_buyer"
    TECHNICAL_BUYER = "technical_buyer"
    EVALUATOR = "evaluator"
    USER = "user"
    INFLUENCER = "influencer"
    GATEKEEPER = "gatekeeper"
    COACH = "coach"
    UNKNOWN = "unknown"


class Stance(StrEnum):
    """How a contact stands toward us."""

    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    BLOCKER = "blocker"
    UNKNOWN = "unknown"


class ContactKind(StrEnum):
    """A contact is the customer's own person or a third party who sways the business."""

    CUSTOMER = "customer"
    CONSULTANT = "consultant"
    INTEGRATOR = "integrator"
    DESIGN_INSTITUTE = "design_institute"
    PARTNER = "partner"


class RelationshipStrength(StrEnum):
    """Named scale of how well one of our people knows a contact, weakest first."""

    NONE = "none"
    ACQUAINTED = "acquainted"
    CREDIBLE_SOURCE = "credible_source"
    PROBLEM_SOLVER = "problem_solver"
    TRUSTED_ADVISOR = "trusted_advisor"

    @property
    def level(self) -> int:
        """0 for none up to 4 for trusted advisor."""
        return _STRENGTH_LEVELS[self]


_STRENGTH_LEVELS = {s: i for i, s in enumerate(RelationshipStrength)}


class ReportingLine(StrEnum):
    """Solid (line manager) or dotted (functional authority) reporting."""

    SOLID = "solid"
    DOTTED = "dotted"


class RecordKind(StrEnum):
    """Every kind of record a store holds: four entities and seven links."""

    CUSTOMER = "customer"
    CONTACT = "contact"
    EMPLOYEE = "employee"
    TEAM = "team"
    CONTACT_REPORTS_TO = "contact_reports_to"
    INFLUENCE = "influence"
    MEMBERSHIP = "membership"
    EMPLOYEE_REPORTS_TO = "employee_reports_to"
    COVERAGE = "coverage"
    RELATIONSHIP = "relationship"
    # The customer hierarchy is held by Customer.parent_id; stores materialise it as a link.


class Ref(NamedTuple):
    """A reference from one record's field to another record."""

    field: str
    kind: RecordKind
    key: str


# ------------------------------------------------------------------------------------- records

_ID_PATTERN = r"^[^\x00-\x1f]{1,200}$"


def _clean_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return value


class Record(BaseModel):
    """Base of every stored record: strict fields, stripped text, a key and references."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: ClassVar[RecordKind]
    key_fields: ClassVar[tuple[str, ...]]

    @property
    def key(self) -> str:
        """The record's identity; for links the key fields joined by a unit separator."""
        fields = self.key_fields
        if len(fields) == 1:  # entities: the id itself (read ~10 times per imported row)
            return str(getattr(self, fields[0]))
        return KEY_SEPARATOR.join([str(getattr(self, f)) for f in fields])

    def refs(self) -> Iterator[Ref]:
        """References this record makes to other records (checked before any write)."""
        return iter(())

    def label(self) -> str:
        """How error messages name this record."""
        return f"{self.kind.value} {self.key.replace(KEY_SEPARATOR, ' -> ')!r}"


KEY_SEPARATOR = "\x1f"


def split_key(key: str) -> list[str]:
    """Inverse of ``Record.key`` for link records."""
    return key.split(KEY_SEPARATOR)


Id = Field(min_length=1, max_length=200, pattern=_ID_PATTERN)
Name = Field(min_length=1, max_length=300)
Text = Field(default="", max_length=300)
Money = Field(default=0.0, ge=0, le=1e15)


class Customer(Record):
    """A customer organisation; ``parent_id`` links a branch or subsidiary to its HQ."""

    kind: ClassVar[RecordKind] = RecordKind.CUSTOMER
    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: str = Id
    name: str = Name
    tier: Tier = Tier.SMALL
    industry: str = Text
    region: str = Text
    revenue: float = Field(default=0.0, ge=0, le=1e15, description="revenue of the last 2 years")
    potential: float = Field(
        default=0.0, ge=0, le=1e15, description="expected revenue, next 3 years"
    )
    reference_value: float = Field(default=0.0, ge=0, le=1, description="lighthouse value, 0-1")
    winnability: float = Field(default=0.5, ge=0, le=1, description="can we win and deliver, 0-1")
    parent_id: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _not_own_parent(self) -> Customer:
        if self.parent_id == self.id:
            raise ValueError("parent_id: a customer cannot be its own parent")
        return self

    def refs(self) -> Iterator[Ref]:
        if self.parent_id:
            yield Ref("parent_id", RecordKind.CUSTOMER, self.parent_id)


class Contact(Record):
    """A person at a customer (or a third party working on the account)."""

    kind: ClassVar[RecordKind] = RecordKind.CONTACT
    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: str = Id
    customer_id: str = Id
    name: str = Name
    title: str = Text
    department: str = Text
    level: int = Field(default=3, ge=0, le=10, description="0 = board/CEO ... 10 = junior")
    decision_role: DecisionRole = DecisionRole.UNKNOWN
    stance: Stance = Stance.UNKNOWN
    contact_kind: ContactKind = ContactKind.CUSTOMER
    email: str = Text

    def refs(self) -> Iterator[Ref]:
        yield Ref("customer_id", RecordKind.CUSTOMER, self.customer_id)


class Employee(Record):
    """One of our people."""

    kind: ClassVar[RecordKind] = RecordKind.EMPLOYEE
    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: str = Id
    name: str = Name
    email: str = Text
    title: str = Text
    region: str = Text
    active: bool = True


class Team(Record):
    """One of our teams; ``regions`` is the territory a regional team owns by default."""

    kind: ClassVar[RecordKind] = RecordKind.TEAM
    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: str = Id
    name: str = Name
    team_kind: TeamKind
    regions: tuple[str, ...] = ()
    industry: str = Text
    parent_id: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("regions", mode="before")
    @classmethod
    def _split_regions(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(r.strip() for r in value.split(";") if r.strip())
        return value

    @model_validator(mode="after")
    def _not_own_parent(self) -> Team:
        if self.parent_id == self.id:
            raise ValueError("parent_id: a team cannot be its own parent")
        return self

    def refs(self) -> Iterator[Ref]:
        if self.parent_id:
            yield Ref("parent_id", RecordKind.TEAM, self.parent_id)


class ContactReportsTo(Record):
    """Formal reporting line inside the customer: ``contact_id`` reports to ``manager_id``."""

    kind: ClassVar[RecordKind] = RecordKind.CONTACT_REPORTS_TO
    key_fields: ClassVar[tuple[str, ...]] = ("contact_id", "manager_id")

    contact_id: str = Id
    manager_id: str = Id

    @model_validator(mode="after")
    def _no_self_loop(self) -> ContactReportsTo:
        if self.contact_id == self.manager_id:
            raise ValueError("manager_id: a contact cannot report to themselves")
        return self

    def refs(self) -> Iterator[Ref]:
        yield Ref("contact_id", RecordKind.CONTACT, self.contact_id)
        yield Ref("manager_id", RecordKind.CONTACT, self.manager_id)


class Influence(Record):
    """Informal influence: ``source_id`` sways ``target_id`` with a strength in (0, 1]."""

    kind: ClassVar[RecordKind] = RecordKind.INFLUENCE
    key_fields: ClassVar[tuple[str, ...]] = ("source_id", "target_id")

    source_id: str = Id
    target_id: str = Id
    strength: float = Field(default=0.5, gt=0, le=1)

    @model_validator(mode="after")
    def _no_self_loop(self) -> Influence:
        if self.source_id == self.target_id:
            raise ValueError("target_id: a contact cannot influence themselves")
        return self

    def refs(self) -> Iterator[Ref]:
        yield Ref("source_id", RecordKind.CONTACT, self.source_id)
        yield Ref("target_id", RecordKind.CONTACT, self.target_id)


class Membership(Record):
    """An employee is a member of a team, with a role such as account manager or lead."""

    kind: ClassVar[RecordKind] = RecordKind.MEMBERSHIP
    key_fields: ClassVar[tuple[str, ...]] = ("employee_id", "team_id")

    employee_id: str = Id
    team_id: str = Id
    role: str = Field(default="member", max_length=100)

    def refs(self) -> Iterator[Ref]:
        yield Ref("employee_id", RecordKind.EMPLOYEE, self.employee_id)
        yield Ref("team_id", RecordKind.TEAM, self.team_id)


class EmployeeReportsTo(Record):
    """Our reporting line: solid to the line manager, dotted for functional authority."""

    kind: ClassVar[RecordKind] = RecordKind.EMPLOYEE_REPORTS_TO
    key_fields: ClassVar[tuple[str, ...]] = ("employee_id", "manager_id")

    employee_id: str = Id
    manager_id: str = Id
    line: ReportingLine = ReportingLine.SOLID

    @model_validator(mode="after")
    def _no_self_loop(self) -> EmployeeReportsTo:
        if self.employee_id == self.manager_id:
            raise ValueError("manager_id: an employee cannot report to themselves")
        return self

    def refs(self) -> Iterator[Ref]:
        yield Ref("employee_id", RecordKind.EMPLOYEE, self.employee_id)
        yield Ref("manager_id", RecordKind.EMPLOYEE, self.manager_id)


class Coverage(Record):
    """A team or a named employee covers a customer in a role, with a credit share."""

    kind: ClassVar[RecordKind] = RecordKind.COVERAGE
    key_fields: ClassVar[tuple[str, ...]] = ("holder_kind", "holder_id", "customer_id")

    holder_kind: HolderKind
    holder_id: str = Id
    customer_id: str = Id
    role: CoverageRole = CoverageRole.OWNER
    credit_share: float = Field(default=1.0, ge=0, le=1)
    since: dt.date | None = None

    @model_validator(mode="after")
    def _support_has_no_credit(self) -> Coverage:
        if self.role is CoverageRole.SUPPORT and self.credit_share > 0:
            raise ValueError("credit_share: support coverage carries no credit (use 0)")
        return self

    def refs(self) -> Iterator[Ref]:
        holder = RecordKind.TEAM if self.holder_kind is HolderKind.TEAM else RecordKind.EMPLOYEE
        yield Ref("holder_id", holder, self.holder_id)
        yield Ref("customer_id", RecordKind.CUSTOMER, self.customer_id)


class Relationship(Record):
    """How well one of our people knows a contact, and how well they should."""

    kind: ClassVar[RecordKind] = RecordKind.RELATIONSHIP
    key_fields: ClassVar[tuple[str, ...]] = ("employee_id", "contact_id")

    employee_id: str = Id
    contact_id: str = Id
    strength: RelationshipStrength = RelationshipStrength.ACQUAINTED
    desired: RelationshipStrength | None = None
    last_touch: dt.date | None = None

    def refs(self) -> Iterator[Ref]:
        yield Ref("employee_id", RecordKind.EMPLOYEE, self.employee_id)
        yield Ref("contact_id", RecordKind.CONTACT, self.contact_id)


RECORD_TYPES: dict[RecordKind, type[Record]] = {
    RecordKind.CUSTOMER: Customer,
    RecordKind.CONTACT: Contact,
    RecordKind.EMPLOYEE: Employee,
    RecordKind.TEAM: Team,
    RecordKind.CONTACT_REPORTS_TO: ContactReportsTo,
    RecordKind.INFLUENCE: Influence,
    RecordKind.MEMBERSHIP: Membership,
    RecordKind.EMPLOYEE_REPORTS_TO: EmployeeReportsTo,
    RecordKind.COVERAGE: Coverage,
    RecordKind.RELATIONSHIP: Relationship,
}

ENTITY_KINDS: tuple[RecordKind, ...] = (
    RecordKind.CUSTOMER,
    RecordKind.CONTACT,
    RecordKind.EMPLOYEE,
    RecordKind.TEAM,
)

# Order in which kinds are written so that references always point at records written earlier;
# deletes go in reverse.
WRITE_ORDER: tuple[RecordKind, ...] = tuple(RECORD_TYPES)

# Kinds whose records form reporting hierarchies that must stay acyclic: kind -> (child, parent).
HIERARCHIES: dict[RecordKind, tuple[str, str]] = {
    RecordKind.CUSTOMER: ("id", "parent_id"),
    RecordKind.TEAM: ("id", "parent_id"),
    RecordKind.CONTACT_REPORTS_TO: ("contact_id", "manager_id"),
    RecordKind.EMPLOYEE_REPORTS_TO: ("employee_id", "manager_id"),
}


def record_from_dict(kind: RecordKind, data: dict[str, Any]) -> Record:
    """Build and validate one record of ``kind`` from plain data (raises pydantic's
    ValidationError naming the field)."""
    return RECORD_TYPES[kind].model_validate(data)


def record_to_dict(record: Record) -> dict[str, Any]:
    """Plain JSON-ready data of a record (dates as ISO strings, enums as values)."""
    return record.model_dump(mode="json")
