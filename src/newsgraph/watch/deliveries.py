"""Where alerts go: the store (served as ``/alerts.atom``), the log, and webhooks.

Each alert is written once (its id is derived from the rule and the subject) together with one
``alert_deliveries`` row per target, in the same transaction that marks its documents checked.
Log and Atom deliveries complete at once. Webhooks are POSTed by a background thread, so a slow
or failing receiver never holds up ingest: JSON body, ``X-Newsgraph-Signature-256: sha256=<hex
HMAC-SHA256 of the body>`` with the secret from the configured environment variable, and
``X-Newsgraph-Delivery: <alert id>`` so a receiver can drop a repeat. Failures (network errors,
5xx, 408, 429) are retried with exponential backoff; other 4xx answers fail at once. Outcomes
come back to the watch's thread through a queue and are recorded there (the store has one writer).
A webhook still pending when the watch stops is sent when it starts again.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from newsgraph.watch.alerts import Alert
from newsgraph.watch.config import AlertRule, Delivery
from newsgraph.watch.state import utcnow

log = logging.getLogger("newsgraph.alerts")
SIGNATURE_HEADER = "X-Newsgraph-Signature-256"
DELIVERY_HEADER = "X-Newsgraph-Delivery"
RETRYABLE = (408, 425, 429)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """What a receiver does: recompute the HMAC and compare in constant time."""
    return bool(header) and hmac.compare_digest(signature(secret, body), header or "")


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# --------------------------------------------------------------------------- store


def record_alerts(con, alerts: list[Alert], rules: dict[str, AlertRule], round_number: int) -> list[Alert]:
    """Insert the alerts not yet stored and their pending deliveries; returns the new ones."""
    if not alerts:
        return []
    known = {r[0] for r in con.execute("SELECT id FROM alerts WHERE list_contains(?, id)",
                                       [[a.id for a in alerts]]).fetchall()}
    fresh = []
    for alert in alerts:
        if alert.id in known:
            continue
        known.add(alert.id)
        con.execute("INSERT INTO alerts (id, rule, kind, subject, title, payload, round) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [alert.id, alert.rule, alert.kind, alert.subject, alert.title,
                     json.dumps(alert.payload, ensure_ascii=False), round_number])
        for target in dict.fromkeys(d.target for d in rules[alert.rule].deliver):
            con.execute("INSERT INTO alert_deliveries (alert, target, status) VALUES (?, ?, 'pending') "
                        "ON CONFLICT DO NOTHING", [alert.id, target])
        fresh.append(alert)
    return fresh


def pending(con) -> list[tuple[str, str, int, dict[str, Any]]]:
    """(alert id, target, attempts so far, payload) of every delivery not yet done."""
    rows = con.execute("SELECT d.alert, d.target, d.attempts, a.payload FROM alert_deliveries d "
                       "JOIN alerts a ON a.id = d.alert WHERE d.status = 'pending' ORDER BY a.created_at, d.alert"
                       ).fetchall()
    return [(a, t, n, json.loads(p)) for a, t, n, p in rows]


def mark(con, alert: str, target: str, status: str, attempts: int, error: str | None = None) -> None:
    con.execute("UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, delivered_at = ? "
                "WHERE alert = ? AND target = ?",
                [status, attempts, error, utcnow() if status == "delivered" else None, alert, target])


def log_alert(payload: dict[str, Any]) -> None:
    docs = ", ".join(e["doc"] for e in payload.get("evidence", [])) or "-"
    log.info("ALERT %s | %s | documents: %s | %s", payload["rule"], payload["title"], docs, payload["link"])


# --------------------------------------------------------------------------- webhooks


@dataclass(order=True)
class _Job:
    due: float
    alert: str = field(compare=False)
    target: str = field(compare=False)
    delivery: Delivery = field(compare=False)
    body: bytes = field(compare=False)
    attempts: int = field(compare=False, default=0)


@dataclass
class Outcome:
    alert: str
    target: str
    status: str  # delivered / pending (will retry) / failed
    attempts: int
    error: str | None = None
    recorded: bool = False


class WebhookSender:
    """A daemon thread that POSTs webhook deliveries, retrying with backoff; outcomes on ``results``."""

    def __init__(self, agent: str, backoff: float = 2.0, max_backoff: float = 300.0, con: Any = None) -> None:
        self.agent = agent
        # Outcomes are written at once through a cursor of their own (the window in which a kill could
        # make a delivered webhook look pending is one UPDATE); on any trouble they go to ``results``.
        self._cursor = con.cursor() if con is not None else None
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.results: queue.Queue[Outcome] = queue.Queue()
        self._jobs: list[_Job] = []
        self._cv = threading.Condition()
        self._stop = False
        self._busy = 0
        self._thread = threading.Thread(target=self._run, name="newsgraph-webhooks", daemon=True)
        self._client = httpx.Client(headers={"User-Agent": agent}, follow_redirects=False, verify=True,
                                    trust_env=False)
        self._thread.start()

    def submit(self, alert: str, delivery: Delivery, payload: dict[str, Any], attempts: int = 0) -> None:
        with self._cv:
            heapq.heappush(self._jobs, _Job(time.monotonic(), alert, delivery.target, delivery, body_of(payload),
                                            attempts))
            self._cv.notify()

    def idle(self) -> bool:
        with self._cv:
            return not self._jobs and not self._busy

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is due now or in flight (later retries may remain)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._cv:
                if not self._busy and (not self._jobs or self._jobs[0].due > time.monotonic()):
                    return True
            time.sleep(0.05)
        return False

    def close(self, timeout: float = 5.0) -> None:
        self.wait_idle(timeout)
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        self._thread.join(timeout)
        self._client.close()
        if self._cursor is not None:
            self._cursor.close()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._stop and (not self._jobs or self._jobs[0].due > time.monotonic()):
                    self._cv.wait(timeout=(self._jobs[0].due - time.monotonic()) if self._jobs else None)
                if self._stop:
                    return
                job = heapq.heappop(self._jobs)
                self._busy += 1
            try:
                self._send(job)
            finally:
                with self._cv:
                    self._busy -= 1

    def _report(self, outcome: Outcome) -> None:
        if self._cursor is not None:
            try:
                mark(self._cursor, outcome.alert, outcome.target, outcome.status, outcome.attempts, outcome.error)
                outcome.recorded = True
            except Exception as exc:  # a write conflict: let the watch's thread record it
                log.debug("webhook outcome left to the watch thread: %s", exc)
        self.results.put(outcome)

    def _send(self, job: _Job) -> None:
        job.attempts += 1
        error, retry = self._post(job)
        if error is None:
            self._report(Outcome(job.alert, job.target, "delivered", job.attempts))
            return
        if retry and job.attempts <= job.delivery.retries:
            delay = min(self.backoff * 2 ** (job.attempts - 1), self.max_backoff)
            self._report(Outcome(job.alert, job.target, "pending", job.attempts, error))
            with self._cv:
                job.due = time.monotonic() + delay
                heapq.heappush(self._jobs, job)
                self._cv.notify()
            return
        log.error("webhook %s for alert %s failed after %d attempt(s): %s", job.delivery.url, job.alert,
                  job.attempts, error)
        self._report(Outcome(job.alert, job.target, "failed", job.attempts, error))

    def _post(self, job: _Job) -> tuple[str | None, bool]:
        secret = os.environ.get(job.delivery.secret_env or "", "")
        if not secret:
            return f"environment variable {job.delivery.secret_env} is not set", False
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, job.body),
                   DELIVERY_HEADER: job.alert, "X-Newsgraph-Event": "alert"}
        try:
            response = self._client.post(job.delivery.url or "", content=job.body, headers=headers,
                                         timeout=job.delivery.timeout)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}", True
        if 200 <= response.status_code < 300:
            return None, False
        retry = response.status_code >= 500 or response.status_code in RETRYABLE
        return f"the receiver answered {response.status_code}", retry
