"""Liveness and store reachability."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from api.deps import StoreDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str  # "ok" or "degraded"
    store: str
    reachable: bool
    detail: str
    graph_version: int | None = None


@router.get("/health", response_model=Health)
def health(store: StoreDep, response: Response) -> Health:
    h = store.health()
    if not h.ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(
        status="ok" if h.ok else "degraded",
        store=h.kind,
        reachable=h.ok,
        detail=h.detail,
        graph_version=h.version,
    )
