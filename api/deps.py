"""Dependencies shared by every route: settings, the store, and who is calling.

Routes declare what they need with the aliases below (``StoreDep``, ``PrincipalDep``...), as in
the FastAPI full-stack template. The API keeps no per-user state between requests: identity
comes from the request, data from the store, so several replicas can serve one Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from api.report_cache import ReportCache
from graph.settings import Settings
from graph.store.base import Store


class Role(StrEnum):
    ADMIN = "admin"
    ORG_DESIGNER = "org_designer"
    ACCOUNT_MANAGER = "account_manager"
    VIEWER = "viewer"


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
        """403 unless the caller has one of ``roles`` (admin always passes)."""
        if self.role is Role.ADMIN or self.role in roles:
            return
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {self.role.value} may not do this")

    def filter_customers(self, customer_ids: Iterable[str]) -> list[str]:
        return [c for c in customer_ids if self.sees_customer(c)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_report_cache(request: Request) -> ReportCache:
    cache: ReportCache = request.app.state.report_cache
    return cache


def get_principal(request: Request) -> Principal:
    """Resolved by ``api.auth`` (bearer token, session cookie or OIDC JWT)."""
    from api.auth import authenticate

    return authenticate(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReportCacheDep = Annotated[ReportCache, Depends(get_report_cache)]
