"""The brief as ONE self-contained HTML file: inline CSS, no scripts, no external links.

Every article-derived string goes through Jinja2 autoescaping; citation markers link to the
numbered source list of the same brief (``#b<brief>-src-<n>``).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(brief) -> str:
    """``brief``: one ``Brief`` or a list of them (each keeps its own numbered source list)."""
    briefs = brief if isinstance(brief, list) else [brief]
    title = briefs[0].headline.text if len(briefs) == 1 else f"News briefs ({len(briefs)} stories)"
    if not briefs:
        title = "No stories"
    return _environment().get_template("brief.html.j2").render(briefs=briefs, page_title=title)
