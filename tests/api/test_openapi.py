"""The OpenAPI document is usable by a generated client: typed answers, one error shape,
examples on request bodies, unique operation ids, bearer auth declared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings

METHODS = ("get", "put", "post", "patch", "delete")
# Answers that are files or free-form analysis documents by design.
UNTYPED_OK = {"/v1/scenarios/compare", "/v1/imports"}


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The served document (it does not depend on the store kind)."""
    path: Path = tmp_path_factory.mktemp("openapi") / "o.db"
    with TestClient(create_app(Settings(store=f"sqlite:///{path}"))) as client:
        data: dict[str, Any] = client.get("/openapi.json").json()
    return data


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in doc["paths"].items()
        for method in METHODS
        if method in item
    ]


def test_every_error_is_documented_as_problem_json(doc: dict[str, Any]) -> None:
    assert "Problem" in doc["components"]["schemas"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, method, op in _operations(doc):
        default = op["responses"]["default"]["content"]
        assert list(default) == ["application/problem+json"], (method, path)
        for code, response in op["responses"].items():
            if code[0] in "45":
                assert "application/problem+json" in response.get("content", {}), (
                    method,
                    path,
                    code,
                )


def test_operation_ids_are_unique(doc: dict[str, Any]) -> None:
    ids = [op["operationId"] for _p, _m, op in _operations(doc)]
    assert len(ids) == len(set(ids))


def test_record_bodies_have_examples_and_answers_are_typed(doc: dict[str, Any]) -> None:
    create = doc["paths"]["/v1/customers"]["post"]
    examples = create["requestBody"]["content"]["application/json"]["examples"]
    assert examples["example"]["value"]["id"]
    listing = doc["paths"]["/v1/contacts"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"after", "limit", "customer_id", "stance"} <= names
    for path, method, op in _operations(doc):
        if not path.startswith("/v1/") or path in UNTYPED_OK or method == "delete":
            continue
        ok = next((r for c, r in op["responses"].items() if c.startswith("2")), None)
        assert ok is not None, (method, path)
