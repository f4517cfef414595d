"""What kind of input a file is (by extension, then by sniffing its first bytes), and the
``Item`` every container reader yields: one article's raw content plus the metadata
the container carried, before cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
WARC_SUFFIXES = {".warc"}
GZIP_MAGIC = b"\x1f\x8b"

_HTML_DOC = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(p|div|span|a|br|h[1-6]|article|section|li|ul|ol|table|td|em|strong|b|i|img|figure)\b[^>]*>",
    re.IGNORECASE,
)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]")
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
           "article", "figure", "figcaption", "pre", "ul", "ol", "table", "header", "footer"}
_DROP = {"script", "style", "noscript", "iframe", "svg", "form", "button"}


@dataclass
class Item:
    """One article inside an input, before cleaning.

    ``kind`` says how to clean ``content``: ``page`` (a plain-text page dump, with
    navigation and captions), ``html`` (a whole web page), ``body`` (article text
    from structured data, possibly with HTML markup) or ``fragment`` (an HTML
    snippet such as a feed item, too small for boilerplate removal).
    """

    source: str
    format: str
    content: str | bytes
    kind: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # already ISO, from structured metadata
    charset: str | None = None  # how the bytes were decoded (ingest.encoding.decode_report)
    encoding_issue: str | None = None  # why they did not decode cleanly, if they did not
    language: str | None = None
    url: str | None = None


def detect_format(path: Path, head: bytes) -> str | None:
    """``txt``/``html``/``json``/``jsonl``/``feed``/``warc``/``gz``, or None for unsupported.

    The extension proposes, the content decides: a .txt that is HTML is html, an
    .xml that is not RSS/Atom is unsupported, a file without extension is sniffed.
    """
    suffix = path.suffix.lower()
    if head.startswith(GZIP_MAGIC):
        return "gz"
    if head.startswith(b"WARC/"):
        return "warc"
    if suffix in FEED_SUFFIXES:
        return _xml_kind(head)
    if suffix in TEXT_SUFFIXES:
        return "html" if looks_like_html(head) else "txt"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES | JSONL_SUFFIXES:
        return "json" if suffix in JSON_SUFFIXES else "jsonl"
    if suffix in WARC_SUFFIXES:
        return "warc"
    return _sniff(head) if not suffix or not suffix[1:].isalpha() else None


def _xml_kind(head: bytes) -> str | None:
    if _FEED_ROOT.search(head[:4096]):
        return "feed"
    return "html" if _HTML_DOC.search(head[:4096]) else None


def _sniff(head: bytes) -> str | None:
    start = head.lstrip()[:1]
    if _FEED_ROOT.search(head[:4096]):
        return "feed"
    if looks_like_html(head):
        return "html"
    if start in (b"{", b"["):
        return "json"
    return "txt"


def looks_like_html(data: bytes | str) -> bool:
    """A whole HTML document, or text that is mostly markup (several tags)."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    if _HTML_DOC.search(raw[:4096]):
        return True
    text = raw[:20000].decode("utf-8", "replace")
    return len(_HTML_TAG.findall(text)) >= 3


def inner_name(path: Path) -> Path:
    """``story.html.gz`` → ``story.html``: the name that describes a gzip file's content."""
    return path.with_suffix("") if path.suffix.lower() == ".gz" else path


def html_to_text(fragment: str) -> str:
    """Text of an HTML snippet with one blank line between paragraphs (no boilerplate removal)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for element in list(root.iter()):
        # Comments and processing instructions have a non-string tag.
        if (not isinstance(element.tag, str) or element.tag in _DROP) and element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = ("\n" if element.tag == "br" else "\n\n") + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)
