"""The per-kind shapes of the record routes: URL paths, examples, the listing page, and the
request models built from each record type (filters, patch bodies, key path parameters).

The models are made at start-up from ``graph.model.RECORD_TYPES``, so a new field of a record
is filterable, patchable and documented without touching the API.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, Optional, TypeVar
from urllib.parse import quote

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, create_model

from api.records.cursor import CURSOR_MAX, sort_values
from graph.model import KEY_SEPARATOR, RECORD_TYPES, HolderKind, Record, RecordKind

__all__ = [
    "DEFAULT_LIMIT",
    "EXAMPLES",
    "MAX_LIMIT",
    "PATHS",
    "Page",
    "Resource",
    "filter_model",
    "key_dependency",
    "patch_model",
]

MAX_LIMIT = 500
DEFAULT_LIMIT = 100

PATHS: dict[RecordKind, str] = {
    RecordKind.CUSTOMER: "customers",
    RecordKind.CONTACT: "contacts",
    RecordKind.EMPLOYEE: "employees",
    RecordKind.TEAM: "teams",
    RecordKind.CONTACT_REPORTS_TO: "contact-reports-to",
    RecordKind.INFLUENCE: "influences",
    RecordKind.MEMBERSHIP: "memberships",
    RecordKind.EMPLOYEE_REPORTS_TO: "employee-reports-to",
    RecordKind.COVERAGE: "coverage",
    RecordKind.RELATIONSHIP: "relationships",
}

EXAMPLES: dict[RecordKind, dict[str, Any]] = {
    RecordKind.CUSTOMER: {
        "id": "C-1001",
        "name": "Eastern Joint-Stock Bank",
        "tier": "key",
        "industry": "finance",
        "region": "east",
        "revenue": 1200000.0,
        "potential": 3000000.0,
        "reference_value": 0.6,
        "winnability": 0.5,
        "parent_id": None,
    },
    RecordKind.CONTACT: {
        "id": "P-2001",
        "customer_id": "C-1001",
        "name": "Li Wei",
        "title": "CIO",
        "department": "IT",
        "level": 1,
        "decision_role": "decision_maker",
        "stance": "supporter",
        "contact_kind": "customer",
        "email": "li.wei@example.com",
    },
    RecordKind.EMPLOYEE: {
        "id": "E-42",
        "name": "Zhang Min",
        "email": "zhang.min@example.com",
        "title": "Key account manager",
        "region": "east",
        "active": True,
    },
    RecordKind.TEAM: {
        "id": "T-FIN",
        "name": "Finance key accounts",
        "team_kind": "key_account",
        "regions": ["east"],
        "industry": "finance",
        "parent_id": None,
    },
    RecordKind.CONTACT_REPORTS_TO: {"contact_id": "P-2002", "manager_id": "P-2001"},
    RecordKind.INFLUENCE: {"source_id": "P-2003", "target_id": "P-2001", "strength": 0.8},
    RecordKind.MEMBERSHIP: {"employee_id": "E-42", "team_id": "T-FIN", "role": "account manager"},
    RecordKind.EMPLOYEE_REPORTS_TO: {"employee_id": "E-42", "manager_id": "E-7", "line": "dotted"},
    RecordKind.COVERAGE: {
        "holder_kind": "employee",
        "holder_id": "E-42",
        "customer_id": "C-1001",
        "role": "owner",
        "credit_share": 1.0,
        "since": "2026-01-01",
    },
    RecordKind.RELATIONSHIP: {
        "employee_id": "E-42",
        "contact_id": "P-2001",
        "strength": "credible_source",
        "desired": "trusted_advisor",
        "last_touch": "2026-10-30",
    },
}

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing; pass ``next_cursor`` as ``after`` for the next (null at the end)."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="opaque cursor for ?after=, valid with the same sort only"
    )


def _scalar_fields(model: type[Record]) -> dict[str, Any]:
    """Fields usable as equality filters (everything but list/tuple fields)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        if getattr(ann, "__origin__", None) in (tuple, list):
            continue
        out[name] = info
    return out


def filter_model(kind: RecordKind, model: type[Record]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, info in _scalar_fields(model).items():
        ann = info.annotation
        base = Annotated[ann, *info.metadata] if info.metadata else ann  # type: ignore[valid-type]
        fields[name] = (
            base | None,
            Field(default=None, description=f"only records whose {name} equals this"),
        )
    fields["after"] = (
        str | None,
        Field(
            default=None,
            max_length=CURSOR_MAX,
            description="cursor: next_cursor of the previous page (of the same sort)",
        ),
    )
    fields["limit"] = (
        int,
        Field(
            default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}"
        ),
    )
    fields["sort"] = (
        Literal[sort_values(kind)],  # type: ignore[valid-type]
        Field(
            default="key",
            description="order of the listing: key, or a field of the record; a leading - "
            "sorts descending. Ties go by key; empty (null) values come last ascending and "
            "first descending; enums sort by their value text. Every sort pages through "
            "any number of records; a cursor is valid only with the sort it was made for.",
        ),
    )
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"{model.__name__}Query",
        __config__=ConfigDict(extra="forbid"),
        **fields,
    )


def patch_model(model: type[Record]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in model.key_fields:
            continue
        ann = info.annotation
        base = Annotated[ann, *info.metadata] if info.metadata else ann  # type: ignore[valid-type]
        fields[name] = (Optional[base], Field(default=None, description=info.description))  # noqa: UP045
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"{model.__name__}Patch",
        __config__=ConfigDict(extra="forbid"),
        **fields,
    )


def key_dependency(model: type[Record]) -> Callable[..., str]:
    """A dependency taking the key fields as path segments and returning the record key."""
    params = []
    for name in model.key_fields:
        info = model.model_fields[name]
        if info.annotation is HolderKind:
            ann: Any = Annotated[HolderKind, Path(description="team or employee")]
        else:
            ann = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann))

    def key(**parts: Any) -> str:
        return KEY_SEPARATOR.join(
            str(getattr(parts[f], "value", parts[f])) for f in model.key_fields
        )

    key.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return key


@dataclass(frozen=True)
class Resource:
    kind: RecordKind
    path: str

    @property
    def model(self) -> type[Record]:
        return RECORD_TYPES[self.kind]

    @property
    def item_path(self) -> str:
        # The last segment takes the rest of the path, so ids containing "/" stay addressable
        # (sent percent-encoded as %2F).
        fields = self.model.key_fields
        segments = ["{" + f + "}" for f in fields[:-1]] + ["{" + fields[-1] + ":path}"]
        return f"/v1/{self.path}/" + "/".join(segments)

    def url_of(self, record: Record) -> str:
        return f"/v1/{self.path}/" + "/".join(
            quote(str(getattr(getattr(record, f), "value", getattr(record, f))), safe="")
            for f in self.model.key_fields
        )
