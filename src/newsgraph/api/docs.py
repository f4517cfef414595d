"""``/docs``: Swagger UI from the vendored copy (PyPI ``swagger-ui-py``), no CDN."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

# Only these files of the vendored Swagger UI (PyPI ``swagger-ui-py``) are served, by fixed name.
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsgraph API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>
"""
# An external script, not inline: the CSP allows scripts from 'self' only. validatorUrl null: no call out.
DOCS_INIT = ('window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", '
             'validatorUrl: null, deepLinking: true});\n')
FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsgraph API</title></head>
<body><h1>newsgraph API</h1><p>The interactive docs need the <code>swagger-ui-py</code> package.
The API description is at <a href="/openapi.json">/openapi.json</a>; the reference is docs/api.md.</p></body></html>
"""


def _swagger_dir() -> Path | None:
    """Swagger UI 5 (it reads OpenAPI 3.1) as shipped by the PyPI package ``swagger-ui-py``; found, not imported."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static"
    return folder if all((folder / name).is_file() for name in SWAGGER_FILES) else None


def add_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from the vendored copy, no CDN (or a plain page when it is missing)."""
    folder = _swagger_dir()

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE if folder else FALLBACK_PAGE)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(DOCS_INIT, media_type="text/javascript")

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def docs_asset(name: str) -> FileResponse:
        if folder is None or name not in SWAGGER_FILES:
            return JSONResponse({"detail": f"no docs asset {name!r}"}, status_code=404)
        return FileResponse(folder / name)
