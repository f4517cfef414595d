"""The registry of read views, their refresh after an ingest, and reading one."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from newsgraph.store.db import transaction
from newsgraph.views.changes import Touched, touched_since_last_refresh

CHUNK = 500  # keys built per round of queries: memory stays bounded however many keys an ingest touched


@dataclass(frozen=True)
class View:
    """``keys``: the keys an ingest touched; ``build``: their data (None: the record is gone)."""

    kind: str
    keys: Callable[[Any, Touched], set[str]]
    build: Callable[[Any, list[str]], dict[str, dict[str, Any] | None]]
    before: Callable[[Any, Touched], None] | None = None  # side tables; every view's runs before any build
    chunk: int = CHUNK  # keys per build call


VIEWS: dict[str, View] = {}


def register(view: View) -> View:
    VIEWS[view.kind] = view
    return view


def _builtin() -> None:
    """The built-in views register on import (story, entity, relations, topic; the topic view after the
    story view, whose ``before`` settles which stories this refresh rebuilds)."""
    import newsgraph.views.entity
    import newsgraph.views.relations
    import newsgraph.views.story
    import newsgraph.views.topic  # noqa: F401


def refresh(con, timings: dict[str, float] | None = None) -> dict[str, int]:
    """Rebuild the views of what the documents not yet seen by the views touched; returns keys per kind.

    One transaction: a kill leaves the views as they were, and the next refresh redoes the work.
    """
    import time

    _builtin()
    built: dict[str, int] = {}
    with transaction(con):
        touched = touched_since_last_refresh(con)
        if touched.empty:
            return built
        for view in VIEWS.values():  # side tables first: a view may read another's (story briefs: event_pairs)
            if view.before is not None:
                began = time.perf_counter()
                view.before(con, touched)
                if timings is not None:
                    timings[f"before:{view.kind}"] = time.perf_counter() - began
        for view in VIEWS.values():
            began = time.perf_counter()
            keys = sorted(view.keys(con, touched))
            for start in range(0, len(keys), view.chunk):
                _store(con, view.kind, view.build(con, keys[start:start + view.chunk]))
            built[view.kind] = len(keys)
            if timings is not None:
                timings[f"view:{view.kind}"] = time.perf_counter() - began
        touched.mark_seen(con)
    return built


def _store(con, kind: str, data: dict[str, dict[str, Any] | None]) -> None:
    if not data:
        return
    keys = list(data)
    con.register("_ng_view_keys", pa.table({"key": pa.array(keys, pa.string())}))
    try:
        con.execute("DELETE FROM views WHERE kind = ? AND key IN (SELECT key FROM _ng_view_keys)", [kind])
    finally:
        con.unregister("_ng_view_keys")
    rows = [(k, json.dumps(v, ensure_ascii=False, default=str)) for k, v in data.items() if v is not None]
    if rows:
        con.register("_ng_view_rows", pa.table({"key": pa.array([r[0] for r in rows], pa.string()),
                                                "data": pa.array([r[1] for r in rows], pa.string())}))
        try:
            con.execute("INSERT INTO views (kind, key, data) SELECT ?, key, data FROM _ng_view_rows", [kind])
        finally:
            con.unregister("_ng_view_rows")


def read(con, kind: str, key: str) -> dict[str, Any] | None:
    """The view of one record, or None when it was never built (the caller then reads live)."""
    try:
        row = con.execute("SELECT data FROM views WHERE kind = ? AND key = ?", [kind, key]).fetchone()
    except duckdb.CatalogException:  # a store from before migration 011, opened read-only
        return None
    return json.loads(row[0]) if row else None


def read_all(con, kind: str) -> list[dict[str, Any]] | None:
    """Every view of a kind, by key; None when the store has no views at all."""
    try:
        if not con.execute("SELECT count(*) FROM view_docs").fetchone()[0]:
            return None
        return [json.loads(r[0]) for r in con.execute("SELECT data FROM views WHERE kind = ? ORDER BY key",
                                                      [kind]).fetchall()]
    except duckdb.CatalogException:  # a store from before migration 011
        return None
