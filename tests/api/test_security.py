"""Hostile input and HTTP hardening: size limits (also for chunked bodies), headers, CORS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from tests.api.conftest import ApiEnv


def test_declared_body_over_the_limit_is_413(api: ApiEnv) -> None:
    limit = api.client.app.state.settings.max_request_bytes  # type: ignore[attr-defined]
    r = api.client.post(
        "/v1/customers",
        content=b"x" * (limit + 1),
        headers={**api.auth("admin"), "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


def test_chunked_body_without_length_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    settings = Settings(
        store=f"sqlite:///{tmp_path / 's.db'}", auth_required=False, max_request_bytes=1000
    )

    def chunks() -> Iterator[bytes]:
        yield b'{"id": "C1", "name": "'
        for _ in range(100):
            yield b"y" * 100
        yield b'"}'

    with TestClient(create_app(settings)) as client:
        r = client.post(
            "/v1/customers", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 413
        assert client.get("/v1/customers/C1").status_code == 404


def test_security_headers_on_every_response(api: ApiEnv) -> None:
    for r in (api.client.get("/health"), api.client.get("/v1/customers"), api.client.get("/login")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_cors_is_closed_by_default(api: ApiEnv) -> None:
    r = api.client.options(
        "/v1/customers",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = api.client.get(
        "/v1/customers", headers={"Origin": "https://elsewhere.example", **api.auth("admin")}
    )
    assert "access-control-allow-origin" not in r.headers


def test_cors_allows_only_the_configured_origin(tmp_path: Path) -> None:
    settings = Settings(store=f"sqlite:///{tmp_path / 'c.db'}", cors_origins=["https://bi.example"])
    with TestClient(create_app(settings)) as client:
        ok = client.options(
            "/v1/customers",
            headers={"Origin": "https://bi.example", "Access-Control-Request-Method": "GET"},
        )
        assert ok.headers["access-control-allow-origin"] == "https://bi.example"
        bad = client.options(
            "/v1/customers",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert "access-control-allow-origin" not in bad.headers


def test_injection_shaped_input_is_data_not_code(api: ApiEnv) -> None:
    h = api.auth("admin")
    nasty = "x' }) DETACH DELETE n //\"; DROP TABLE customer; --"
    r = api.client.post("/v1/customers", json={"id": nasty, "name": nasty}, headers=h)
    assert r.status_code == 201
    from urllib.parse import quote

    got = api.client.get(f"/v1/customers/{quote(nasty, safe='')}", headers=h)
    assert got.status_code == 200 and got.json()["name"] == nasty
    assert (
        api.client.get("/v1/customers", params={"name": nasty}, headers=h).json()["items"][0]["id"]
        == nasty
    )
    assert api.client.get("/v1/customers", params={"n.name": "x"}, headers=h).status_code == 422
    assert len(api.client.get("/v1/contacts", headers=h).json()["items"]) == 5


def test_control_characters_and_oversized_ids_are_rejected(api: ApiEnv) -> None:
    h = api.auth("admin")
    assert (
        api.client.post("/v1/customers", json={"id": "a\x00b", "name": "x"}, headers=h).status_code
        == 422
    )
    assert (
        api.client.post("/v1/customers", json={"id": "a" * 201, "name": "x"}, headers=h).status_code
        == 422
    )
    assert api.client.get("/v1/customers/" + "a" * 300, headers=h).status_code == 422


def test_malformed_json_is_422_problem(api: ApiEnv) -> None:
    r = api.client.post(
        "/v1/customers",
        content=b"{not json",
        headers={**api.auth("admin"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
