"""HTTP hardening: security headers, request size limits and CORS (closed by default)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem
from graph.settings import Settings

# Pages that render maps set their own, stricter per-response CSP (nonce-based); this is the
# default for every other response.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def body_limit(settings: Settings, path: str) -> int:
    """Byte limit of a request body: uploads (``/v1/imports``) get the larger one."""
    return (
        settings.max_upload_bytes if path.startswith("/v1/imports") else settings.max_request_bytes
    )


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit (FastAPI re-raises
    HTTPExceptions met while reading a body, so the client gets 413, not 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes")


class StreamingBodyLimit:
    """Counts the bytes of every request body as they arrive, so a chunked upload without a
    Content-Length cannot exceed the limit either."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings, scope.get("path", ""))
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            if started:
                return
            await problem(413, str(exc.detail))(scope, receive, send)


def install_security(app: FastAPI, settings: Settings) -> None:
    """Add the middleware: size limits first, then headers; CORS only for listed origins."""
    # Added first so it sits innermost: its 413 (raised while the route reads the body) goes
    # through the error handlers and the header middleware like any other response.
    app.add_middleware(StreamingBodyLimit, settings=settings)

    @app.middleware("http")
    async def _limits_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        limit = body_limit(settings, request.url.path)
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
