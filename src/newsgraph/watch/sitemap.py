"""News sitemaps (sitemaps.org 0.9 with the Google News extension) and sitemap indexes, via lxml.

Parsed here because the sitemap libraries on PyPI (ultimate-sitemap-parser, trafilatura.sitemaps)
fetch the files themselves, and every request of a watch must go through its polite fetcher. The
parser refuses entities and network access, and caps the number of URLs it returns.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from lxml import etree

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MAX_URLS = 50_000  # the protocol's own limit per file
GZIP_MAGIC = b"\x1f\x8b"


class SitemapError(ValueError):
    """Not a sitemap we can read; the message says why."""


@dataclass
class SitemapEntry:
    url: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    lastmod: str | None = None


@dataclass
class Sitemap:
    entries: list[SitemapEntry] = field(default_factory=list)
    children: list[tuple[str, str | None]] = field(default_factory=list)  # (sitemap URL, lastmod)


def _gunzip(data: bytes, cap: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise SitemapError(f"bad gzip data: {exc}") from None
    if len(out) > cap:
        raise SitemapError(f"more than {cap:,} bytes once decompressed")
    return out


def parse_sitemap(data: bytes, cap: int = 50 * 2**20) -> Sitemap:
    """Entries of a ``<urlset>`` or child sitemaps of a ``<sitemapindex>`` (a ``.xml.gz`` body is unzipped)."""
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, cap)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not well-formed XML: {exc}") from None
    tag = etree.QName(root).localname
    out = Sitemap()
    if tag == "sitemapindex":
        for node in root.iter(f"{SM}sitemap"):
            loc = _text(node, f"{SM}loc")
            if loc:
                out.children.append((loc, _text(node, f"{SM}lastmod")))
        return out
    if tag != "urlset":
        raise SitemapError(f"root element is <{tag}>, not <urlset> or <sitemapindex>")
    for node in root.iter(f"{SM}url"):
        entry = _entry(node)
        if entry is not None:
            out.entries.append(entry)
        if len(out.entries) >= MAX_URLS:
            break
    return out


def _entry(node: etree._Element) -> SitemapEntry | None:
    loc = _text(node, f"{SM}loc")
    if not loc:
        return None
    news = node.find(f"{NEWS}news")
    entry = SitemapEntry(url=loc, lastmod=_text(node, f"{SM}lastmod"))
    if news is not None:
        entry.title = _text(news, f"{NEWS}title")
        entry.published = _text(news, f"{NEWS}publication_date")
        publication = news.find(f"{NEWS}publication")
        if publication is not None:
            entry.outlet = _text(publication, f"{NEWS}name")
            entry.language = _text(publication, f"{NEWS}language")
    return entry


def _text(node: etree._Element, tag: str) -> str | None:
    child = node.find(tag)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None
