"""``POST /v1/imports``: multipart upload, same checks and report, 413 / 422 / 403."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from import_helpers import RELMAP_EXAMPLE, SALESFORCE_EXAMPLE

from api.app import create_app
from graph.model import RecordKind
from graph.settings import Settings
from graph.store.base import Store


def _client(settings: Settings, **overrides: object) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"auth_required": False, **overrides}))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    yield from _client(settings)


def _files(folder: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.glob("*.csv"))]


def test_upload_imports_the_files_and_answers_the_summary(client: TestClient, store: Store) -> None:
    response = client.post("/v1/imports", files=_files(RELMAP_EXAMPLE))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["format"] == "relmap" and body["written"] is True
    assert body["summary"]["customer"] == {
        "created": 6, "updated": 0, "unchanged": 0, "rejected": 0, "deleted": 0
    }  # fmt: skip
    assert store.count(RecordKind.CONTACT) == 8
    again = client.post("/v1/imports", files=_files(RELMAP_EXAMPLE)).json()
    assert again["summary"]["customer"]["unchanged"] == 6


def test_salesforce_export_upload_is_detected(client: TestClient, store: Store) -> None:
    response = client.post("/v1/imports", files=_files(SALESFORCE_EXAMPLE))
    assert response.status_code == 200, response.text
    assert response.json()["format"] == "salesforce"
    assert store.count(RecordKind.COVERAGE) == 9


def test_bad_rows_answer_422_listing_every_problem_and_nothing_is_written(
    client: TestClient, store: Store
) -> None:
    customers = b"id,name,tier\nC1,A,gold\nC2,,key\nC3,C,mid\n"
    contacts = b"id,customer_id,name\nK1,C9,x\n"
    response = client.post(
        "/v1/imports",
        files=[
            ("files", ("customer.csv", customers, "text/csv")),
            ("files", ("contact.csv", contacts, "text/csv")),
        ],
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert [(e["file"], e["row"], e["column"]) for e in errors] == [
        ("customer.csv", 2, "tier"),
        ("customer.csv", 3, "name"),
        ("contact.csv", 2, "customer_id"),
    ]
    assert store.count(RecordKind.CUSTOMER) == 0


def test_lenient_upload_writes_the_good_rows_and_lists_the_rejected(
    client: TestClient, store: Store
) -> None:
    customers = b"id,name,tier\nC1,A,gold\nC2,B,key\n"
    response = client.post(
        "/v1/imports",
        files=[("files", ("customer.csv", customers, "text/csv"))],
        data={"lenient": "true"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["summary"]["customer"]["created"] == 1
    assert body["summary"]["customer"]["rejected"] == 1
    assert [(p["row"], p["column"]) for p in body["problems"]] == [(2, "tier")]
    assert store.count(RecordKind.CUSTOMER) == 1


def test_upload_over_the_size_limit_is_413(settings: Settings, store: Store) -> None:
    for client in _client(settings, max_upload_bytes=300):
        big = b"id,name\n" + b"".join(f"C{i},name {i}\n".encode() for i in range(100))
        response = client.post("/v1/imports", files=[("files", ("customer.csv", big, "text/csv"))])
        assert response.status_code == 413
        assert store.count(RecordKind.CUSTOMER) == 0


def test_unreadable_or_unnamed_uploads_are_422(client: TestClient) -> None:
    response = client.post(
        "/v1/imports", files=[("files", ("notes.pdf", b"%PDF", "application/pdf"))]
    )
    assert response.status_code == 422
    response = client.post(
        "/v1/imports",
        files=[("files", ("c.csv", b"id,name\n", "text/csv"))],
        data={"format": "sap"},
    )
    assert response.status_code == 422


def test_a_viewer_may_not_import(settings: Settings, store: Store) -> None:
    from graph.auth.tokens import create_token

    secret, _ = create_token(store, name="viewer", role="viewer")
    app = create_app(settings.model_copy(update={"auth_required": True}))
    with TestClient(app) as client:
        response = client.post(
            "/v1/imports",
            files=_files(RELMAP_EXAMPLE),
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 403
    assert store.count(RecordKind.CUSTOMER) == 0
