"""robots.txt, read the way RFC 9309 says, through Protego (Scrapy's parser: wildcards, ``$``, Allow
precedence by longest match, Crawl-delay).

Per host, cached for ``ttl`` seconds. The RFC's rules for an unreadable file: a 4xx (no file)
allows everything; a 5xx or a network failure disallows everything until the next try
(the site may be down; do not hammer it). A file over 500 KiB is read up to that size.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 section 2.5: parse at least 500 KiB
RETRY_UNREACHABLE_S = 600.0
MAX_HOSTS = 2048  # hosts remembered at once (a long watch must not grow without bound)


@dataclass
class RobotsRules:
    parser: Protego | None  # None: no usable file
    allow_all: bool
    expires_at: float
    note: str = ""

    def allows(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, agent))

    def delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        value = self.parser.crawl_delay(agent)
        return float(value) if value else None


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def rules_from(status: int | None, body: bytes | None, expires_at: float) -> RobotsRules:
    """What a robots.txt response means (status None: the fetch itself failed)."""
    if status is not None and 200 <= status < 300:
        text = (body or b"")[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        return RobotsRules(Protego.parse(text), True, expires_at)
    if status is not None and 400 <= status < 500:
        return RobotsRules(None, True, expires_at, f"robots.txt answered {status}: everything allowed")
    what = f"answered {status}" if status is not None else "could not be fetched"
    return RobotsRules(None, False, min(expires_at, time.time() + RETRY_UNREACHABLE_S),
                       f"robots.txt {what}: the host is treated as disallowed for now")


class RobotsCache:
    """Rules per host; ``fetch(robots_url)`` returns ``(status | None, body | None)``."""

    def __init__(self, fetch: Callable[[str], tuple[int | None, bytes | None]], agent: str,
                 ttl: float = 86400.0) -> None:
        self.fetch = fetch
        self.agent = agent
        self.ttl = ttl
        self._rules: OrderedDict[str, RobotsRules] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules(self, url: str) -> RobotsRules:
        host = host_key(url)
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:  # one robots.txt fetch per host, however many threads ask
            cached = self._rules.get(host)
            if cached is not None and time.time() < cached.expires_at:
                return cached
            status, body = self.fetch(f"{host}/robots.txt")
            rules = rules_from(status, body, time.time() + self.ttl)
            with self._guard:
                self._rules[host] = rules
                self._rules.move_to_end(host)
                while len(self._rules) > MAX_HOSTS:
                    old, _ = self._rules.popitem(last=False)
                    self._locks.pop(old, None)
            return rules

    def allows(self, url: str) -> tuple[bool, str]:
        """(allowed, why not) for one URL."""
        rules = self.rules(url)
        if rules.allows(url, self.agent):
            return True, ""
        return False, rules.note or "disallowed by robots.txt"

    def delay(self, url: str) -> float | None:
        return self.rules(url).delay(self.agent)
