"""Templates and filters of the HTML pages: Jinja2 with autoescape on, and one ``render`` helper."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsgraph.display import links

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def format_date(value: Any) -> str:
    """``2024-08-23`` → ``23 Aug 2024``; partial dates stay as given; none → an en dash."""
    if not value:
        return "–"
    text = str(value)[:10]
    try:
        return date.fromisoformat(text).strftime("%-d %b %Y")
    except ValueError:
        return text


def safe_url(value: Any) -> str | None:
    """Only http(s) URLs from the data become links (no ``javascript:``, ``data:`` ...)."""
    if not value:
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def with_query(path: str, **params: Any) -> str:
    """``path?k=v...`` with the parameters that are not None (values URL-encoded)."""
    kept = {k: v for k, v in params.items() if v is not None and v != ""}
    return f"{path}?{urlencode(kept)}" if kept else path


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = format_date
    env.filters["safe_url"] = safe_url
    env.globals["with_query"] = with_query
    env.globals["evidence"] = links.evidence_url
    env.globals["span_url"] = links.span_url
    return env


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("public_bind", getattr(request.app.state, "public_bind", False))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, kind: str, record_id: str) -> HTMLResponse:
    return render(request, "not_found.html", status_code=404, kind=kind, record_id=record_id)
