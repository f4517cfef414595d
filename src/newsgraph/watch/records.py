"""Reads of alerts and of what is new, for ``newsgraph serve`` (the ``/alerts`` pages, ``/alerts.atom``, ``/new``).

A store that never ran a watch (or predates migration 010) has no alert tables: every function
answers empty rather than failing.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

MAX_LIMIT = 200


def has_alerts(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'alerts'"
                            ).fetchone()[0])


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def list_alerts(con, *, rule: str | None = None, since: str | None = None, limit: int = 50,
                offset: int = 0) -> dict[str, Any]:
    """Alerts, newest first, with their payload and the state of each delivery."""
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    if not has_alerts(con):
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    where, params = [], []
    if rule:
        where.append("a.rule = ?")
        params.append(rule)
    if since:
        where.append("a.created_at > CAST(? AS TIMESTAMP)")
        params.append(since)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = con.execute(f"SELECT count(*) FROM alerts a{clause}", params).fetchone()[0]
    rows = con.execute(
        f"SELECT a.id, a.rule, a.kind, a.subject, a.title, a.payload, a.created_at, "
        f"(SELECT list({{'target': d.target, 'status': d.status, 'attempts': d.attempts, 'error': d.last_error}} "
        f"ORDER BY d.target) FROM alert_deliveries d WHERE d.alert = a.id) FROM alerts a{clause} "
        f"ORDER BY a.created_at DESC, a.id LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    items = [{"id": i, "rule": r, "kind": k, "subject": s, "title": t, "payload": json.loads(p),
              "created_at": _iso(c), "deliveries": d or []} for i, r, k, s, t, p, c, d in rows]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def rules(con) -> list[str]:
    if not has_alerts(con):
        return []
    return [r[0] for r in con.execute("SELECT DISTINCT rule FROM alerts ORDER BY rule").fetchall()]


def latest_ingest(con) -> str | None:
    value = con.execute("SELECT max(ingested_at) FROM documents").fetchone()[0]
    return _iso(value)


def new_since(con, since: str | None, limit: int = 100) -> dict[str, Any]:
    """Documents ingested (and alerts raised) after ``since`` (an ISO timestamp; None: everything)."""
    params: list[Any] = []
    clause = ""
    if since:
        clause = " AND d.ingested_at > CAST(? AS TIMESTAMP)"
        params.append(since)
    total = con.execute(f"SELECT count(*) FROM documents d WHERE d.duplicate_of IS NULL{clause}",
                        params).fetchone()[0]
    rows = con.execute(
        f"SELECT d.id, d.title, d.outlet, CAST(d.published AS VARCHAR), d.story, s.title, d.ingested_at "
        f"FROM documents d LEFT JOIN stories s ON s.id = d.story WHERE d.duplicate_of IS NULL{clause} "
        f"ORDER BY d.ingested_at DESC, d.id LIMIT ?", [*params, limit]).fetchall()
    keys = ("id", "title", "outlet", "published", "story", "story_title", "ingested_at")
    docs = [{k: _iso(v) for k, v in zip(keys, row, strict=True)} for row in rows]
    return {"since": since, "total": total, "documents": docs,
            "alerts": list_alerts(con, since=since, limit=limit)["items"], "marker": latest_ingest(con)}
