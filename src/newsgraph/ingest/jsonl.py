"""JSON and JSON Lines article dumps: news-please, trafilatura, and generic field names.

Each record becomes an ``Item``; one malformed line or record becomes a
``RejectedInput`` naming its line (``file.jsonl#7``) and the rest of the file goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.ingest.formats import Item
from newsgraph.ingest.meta import iso_date

# First non-empty field wins. news-please: maintext, date_publish, authors, source_domain;
# trafilatura: text, raw_text, date, sitename, hostname, source(-hostname), excerpt.
BODY_FIELDS = ("maintext", "text", "body", "content", "articleBody", "article", "full_text", "raw_text",
               "description", "excerpt", "summary")
TITLE_FIELDS = ("title", "headline", "title_page", "title_rss")
AUTHOR_FIELDS = ("authors", "author", "byline", "creator", "creators")
OUTLET_FIELDS = ("outlet", "sitename", "site_name", "site", "publisher", "source_name", "source_domain",
                 "source-hostname", "hostname", "domain")
DATE_FIELDS = ("date_publish", "published", "published_at", "publishedAt", "pubDate", "datePublished",
               "date_published", "publish_date", "date")
URL_FIELDS = ("url", "link", "canonical_url", "source_url")
LANGUAGE_FIELDS = ("language", "lang", "inLanguage")
# A JSON object that wraps a list of articles keeps it under one of these keys.
CONTAINER_KEYS = ("articles", "items", "data", "results", "documents", "entries", "records")


def read_json(text: str, path: str) -> Iterator[Item | RejectedInput]:
    """A JSON file: one article object, a list of them, or an object wrapping a list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _many_object_lines(text):  # JSON Lines saved as .json
            yield from read_jsonl(text, path)
        else:
            yield RejectedInput(path, "malformed", f"invalid JSON at line {exc.lineno}: {exc.msg}")
        return
    yield from _records(data, path)


def read_jsonl(text: str, path: str) -> Iterator[Item | RejectedInput]:
    """One JSON object per line; each bad line is reported with its line number."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not _parses(first) and _parses(text):  # pretty-printed JSON saved as .jsonl
        yield from _records(json.loads(text), path)
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        source = f"{path}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RejectedInput(source, "malformed", f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _item_or_rejection(record, source, "jsonl")


def _records(data: Any, path: str) -> Iterator[Item | RejectedInput]:
    if isinstance(data, dict) and not _has_body(data):
        wrapped = next((data[k] for k in CONTAINER_KEYS if isinstance(data.get(k), list)), None)
        data = wrapped if wrapped is not None else data
    if isinstance(data, list):
        for number, record in enumerate(data, 1):
            yield _item_or_rejection(record, f"{path}#{number}", "json")
    else:
        yield _item_or_rejection(data, path, "json")


def _item_or_rejection(record: Any, source: str, fmt: str) -> Item | RejectedInput:
    try:
        return record_to_item(record, source, fmt)
    except RejectedInput as rejected:
        return rejected


def record_to_item(record: Any, source: str, fmt: str = "json") -> Item:
    """Map one JSON article record to an ``Item``; raise ``RejectedInput`` naming a bad field."""
    if not isinstance(record, dict):
        raise RejectedInput(source, "malformed", f"item is a JSON {type(record).__name__}, not an object")
    body = _field(record, BODY_FIELDS, source, joiner="\n\n", allow_numbers=False)
    if not body:
        raise RejectedInput(source, "not_article", f"no article text (looked for {', '.join(BODY_FIELDS[:6])})")
    source_field = _field(record, ("source",), source)
    source_is_url = bool(source_field and source_field.startswith(("http://", "https://")))
    return Item(
        source=source,
        format=fmt,
        content=body,
        kind="body",
        title=_field(record, TITLE_FIELDS, source, joiner=" "),
        author=_field(record, AUTHOR_FIELDS, source),
        outlet=_field(record, OUTLET_FIELDS, source) or (None if source_is_url else source_field),
        published=_date(record),
        language=_field(record, LANGUAGE_FIELDS, source),
        url=_field(record, URL_FIELDS, source) or (source_field if source_is_url else None),
    )


def _field(record: dict[str, Any], names: tuple[str, ...], source: str, joiner: str = ", ",
           allow_numbers: bool = True) -> str | None:
    for name in names:
        value = record.get(name)
        if value is None or value in ("", []):
            continue
        text = _coerce(value, name, source, joiner, allow_numbers)
        if text:
            return text
    return None


def _coerce(value: Any, name: str, source: str, joiner: str, allow_numbers: bool) -> str:
    """Strings pass; numbers become strings; lists are joined; ``{"name": ...}`` gives its name."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and allow_numbers:
        return str(value)
    if isinstance(value, list):
        parts = (_coerce(v, name, source, joiner, allow_numbers) for v in value if v not in (None, ""))
        return joiner.join(p for p in parts if p)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"].strip()
    raise RejectedInput(source, "malformed", f"field {name!r}: expected text, got {type(value).__name__}")


def _date(record: dict[str, Any]) -> str | None:
    """The first date field that parses to a full day; a bad date is dropped, not fatal."""
    for name in DATE_FIELDS:
        iso = iso_date(record.get(name))
        if iso:
            return iso
    return None


def _has_body(record: dict[str, Any]) -> bool:
    return any(isinstance(record.get(name), str) and record[name].strip() for name in BODY_FIELDS)


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _many_object_lines(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and sum(line.startswith("{") for line in lines) >= len(lines) / 2
