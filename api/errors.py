"""One error shape everywhere: RFC 9457 problem details (``application/problem+json``).

Routes do not catch domain errors: they raise (or let through) the ``graph.errors.RelmapError``
subclasses, and :func:`domain_problem` turns each kind into its status and body here, once.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.accounts.gather import AccountNotFound
from graph.coverage.policy import PolicyError
from graph.errors import PermissionDenied, RelmapError
from graph.scenarios.service import ScenarioNotFound, ScenarioStale, ScenarioStateError
from graph.scenarios.spec import ScenarioError
from graph.store.base import StoreUnavailable, ValidationFailed, VersionConflict
from importers.files import FileProblem
from importers.pipeline import ImportAborted

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


def domain_problem(exc: RelmapError, request: Request) -> JSONResponse:
    """The answer to a domain error: the one table of which refusal is which HTTP status."""
    where = request.url.path
    if isinstance(exc, PermissionDenied):
        return problem(403, str(exc), instance=where)
    if isinstance(exc, AccountNotFound):
        return problem(404, f"no account {exc.args[0]!r}", instance=where)
    if isinstance(exc, ScenarioNotFound):
        return problem(404, f"no scenario {exc.args[0]!r}", instance=where)
    if isinstance(exc, ScenarioStale):
        return problem(409, str(exc), instance=where, **stale_members(exc))
    if isinstance(exc, ScenarioStateError):
        return problem(409, str(exc), instance=where)
    if isinstance(exc, ScenarioError):
        return problem(422, str(exc), instance=where, errors=exc.errors)
    if isinstance(exc, PolicyError):  # the stored policy or the policy file cannot be used
        return problem(500, str(exc), instance=where)
    if isinstance(exc, FileProblem):
        return problem(422, str(exc), title="Unreadable file", errors=[])
    if isinstance(exc, ImportAborted):
        body = exc.report.to_dict()
        detail = "the store changed while importing; import again"
        return problem(409, detail, errors=body["problems"], summary=body["summary"])
    return _store_problem(exc, request)


def _store_problem(exc: RelmapError, request: Request) -> JSONResponse:
    where = request.url.path
    if isinstance(exc, ValidationFailed):
        errors = [
            {"record": e.record, "field": e.field, "message": e.message, "source": e.source}
            for e in exc.errors
        ]
        return problem(422, str(exc), instance=where, errors=errors)
    if isinstance(exc, VersionConflict):
        return problem(409, str(exc), instance=where, expected=exc.expected, actual=exc.actual)
    if isinstance(exc, StoreUnavailable):
        return problem(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            f"the graph store is unavailable: {exc}",
            instance=where,
            headers={"Retry-After": "5"},
        )
    return unexpected_problem(exc, request)


def unexpected_problem(exc: Exception, request: Request) -> JSONResponse:
    """500 for a bug (logged with its traceback; the client learns nothing of the inside)."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "unexpected error; it has been logged", instance=request.url.path)


def stale_members(exc: ScenarioStale) -> dict[str, Any]:
    """What a 409 for a stale scenario says besides its message: the versions and the drift."""
    return {
        "stale": True,
        "base_version": exc.base_version,
        "current_version": exc.current_version,
        "policy_changed": exc.policy_changed,
        "changed_meanwhile": [
            {
                "kind": d.kind,
                "key": d.key.split("\x1f"),
                "expected": d.expected,
                "current": d.current,
                "what": d.describe(),
            }
            for d in exc.drift[:500]
        ],
    }


def install_error_handlers(app: FastAPI) -> None:
    """Map HTTP, validation and domain errors (:class:`graph.errors.RelmapError`) to problem
    details, once for the whole API."""

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

    @app.exception_handler(RelmapError)
    async def _domain(request: Request, exc: RelmapError) -> JSONResponse:
        return domain_problem(exc, request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return unexpected_problem(exc, request)
