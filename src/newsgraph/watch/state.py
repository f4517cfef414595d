"""What a watch has seen, fetched and alerted: reads and writes of the ``watch_*`` tables (migration 010).

All times are naive UTC. Functions that change more than one row take the caller's transaction
(``newsgraph.store.db.transaction``) so a kill never leaves half a step behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- key-value state


def get_state(con, key: str) -> str | None:
    row = con.execute("SELECT value FROM watch_state WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_state(con, key: str, value: str | None) -> None:
    if value is None:
        con.execute("DELETE FROM watch_state WHERE key = ?", [key])
        return
    con.execute("INSERT INTO watch_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value])


def next_round(con) -> int:
    number = int(get_state(con, "round") or 0) + 1
    set_state(con, "round", str(number))
    return number


def take_baseline(con) -> int:
    """On a watch's first start, every stored document counts as already checked (no alerts on the past)."""
    if get_state(con, "baseline") is not None:
        return 0
    count = con.execute("INSERT INTO watch_checked SELECT id, 0 FROM documents ON CONFLICT DO NOTHING").fetchone()
    set_state(con, "baseline", utcnow().isoformat())
    return int(count[0]) if count else 0


# --------------------------------------------------------------------------- sources and resources


def due_sources(con, names: Sequence[str], now: datetime) -> set[str]:
    """Names whose next poll is due (never polled counts as due)."""
    rows = dict(con.execute("SELECT name, next_due FROM watch_sources WHERE list_contains(?, name)",
                            [list(names)]).fetchall()) if names else {}
    return {n for n in names if rows.get(n) is None or rows[n] <= now}


def next_due(con, names: Sequence[str]) -> datetime | None:
    row = con.execute("SELECT min(next_due) FROM watch_sources WHERE list_contains(?, name)",
                      [list(names)]).fetchone() if names else None
    return row[0] if row else None


def mark_polled(con, name: str, kind: str, target: str, every: float, error: str | None,
                retry_after: float | None = None) -> None:
    """Schedule the next poll: ``every`` after a success; doubling (up to 16×, at most 6 h) after failures."""
    row = con.execute("SELECT failures FROM watch_sources WHERE name = ?", [name]).fetchone()
    failures = (row[0] if row else 0) + 1 if error else 0
    wait = every if not failures else min(every * 2 ** min(failures - 1, 4), max(every, 6 * 3600))
    if retry_after:
        wait = max(wait, retry_after)
    now = utcnow()
    con.execute(
        "INSERT INTO watch_sources (name, kind, target, next_due, polled_at, failures, last_error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
        "target = excluded.target, next_due = excluded.next_due, polled_at = excluded.polled_at, "
        "failures = excluded.failures, last_error = excluded.last_error",
        [name, kind, target, now + timedelta(seconds=wait), now, failures, error])


def validators(con, url: str) -> tuple[str | None, str | None]:
    row = con.execute("SELECT etag, last_modified FROM watch_resources WHERE url = ?", [url]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def save_resource(con, url: str, source: str, status: int | None, etag: str | None = None,
                  last_modified: str | None = None, error: str | None = None) -> None:
    """Remember a poll; validators are only replaced by a successful, complete response."""
    con.execute(
        "INSERT INTO watch_resources VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
        "source = excluded.source, etag = CASE WHEN excluded.last_error IS NULL AND excluded.last_status <> 304 "
        "THEN excluded.etag ELSE watch_resources.etag END, last_modified = CASE WHEN excluded.last_error IS NULL "
        "AND excluded.last_status <> 304 THEN excluded.last_modified ELSE watch_resources.last_modified END, "
        "last_status = excluded.last_status, last_error = excluded.last_error, polled_at = excluded.polled_at",
        [url, source, etag, last_modified, status, error, utcnow()])


def log_fetch(con, url: str, source: str, outcome: str, status: int | None = None, final_url: str | None = None,
              size: int | None = None, warc: tuple[str, int, str] | None = None, reason: str | None = None) -> None:
    file, offset, record = warc or (None, None, None)
    con.execute("INSERT INTO watch_fetches (url, final_url, source, status, bytes, warc_file, warc_offset, "
                "warc_record, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [url, final_url, source, status, size, file, offset, record, outcome, reason])


# --------------------------------------------------------------------------- items (article links)


@dataclass
class ItemRow:
    key: str
    url: str | None
    source: str
    attempts: int
    feed: dict[str, Any]


def add_items(con, items: Iterable[tuple[str, str | None, str, dict[str, Any]]]) -> int:
    """Record new (key, url, source, feed metadata) items; already known keys are left alone."""
    rows = [[k, u, s, json.dumps(f, ensure_ascii=False, default=str)] for k, u, s, f in items]
    if not rows:
        return 0
    before = con.execute("SELECT count(*) FROM watch_items").fetchone()[0]
    con.executemany("INSERT INTO watch_items (key, url, source, state, feed) VALUES (?, ?, ?, 'new', ?) "
                    "ON CONFLICT (key) DO NOTHING", rows)
    return con.execute("SELECT count(*) FROM watch_items").fetchone()[0] - before


def pending_items(con, limit: int) -> list[ItemRow]:
    rows = con.execute("SELECT key, url, source, attempts, feed FROM watch_items WHERE state = 'new' "
                       "ORDER BY first_seen, key LIMIT ?", [limit]).fetchall()
    return [ItemRow(k, u, s, a, json.loads(f or "{}")) for k, u, s, a, f in rows]


def mark_item(con, key: str, state: str, doc: str | None = None, reason: str | None = None,
              detail: str | None = None, attempt: bool = True) -> None:
    con.execute("UPDATE watch_items SET state = ?, doc = coalesce(?, doc), reason = ?, detail = ?, "
                "attempts = attempts + ?, updated_at = ? WHERE key = ?",
                [state, doc, reason, detail, int(attempt), utcnow(), key])


def stored_documents(con, sources: Sequence[str]) -> dict[str, str]:
    """Source → document id, for sources a document already holds (a kill between store and mark)."""
    if not sources:
        return {}
    return dict(con.execute("SELECT source, min(id) FROM documents WHERE list_contains(?, source) "
                            "GROUP BY source", [list(sources)]).fetchall())


def rejected_sources(con, sources: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Source → (reason, detail) of its last rejection in the ingest log."""
    if not sources:
        return {}
    rows = con.execute("SELECT source, reason, detail FROM ingest_log WHERE status = 'rejected' AND "
                       "list_contains(?, source) ORDER BY logged_at", [list(sources)]).fetchall()
    return {s: (r, d) for s, r, d in rows}


# --------------------------------------------------------------------------- folders


def changed_files(con, files: dict[str, tuple[int, int]]) -> list[str]:
    """Paths that are new or whose (size, mtime_ns) changed since they were read."""
    if not files:
        return []
    known = {p: (s, m) for p, s, m in con.execute(
        "SELECT path, size, mtime_ns FROM watch_files WHERE list_contains(?, path)", [list(files)]).fetchall()}
    return sorted(p for p, sig in files.items() if known.get(p) != sig)


def mark_files(con, source: str, files: dict[str, tuple[int, int]]) -> None:
    rows = [[p, source, s, m, utcnow()] for p, (s, m) in files.items()]
    if rows:
        con.executemany("INSERT INTO watch_files VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
                        "size = excluded.size, mtime_ns = excluded.mtime_ns, seen_at = excluded.seen_at", rows)


# --------------------------------------------------------------------------- alert bookkeeping


def unchecked_documents(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT d.id FROM documents d ANTI JOIN watch_checked c ON c.doc = d.id ORDER BY d.id").fetchall()]


def mark_checked(con, docs: Sequence[str], round_number: int) -> None:
    if docs:
        con.executemany("INSERT INTO watch_checked VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [[d, round_number] for d in docs])
