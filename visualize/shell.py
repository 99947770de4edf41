"""The frame every page shares: one header with the way to every page, and the language switch.

Every page a person opens (start, account, maps, coverage report and matrix, scenarios) starts
with :func:`topbar`, so nothing is reachable only by typing its address. Labels come from the
page's :class:`~graph.i18n.Translator`; the switch links to the same page in the other
language (``?lang=``), which the API turns into a cookie.

>>> html = topbar(translator("zh-CN"), current="/coverage/matrix", here="/coverage/matrix?by=tier")
>>> "覆盖矩阵" in html and 'aria-current="page"' in html and "lang=en" in html
True
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from graph.i18n import LANGUAGES, Translator, translator
from visualize.html import AssetMode, esc, render_document

PRODUCT = "relmap"

LANGUAGE_NAMES = {"en": "English", "zh-CN": "中文"}


def _labels(tr: Translator) -> dict[str, str]:
    """The header's pages in the order it shows them, with their labels in ``tr``'s language
    (each literal written out for the catalog's extractor)."""
    return {
        "/": tr.gettext("Accounts"),
        "/reports/coverage": tr.gettext("Coverage report"),
        "/coverage/matrix": tr.gettext("Coverage matrix"),
        "/coverage/map": tr.gettext("Coverage map"),
        "/scenarios": tr.gettext("Scenarios"),
        "/docs": tr.gettext("API docs"),
    }


def with_language(here: str, language: str) -> str:
    """``here`` (a path with its query) asking for ``language``."""
    parts = urlsplit(here)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    query.append(("lang", language))
    return urlunsplit(("", "", parts.path or "/", urlencode(query), ""))


def topbar(tr: Translator | None = None, *, current: str = "", here: str = "/") -> str:
    """The header: brand, the pages, a search box for accounts, and the language switch."""
    tr = tr or translator()
    labels = _labels(tr)
    links = []
    for path, label in labels.items():
        mark = ' aria-current="page"' if path == current else ""
        links.append(f'<a href="{esc(path)}"{mark}>{esc(label)}</a>')
    search = (
        '<form class="topsearch" method="get" action="/" role="search">'
        f'<input type="search" name="q" placeholder="{esc(tr.gettext("Find an account"))}" '
        f'aria-label="{esc(tr.gettext("Find an account"))}"></form>'
    )
    switch = " ".join(
        f'<a href="{esc(with_language(here, lang))}" lang="{esc(lang)}" hreflang="{esc(lang)}"'
        + (' aria-current="true"' if lang == tr.language else "")
        + f">{esc(LANGUAGE_NAMES[lang])}</a>"
        for lang in LANGUAGES
    )
    return (
        f'<header class="topbar"><a class="brand" href="/">{PRODUCT}</a>'
        f'<nav aria-label="{esc(tr.gettext("Pages"))}">{"".join(links)}</nav>{search}'
        f'<span class="languages">{switch}</span></header>'
    )


def page(
    title: str,
    content: str,
    *,
    tr: Translator | None = None,
    current: str = "",
    here: str = "/",
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
) -> str:
    """A complete script-free page: the header, then ``content`` (already-safe markup)."""
    tr = tr or translator()
    return render_document(
        title=f"{title} · {PRODUCT}",
        body=topbar(tr, current=current, here=here) + f'<main class="page">{content}</main>',
        scripts=(),
        styles=("relmap.css",),
        mode=mode,
        static_prefix=static_prefix,
        language=tr.language,
    )
