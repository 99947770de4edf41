"""``GET /static/{name}``: the bundled scripts and styles the pages load (vis-network, relmap's
own), from a fixed list; cached by the browser and revalidated by ETag."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import Response

from visualize.html import ASSETS, asset_bytes, asset_etag

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/static/{name}")
def static_asset(name: str, request: Request) -> Response:
    """One bundled asset (fixed list; cached by the browser, revalidated by ETag)."""
    if name not in ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such asset")
    etag = asset_etag(name)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(asset_bytes(name), media_type=ASSETS[name], headers=headers)
