"""Every fetched response kept in a WARC file per day beside the store (via warcio).

``news.duckdb`` → ``news.warc/news-2026-11-24.warc.gz`` (UTC day of the fetch): a ``warcinfo``
record first, then a ``request`` and a ``response`` record per exchange, each its own gzip member,
the body as it came over the wire (still compressed; ``WARC-Truncated`` when a cap cut it).
The store records, for each fetch, the file, the byte offset and the record id, so every
document can be traced to the bytes as fetched (``newsgraph ingest`` reads these files too).

A watch killed while writing leaves a cut gzip member at the end of the day's file; the next
writer cuts the file back to its last complete member before appending.
"""

from __future__ import annotations

import io
import threading
import zlib
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.watch.fetch import Exchange

SCAN_CHUNK = 1 << 20


def warc_folder(store: Path) -> Path:
    return store.with_name(store.stem + ".warc")


def complete_length(path: Path) -> int:
    """Bytes of ``path`` made of complete gzip members (the whole file when it is intact)."""
    good, start, fed = 0, 0, 0  # end of the last complete member; start of the current one; bytes fed to it
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with path.open("rb") as fh:
        data = fh.read(SCAN_CHUNK)
        while data:
            try:
                inflater.decompress(data, SCAN_CHUNK)  # output bounded and thrown away
            except zlib.error:
                return good
            if inflater.eof:  # the rest of the input is in unused_data (and, when output was capped, the tail)
                fed += len(data) - len(inflater.unused_data)
                good = start = start + fed
                fed = 0
                data = inflater.unused_data
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                if not data:
                    data = fh.read(SCAN_CHUNK)
            else:
                fed += len(data) - len(inflater.unconsumed_tail)
                data = inflater.unconsumed_tail or fh.read(SCAN_CHUNK)
    return good


class WarcRecorder:
    """Appends exchanges to the day's WARC; thread-safe; sets ``exchange.warc``."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self._lock = threading.Lock()
        self._day: str | None = None
        self._fh: BinaryIO | None = None
        self._writer: WARCWriter | None = None

    def path_for(self, day: str) -> Path:
        return self.folder / f"{self.prefix}-{day}.warc.gz"

    def _open(self, day: str) -> None:
        self.close_file()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path_for(day)
        if path.exists():
            good = complete_length(path)
            if good < path.stat().st_size:  # a writer died mid-record: drop the cut member
                with path.open("r+b") as fh:
                    fh.truncate(good)
        fresh = not path.exists() or path.stat().st_size == 0
        self._fh = path.open("ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        self._day = day
        if fresh:
            info = self._writer.create_warcinfo_record(path.name, {"software": "newsgraph watch",
                                                                   "format": "WARC File Format 1.1"})
            self._writer.write_record(info)
            self._fh.flush()

    def record(self, exchange: Exchange) -> None:
        day = exchange.fetched_at.strftime("%Y-%m-%d")
        with self._lock:
            if day != self._day or self._fh is None:
                self._open(day)
            assert self._writer is not None and self._fh is not None
            date = exchange.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            response = self._response(exchange, date)
            request = self._writer.create_warc_record(
                exchange.url, "request", payload=io.BytesIO(b""), warc_headers_dict={"WARC-Date": date},
                http_headers=StatusAndHeaders(f"GET {_path(exchange.url)} HTTP/1.1", exchange.request_headers,
                                              is_http_request=True))
            request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
            offset = self._fh.tell()
            self._writer.write_record(response)
            self._writer.write_record(request)
            self._fh.flush()
            exchange.warc = (str(self.path_for(day)), offset, response.rec_headers.get_header("WARC-Record-ID"))

    def _response(self, exchange: Exchange, date: str):
        headers = {"WARC-Date": date}
        if exchange.truncated:
            headers["WARC-Truncated"] = exchange.truncated
        version = exchange.http_version if exchange.http_version.startswith("HTTP/") else "HTTP/1.1"
        status = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(), exchange.headers, protocol=version)
        assert self._writer is not None
        return self._writer.create_warc_record(exchange.url, "response", payload=io.BytesIO(exchange.raw),
                                               length=len(exchange.raw), http_headers=status,
                                               warc_headers_dict=headers)

    def close_file(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh, self._writer, self._day = None, None, None

    def close(self) -> None:
        with self._lock:
            self.close_file()


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
