"""Real HTTP parts on 127.0.0.1 for the tests, ``make watch-demo`` and the bench: a fixture web
server (feeds, pages, robots.txt, sitemaps, and the bad cases) and a webhook receiver that checks
signatures. Standard-library servers, one thread per request; nothing listens beyond loopback.

The article text they serve is generated from templates written for newsgraph (no real article).
"""

from __future__ import annotations

import gzip
import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newsgraph.watch.deliveries import DELIVERY_HEADER, SIGNATURE_HEADER, verify

LOOPBACK = "127.0.0.1"


@dataclass
class Route:
    body: bytes | Callable[[], Iterator[bytes]] = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    delay: float = 0.0  # seconds before the status line


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FixtureServer:
    """Serves registered routes; counts every request per path (``hits``)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[float, str]] = []
        self.headers: dict[str, dict[str, str]] = {}  # path → headers of its last request
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._server = _Server((LOOPBACK, 0), self._handler())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="fixture-server")

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://{LOOPBACK}:{self.port}{path}"

    def set(self, path: str, body: bytes | str | Callable[[], Iterator[bytes]] = b"", **kw: Any) -> Route:
        route = Route(body=body.encode() if isinstance(body, str) else body, **kw)
        with self._lock:
            self.routes[path] = route
        return route

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.set(path, status=status, headers={"Location": to})

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for _, p in self.hits if p == path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fixture = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # close-delimited bodies: a streamed page needs no length

            def log_message(self, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with fixture._lock:
                    fixture.hits.append((time.time(), path))
                    fixture.headers[path] = dict(self.headers.items())
                    route = fixture.routes.get(path)
                    fixture.in_flight += 1
                    fixture.most_in_flight = max(fixture.most_in_flight, fixture.in_flight)
                try:
                    self._route(route)
                finally:
                    with fixture._lock:
                        fixture.in_flight -= 1

            def _route(self, route: Route | None) -> None:
                if route is None:
                    self._send(404, b"not here", "text/plain")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self._send(304, b"", None, {"ETag": route.etag})
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                self._send(route.status, route.body, route.content_type, headers)

            def _send(self, status: int, body: Any, content_type: str | None,
                      headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if isinstance(body, bytes):
                        self.wfile.write(body)
                    else:
                        for chunk in body():
                            self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up (a size cap did its job)

        return Handler


class WebhookReceiver:
    """Receives alert POSTs, checks each signature; ``fail_first`` answers 500 that many times first."""

    def __init__(self, secret: str, fail_first: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.received: list[dict[str, Any]] = []  # {"delivery", "valid", "payload"}
        self.attempts = 0
        self._lock = threading.Lock()
        self._server = _Server((LOOPBACK, 0), self._handler())
        self.port = self._server.server_address[1]
        self.url = f"http://{LOOPBACK}:{self.port}/hook"
        threading.Thread(target=self._server.serve_forever, daemon=True, name="webhook-receiver").start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def deliveries(self) -> list[str]:
        with self._lock:
            return [r["delivery"] for r in self.received if r["valid"]]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.attempts += 1
                    failing = receiver.attempts <= receiver.fail_first
                    if not failing:
                        valid = verify(receiver.secret, body, self.headers.get(SIGNATURE_HEADER))
                        receiver.received.append({"delivery": self.headers.get(DELIVERY_HEADER), "valid": valid,
                                                  "payload": json.loads(body or b"{}"), "at": time.time()})
                status = 500 if failing else (200 if valid else 401)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


# --------------------------------------------------------------------------- content


def article_html(title: str, paragraphs: list[str], outlet: str = "Harbour Ledger",
                 published: str = "2025-05-03") -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta property="og:title" content="{html.escape(title)}">'
            f'<meta property="og:site_name" content="{html.escape(outlet)}">'
            f'<meta property="article:published_time" content="{published}T08:00:00Z"></head><body>'
            f'<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article><h1>{html.escape(title)}</h1>{body}</article>"
            f"<footer>© {html.escape(outlet)}</footer></body></html>")


def rss(title: str, items: list[dict[str, str]]) -> str:
    """RSS 2.0: each item a dict of title, link, guid, pubDate (RFC 822) and optional description."""
    out = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}</title>'
           "<link>http://127.0.0.1/</link><description>fixture feed</description>"]
    for item in items:
        out.append("<item>" + "".join(f"<{k}>{html.escape(v)}</{k}>" for k, v in item.items()) + "</item>")
    out.append("</channel></rss>")
    return "".join(out)


def news_sitemap(entries: list[dict[str, str]], outlet: str = "Harbour Ledger") -> str:
    """A news sitemap: each entry a dict of loc, title, date."""
    urls = "".join(
        f"<url><loc>{html.escape(e['loc'])}</loc><news:news><news:publication><news:name>{html.escape(outlet)}"
        f"</news:name><news:language>en</news:language></news:publication><news:publication_date>{e['date']}"
        f"</news:publication_date><news:title>{html.escape(e['title'])}</news:title></news:news></url>"
        for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


def rfc822(day: str) -> str:
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(f"{day}T08:00:00+00:00"))


def gzip_bomb(size: int = 200 * 2**20) -> bytes:
    """``size`` zero bytes gzipped (about a thousandth of that on the wire)."""
    out = gzip.compress(b"\0" * min(size, 16 * 2**20), compresslevel=9)
    parts = max(1, size // (16 * 2**20))
    return out * parts  # concatenated gzip members decode to the concatenation


def big_page(size: int) -> Callable[[], Iterator[bytes]]:
    """A page of ``size`` bytes streamed without a Content-Length (so only a streaming cap stops it)."""
    def chunks() -> Iterator[bytes]:
        head = b"<!doctype html><html><body><article>"
        yield head
        line = b"<p>" + b"filler words for a very long page " * 30 + b"</p>\n"
        sent = len(head)
        while sent < size:
            yield line
            sent += len(line)
        yield b"</article></body></html>"
    return chunks


# Countries and cities for generated articles (ISO3 codes resolve through the KB).
PAIRS = (("Italy", "Japan", "Rome", "Tokyo"), ("France", "India", "Paris", "New Delhi"),
         ("Spain", "Canada", "Madrid", "Ottawa"), ("Norway", "Chile", "Oslo", "Santiago"))
SHIPS = ("Aurelia", "Borea", "Calliope", "Delfina", "Eridano", "Fenice", "Galatea", "Iside")


def story(i: int) -> tuple[str, list[str], str]:
    """Title, paragraphs and date of generated article ``i`` (a naval exercise between two states)."""
    a, b, city_a, city_b = PAIRS[i % len(PAIRS)]
    ship = SHIPS[(i // len(PAIRS)) % len(SHIPS)]
    day = 1 + i % 27
    date = f"2025-05-{day:02d}"
    minister = ("Lucia Ferrante", "Marco Deiana", "Elena Sarti", "Paolo Ghiani")[i % 4]
    title = f"{a} and {b} hold naval exercise with frigate {ship} (report {i})"
    paragraphs = [
        f"The navies of {a} and {b} held a joint naval exercise off {city_b} on {day} May 2025, "
        f"the defence ministry in {city_a} said on Saturday, in the first such drill this year.",
        f"The frigate {ship} led a group of {3 + i % 5} ships during the exercise, which lasted four days "
        f"and included anti-submarine training and a search and rescue drill near the coast.",
        f'"This exercise shows that our two navies can work together at sea," said {minister}, a senior '
        f"official of the ministry, adding that further visits were planned for the autumn.",
        f"Officials in {city_b} said the two governments would review the results of the drill at talks "
        f"next month. This is report number {i} in the series written for the watch fixtures.",
    ]
    return title, paragraphs, date
