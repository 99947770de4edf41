"""One error shape everywhere: RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.store.base import StoreUnavailable, ValidationFailed, VersionConflict

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("relmap.api")

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem(
    status_code: int,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response; ``extra`` members (e.g. ``errors``) are added to the body."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status_code, headers=headers, media_type=PROBLEM_JSON)


def install_error_handlers(app: FastAPI) -> None:
    """Map HTTP, validation and store errors to problem details."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        extra: dict[str, Any] = exc.detail if isinstance(exc.detail, dict) else {}
        return problem(
            exc.status_code,
            extra.get("detail", detail) if extra else detail,
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
            **{k: v for k, v in extra.items() if k != "detail"},
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "message": e.get("msg", "invalid"),
            }
            for e in exc.errors()
        ]
        return problem(
            422,
            f"{len(errors)} invalid field(s)",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(ValidationFailed)
    async def _rejected(request: Request, exc: ValidationFailed) -> JSONResponse:
        errors = [
            {"record": e.record, "field": e.field, "message": e.message, "source": e.source}
            for e in exc.errors
        ]
        return problem(422, str(exc), instance=request.url.path, errors=errors)

    @app.exception_handler(VersionConflict)
    async def _conflict(request: Request, exc: VersionConflict) -> JSONResponse:
        return problem(
            409, str(exc), instance=request.url.path, expected=exc.expected, actual=exc.actual
        )

    @app.exception_handler(StoreUnavailable)
    async def _down(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return problem(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            f"the graph store is unavailable: {exc}",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "unexpected error; it has been logged", instance=request.url.path)
