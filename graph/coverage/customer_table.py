"""A compact, columnar summary of every customer: what hierarchy roll-up and scoring need after
the streaming pass, without holding the records (about 200 bytes per customer).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from graph.model import TIER_ORDER, Customer, Tier

TIER_CODE: dict[Tier, int] = {t: i for i, t in enumerate(TIER_ORDER)}
NO_OWNER = -1
_T = TypeVar("_T")


@dataclass
class CustomerTable:
    """Columns indexed by row number; owners are interned ``tuple`` of owner teams."""

    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    tiers: bytearray = field(default_factory=bytearray)
    industries: array[int] = field(default_factory=lambda: array("i"))
    regions: array[int] = field(default_factory=lambda: array("i"))
    revenue: array[float] = field(default_factory=lambda: array("d"))
    potential: array[float] = field(default_factory=lambda: array("d"))
    reference: array[float] = field(default_factory=lambda: array("d"))
    winnability: array[float] = field(default_factory=lambda: array("d"))
    owner: array[int] = field(default_factory=lambda: array("i"))
    explicit_owner: bytearray = field(default_factory=bytearray)
    parent_of_row: dict[int, str] = field(default_factory=dict)
    industry_names: list[str] = field(default_factory=list)
    region_names: list[str] = field(default_factory=list)
    owner_keys: list[tuple[str, ...]] = field(default_factory=list)
    _industry_code: dict[str, int] = field(default_factory=dict)
    _region_code: dict[str, int] = field(default_factory=dict)
    _owner_code: dict[tuple[str, ...], int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self, customer: Customer, owner_teams: tuple[str, ...] | None = None, explicit: bool = False
    ) -> int:
        """Append one customer with the teams that own it (None: nobody); returns its row."""
        row = len(self.ids)
        self.ids.append(customer.id)
        self.names.append(customer.name)
        self.tiers.append(TIER_CODE[customer.tier])
        self.industries.append(_intern(customer.industry, self._industry_code, self.industry_names))
        self.regions.append(_intern(customer.region, self._region_code, self.region_names))
        self.revenue.append(customer.revenue)
        self.potential.append(customer.potential)
        self.reference.append(customer.reference_value)
        self.winnability.append(customer.winnability)
        if owner_teams is None:
            self.owner.append(NO_OWNER)
        else:
            self.owner.append(_intern(owner_teams, self._owner_code, self.owner_keys))
        self.explicit_owner.append(1 if explicit else 0)
        if customer.parent_id:
            self.parent_of_row[row] = customer.parent_id
        return row

    def extend(
        self,
        customers: Sequence[Customer],
        owner_keys: Sequence[tuple[str, ...]],
        explicit: Sequence[bool],
    ) -> None:
        """Append many customers at once, column by column (``()``: nobody owns it)."""
        start = len(self.ids)
        self.ids.extend([c.id for c in customers])
        self.names.extend([c.name for c in customers])
        self.tiers.extend([TIER_CODE[c.tier] for c in customers])
        ind_code, ind_names = self._industry_code, self.industry_names
        self.industries.extend([_intern(c.industry, ind_code, ind_names) for c in customers])
        reg_code, reg_names = self._region_code, self.region_names
        self.regions.extend([_intern(c.region, reg_code, reg_names) for c in customers])
        self.revenue.extend([c.revenue for c in customers])
        self.potential.extend([c.potential for c in customers])
        self.reference.extend([c.reference_value for c in customers])
        self.winnability.extend([c.winnability for c in customers])
        own_code, own_names = self._owner_code, self.owner_keys
        self.owner.extend([_intern(k, own_code, own_names) if k else NO_OWNER for k in owner_keys])
        self.explicit_owner.extend([1 if e else 0 for e in explicit])
        for i, c in enumerate(customers):
            if c.parent_id:
                self.parent_of_row[start + i] = c.parent_id

    def tier(self, row: int) -> Tier:
        return TIER_ORDER[self.tiers[row]]

    def industry(self, row: int) -> str:
        return self.industry_names[self.industries[row]]

    def region(self, row: int) -> str:
        return self.region_names[self.regions[row]]

    def owners(self, row: int) -> tuple[str, ...] | None:
        code = self.owner[row]
        return None if code == NO_OWNER else self.owner_keys[code]

    def rows_of(self, ids: Iterable[str]) -> dict[str, int]:
        """Rows of the given customer ids (one pass; used for the few referenced parents)."""
        wanted = set(ids)
        return {cid: row for row, cid in enumerate(self.ids) if cid in wanted}


def _intern(value: _T, codes: dict[_T, int], names: list[_T]) -> int:
    code = codes.get(value)
    if code is None:
        code = codes[value] = len(names)
        names.append(value)
    return code


def table_from_customers(customers: Iterable[Customer]) -> CustomerTable:
    """A table of customers without coverage (enough for scoring)."""
    table = CustomerTable()
    for c in customers:
        table.add(c)
    return table
