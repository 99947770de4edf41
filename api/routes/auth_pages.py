"""Browser sign-in with the same identities as the API: paste a token, get a session cookie.

``GET /login`` shows a form (the pages' frame and their one Content-Security-Policy);
``POST /login`` checks the token and sets two cookies: ``relmap_session`` (the token, HttpOnly,
SameSite=Strict, Secure over HTTPS) and ``relmap_csrf`` (random, readable by the page) whose value
unsafe requests must echo (``X-CSRF-Token`` header or ``csrf_token`` form field). The login form
itself is protected by the same double-submit pair, set when the form is shown. ``POST /logout``
clears both. ``GET /v1/me`` says who the API thinks you are.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from api.auth import CSRF_COOKIE, SESSION_COOKIE, check_csrf
from api.deps import PrincipalDep, StoreDep
from api.pages.html import html_page
from api.pages.language import page_language
from graph.auth.tokens import verify_token
from graph.i18n import translator
from visualize.pages import sign_in_page

router = APIRouter(tags=["auth"])

SESSION_SECONDS = 8 * 3600


class Me(BaseModel):
    """The caller as the API sees them."""

    id: str
    name: str
    role: str
    employee_id: str | None
    can_apply: bool
    visible_customers: int | None  # None: every account


def _safe_next(target: str) -> str:
    """Only local paths, never another site (``//host`` or ``/\\host``)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _form(
    request: Request, message: str = "", next_url: str = "/", code: int = 200
) -> HTMLResponse:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    tr = translator(page_language(request, request.app.state.settings.language))
    body = sign_in_page(csrf=csrf, next_url=_safe_next(next_url), message=message, tr=tr)
    response = html_page(body, code)
    response.set_cookie(
        CSRF_COOKIE, csrf, httponly=False, samesite="strict", secure=_secure(request), path="/"
    )
    return response


@router.get("/login", response_class=HTMLResponse, summary="Sign-in page", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002
    return _form(request, next_url=next[:500])


@router.post(
    "/login", response_class=HTMLResponse, summary="Sign in with a token", include_in_schema=False
)
def login(
    request: Request,
    store: StoreDep,
    token: Annotated[str, Form(max_length=300)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",  # noqa: A002
) -> Response:
    expected = request.cookies.get(CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _form(request, "Your sign-in form expired; please try again.", next, 403)
    info = verify_token(store, token.strip())
    if info is None:
        return _form(request, "Unknown, wrong or revoked token.", next, 401)
    response = RedirectResponse(_safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    secure = _secure(request)
    response.set_cookie(
        SESSION_COOKIE,
        token.strip(),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(32),
        max_age=SESSION_SECONDS,
        httponly=False,
        samesite="strict",
        secure=secure,
        path="/",
    )
    return response


@router.post(
    "/logout",
    summary="Sign out (clears the session cookies)",
    status_code=303,
    include_in_schema=False,
)
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    if request.cookies.get(SESSION_COOKIE):
        _check_csrf_form(request, csrf_token)
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


def _check_csrf_form(request: Request, csrf_token: str) -> None:
    expected = request.cookies.get(CSRF_COOKIE, "")
    if csrf_token and expected and hmac.compare_digest(expected, csrf_token):
        return
    check_csrf(request)  # header variant; raises 403 when that fails too


@router.get("/v1/me", response_model=Me, summary="Who am I")
def me(principal: PrincipalDep) -> Me:
    return Me(
        id=principal.id,
        name=principal.name,
        role=principal.role.value,
        employee_id=principal.employee_id,
        can_apply=principal.can_apply,
        visible_customers=None
        if principal.visible_customers is None
        else len(principal.visible_customers),
    )
