"""Dependencies shared by the routes: settings, the store, who is calling and what they may do.

Routes declare what they need with the ``Annotated`` aliases below, as in the FastAPI full-stack
template:

* ``SettingsDep``, ``StoreDep``, ``ReportCacheDep``: the app's settings, store and report cache;
* ``PrincipalDep``: the caller (401 without valid credentials when auth is on);
* ``RequireAdmin``, ``RequireOrgDesigner``, ``RequirePersonalData``: the caller, after a 403
  unless their role fits;
* ``VisibleCustomerDep``: the ``{customer_id}`` of the path as a customer the caller may see
  (404 otherwise, the same answer whether it exists or not, so nothing leaks);
* ``PolicyDep``, ``CoverageReportDep``: the coverage policy in force and the coverage report
  narrowed to what the caller may see (``api.coverage_visibility``).

The API keeps no per-user state between requests: identity comes from the request, data from
the store, so several replicas can serve one Neo4j.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request

from api.auth import authenticate
from api.coverage_visibility import coverage_report
from api.report_cache import ReportCache
from graph.accounts.gather import AccountNotFound
from graph.auth.principal import Principal, Role
from graph.coverage.policy import Policy, load_policy
from graph.coverage.report import CoverageReport
from graph.errors import PermissionDenied
from graph.model import Customer, RecordKind
from graph.settings import Settings
from graph.store.base import Store


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
    return authenticate(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReportCacheDep = Annotated[ReportCache, Depends(get_report_cache)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency answering the caller, or 403 unless they hold one of ``roles`` (admins
    always pass): ``Annotated[Principal, Depends(require(Role.ORG_DESIGNER))]``."""

    def allowed(principal: PrincipalDep) -> Principal:
        principal.require(*roles)
        return principal

    return allowed


RequireAdmin = Annotated[Principal, Depends(require(Role.ADMIN))]
RequireOrgDesigner = Annotated[Principal, Depends(require(Role.ORG_DESIGNER))]


def require_personal_data(principal: PrincipalDep) -> Principal:
    """The caller, or 403 for roles that see aggregates only (viewers)."""
    if not principal.sees_personal_data:
        raise PermissionDenied(
            f"role {principal.role.value} sees aggregates only, not contact-level data"
        )
    return principal


RequirePersonalData = Annotated[Principal, Depends(require_personal_data)]


def visible_customer(store: Store, principal: Principal, customer_id: str) -> Customer | None:
    """The customer, or None when it does not exist or ``principal`` may not see it (the rule
    every route and page uses, so a hidden account looks exactly like a missing one)."""
    if not principal.sees_customer(customer_id):
        return None
    customer = store.get(RecordKind.CUSTOMER, customer_id)
    return customer if isinstance(customer, Customer) else None


CustomerIdP = Annotated[str, Path(min_length=1, max_length=200)]


def get_visible_customer(
    customer_id: CustomerIdP, store: StoreDep, principal: PrincipalDep
) -> Customer:
    """The path's customer if the caller sees it; ``AccountNotFound`` (404) otherwise."""
    customer = visible_customer(store, principal, customer_id)
    if customer is None:
        raise AccountNotFound(customer_id)
    return customer


VisibleCustomerDep = Annotated[Customer, Depends(get_visible_customer)]


def get_policy(store: StoreDep, settings: SettingsDep) -> Policy:
    """The coverage policy in force (stored, else the policy file, else the default)."""
    return load_policy(store, settings.policy_file)


PolicyDep = Annotated[Policy, Depends(get_policy)]


def get_coverage_report(
    store: StoreDep, reports: ReportCacheDep, principal: PrincipalDep, policy: PolicyDep
) -> CoverageReport:
    """The coverage report under the policy in force, as the caller may see it."""
    return coverage_report(reports, store, principal, policy)


CoverageReportDep = Annotated[CoverageReport, Depends(get_coverage_report)]
