"""Small SQL helpers every read module shares: AND-ed conditions, rows as JSON-ready dicts, pages.

Read functions (``newsgraph.store.queries`` and its neighbours) build on these; none writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Where:
    """Accumulates AND-ed SQL conditions and their parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def rows(con, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    keys = [d[0] for d in cur.description]
    return [{k: plain(v) for k, v in zip(keys, row, strict=True)} for row in cur.fetchall()]


def one(con, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    found = rows(con, sql, params)
    return found[0] if found else None


def loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def decode(row: dict[str, Any], **defaults: Any) -> dict[str, Any]:
    """Decode the JSON columns named in ``defaults`` in place."""
    for key, default in defaults.items():
        row[key] = loads(row.get(key), default)
    return row


def page(con, select: str, where: Where, order: str, limit: int, offset: int) -> dict[str, Any]:
    """One page of ``select`` (which must alias its main table and end before WHERE) plus the total."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    base = select + where.sql()
    total = con.execute(f"SELECT count(*) FROM ({base})", where.params).fetchone()[0]
    items = rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?", [*where.params, limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "items": items}
