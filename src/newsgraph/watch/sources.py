"""Polling one source: a feed or a news sitemap over HTTP, or a local folder.

``poll_feed`` and ``poll_sitemap`` run in fetch threads and touch no database: they return a
``Poll`` (new-looking items, conditional-GET state, fetch log rows, errors) that the loop commits
in one transaction, validators together with the items, so a kill can never record a feed as
read while losing its items. Items are keyed by canonical URL; an item whose link is shared with
other items of the same feed (a feed pointing every entry at its home page) is keyed by its guid
and read from the feed's own content instead.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from newsgraph.ingest.feeds import _author, _content, _published, _text, feed_outlet
from newsgraph.ingest.meta import iso_date
from newsgraph.watch.config import Source
from newsgraph.watch.fetch import Fetched, Fetcher, FetchError
from newsgraph.watch.sitemap import SitemapError, parse_sitemap

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.1"
MAX_CHILD_SITEMAPS = 50
SETTLE_S = 2.0  # a file modified this recently may still be being written: wait a round


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, default port, tracking parameters and fragment dropped (courlan)."""
    from courlan import normalize_url

    try:
        normal = normalize_url(url.strip())
    except (ValueError, TypeError):
        normal = url.strip()
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


@dataclass
class FoundItem:
    key: str
    url: str | None
    meta: dict[str, Any]


@dataclass
class Poll:
    source: Source
    items: list[FoundItem] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # errors of the round that do not back the source off
    retry_after: float | None = None
    not_modified: bool = False

    def fetched(self, url: str, response: Fetched) -> None:
        outcome = "not_modified" if response.not_modified else "ok"
        self.fetches.append({"url": url, "outcome": outcome, "status": response.status,
                             "final_url": response.final_url, "size": len(response.body), "warc": response.warc})
        self.resources.append({"url": url, "status": response.status, "etag": response.etag,
                               "last_modified": response.last_modified, "error": None})

    def failed(self, url: str, error: FetchError) -> None:
        self.errors.append(f"{url}: {error.reason}: {error.detail}")
        self.fetches.append({"url": url, "outcome": "error", "status": error.status, "reason": error.reason})
        self.resources.append({"url": url, "status": error.status, "error": f"{error.reason}: {error.detail}"})
        if error.retry_after:
            self.retry_after = max(self.retry_after or 0.0, error.retry_after)

    def malformed(self, url: str, response: Fetched, detail: str) -> None:
        """The bytes came but could not be read: log the fetch, keep the old validators, report it."""
        self.fetches.append({"url": url, "outcome": "error", "status": response.status, "reason": "malformed",
                             "final_url": response.final_url, "size": len(response.body), "warc": response.warc})
        self.resources.append({"url": url, "status": response.status, "error": f"malformed: {detail}"})
        self.errors.append(f"{url}: malformed: {detail}")


Validators = dict[str, tuple[str | None, str | None]]


def _get(fetcher: Fetcher, poll: Poll, url: str, known: Validators, accept: str) -> Fetched | None:
    etag, modified = known.get(url, (None, None))
    try:
        response = fetcher.get(url, etag=etag, last_modified=modified, accept=accept)
    except FetchError as error:
        poll.failed(url, error)
        return None
    return response


# --------------------------------------------------------------------------- feeds


def poll_feed(fetcher: Fetcher, source: Source, known: Validators) -> Poll:
    poll = Poll(source)
    response = _get(fetcher, poll, source.target, known, FEED_ACCEPT)
    if response is None:
        return poll
    if response.not_modified:
        poll.fetched(source.target, response)
        poll.not_modified = True
        return poll
    try:
        poll.items = feed_items(response.body, response.final_url, source, poll.warnings, poll.problems)
    except ValueError as exc:
        poll.malformed(source.target, response, str(exc))
        return poll
    poll.fetched(source.target, response)
    return poll


def feed_items(data: bytes, feed_url: str, source: Source, warnings: list[str],
               problems: list[str] | None = None) -> list[FoundItem]:
    """Items of an RSS/Atom document; raises ``ValueError`` for one that is not a readable feed.

    A feed with an XML error that still yields usable items is read, and the error is reported in
    ``problems`` (an error of the round that does not slow the source's polling down).
    """
    import feedparser

    parsed = feedparser.parse(data)  # bytes: feedparser fetches nothing
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable feed: {parsed.get('bozo_exception')}")
    if not parsed.get("version") and not parsed.entries:
        raise ValueError("not an RSS or Atom document")
    outlet = feed_outlet(_text(parsed.feed.get("title")))
    language = _text(parsed.feed.get("language"))
    links = [_link(e, feed_url) for e in parsed.entries]
    shared = {link for link, n in Counter(links).items() if link and n > 1}
    if shared:
        warnings.append(f"{feed_url}: {sum(links.count(s) for s in shared)} items share "
                        f"{len(shared)} link(s) ({sorted(shared)[0]}): those items are read from the feed's "
                        "own content, their link is not taken as the article")
    items = []
    for entry, link in zip(parsed.entries, links, strict=True):
        meta = {"title": _text(entry.get("title")), "published": _published(entry), "author": _author(entry),
                "outlet": outlet, "language": language, "content": _content(entry), "guid": _text(entry.get("id")),
                "feed": feed_url, "link": link, "atom": str(parsed.get("version", "")).startswith("atom"), "fetch_page": bool(link) and link not in shared and source.fetch_pages}
        if link and link not in shared:
            items.append(FoundItem(link, link, meta))
        elif meta["content"]:
            items.append(FoundItem(_item_key(feed_url, meta), link, meta))
        else:
            warnings.append(f"{feed_url}: item {meta['title'] or meta['guid'] or '?'!r} has no own link "
                            "and no content: skipped")
    if parsed.bozo:
        if not items:
            raise ValueError(f"not a readable feed: {parsed.get('bozo_exception')}")
        if problems is not None:
            problems.append(f"{feed_url}: malformed: XML error ({parsed.get('bozo_exception')}); "
                            f"{len(items)} item(s) read anyway")
    return items


def _link(entry: Any, base: str) -> str | None:
    from urllib.parse import urljoin

    link = _text(entry.get("link"))
    return canonical_url(urljoin(base, link)) if link else None


def _item_key(feed_url: str, meta: dict[str, Any]) -> str:
    ident = meta.get("guid") or "\n".join((str(meta.get("title")), str(meta.get("content"))))
    digest = hashlib.sha1("\n".join((feed_url, ident)).encode()).hexdigest()
    return f"item:{digest}"


# --------------------------------------------------------------------------- sitemaps


def poll_sitemap(fetcher: Fetcher, source: Source, known: Validators) -> Poll:
    poll = Poll(source)
    children = _read_sitemap(fetcher, poll, source.target, known, source)
    newest = sorted(children, key=lambda c: c[1] or "", reverse=True)[:MAX_CHILD_SITEMAPS]
    if len(children) > MAX_CHILD_SITEMAPS:
        poll.warnings.append(f"{source.target}: {len(children)} child sitemaps, reading the "
                             f"{MAX_CHILD_SITEMAPS} most recently modified")
    for child, _ in newest:
        _read_sitemap(fetcher, poll, canonical_url(child), known, source, nested=True)
    return poll


def _read_sitemap(fetcher: Fetcher, poll: Poll, url: str, known: Validators, source: Source,
                  nested: bool = False) -> list[tuple[str, str | None]]:
    response = _get(fetcher, poll, url, known, SITEMAP_ACCEPT)
    if response is None:
        return []
    if response.not_modified:
        poll.fetched(url, response)
        return []
    try:
        parsed = parse_sitemap(response.body, fetcher.settings.max_bytes)
    except SitemapError as exc:
        poll.malformed(url, response, str(exc))
        return []
    poll.fetched(url, response)
    for entry in parsed.entries:
        link = canonical_url(entry.url)
        meta = {"title": entry.title, "published": iso_date(entry.published), "outlet": entry.outlet,
                "language": entry.language, "content": None, "sitemap": url, "fetch_page": True}
        poll.items.append(FoundItem(link, link, meta))
    if parsed.children and nested:
        poll.warnings.append(f"{url}: a sitemap index inside a sitemap index is not followed")
        return []
    return parsed.children


# --------------------------------------------------------------------------- folders


def folder_files(root: Path, now: float | None = None) -> dict[str, tuple[int, int]]:
    """Path → (size, mtime_ns) of the settled, visible files under ``root``."""
    now = time.time() if now is None else now
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                st = path.stat()
            except OSError:
                continue
            if now - st.st_mtime >= SETTLE_S:
                found[str(path)] = (st.st_size, st.st_mtime_ns)
    return found
