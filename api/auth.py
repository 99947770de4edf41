"""Authentication: who is calling. (Foundation version: open access as admin when
``RELMAP_AUTH_REQUIRED=false``; tokens, roles and OIDC are added by the API issue.)"""

from __future__ import annotations

from fastapi import HTTPException, Request, status

from api.deps import Principal, Role


def authenticate(request: Request) -> Principal:
    settings = request.app.state.settings
    if not settings.auth_required:
        return Principal(id="anonymous", name="anonymous", role=Role.ADMIN, can_apply=True)
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED, "authentication required", {"WWW-Authenticate": "Bearer"}
    )
