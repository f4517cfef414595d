"""A fetched page (or a feed item's own content) as a ``RawArticle``, cleaned like HTML input.

The same readers as ``newsgraph ingest``: ``ingest.html`` (trafilatura) for pages, the feed
fragment cleaner for feed content, the same size checks and the same per-document time limit.
What the feed or sitemap said (title, date, outlet) fills what the page does not say; the feed's
date wins, as structured metadata does for files.
"""

from __future__ import annotations

from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.ingest.encoding import declared_charset, decode_report
from newsgraph.ingest.formats import Item, looks_like_html
from newsgraph.ingest.limits import time_limit
from newsgraph.ingest.readers import RawArticle, check_article, check_raw_size, clean_item
from newsgraph.settings import Settings
from newsgraph.watch.fetch import Fetched

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def page_article(key: str, response: Fetched, meta: dict[str, Any], settings: Settings) -> RawArticle:
    """The article on a fetched page; raises ``RejectedInput`` (source = the item's URL) when there is none."""
    content_type = (response.headers.get("content-type") or "").lower()
    if content_type and not content_type.startswith(HTML_TYPES) and not looks_like_html(response.body[:4096]):
        raise RejectedInput(key, "unsupported", f"not a web page: Content-Type {content_type.split(';')[0]}")
    if not response.body.strip():
        raise RejectedInput(key, "empty", f"the page at {response.final_url} is empty")
    charset = _charset(content_type) or declared_charset(response.body)
    decoded = decode_report(response.body, key, declared=charset)  # the charset used and any decoding issue
    item = Item(source=key, format="html", content=decoded.text, kind="html", url=response.final_url,
                title=None, published=meta.get("published"), language=meta.get("language"),
                charset=decoded.charset, encoding_issue=decoded.issue)
    return _finish(item, meta, settings)


def feed_article(key: str, meta: dict[str, Any], settings: Settings) -> RawArticle:
    """The article from a feed item's own content (``content:encoded``, else its summary)."""
    if not meta.get("content"):
        raise RejectedInput(key, "empty", "feed item has neither content nor description")
    fmt = "atom" if meta.get("atom") else "rss"
    item = Item(source=key, format=fmt, content=meta["content"], kind="fragment", url=meta.get("link"),
                title=meta.get("title"), author=meta.get("author"), outlet=meta.get("outlet"),
                published=meta.get("published"), language=meta.get("language"))
    return _finish(item, meta, settings)


def _finish(item: Item, meta: dict[str, Any], settings: Settings) -> RawArticle:
    check_raw_size(item, settings)
    with time_limit(settings.doc_time_limit_s, item.source, "cleaning"):
        article = clean_item(item)
    article.title = article.title or meta.get("title")
    article.outlet = article.outlet or meta.get("outlet")
    article.author = article.author or meta.get("author")
    check_article(article, settings)
    return article
