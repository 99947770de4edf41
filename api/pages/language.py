"""The language of a page: ``?lang=`` (the header's switch, remembered in a cookie), else the
cookie, else the browser's ``Accept-Language``, else ``RELMAP_LANGUAGE``.

Pages declare :data:`PageTranslatorDep` and render with the translator it gives; the
:func:`install_language_cookie` middleware turns a valid ``?lang=`` into the ``relmap_lang``
cookie (a year, SameSite=Lax, not secret) so the choice holds on every later page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response

from api.deps import SettingsDep
from graph.i18n import Translator, negotiate, translator
from graph.i18n.catalog import language_of

LANGUAGE_COOKIE = "relmap_lang"
LANGUAGE_QUERY = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def page_language(request: Request, default: str) -> str:
    """The language this page is drawn in (see the module docstring for the order)."""
    for chosen in (request.query_params.get(LANGUAGE_QUERY), request.cookies.get(LANGUAGE_COOKIE)):
        language = language_of(chosen)
        if language:
            return language
    return negotiate(request.headers.get("accept-language"), default=default)


def get_page_translator(request: Request, settings: SettingsDep) -> Translator:
    return translator(page_language(request, settings.language))


PageTranslatorDep = Annotated[Translator, Depends(get_page_translator)]


def install_language_cookie(app: FastAPI) -> None:
    """Remember a page's ``?lang=`` choice in the ``relmap_lang`` cookie."""

    @app.middleware("http")
    async def _remember(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        language = language_of(request.query_params.get(LANGUAGE_QUERY))
        if language and response.headers.get("content-type", "").startswith("text/html"):
            response.set_cookie(
                LANGUAGE_COOKIE, language, max_age=COOKIE_MAX_AGE, samesite="lax", path="/"
            )
        return response
