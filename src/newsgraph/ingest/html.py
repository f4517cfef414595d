"""Article body and metadata from an HTML page, via trafilatura.

Settings were chosen on the article-extraction benchmark (newsgraph.eval.article_extraction):
``favor_precision`` beat the default and ``favor_recall``; tables stay in (dropping them
cost recall). But favor_precision empties list and landing pages and short articles: where it
keeps fewer than ``PRECISION_MIN_UNITS`` words (CJK/Thai characters counting as words), the
page is extracted again with trafilatura's standard settings and the longer text kept
(development F1 0.964 → 0.969 on the benchmark; docs/languages.md). trafilatura's output then
goes through the cleaner's furniture patterns
(teasers, share prompts, widgets, captions, credits), which measured slightly better than
the raw output; the cleaner's layout rules (headings, page tail) are not applied because
they cut real subheads and short paragraphs that trafilatura already isolated.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import lxml.html
import trafilatura
from trafilatura.utils import decode_file

from newsgraph.ingest.clean import CleanResult, canonical_outlet, clean_text_body, strip_furniture
from newsgraph.lang.scripts import count_units

log = logging.getLogger(__name__)

# Kept in trafilatura's output: header rows, bylines and subheads are already gone, so only
# these furniture kinds are dropped.
HTML_FURNITURE = frozenset(
    {"nav", "share_prompt", "widget", "teaser", "caption", "credit", "copyright"}
)
PRECISION_MIN_UNITS = 40  # below this, favor_precision has emptied a list or landing page
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": True,
}


def _paragraphs(text: str) -> str:
    """One paragraph a line (trafilatura's layout) to paragraphs joined by a blank line."""
    lines = [ln for ln in clean_text_body(text).split("\n") if ln.strip()]
    return "\n\n".join(lines)


def _iso_date(value: str | None) -> str | None:
    match = re.match(r"\d{4}-\d{2}-\d{2}", value or "")
    return match.group(0) if match else None


def trafilatura_result(html: str | bytes, url: str | None = None) -> CleanResult:
    """trafilatura's body and metadata as they come (paragraphs joined by a blank line)."""
    doc = trafilatura.bare_extraction(html, url=url, **TRAFILATURA_OPTIONS)
    if doc is None or count_units(doc.text or "") < PRECISION_MIN_UNITS:
        standard = trafilatura.bare_extraction(html, url=url, **{**TRAFILATURA_OPTIONS, "favor_precision": False})
        if standard is not None and count_units(standard.text or "") > count_units(getattr(doc, "text", "") or ""):
            doc = standard
    if doc is None or not (doc.text or "").strip():
        return CleanResult(text="")
    return CleanResult(
        text=_paragraphs(doc.text),
        title=doc.title or None,
        author=doc.author or None,
        published=_iso_date(doc.date),
        outlet=canonical_outlet(doc.sitename or None, url),
    )


def _fallback_paragraphs(html: str | bytes) -> str:
    """The text of every <p>, for pages trafilatura finds nothing in."""
    text = decode_file(html) if isinstance(html, bytes) else html
    tree = lxml.html.fromstring(text)
    for junk in tree.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside"):
        junk.drop_tree()
    paragraphs = (" ".join(p.text_content().split()) for p in tree.iter("p"))
    return "\n".join(p for p in paragraphs if count_units(p) >= 5)


def extract_html(
    html: str | bytes, url: str | None = None, source: str = "", *, postprocess: bool = True
) -> CleanResult:
    """Body and metadata of an article page. Never raises: a page it cannot read gives empty text.

    Pass bytes when the encoding is unknown: trafilatura reads the declared charset and guesses
    otherwise. ``removed`` line numbers count lines of trafilatura's text, not of the HTML.
    """
    if not html or (isinstance(html, str) and not html.strip()):
        return CleanResult(text="")
    try:
        result = trafilatura_result(html, url)
        if not result.text:
            result.text = _paragraphs(_fallback_paragraphs(html))
    except Exception as exc:  # lxml/trafilatura raise many kinds on broken pages
        log.warning("html extraction failed for %s: %s", source or url or "<html>", exc)
        return CleanResult(text="")
    if postprocess and result.text:
        result.text, result.removed = strip_furniture(result.text, HTML_FURNITURE)
    return result
