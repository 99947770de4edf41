"""Safe HTML building blocks for maps and pages: escaping, embedded JSON, bundled assets and the
document shell in its two forms.

Why this module exists: every map and page carries user-supplied strings (contact names,
titles, departments, Chinese text, hostile text). They reach the browser by exactly two roads,
both defined here: ``esc`` for HTML text and attributes, ``script_json`` for data that scripts
read. Nothing else writes user data into markup.

A document is rendered either

* **served** (``AssetMode.SERVED``): scripts and styles are files under a static prefix served by
  relmap itself, so the HTTP Content-Security-Policy can be ``script-src 'self'``; or
* **inline** (``AssetMode.INLINE``): one self-contained file (``relmap map -o file.html``) with
  every asset inlined and a ``<meta>`` CSP that allows exactly those inline blocks by hash.

Either way nothing is fetched from outside: no CDN, no web fonts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from enum import StrEnum
from functools import cache
from importlib import resources
from string import Template
from typing import Any

ASSET_PACKAGE = "visualize.assets"
TEMPLATE_PACKAGE = "visualize.templates"

# Assets relmap serves under its static prefix: name -> media type. Only these are served.
ASSETS: dict[str, str] = {
    "vis-network.min.js": "text/javascript; charset=utf-8",
    "vis-network.css": "text/css; charset=utf-8",
    "relmap-map.js": "text/javascript; charset=utf-8",
    "relmap.css": "text/css; charset=utf-8",
    "LICENSE-vis-network.txt": "text/plain; charset=utf-8",
    "d3-hierarchy.min.js": "text/javascript; charset=utf-8",
    "relmap-orgchart.js": "text/javascript; charset=utf-8",
    "relmap-orglane.js": "text/javascript; charset=utf-8",
    "LICENSE-d3-hierarchy.txt": "text/plain; charset=utf-8",
}

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


class AssetMode(StrEnum):
    """Where scripts and styles live: in relmap's static route, or inside the file."""

    SERVED = "served"
    INLINE = "inline"


def esc(value: object) -> str:
    """HTML-escape any value for text or a quoted attribute (``&<>"'``)."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` block.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so a string such as ``</script><script>``
    can neither close the element nor open a comment; the browser's JSON.parse restores them.
    Chinese text stays as UTF-8 (``ensure_ascii=False``) so the file remains readable.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


@cache
def asset_text(name: str) -> str:
    """The text of one bundled asset (cached; they ship with the package)."""
    if name not in ASSETS:
        raise KeyError(f"unknown asset {name!r}")
    return resources.files(ASSET_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@cache
def asset_bytes(name: str) -> bytes:
    """The UTF-8 bytes of one bundled asset, as the static route sends them."""
    return asset_text(name).encode("utf-8")


@cache
def asset_etag(name: str) -> str:
    """A strong validator for the static route, from the asset's content."""
    return '"' + hashlib.sha256(asset_bytes(name)).hexdigest()[:32] + '"'


@cache
def template(name: str) -> Template:
    """One HTML template from ``visualize/templates`` (``$placeholders``, no logic)."""
    text = resources.files(TEMPLATE_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return Template(text)


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline block."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_document(
    *,
    title: str,
    body: str,
    scripts: tuple[str, ...] = (),
    styles: tuple[str, ...] = ("relmap.css",),
    data: Any = None,
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
    language: str = "en",
) -> str:
    """A complete HTML document (``language`` is its ``lang``: en or zh-CN).

    ``title`` is plain text (escaped here); ``body`` is already-safe markup built with ``esc``;
    ``data`` (if given) is embedded as JSON in ``<script id="relmap-data">`` for ``scripts`` to
    read. ``scripts`` and ``styles`` name bundled assets.
    """
    head: list[str] = []
    tail: list[str] = []
    if mode is AssetMode.INLINE:
        script_hashes: list[str] = []
        style_hashes: list[str] = []
        for name in styles:
            css = asset_text(name)
            style_hashes.append(csp_hash(css))
            head.append(f"<style>{css}</style>")
        for name in scripts:
            js = asset_text(name)
            script_hashes.append(csp_hash(js))
            tail.append(f"<script>{js}</script>")
        policy = (
            "default-src 'none'; "
            f"script-src {' '.join(script_hashes) or chr(39) + 'none' + chr(39)}; "
            f"style-src {' '.join(style_hashes) or chr(39) + 'none' + chr(39)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        head.insert(0, f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">')
    else:
        prefix = static_prefix.rstrip("/")
        for name in styles:
            head.append(f'<link rel="stylesheet" href="{esc(prefix)}/{esc(name)}">')
        for name in scripts:
            tail.append(f'<script src="{esc(prefix)}/{esc(name)}"></script>')
    data_block = (
        f'<script type="application/json" id="relmap-data">{script_json(data)}</script>'
        if data is not None
        else ""
    )
    return template("base.html").substitute(
        lang=esc(language),
        title=esc(title),
        head="\n".join(head),
        body=body,
        data=data_block,
        scripts="\n".join(tail),
    )
