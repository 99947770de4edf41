"""The FastAPI application: one factory, routers per resource."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.docs import install_docs
from api.errors import install_error_handlers
from api.openapi import install_openapi
from api.pages import install_page_handlers
from api.pages import router as pages_router
from api.pages.language import install_language_cookie
from api.records.routes import router as records_router
from api.report_cache import ReportCache
from api.routes import (
    accounts,
    analytics,
    audit,
    auth_pages,
    health,
    imports,
    overrides,
    policy,
    scenarios,
)
from api.security import install_security
from graph.settings import Settings, load_settings
from graph.store.open import open_store


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API over the configured store (opened at start-up, closed at shutdown)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="relmap",
        version="0.1.0",
        description="Relationship maps and sales coverage design over Neo4j.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.report_cache = ReportCache(settings.report_cache_entries)
    install_error_handlers(app)
    install_page_handlers(app)
    install_security(app, settings)
    install_language_cookie(app)

    install_docs(app)
    install_openapi(app)

    app.include_router(health.router)
    app.include_router(auth_pages.router)
    # accounts before records: the records router's {id:path} routes would swallow
    # /v1/employees/{id}/what-if-leaves.
    app.include_router(accounts.router, prefix="/v1")
    app.include_router(records_router)
    app.include_router(audit.router)
    app.include_router(imports.router, prefix="/v1")
    app.include_router(analytics.router, prefix="/v1")
    app.include_router(policy.router, prefix="/v1")
    app.include_router(overrides.router, prefix="/v1")
    app.include_router(scenarios.router, prefix="/v1")
    # HTML pages and maps at root paths.
    app.include_router(pages_router)
    return app
