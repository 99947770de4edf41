"""Roles and the principal: who is calling and what their role lets them see and do.

Plain domain code (no web framework): the API resolves a :class:`Principal` from the request,
the CLI names roles when it creates tokens, and both use the same :class:`Role`. A refused
action raises :class:`graph.errors.PermissionDenied`, which the API answers with 403.

>>> viewer = Principal(id="t", name="viewer", role=Role.VIEWER)
>>> viewer.sees_personal_data, viewer.sees_customer("C-1")
(False, True)
>>> viewer.require(Role.ORG_DESIGNER)
Traceback (most recent call last):
...
graph.errors.PermissionDenied: role viewer may not do this
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from graph.errors import PermissionDenied

__all__ = ["ROLE_NAMES", "Principal", "Role"]


class Role(StrEnum):
    """What a caller may do; ``admin`` may do everything."""

    ADMIN = "admin"
    ORG_DESIGNER = "org_designer"
    ACCOUNT_MANAGER = "account_manager"
    VIEWER = "viewer"


ROLE_NAMES: tuple[str, ...] = tuple(r.value for r in Role)


@dataclass(frozen=True)
class Principal:
    """The caller. ``visible_customers`` is None when every account is visible."""

    id: str
    name: str
    role: Role
    employee_id: str | None = None
    can_apply: bool = False
    visible_customers: frozenset[str] | None = field(default=None)

    def sees_customer(self, customer_id: str) -> bool:
        return self.visible_customers is None or customer_id in self.visible_customers

    @property
    def sees_personal_data(self) -> bool:
        """Viewers get aggregate analytics only, never contact-level personal data."""
        return self.role is not Role.VIEWER

    def require(self, *roles: Role) -> None:
        """PermissionDenied unless the caller has one of ``roles`` (admin always passes)."""
        if self.role is Role.ADMIN or self.role in roles:
            return
        raise PermissionDenied(f"role {self.role.value} may not do this")

    def filter_customers(self, customer_ids: Iterable[str]) -> list[str]:
        return [c for c in customer_ids if self.sees_customer(c)]
