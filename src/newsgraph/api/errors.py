"""Error answers: JSON for the API, HTML pages for browser routes.

A path under ``/api``, ``/openapi.json``, ``/docs`` or ``/static``, or a request that asks for JSON
and not HTML, gets ``{"detail": ...}`` (FastAPI's shape; a 422 lists each failed check). Any other
path is a browser route and gets an HTML page (``newsgraph.web.errors``; a plain page when the web
UI is not installed). An unexpected exception is logged and answered 500 without a traceback;
that answer carries the security headers itself, as it leaves through Starlette's outermost layer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from newsgraph.errors import StoreError

log = logging.getLogger(__name__)

MACHINE_PREFIXES = ("/api/", "/openapi.json", "/docs", "/static/", "/alerts.atom")
TITLES = {400: "Bad request", 404: "Page not found", 405: "Method not allowed", 413: "Request too large",
          414: "Address too long", 422: "Bad parameters", 500: "Something went wrong",
          503: "The archive cannot be read"}
HtmlRenderer = Callable[[Request, int, str, str], Response]


def wants_json(request: Request) -> bool:
    """True for API paths, and for browser paths whose client asks for JSON rather than HTML."""
    path = request.url.path
    if path == "/api" or path.startswith(MACHINE_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _plain_page(request: Request, status: int, title: str, message: str) -> Response:
    from html import escape

    body = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><main><h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href=\"/\">Stories</a></p>"
            "</main></body></html>")
    return HTMLResponse(body, status_code=status)


def _html_renderer() -> HtmlRenderer:
    try:
        from newsgraph.web.errors import error_page
    except ImportError:
        return _plain_page
    return error_page


def _message(status: int, detail: Any, request: Request) -> str:
    if status == 404:
        return f"Nothing is published at {request.url.path}."
    if status == 405:
        return f"{request.method} is not allowed here: pages are read with GET."
    return str(detail) if isinstance(detail, str) else TITLES.get(status, "The request failed.")


def install(app: FastAPI, security_headers: dict[str, str]) -> None:
    """Register the handlers on ``app``; ``security_headers`` go on 500 answers."""
    html = _html_renderer()

    def page(request: Request, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
        title = TITLES.get(status, "Error")
        try:
            response = html(request, status, title, _message(status, detail, request))
        except Exception:  # the error page itself failed: a plain one, never a traceback
            log.exception("error page for %s failed", request.url.path)
            response = _plain_page(request, status, title, _message(status, detail, request))
        response.headers.update(headers or {})
        return response

    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page(request, exc.status_code, exc.detail, exc.headers)

    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in exc.errors())
        return page(request, 422, f"The address has parameters this page cannot use ({problems}).")

    async def store_error(request: Request, exc: Exception) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": f"store unavailable: {exc}"}, status_code=503)
        return page(request, 503, f"The archive cannot be read right now: {exc}. Try again in a moment.")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if wants_json(request):
            response: Response = JSONResponse({"detail": f"internal error ({type(exc).__name__})"}, status_code=500)
        else:
            response = page(request, 500, "The page could not be built; the error is in the server's log.")
        response.headers.update(security_headers)
        return response

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(Exception, server_error)
