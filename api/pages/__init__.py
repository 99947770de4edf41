"""Every HTML page relmap serves, at root paths (JSON lives under ``/v1``).

One router (:data:`router`) gathers the pages of accounts (``/``, ``/accounts/{id}``, its map),
coverage (``/coverage/map``, ``/reports/coverage``), scenarios (``/scenarios/compare``,
``/scenarios/{id}/map``) and the static assets they load. What they share (the one
Content-Security-Policy, the sign-in redirect, the "not found" page) is in :mod:`api.pages.html`.
The sign-in form itself belongs to the session routes (``api.routes.auth_pages``).
"""

from fastapi import APIRouter

from api.pages import accounts, coverage, scenarios, static
from api.pages.html import install_page_handlers

__all__ = ["install_page_handlers", "router"]

router = APIRouter()
router.include_router(coverage.router)
router.include_router(scenarios.router)
router.include_router(accounts.router)
router.include_router(static.router)
