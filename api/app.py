"""The FastAPI application: one factory, routers per resource."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.docs import install_docs
from api.errors import install_error_handlers
from api.security import install_security
from graph.settings import Settings, load_settings
from graph.stores import open_store


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
    install_error_handlers(app)
    install_security(app, settings)

    install_docs(app)

    from api.routes import health

    app.include_router(health.router)
    # Routers of each area are included below, one line each.
    from api.routes import accounts; app.include_router(accounts.router, prefix="/v1")  # noqa: E702, I001  (before records: its {id:path} catch-all)
    from api.routes import audit, auth_pages, records

    app.include_router(auth_pages.router)
    app.include_router(records.router)
    app.include_router(audit.router)
    from api.openapi import install_openapi

    install_openapi(app)
    from api.routes import imports as _imports; app.include_router(_imports.router, prefix="/v1")  # noqa: E702
    from api.routes import analytics; app.include_router(analytics.router, prefix="/v1"); app.include_router(analytics.pages_router)  # noqa: E702, I001
    from api.routes import scenarios as _scen; app.include_router(_scen.router, prefix="/v1"); app.include_router(_scen.pages_router)  # noqa: E702, I001
    from api.routes import pages; app.include_router(pages.router)  # noqa: E702, I001  (HTML pages and maps at root paths)
    return app
