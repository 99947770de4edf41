"""HTTP hardening: security headers, request size limits and CORS (closed by default)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api.errors import problem
from graph.settings import Settings

# Pages that render maps set their own, stricter per-response CSP (nonce-based); this is the
# default for every other response.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
DOCS_PATHS = ("/docs", "/redoc")


def install_security(app: FastAPI, settings: Settings) -> None:
    """Add the middleware: size limits first, then headers; CORS only for listed origins."""

    @app.middleware("http")
    async def _limits_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        limit = (
            settings.max_upload_bytes
            if request.url.path.startswith("/v1/imports")
            else settings.max_request_bytes
        )
        length = request.headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                return problem(400, "Content-Length is not a number")
            if too_big:
                return problem(413, f"request body over the limit of {limit} bytes")
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.url.path.startswith(DOCS_PATHS):
            headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
        return response

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "X-CSRF-Token"],
            expose_headers=["ETag"],
        )
