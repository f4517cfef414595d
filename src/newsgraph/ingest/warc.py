"""Web archives (WARC, plain or gzipped, via warcio): each HTML page captured becomes an ``Item``.

Only successful HTML responses (and HTML ``resource`` records) are articles;
requests, metadata, redirects and images are skipped without a word. A damaged
or truncated archive keeps what was read and reports the rest once.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.ingest.encoding import declared_charset, decode_report
from newsgraph.ingest.formats import GZIP_MAGIC, Item

HTML_TYPES = ("text/html", "application/xhtml+xml")
ARTICLE_RECORDS = ("response", "resource")


class _Truncated(Exception):
    """A record whose block ends before its declared Content-Length."""


def read_warc(data: bytes, path: str) -> Iterator[Item | RejectedInput]:
    """Items for the HTML pages in a WARC; one ``RejectedInput`` for a damaged tail."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    records = ArchiveIterator(io.BytesIO(data))
    try:
        for count, record in enumerate(records, 1):
            item = _record_item(record, f"{path}#{count}")
            if item is not None:
                yield item
    except _Truncated:
        yield RejectedInput(f"{path}#{count}", "malformed", f"truncated WARC: record {count} ends early")
        return
    except Exception as exc:  # warcio raises many types (ArchiveLoadFailed, zlib, EOF...) on damage
        yield RejectedInput(f"{path}#{count + 1}", "malformed", f"damaged WARC after {count} records: {exc}")
        return
    if count == 0:
        yield RejectedInput(path, "malformed", "no WARC records")
    elif _leftover(data, records.offset) or (data.startswith(GZIP_MAGIC) and not gzip_complete(data)):
        # warcio stops silently at a record whose header is cut off
        yield RejectedInput(f"{path}#{count + 1}", "malformed", f"truncated WARC: ends inside record {count + 1}")


def _leftover(data: bytes, offset: int) -> bool:
    return bool(data[offset:].strip(b"\r\n\x00 "))


def _record_item(record: Any, source: str) -> Item | RejectedInput | None:
    payload = record.content_stream().read()
    if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record's Content-Length
        raise _Truncated(source)
    if record.rec_type not in ARTICLE_RECORDS:
        return None
    content_type = _content_type(record)
    if not content_type.startswith(HTML_TYPES) or not payload.strip():
        return None
    if record.rec_type == "response" and not _success(record):
        return None
    charset = _charset(content_type) or declared_charset(payload)
    try:
        decoded = decode_report(payload, source, declared=charset)
    except RejectedInput as rejected:
        return rejected
    url = record.rec_headers.get_header("WARC-Target-URI")
    return Item(source=source, format="warc", content=decoded.text, kind="html", url=url or None,
                charset=decoded.charset, encoding_issue=decoded.issue)


def _content_type(record: Any) -> str:
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    return (headers.get_header("Content-Type") or "").strip().lower()


def _success(record: Any) -> bool:
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    return bool(status) and str(status).startswith("2")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def gzip_complete(data: bytes) -> bool:
    """True when every gzip member in ``data`` ends properly (a cut file does not)."""
    chunk = 1 << 16
    rest = data
    while rest:
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        end = 0
        try:
            while end < len(rest) and not member.eof:
                member.decompress(rest[end:end + chunk])
                end += chunk
        except zlib.error:
            return False
        if not member.eof:
            return False
        rest = (member.unused_data + rest[end:]).lstrip(b"\x00")
    return True
