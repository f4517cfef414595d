"""HTML error pages for browser routes (404, 405, 422, 500, 503), rendered like every other page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from newsgraph.web.render import render


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, title=title, message=message, nav="")
