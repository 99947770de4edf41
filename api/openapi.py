"""The OpenAPI document as generated clients need it: one error shape, bearer auth declared.

FastAPI documents its own 422 body (``HTTPValidationError``, ``application/json``) while the API
answers every error as RFC 9457 problem details (``application/problem+json``, ``api.errors``).
This rewrites the document to say what the API really does: a ``Problem`` schema, used for every
422 and as the ``default`` response of every operation, and the bearer token scheme.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; `errors` lists invalid fields when there are any.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Precondition failed"},
        "status": {"type": "integer", "example": 412},
        "detail": {"type": "string", "example": "customer 'C-1001' changed since you read it"},
        "instance": {"type": "string", "example": "/v1/customers/C-1001"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
        },
    },
    "additionalProperties": True,
}
_PROBLEM_RESPONSE = {
    "description": "Problem details (RFC 9457)",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with problem+json errors and bearer auth."""
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    components["securitySchemes"] = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "API token from `relmap token create` (or an OIDC JWT when enabled)",
        }
    }
    doc["security"] = [{"bearerAuth": []}]
    for path_item in doc.get("paths", {}).values():
        for method in _METHODS:
            op = path_item.get(method)
            if op is None:
                continue
            responses = op.setdefault("responses", {})
            for code, response in list(responses.items()):
                if code == "422" or (code[:1] in "45" and "content" not in response):
                    responses[code] = {
                        **_PROBLEM_RESPONSE,
                        "description": response.get("description", ""),
                    }
            responses.setdefault("default", _PROBLEM_RESPONSE)
    return doc


def install_openapi(app: FastAPI) -> None:
    """Serve the rewritten document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
