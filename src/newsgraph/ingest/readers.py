"""Every way articles arrive — files, folders, JSON/JSONL, RSS/Atom, WARC, gzip — as ``RawArticle``s.

``iter_inputs`` never raises: a bad file, line, feed item or archive record comes
out as a ``RejectedInput`` (path, reason, detail) and the batch goes on. Cleaning
is delegated to ``newsgraph.ingest.clean`` (plain-text page dumps and article
bodies) and ``newsgraph.ingest.html`` (web pages); this module only finds the
articles, decodes them, attaches metadata and refuses what is not an article.
"""

from __future__ import annotations

import fnmatch
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.ingest.encoding import Decoded, check_binary, declared_charset, decode_report
from newsgraph.ingest.feeds import read_feed
from newsgraph.ingest.formats import (
    GZIP_MAGIC,
    Item,
    detect_format,
    html_to_text,
    inner_name,
    looks_like_html,
)
from newsgraph.ingest.jsonl import read_json, read_jsonl
from newsgraph.ingest.limits import time_limit
from newsgraph.ingest.meta import SIDECAR_NAMES, MetaIndex, apply_meta, iso_date, load_meta
from newsgraph.ingest.warc import read_warc
from newsgraph.lang.scripts import count_units, has_unspaced, weighted_chars
from newsgraph.model import Removal
from newsgraph.settings import Settings, get_settings

Meta = Mapping[str, dict[str, Any]]
KEEP_EXTRACTED = 0.6  # share of a JSON body's words extraction must keep to be trusted
# Raw content may exceed ``max_text_chars`` by this factor before cleaning (markup, page furniture).
MARKUP_FACTOR = 3
FURNITURE_FACTOR = 2
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


@dataclass
class RawArticle:
    """One article found in an input, cleaned, before NLP."""

    source: str  # file path, or "path#N" for the N-th item of a JSONL/JSON list/feed/WARC
    format: str  # txt / html / jsonl / json / rss / atom / warc
    text: str  # cleaned body
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO YYYY-MM-DD
    published_basis: str | None = None  # metadata / text
    language: str | None = None
    url: str | None = None
    removed: list[Removal] = field(default_factory=list)
    dateline: str | None = None
    charset: str | None = None  # how the bytes were decoded
    encoding_issue: str | None = None  # why they did not decode cleanly, if they did not


def iter_inputs(paths: Iterable[Path | str], meta: Meta | Path | str | None = None,
                settings: Settings | None = None) -> Iterator[RawArticle | RejectedInput]:
    """Articles (and rejections) from files and folders, in a deterministic order.

    Folders are walked recursively, sorted, skipping hidden entries and the metadata
    sidecar. ``meta`` is a loaded sidecar or its path; a folder with a sidecar
    (``metadata.jsonl``, ``meta.jsonl`` ...) uses it when ``meta`` is None.
    """
    settings = settings or get_settings()
    if isinstance(meta, str | Path):
        meta = yield from _sidecar(Path(meta))
    else:
        yield from _sidecar_warnings(meta)
    for path in map(Path, paths):
        if path.is_dir():
            yield from _read_folder(path, meta, settings)
        elif _is_sidecar_of(path, meta):
            continue
        else:
            yield from _read_file(path, meta, settings)


def _read_folder(folder: Path, meta: Meta | None, settings: Settings) -> Iterator[RawArticle | RejectedInput]:
    if meta is None:
        meta = yield from _discover_sidecar(folder)
    for entry in _walk(folder):
        if isinstance(entry, RejectedInput):
            yield entry
        elif _is_corpus_file(entry, meta, settings):
            yield from _read_file(entry, meta, settings)


def _is_corpus_file(path: Path, meta: Meta | None, settings: Settings) -> bool:
    if path.name in SIDECAR_NAMES or _is_sidecar_of(path, meta):
        return False
    return not any(fnmatch.fnmatch(path.name, pattern) for pattern in settings.walk_skip)


def _discover_sidecar(folder: Path) -> Iterator[RejectedInput]:
    """Load the folder's sidecar, yielding its bad lines as rejections; returns the index."""
    for name in SIDECAR_NAMES:
        if (folder / name).is_file():
            return (yield from _sidecar(folder / name))
    return None


def _sidecar(path: Path) -> Iterator[RejectedInput]:
    """Load a sidecar, yielding a rejection per bad line (or for the file); returns the index."""
    try:
        index = load_meta(path)
    except RejectedInput as rejected:
        yield rejected
        return None
    yield from _sidecar_warnings(index)
    return index


def _sidecar_warnings(meta: Meta | None) -> Iterator[RejectedInput]:
    """A loaded sidecar's bad lines, as rejections the batch report can show."""
    folder = getattr(meta, "base", None) or Path(".")
    for warning in getattr(meta, "warnings", None) or []:
        where, _, detail = warning.partition(": ")
        yield RejectedInput(str(Path(folder) / where), "malformed", f"metadata sidecar: {detail}")


def _is_sidecar_of(path: Path, meta: Meta | None) -> bool:
    sidecar = getattr(meta, "path", None)
    try:
        return sidecar is not None and path.resolve() == Path(sidecar).resolve()
    except OSError:
        return False


def _walk(root: Path) -> Iterator[Path | RejectedInput]:
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
        yield from _walk_errors(errors, root)
    yield from _walk_errors(errors, root)


def _walk_errors(errors: list[OSError], root: Path) -> Iterator[RejectedInput]:
    while errors:
        error = errors.pop(0)
        yield RejectedInput(str(error.filename or root), "unreadable", error.strerror or str(error))


def _read_file(path: Path, meta: Meta | None, settings: Settings) -> Iterator[RawArticle | RejectedInput]:
    """All articles of one file; any failure becomes a rejection and ends only this file."""
    source = str(path)
    found = 0
    try:
        data = _load(path, settings)
        for item in _items(data, path, source, settings):
            found += 1
            yield item if isinstance(item, RejectedInput) else _finish(item, meta, settings)
    except RejectedInput as rejected:
        yield rejected
        return
    except Exception as exc:  # a reader bug must not stop the batch
        yield RejectedInput(source, "malformed", f"{type(exc).__name__}: {exc}")
        return
    if not found:  # an empty JSON list, a WARC of images only: say so rather than skip in silence
        yield RejectedInput(source, "empty", "no article in this file")


def _load(path: Path, settings: Settings) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise RejectedInput(str(path), "unsupported", "not a regular file")
        if size > settings.max_file_bytes:
            raise RejectedInput(str(path), "too_large", f"{size} bytes > {settings.max_file_bytes}")
        if size == 0:
            raise RejectedInput(str(path), "empty", "0 bytes")
        return path.read_bytes()
    except OSError as exc:
        raise RejectedInput(str(path), "unreadable", exc.strerror or str(exc)) from exc


def _items(data: bytes, name: Path, source: str, settings: Settings,
           unzipped: bool = False) -> Iterator[Item | RejectedInput]:
    """Dispatch on the detected format; ``name`` is the file name describing ``data``."""
    fmt = detect_format(name, data[:8192])
    if fmt == "gz" and not unzipped:
        if inner_name(name).suffix.lower() == ".warc":
            yield from read_warc(data, source)
            return
        inner = _gunzip(data, source, settings.max_file_bytes)
        yield from _items(inner, inner_name(name), source, settings, unzipped=True)
    elif fmt == "warc":
        yield from read_warc(data, source)
    elif fmt == "feed":
        yield from read_feed(data, source)
    elif fmt in ("json", "jsonl"):
        decoded = decode_report(data, source)
        items = read_json(decoded.text, source) if fmt == "json" else read_jsonl(decoded.text, source)
        yield from (_with_charset(item, decoded) for item in items)
    elif fmt == "html":
        decoded = decode_report(data, source, declared=declared_charset(data))
        yield _with_charset(Item(source=source, format="html", content=decoded.text, kind="html"), decoded)
    elif fmt == "txt":
        decoded = decode_report(data, source)
        yield _with_charset(Item(source=source, format="txt", content=decoded.text, kind="page"), decoded)
    else:
        check_binary(data, source)
        yield RejectedInput(source, "unsupported", f"not a news input format ({name.suffix or 'no extension'})")


def _with_charset(item: Item | RejectedInput, decoded: Decoded) -> Item | RejectedInput:
    if isinstance(item, Item):
        item.charset, item.encoding_issue = decoded.charset, decoded.issue
    return item


def _gunzip(data: bytes, source: str, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise RejectedInput(source, "malformed", f"bad gzip data: {exc}") from exc
    if len(out) > limit:
        raise RejectedInput(source, "too_large", f"more than {limit} bytes once decompressed")
    if not inflater.eof:
        raise RejectedInput(source, "malformed", "truncated gzip file")
    if out.startswith(GZIP_MAGIC):
        raise RejectedInput(source, "unsupported", "gzip inside gzip")
    return out


def _finish(item: Item, meta: Meta | None, settings: Settings) -> RawArticle | RejectedInput:
    try:
        check_raw_size(item, settings)
        with time_limit(settings.doc_time_limit_s, item.source, "cleaning"):
            article = apply_meta(clean_item(item), meta)
        check_article(article, settings)
    except RejectedInput as rejected:
        return rejected
    except Exception as exc:  # a cleaner failure on one item must not stop its file
        return RejectedInput(item.source, "malformed", f"cleaning failed: {type(exc).__name__}: {exc}")
    return article


def clean_item(item: Item) -> RawArticle:
    """Clean an item's content by kind; structured metadata beats what the cleaner found."""
    text, found, basis = _clean_content(item)
    published, published_basis = item.published, "metadata" if item.published else None
    if not published and iso_date(_found(found, "published")):
        published, published_basis = iso_date(_found(found, "published")), basis
    return RawArticle(
        source=item.source,
        format=item.format,
        text=text,
        title=item.title or _found(found, "title"),
        author=item.author or _found(found, "author"),
        outlet=item.outlet or _found(found, "outlet"),
        published=published,
        published_basis=published_basis,
        language=normalise_language(item.language or _found(found, "language")),
        url=item.url or _found(found, "url"),
        removed=list(getattr(found, "removed", None) or []),
        dateline=_found(found, "dateline"),
        charset=item.charset,
        encoding_issue=item.encoding_issue,
    )


def _clean_content(item: Item) -> tuple[str, Any, str | None]:
    """The cleaned text, the cleaner's result (title, published...) and the basis of its date."""
    content = item.content if isinstance(item.content, str) else item.content.decode("utf-8", "replace")
    if item.kind == "page":
        from newsgraph.ingest.clean import clean_page_text

        found = clean_page_text(content, source=item.source)
        return found.text or "", found, "text"
    if item.kind == "html" or (item.kind == "body" and looks_like_html(content)):
        from newsgraph.ingest.html import extract_html

        found = extract_html(content, url=item.url, source=item.source)
        text = found.text or ""
        if item.kind == "body":
            # Markup in a JSON field is the article already: keep it all if extraction dropped much.
            plain = _clean_body(content)
            text = text if count_units(text) >= KEEP_EXTRACTED * count_units(plain) else plain
        return text, found, "metadata"
    return _clean_body(content), None, None


def _clean_body(content: str) -> str:
    from newsgraph.ingest.clean import clean_text_body

    return clean_text_body(html_to_text(content) if "<" in content else content)


def _found(found: Any, name: str) -> str | None:
    value = getattr(found, name, None)
    return (value.strip() or None) if isinstance(value, str) else None


def check_raw_size(item: Item, settings: Settings) -> None:
    """Raise ``too_large`` before cleaning content whose cleaned text could not fit anyway.

    Cleaning time grows with the raw size (trafilatura needs ~3 s per million characters of
    HTML), so an oversized page is refused up front rather than cleaned and then refused.
    """
    factor = MARKUP_FACTOR if item.kind == "html" else FURNITURE_FACTOR
    limit = factor * settings.max_text_chars
    if len(item.content) > limit:
        raise RejectedInput(item.source, "too_large", f"{len(item.content)} characters before cleaning > {limit}")


def check_article(article: RawArticle, settings: Settings) -> None:
    """Raise ``not_article`` for text too short to be news, ``too_large`` for absurdly long text."""
    text = article.text or ""
    chars = len(text.strip())
    if chars > settings.max_text_chars:
        raise RejectedInput(article.source, "too_large", f"{chars} characters > {settings.max_text_chars}")
    # Scripts without spaces (CJK, Thai) count each character as a word, and weigh it as several
    # Latin characters: a 1,084-character Chinese article is no "19 words".
    words = count_units(text)
    weighted = weighted_chars(text, settings.unspaced_char_weight)
    if words < settings.min_words or weighted < settings.min_text_chars:
        unit = "words and CJK/Thai characters" if has_unspaced(text) else "words"
        raise RejectedInput(
            article.source,
            "not_article",
            f"{words} {unit}, {chars} characters after cleaning "
            f"(need {settings.min_words} words and {settings.min_text_chars} characters)",
        )


def normalise_language(value: str | None) -> str | None:
    """``en-GB`` / ``en_US`` → ``en``; anything that is not a language tag is kept as given."""
    if not value:
        return None
    match = _LANGUAGE_TAG.match(value.strip().lower())
    return match.group(1) if match else value.strip()


__all__ = ["MetaIndex", "RawArticle", "check_article", "check_raw_size", "clean_item", "iter_inputs", "normalise_language"]
