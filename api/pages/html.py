"""What every HTML page shares: its one Content-Security-Policy, the response that carries it,
the sign-in redirect for browsers without a session, and the "not found" page.

The policy (:func:`page_csp`) is strict: scripts only from relmap itself (``script-src 'self'``:
map data is a JSON block, the code a served file; no inline code, no inline handlers), styles
only from relmap, nothing fetched from anywhere else.

Pages resolve the caller with :data:`PagePrincipalDep` (or :data:`PageDesignerDep`): a browser
without credentials is sent to ``/login?next=<this page>`` instead of getting a 401; a hidden
or missing record answers the HTML "not found" page (:class:`PageNotFound`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import authenticate
from graph.auth.principal import Principal, Role
from visualize.pages import message_page

__all__ = [
    "PAGE_CSP",
    "LoginRequired",
    "PageDesignerDep",
    "PageNotFound",
    "PagePrincipalDep",
    "html_page",
    "install_page_handlers",
    "page_csp",
    "page_here",
]


def page_csp(*, inline_styles: bool = False) -> str:
    """The pages' Content-Security-Policy. ``inline_styles`` allows ``<style>`` blocks and
    ``style=`` attributes (the coverage report draws its bars with them); scripts stay
    ``'self'`` only, on every page."""
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return (
        f"default-src 'none'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


PAGE_CSP = page_csp()


def html_page(body: str, status_code: int = 200, *, inline_styles: bool = False) -> HTMLResponse:
    """An HTML page with the page CSP, never cached (it shows what this caller may see)."""
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={
            "Content-Security-Policy": page_csp(inline_styles=inline_styles),
            "Cache-Control": "no-store",
        },
    )


def page_here(request: Request) -> str:
    """This page's path and query: what the language switch and the sign-in return to."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


class LoginRequired(Exception):
    """A page was asked for without credentials: send the browser to sign in, then back."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class PageNotFound(Exception):
    """The page's record does not exist or the caller may not see it (one answer for both)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def get_page_principal(request: Request) -> Principal:
    """The caller of a page; :class:`LoginRequired` instead of 401 when they sent nothing."""
    try:
        return authenticate(request)
    except HTTPException as exc:
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            query = f"?{request.url.query}" if request.url.query else ""
            raise LoginRequired(request.url.path + query) from None
        raise


def get_page_designer(principal: Annotated[Principal, Depends(get_page_principal)]) -> Principal:
    """The caller of an org-design page: 403 unless an org designer (or admin)."""
    principal.require(Role.ORG_DESIGNER)
    return principal


PagePrincipalDep = Annotated[Principal, Depends(get_page_principal)]
PageDesignerDep = Annotated[Principal, Depends(get_page_designer)]


def install_page_handlers(app: FastAPI) -> None:
    """Answer :class:`LoginRequired` with the sign-in redirect and :class:`PageNotFound` with
    the HTML "not found" page."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(
            "/login?next=" + quote(exc.target, safe=""), status.HTTP_303_SEE_OTHER
        )

    @app.exception_handler(PageNotFound)
    async def _not_found(request: Request, exc: PageNotFound) -> HTMLResponse:
        text = f"There is no {exc.what} you can see here."
        return html_page(message_page("Not found", text), status.HTTP_404_NOT_FOUND)
