"""Per-host politeness: at most ``concurrency`` requests in flight to one host, and at least
``delay`` seconds between the starts of two requests to it (robots.txt Crawl-delay can raise it).

Written here rather than taken from a rate-limit library: what is needed is a per-host minimum
gap plus a per-host concurrency cap that a stop request can interrupt, which is a dozen lines
over ``threading``; token-bucket libraries (pyrate-limiter) model neither the cap nor the stop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more is read as this much


class Stopped(Exception):
    """The watch is shutting down: the request was not made."""


class HostGate:
    def __init__(self, delay: float, concurrency: int, stop: threading.Event | None = None) -> None:
        self.delay = delay
        self.concurrency = concurrency
        self.stop = stop or threading.Event()
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self.concurrency)
            return self._slots[host]

    def _wait_turn(self, host: str, delay: float) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                due = self._next.get(host, 0.0)
                if now >= due:
                    self._next[host] = now + delay
                    return
            if self.stop.wait(min(due - now, 1.0)):
                raise Stopped(host)

    @contextmanager
    def turn(self, host: str, crawl_delay: float | None = None) -> Iterator[None]:
        """Hold one of the host's slots, started no sooner than its gap allows."""
        delay = max(self.delay, min(crawl_delay or 0.0, MAX_CRAWL_DELAY))
        slot = self._slot(host)
        while not slot.acquire(timeout=0.5):
            if self.stop.is_set():
                raise Stopped(host)
        try:
            self._wait_turn(host, delay)
            yield
        finally:
            slot.release()

    def forget_idle(self, keep: int = 4096) -> None:
        """Drop the timing of hosts beyond ``keep`` (bounded memory over a long watch)."""
        with self._lock:
            if len(self._next) > keep:
                now = time.monotonic()
                idle = [h for h, due in self._next.items()
                        if due < now and getattr(self._slots.get(h), "_value", 0) == self.concurrency]
                for host in idle:
                    self._next.pop(host, None)
                    self._slots.pop(host, None)
