"""Fetching as a good citizen, over httpx (docs/watch.md, "Politeness").

Every request: a clear User-Agent; robots.txt obeyed; per-host gap and concurrency cap
(``hosts.HostGate``); a deadline from connect to last byte; redirects followed by hand (each
hop checked against robots.txt, a cap on their number, loops caught); the body read as a stream
and cut at ``max_bytes`` both as transferred and once decompressed (gzip/deflate are decoded here
with a bounded ``zlib`` call, so a decompression bomb never holds more than the cap in memory);
TLS verified (httpx's default, never turned off). Conditional GET through ``If-None-Match`` /
``If-Modified-Since``. Every response, redirects and errors included, goes to ``on_exchange``
(the WARC writer) as it was received.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from newsgraph.watch.config import FetchSettings
from newsgraph.watch.hosts import HostGate
from newsgraph.watch.robots import RobotsCache, host_key

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
ENCODINGS = ("gzip", "x-gzip", "deflate", "identity", "")


ROBOTS_TOKEN = "newsgraph-watch"  # the product token robots.txt groups are matched against


def user_agent(contact: str | None = None) -> str:
    """``newsgraph-watch/0.1.0 (news monitoring; obeys robots.txt; +mailto:you@example.org)``."""
    extra = f"; +{contact}" if contact else ""
    return f"{ROBOTS_TOKEN}/{_package_version()} (news monitoring; obeys robots.txt{extra})"


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsgraph")
    except PackageNotFoundError:
        return "0"


class FetchError(Exception):
    """A request that gave no usable body; ``reason`` is a short code, ``detail`` says what happened."""

    def __init__(self, url: str, reason: str, detail: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {reason} ({detail})")
        self.url, self.reason, self.detail, self.status, self.retry_after = url, reason, detail, status, retry_after


@dataclass
class Exchange:
    """One request and its response as received (body raw: still compressed, dechunked)."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    raw: bytes
    truncated: str | None = None  # WARC-Truncated reason: length / time
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    warc: tuple[str, int, str] | None = None  # (file, offset, record id), set by the recorder


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    not_modified: bool
    exchanges: list[Exchange]

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def warc(self) -> tuple[str, int, str] | None:
        return self.exchanges[-1].warc if self.exchanges else None


class _Decoder:
    """Content-Encoding decoding with a hard bound on the output."""

    def __init__(self, encoding: str, url: str) -> None:
        encoding = encoding.strip().lower()
        if encoding not in ENCODINGS:
            raise FetchError(url, "unsupported", f"content-encoding {encoding!r} (asked for gzip or deflate)")
        self.url = url
        self.kind = "gzip" if encoding in ("gzip", "x-gzip") else encoding
        self._inflater = self._new() if self.kind in ("gzip", "deflate") else None

    def _new(self) -> zlib._Decompress:
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.kind == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to ``room`` + 1 decoded bytes of ``data`` (one more than room means: over the cap)."""
        if self._inflater is None:
            return data[: room + 1]
        out = bytearray()
        try:
            while data and len(out) <= room:
                out += self._inflater.decompress(data, room + 1 - len(out))
                data = self._inflater.unconsumed_tail
                if self._inflater.eof:  # a further gzip member, or trailing garbage
                    data = self._inflater.unused_data + data
                    if not data.strip(b"\x00"):
                        break
                    self._inflater = self._new()
        except zlib.error as exc:
            raise FetchError(self.url, "malformed", f"bad {self.kind} data: {exc}") from None
        return bytes(out)


class Fetcher:
    """One polite HTTP client for a whole watch (thread-safe)."""

    def __init__(self, settings: FetchSettings, agent: str, gate: HostGate,
                 on_exchange: Callable[[Exchange], None] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.agent = agent
        self.gate = gate
        self.on_exchange = on_exchange
        limits = httpx.Limits(max_connections=settings.concurrency * 2,
                              max_keepalive_connections=settings.concurrency)
        self.client = httpx.Client(headers={"User-Agent": agent, "Accept-Encoding": "gzip, deflate"},
                                   timeout=httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
                                   follow_redirects=False, verify=True, limits=limits, transport=transport,
                                   trust_env=False)
        self.robots = RobotsCache(self._robots_txt, ROBOTS_TOKEN, ttl=settings.robots_ttl)

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------ public

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Fetched:
        """GET ``url`` politely, following redirects; raises ``FetchError`` for anything but 2xx/304."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen: list[str] = []
        exchanges: list[Exchange] = []
        current = url
        while True:
            _check_scheme(url, current)
            allowed, why = self.robots.allows(current)
            if not allowed:
                raise FetchError(url, "robots", f"{why}: {current}")
            response = self._one(current, headers, exchanges)
            if response.status not in REDIRECTS:
                break
            seen.append(current)
            current = self._next_hop(url, current, response, seen)
        return self._result(url, current, response, exchanges)

    # ------------------------------------------------------------------ internals

    def _next_hop(self, url: str, current: str, response: Fetched, seen: list[str]) -> str:
        location = response.headers.get("location")
        if not location:
            raise FetchError(url, "malformed", f"{response.status} redirect without a Location header")
        target = urljoin(current, location.strip())
        if target in seen:
            raise FetchError(url, "redirect_loop", f"{current} redirects back to {target}")
        if len(seen) > self.settings.max_redirects:
            raise FetchError(url, "too_many_redirects", f"more than {self.settings.max_redirects} redirects")
        return target

    def _result(self, url: str, final: str, response: Fetched, exchanges: list[Exchange]) -> Fetched:
        response.url, response.final_url, response.exchanges = url, final, exchanges
        if response.status == 304:
            response.not_modified = True
            return response
        if not 200 <= response.status < 300:
            raise FetchError(url, f"http_{response.status}", f"the server answered {response.status}"
                             + (f" at {final}" if final != url else ""), response.status,
                             retry_after(response.headers.get("retry-after")))
        return response

    def _one(self, url: str, headers: dict[str, str], exchanges: list[Exchange]) -> Fetched:
        crawl_delay = self.robots.delay(url) if not url.endswith("/robots.txt") else None
        with self.gate.turn(host_key(url), crawl_delay):
            return self._request(url, headers, exchanges)

    def _request(self, url: str, headers: dict[str, str], exchanges: list[Exchange]) -> Fetched:
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                exchange = Exchange(url=url, request_headers=list(resp.request.headers.items()),
                                    status=resp.status_code, reason=resp.reason_phrase,
                                    http_version=resp.http_version,
                                    headers=[(k, v) for k, v in resp.headers.multi_items()
                                             if k.lower() != "transfer-encoding"], raw=b"")
                try:
                    body = self._read(url, resp, exchange, deadline)
                finally:
                    self._record(exchange, exchanges)
                return Fetched(url, url, resp.status_code, resp.headers, body, False, [])
        except httpx.TimeoutException as exc:
            raise FetchError(url, "timeout", f"no answer within {self.settings.timeout:g}s "
                             f"({type(exc).__name__})") from None
        except httpx.TooManyRedirects as exc:  # not raised with follow_redirects=False; kept for safety
            raise FetchError(url, "too_many_redirects", str(exc)) from None
        except httpx.HTTPError as exc:
            reason = "tls" if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper() else "network"
            raise FetchError(url, reason, f"{type(exc).__name__}: {exc}") from None

    def _read(self, url: str, resp: httpx.Response, exchange: Exchange, deadline: float) -> bytes:
        cap = self.settings.max_bytes
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            exchange.truncated = "length"
            raise FetchError(url, "too_large", f"Content-Length {int(declared):,} bytes > the {cap:,}-byte cap")
        decoder = _Decoder(resp.headers.get("content-encoding", ""), url)
        raw, body = bytearray(), bytearray()
        try:
            for chunk in resp.iter_raw(CHUNK):
                raw += chunk
                if len(raw) > cap:
                    exchange.truncated = "length"
                    raise FetchError(url, "too_large", f"more than {cap:,} bytes transferred")
                body += decoder.feed(chunk, cap - len(body))
                if len(body) > cap:
                    exchange.truncated = "length"
                    raise FetchError(url, "too_large", f"more than {cap:,} bytes once decompressed "
                                     f"({decoder.kind}, {len(raw):,} bytes transferred): a decompression bomb?")
                if time.monotonic() > deadline:
                    exchange.truncated = "time"
                    raise FetchError(url, "timeout", f"body not complete within {self.settings.timeout:g}s")
        finally:
            exchange.raw = bytes(raw)
        return bytes(body)

    def _record(self, exchange: Exchange, exchanges: list[Exchange]) -> None:
        exchanges.append(exchange)
        if self.on_exchange is not None:
            self.on_exchange(exchange)

    def _robots_txt(self, robots_url: str) -> tuple[int | None, bytes | None]:
        """robots.txt itself: fetched through the same gate, redirects followed (up to the cap)."""
        current, hops = robots_url, 0
        try:
            while True:
                response = self._one(current, {"Accept": "text/plain"}, [])
                if response.status not in REDIRECTS or hops >= self.settings.max_redirects:
                    return response.status, response.body
                current, hops = urljoin(current, response.headers.get("location", "")), hops + 1
                _check_scheme(robots_url, current)
        except FetchError:
            return None, None


def _check_scheme(url: str, current: str) -> None:
    parts = urlsplit(current)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(url, "unsupported", f"not an http(s) URL: {current}")


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None
