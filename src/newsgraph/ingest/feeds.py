"""RSS and Atom feeds (via feedparser): one ``Item`` per entry, full content preferred.

The feed's own title is the outlet. Entry dates are read from the original string
so the local calendar day is kept (feedparser's parsed dates are shifted to UTC).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.ingest.formats import Item
from newsgraph.ingest.meta import iso_date

DATE_KEYS = ("published", "updated", "created")


def read_feed(data: bytes, path: str) -> Iterator[Item | RejectedInput]:
    """Items of an RSS/Atom document; an entry without any text is rejected on its own."""
    import feedparser

    parsed = feedparser.parse(data)  # bytes: feedparser never fetches anything
    if not parsed.entries:
        if parsed.bozo:
            yield RejectedInput(path, "malformed", f"not a readable feed: {parsed.get('bozo_exception')}")
        else:
            yield RejectedInput(path, "empty", "feed has no items")
        return
    fmt = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    outlet = feed_outlet(_text(parsed.feed.get("title")))
    language = _text(parsed.feed.get("language"))
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry_item(entry, f"{path}#{number}", fmt, outlet, language)


def feed_outlet(title: str | None) -> str | None:
    """A feed's title names the outlet and often a section after it: "Harbour Times - World"."""
    if not title:
        return None
    return re.split(r"\s+[-|–—:]\s+", title, maxsplit=1)[0].strip() or title


def _entry_item(entry: Any, source: str, fmt: str, outlet: str | None,
                language: str | None) -> Item | RejectedInput:
    content = _content(entry)
    if not content:
        return RejectedInput(source, "empty", "feed item has neither content nor description")
    return Item(
        source=source,
        format=fmt,
        content=content,
        kind="fragment",
        title=_text(entry.get("title")),
        author=_author(entry),
        outlet=outlet,
        published=_published(entry),
        language=language,
        url=_text(entry.get("link")),
    )


def _content(entry: Any) -> str | None:
    """The longest full-content block (content:encoded, atom:content), else the summary."""
    blocks = [_text(c.get("value")) for c in entry.get("content") or [] if isinstance(c, dict)]
    blocks = [b for b in blocks if b]
    if blocks:
        return max(blocks, key=len)
    return _text(entry.get("summary")) or _text(entry.get("description"))


def _author(entry: Any) -> str | None:
    names = [_text(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    return ", ".join(dict.fromkeys(names)) if names else _text(entry.get("author"))


def _published(entry: Any) -> str | None:
    for key in DATE_KEYS:
        iso = iso_date(entry.get(key)) or iso_date(entry.get(f"{key}_parsed"))
        if iso:
            return iso
    return None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
