"""Small helpers for the story and topic steps' SQL: Python columns visible to DuckDB as a table."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa


@contextmanager
def registered(con, name: str, columns: dict[str, list], types: dict[str, pa.DataType] | None = None) -> Iterator[None]:
    """``columns`` as the table ``name`` for the duration of a ``with`` block (strings unless typed)."""
    types = types or {}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    con.register(name, pa.table(columns, schema=schema))
    try:
        yield
    finally:
        con.unregister(name)


def rows_for(con, sql: str, name: str, ids: Sequence[str], params: Sequence[Any] = ()) -> list[tuple]:
    """Run ``sql`` with ``ids`` registered as table ``name`` (one column ``id``)."""
    if not ids:
        return []
    with registered(con, name, {"id": list(ids)}):
        return con.execute(sql, list(params)).fetchall()


def delete_ids(con, table: str, column: str, ids: Sequence[str]) -> None:
    if ids:
        with registered(con, "_ng_delete", {"id": list(ids)}):
            con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM _ng_delete)")


def loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def note_changed(con, kind: str, ids: Sequence[str]) -> None:
    """Record stories or topics (``kind``) this step wrote, merged away or dropped: the next view refresh
    rebuilds their views, or deletes those whose record is gone (``view_pending``, migration 014)."""
    if ids:
        with registered(con, "_ng_pending", {"key": sorted(set(ids))}):
            con.execute("INSERT INTO view_pending (kind, key) SELECT ?, key FROM _ng_pending", [kind])
