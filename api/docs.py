"""Interactive API docs served from relmap itself, so ``/docs`` works offline (no CDN).

Swagger UI 5 (``swagger-ui-dist`` 5.35.0 from npm, vendored in ``api/docs_assets/`` with its
licence) reads the OpenAPI 3.1 document FastAPI writes; the 4.x of the ``swagger-ui-bundle``
package could not ("Unable to render this definition"). The page has no inline script: it loads
the bundle and ``relmap-docs.js``, so the default Content-Security-Policy applies to it too.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
ASSETS_DIR = Path(__file__).resolve().parent / "docs_assets"
SWAGGER_UI_VERSION = "5.35.0"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>relmap API</title>
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css?v={version}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js?v={version}"></script>
<script src="{assets}/relmap-docs.js?v={version}"></script>
</body>
</html>
"""


def docs_page(openapi_url: str) -> str:
    """The /docs document for the OpenAPI document at ``openapi_url``."""
    return PAGE.format(assets=ASSETS, version=SWAGGER_UI_VERSION, openapi=escape(openapi_url))


def install_docs(app: FastAPI) -> None:
    """Swagger UI at ``/docs`` with its JS/CSS from ``api/docs_assets``."""
    app.mount(ASSETS, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi_url or "/openapi.json"))
