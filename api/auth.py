"""Authentication: who is calling, from a bearer token, a session cookie or an OIDC JWT.

* **API tokens** (``relmap token create``): ``Authorization: Bearer rm_<id>_<secret>``, checked
  against the hash stored in the ``tokens`` collection on every request (revocation is immediate;
  no server-side session state, so replicas need nothing shared but the store).
* **Browser sessions**: ``/login`` puts the same token in an HttpOnly, SameSite=Strict cookie and
  sets a second, readable CSRF cookie. Unsafe methods authenticated by the cookie must echo the
  CSRF cookie in the ``X-CSRF-Token`` header (or a ``csrf_token`` form field): the double-submit
  pattern. A cross-site ``Origin`` is refused as well.
* **OIDC/JWT** (optional, when ``RELMAP_OIDC_ISSUER`` / ``_AUDIENCE`` / ``_JWKS_URL`` are set):
  a bearer JWT signed by a key of the JWKS (``https://`` or ``file://``), with issuer and audience
  checked. The role comes from the ``relmap_role`` claim (or the first relmap role listed in
  ``roles``), the employee from ``relmap_employee_id``, apply rights from ``relmap_can_apply``.

With ``RELMAP_AUTH_REQUIRED=false`` a request without credentials is an anonymous admin (local
single-user use); credentials that are sent are still checked.
"""

from __future__ import annotations

import hmac
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jwt
from fastapi import HTTPException, Request, status

from api.visibility import visible_customers
from graph.auth.principal import Principal, Role
from graph.auth.tokens import verify_token
from graph.settings import Settings
from graph.store.base import Store

SESSION_COOKIE = "relmap_session"
CSRF_COOKIE = "relmap_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]

_jwk_clients: dict[str, jwt.PyJWKClient] = {}
_jwk_lock = threading.Lock()


def _unauthorized(detail: str, error: str | None = None) -> HTTPException:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, {"WWW-Authenticate": challenge})


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthorized("use 'Authorization: Bearer <token>'", "invalid_request")
    return value.strip()


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith("rm_")


def _signing_key(settings: Settings, token: str) -> Any:
    """The JWKS key that signed ``token`` (``file://`` JWKS read on use; HTTPS ones cached)."""
    url = settings.oidc_jwks_url or ""
    if url.startswith("file://"):
        path = Path(unquote(urlparse(url).path))
        jwks = jwt.PyJWKSet.from_json(path.read_text(encoding="utf-8"))
        kid = jwt.get_unverified_header(token).get("kid")
        for key in jwks.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise jwt.InvalidTokenError(f"no key {kid!r} in the JWKS")
    with _jwk_lock:
        client = _jwk_clients.get(url)
        if client is None:
            client = _jwk_clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=300)
    return client.get_signing_key_from_jwt(token).key


def _from_jwt(settings: Settings, token: str) -> Principal:
    if not (settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url):
        raise _unauthorized("JWT bearer tokens are not enabled on this server", "invalid_token")
    try:
        claims = jwt.decode(
            token,
            _signing_key(settings, token),
            algorithms=JWT_ALGORITHMS,
            audience=settings.oidc_audience,
            issuer=settings.oidc_issuer,
            options={"require": ["exp", "iss", "aud", "sub"]},
            leeway=30,
        )
    except (jwt.InvalidTokenError, jwt.PyJWKClientError, OSError, ValueError) as exc:
        raise _unauthorized(f"invalid JWT: {exc}", "invalid_token") from None
    role = _role_claim(claims)
    if role is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the JWT carries no relmap role")
    employee = claims.get("relmap_employee_id")
    return Principal(
        id=f"oidc:{claims['sub']}",
        name=str(claims.get("name") or claims.get("email") or claims["sub"]),
        role=role,
        employee_id=str(employee) if employee else None,
        can_apply=claims.get("relmap_can_apply") is True,
    )


def _role_claim(claims: dict[str, Any]) -> Role | None:
    candidates: list[Any] = [claims.get("relmap_role")]
    roles = claims.get("roles")
    if isinstance(roles, list):
        candidates.extend(roles)
    for value in candidates:
        if isinstance(value, str) and value in Role.__members__.values():
            return Role(value)
    return None


def _from_api_token(store: Store, token: str) -> Principal:
    info = verify_token(store, token)
    if info is None:
        raise _unauthorized("unknown, wrong or revoked token", "invalid_token")
    return Principal(
        id=f"token:{info.id}",
        name=info.name,
        role=Role(info.role),
        employee_id=info.employee_id,
        can_apply=info.can_apply,
    )


def check_csrf(request: Request) -> None:
    """Double-submit check for unsafe requests authenticated by the session cookie."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != own:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "cross-site request refused")
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = getattr(request, "_form", None)  # already parsed by FastAPI for form routes
        if form is not None:
            value = form.get(CSRF_FORM_FIELD)
            sent = value if isinstance(value, str) else ""
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"CSRF check failed: send the {CSRF_COOKIE} cookie value in the {CSRF_HEADER} header",
        )


def identify(request: Request) -> Principal | None:
    """The caller named by the request's credentials, or None if it sent none."""
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    token = _bearer(request)
    if token is not None:
        if _looks_like_jwt(token):
            return _from_jwt(settings, token)
        return _from_api_token(store, token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        principal = _from_api_token(store, cookie)
        if request.method not in SAFE_METHODS:
            check_csrf(request)
        return principal
    return None


def with_visibility(store: Store, principal: Principal) -> Principal:
    """Attach the account manager's visible customers (everyone else sees every account)."""
    if principal.role is not Role.ACCOUNT_MANAGER:
        return principal
    if not principal.employee_id:
        return _replace(principal, frozenset())
    return _replace(principal, visible_customers(store, principal.employee_id))


def _replace(principal: Principal, visible: frozenset[str]) -> Principal:
    from dataclasses import replace

    return replace(principal, visible_customers=visible)


def authenticate(request: Request) -> Principal:
    """Resolve the caller or raise 401; anonymous admin only when auth is switched off."""
    settings: Settings = request.app.state.settings
    principal = identify(request)
    if principal is None:
        if not settings.auth_required:
            return Principal(id="anonymous", name="anonymous", role=Role.ADMIN, can_apply=True)
        raise _unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    return with_visibility(request.app.state.store, principal)
