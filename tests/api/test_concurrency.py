"""Optimistic concurrency under real parallel requests: no update is lost, no create doubles."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from graph.store.audit import COLLECTION as AUDIT
from tests.api.conftest import ApiEnv

WORKERS = 8
INCREMENTS = 5


def _increment(api: ApiEnv, headers: dict[str, str]) -> int:
    """Read-modify-write revenue += 1 with If-Match, retrying on 412; returns the 412 count."""
    conflicts = 0
    while True:
        got = api.client.get("/v1/customers/C1", headers=headers)
        assert got.status_code == 200, got.text
        revenue = got.json()["revenue"]
        r = api.client.patch(
            "/v1/customers/C1",
            json={"revenue": revenue + 1},
            headers={**headers, "If-Match": got.headers["etag"]},
        )
        if r.status_code == 200:
            return conflicts
        assert r.status_code == 412, r.text
        conflicts += 1


def test_concurrent_if_match_updates_of_one_customer_lose_no_update(api: ApiEnv) -> None:
    headers = api.auth("admin")
    start = api.client.get("/v1/customers/C1", headers=headers).json()["revenue"]
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(_increment, api, headers) for _ in range(WORKERS * INCREMENTS)]
        conflicts = sum(f.result() for f in futures)
    end = api.client.get("/v1/customers/C1", headers=headers).json()["revenue"]
    assert end == start + WORKERS * INCREMENTS
    patches = [d for _id, d in api.store.list_docs(AUDIT, limit=1000) if d["action"] == "patch"]
    assert len(patches) == WORKERS * INCREMENTS
    print(
        f"\n{WORKERS * INCREMENTS} concurrent increments, {conflicts} refused with 412 and retried"
    )


def test_concurrent_creates_of_one_key_make_exactly_one(api: ApiEnv) -> None:
    headers = api.auth("admin")

    def create(i: int) -> int:
        body = {"id": "C-race", "name": f"writer {i}"}
        return api.client.post("/v1/customers", json=body, headers=headers).status_code

    with ThreadPoolExecutor(WORKERS) as pool:
        codes = sorted(pool.map(create, range(WORKERS * 2)))
    assert codes.count(201) == 1
    assert set(codes) == {201, 409}
    creates = [d for _id, d in api.store.list_docs(AUDIT) if d["action"] == "create"]
    assert len(creates) == 1


def test_writes_to_different_records_all_land_while_racing(api: ApiEnv) -> None:
    headers = api.auth("admin")

    def create(i: int) -> int:
        return api.client.post(
            "/v1/employees", json={"id": f"N{i:03d}", "name": f"n{i}"}, headers=headers
        ).status_code

    with ThreadPoolExecutor(WORKERS) as pool:
        codes = list(pool.map(create, range(40)))
    assert codes == [201] * 40
    listed = api.client.get("/v1/employees", params={"limit": 100}, headers=headers).json()["items"]
    assert {e["id"] for e in listed} >= {f"N{i:03d}" for i in range(40)}
