"""Analysis ↔ rows in the store schema: what the Spark job writes to Parquet, and what ``load`` reads back.

The row builders are the store's own (``newsgraph.store.write``), so a Parquet row is the row a local
ingest would have inserted. Column types come from the migrated store schema, so the Parquet tables
follow the schema when a migration changes it. Nothing here imports pyspark.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from newsgraph.errors import RejectedInput
from newsgraph.model import Analysis
from newsgraph.store import write
from newsgraph.store.db import transaction

# One Parquet directory per table, in the order ``load`` inserts them.
ANALYSIS_TABLES = tuple(table for table, _, _ in write.TABLES)
DOCUMENT_TABLES = ("document_text",)  # rows about the document, kept for duplicates as for originals
PARQUET_TABLES = ("documents", *ANALYSIS_TABLES, "doc_minhash", "lsh_bands", "ingest_log")
_EXTRA_COLUMNS = {
    "documents": write.DOCUMENT_COLUMNS,
    "doc_minhash": "doc, signature",
    "lsh_bands": "band, key, doc",
    "ingest_log": "source, status, reason, detail, doc",
}


def _names(columns: str) -> list[str]:
    return [c.strip().strip('"') for c in columns.split(",")]


@cache
def _store_types() -> dict[str, dict[str, str]]:
    """DuckDB column types of every store table, read from a freshly migrated in-memory store."""
    from newsgraph.store.db import migrate

    con = duckdb.connect()
    try:
        migrate(con)
        types: dict[str, dict[str, str]] = {}
        for table, column, type_ in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
        ).fetchall():
            types.setdefault(table, {})[column] = type_
        return types
    finally:
        con.close()


def columns(table: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of the columns a Parquet table holds, in the writer's order."""
    spec = dict((t, c) for t, c, _ in write.TABLES) | _EXTRA_COLUMNS
    types = _store_types()[table]
    return [(name, types[name]) for name in _names(spec[table])]


def _coerce(value: Any, type_: str) -> Any:
    """Python values as Spark's type checks want them (DOUBLE needs a float, JSON a string)."""
    if value is None:
        return None
    if type_ == "DOUBLE":
        return float(value)
    if type_ in ("INTEGER", "BIGINT", "SMALLINT"):
        return int(value)
    if type_ == "BLOB":
        return bytes(value)
    if type_ == "JSON" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value if isinstance(value, str | bytes) else str(value)


def typed(table: str, row: list[Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    cols = columns(table)
    return tuple(_coerce(v, t) for v, (_, t) in zip(row, cols, strict=True))


def analysis_rows(analysis: Analysis) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for one analysed document: its document row first, then each table's rows in order."""
    yield "documents", typed("documents", write.document_row(analysis.document))
    for table, _, rows_of in write.TABLES:
        for row in rows_of(analysis):
            yield table, typed(table, row)


def minhash_rows(doc_id: str, signature: bytes, keys: list[tuple[int, int]]) -> Iterator[tuple[str, tuple]]:
    yield "doc_minhash", typed("doc_minhash", [doc_id, signature])
    for band, key in keys:
        yield "lsh_bands", typed("lsh_bands", [band, key, doc_id])


def rejection_row(err: RejectedInput) -> tuple[str, tuple[Any, ...]]:
    return "ingest_log", typed("ingest_log", [err.path, "rejected", err.reason, err.detail, None])


class Triage:
    """Duplicate linking in input order, with the local ingest's rules (``newsgraph.ingest.dedup``).

    ``decide`` returns the original a document duplicates, or None for a fresh document (then remembered).
    The Spark driver runs it over one batch before analysis; ``load`` runs it again against the store.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, settings) -> None:
        from newsgraph.ingest.dedup import DuplicateFinder

        self.finder = DuplicateFinder(con, settings)
        self._duplicate_hashes: dict[str, str] = {}  # body hash of a linked duplicate → its original

    def decide(self, doc_id: str, content_hash: str, signature=None, keys=None) -> str | None:
        original = self._duplicate_hashes.get(content_hash) or self.finder.exact(content_hash)
        if original is None and signature is not None:
            original, _ = self.finder.near(signature, keys)
        if original is not None:
            self._duplicate_hashes.setdefault(content_hash, original)
            return original
        self.finder.remember(doc_id, content_hash, signature, keys or [])
        return None

    def link(self, content_hash: str, original: str) -> None:
        """Record a duplicate decided elsewhere, so later copies of its body link to the same original."""
        self._duplicate_hashes.setdefault(content_hash, original)


# ------------------------------------------------------------------ Parquet → store


@dataclass
class LoadReport:
    ingested: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0


def _select(table: str, alias: str = "s") -> str:
    return ", ".join(f'{alias}."{name}"' for name, _ in columns(table))


def _stage(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Each Parquet table as a temp table, numbered in file order (the Spark job wrote it sorted)."""
    for table in PARQUET_TABLES:
        files = sorted((directory / table).glob("*.parquet"))
        cols = ", ".join(f'"{name}"' for name, _ in columns(table))
        con.execute(f"DROP TABLE IF EXISTS stage_{table}")
        if not files:
            con.execute(f"CREATE TEMP TABLE stage_{table} AS SELECT {cols}, 0::BIGINT AS _ord FROM {table} LIMIT 0")
            continue
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        con.execute(
            f"CREATE TEMP TABLE stage_{table} AS SELECT {cols}, "
            f"row_number() OVER (ORDER BY filename, file_row_number) AS _ord "
            f"FROM read_parquet([{listed}], filename = true, file_row_number = true)"
        )


def _plan(con: duckdb.DuckDBPyConnection, settings, report: LoadReport) -> list[tuple[str, int, str | None, bool]]:
    """(id, order, duplicate_of, fresh) per new document, linking duplicates in input order against the store."""
    import numpy as np

    bands: dict[str, list[tuple[int, int]]] = {}
    for band, key, doc in con.execute("SELECT band, key, doc FROM stage_lsh_bands ORDER BY _ord").fetchall():
        bands.setdefault(doc, []).append((band, key))
    stored = {r[0] for r in con.execute("SELECT id FROM documents WHERE id IN (SELECT id FROM stage_documents)").fetchall()}
    triage, linked, plan = Triage(con, settings), {}, []
    for doc_id, order, content_hash, hint, signature in con.execute(
        "SELECT d.id, d._ord, d.content_hash, d.duplicate_of, m.signature FROM stage_documents d "
        "LEFT JOIN stage_doc_minhash m ON m.doc = d.id ORDER BY d._ord"
    ).fetchall():
        if doc_id in stored:
            report.unchanged += 1
            continue
        stored.add(doc_id)
        if signature is not None:  # analysed by the job: it may still copy a stored document
            original = triage.decide(doc_id, content_hash, np.frombuffer(signature, dtype=np.uint64), bands.get(doc_id))
        else:  # linked by the job: point it at the original's own original
            original = triage.finder.exact(content_hash) or linked.get(hint) or _original_of(con, hint)
            triage.link(content_hash, original)
        if original is not None:
            linked[doc_id] = original
        plan.append((doc_id, order, original, original is None))
    return plan


def _original_of(con: duckdb.DuckDBPyConnection, doc_id: str) -> str:
    row = con.execute("SELECT duplicate_of FROM documents WHERE id = ?", [doc_id]).fetchone()
    return row[0] if row and row[0] else doc_id


def _insert(con: duckdb.DuckDBPyConnection, plan: list[tuple[str, int, str | None, bool]]) -> None:
    import pyarrow as pa

    ids, orders, originals, fresh = (list(col) for col in zip(*plan, strict=True)) if plan else ([], [], [], [])
    plan_rows = pa.table({"id": pa.array(ids, pa.string()), "_ord": pa.array(orders, pa.int64()),
                          "duplicate_of": pa.array(originals, pa.string()), "fresh": pa.array(fresh, pa.bool_())})
    con.register("load_plan_rows", plan_rows)
    con.execute("CREATE OR REPLACE TEMP TABLE load_plan AS SELECT * FROM load_plan_rows")
    con.unregister("load_plan_rows")
    doc_cols = _select("documents").replace('s."duplicate_of"', "p.duplicate_of")
    con.execute(f"INSERT INTO documents ({write.DOCUMENT_COLUMNS}) SELECT {doc_cols} FROM stage_documents s "
                "JOIN load_plan p ON p._ord = s._ord ORDER BY s._ord")
    for table in (*ANALYSIS_TABLES, "doc_minhash", "lsh_bands"):
        names = ", ".join(f'"{name}"' for name, _ in columns(table))
        # document_text describes the document itself (language, charset): a duplicate keeps it too
        fresh = "" if table in DOCUMENT_TABLES else " AND p.fresh"
        con.execute(f"INSERT INTO {table} ({names}) SELECT {_select(table)} FROM stage_{table} s "
                    f"JOIN load_plan p ON p.id = s.doc{fresh} ORDER BY s._ord")
    con.execute(
        "INSERT INTO ingest_log (source, status, reason, detail, doc) "
        "SELECT s.source, s.status, s.reason, s.detail, s.doc FROM stage_ingest_log s WHERE NOT EXISTS ("
        "SELECT 1 FROM ingest_log l WHERE l.source = s.source AND l.status = s.status "
        "AND l.reason IS NOT DISTINCT FROM s.reason AND l.detail IS NOT DISTINCT FROM s.detail) ORDER BY s._ord"
    )
    con.execute(
        "INSERT INTO ingest_log (source, status, doc) SELECT s.source, "
        "CASE WHEN p.fresh THEN 'ingested' ELSE 'duplicate' END, s.id FROM stage_documents s "
        "JOIN load_plan p ON p._ord = s._ord ORDER BY s._ord"
    )


def load(con: duckdb.DuckDBPyConnection, directory: Path | str, settings=None) -> LoadReport:
    """Insert the Spark job's Parquet tables into a store, in one transaction; documents already stored
    are skipped, and duplicates are linked against the store with the local ingest's rules.

    Corpus-level steps are not run here: call ``newsgraph.pipeline.finish`` afterwards.
    """
    from newsgraph.settings import get_settings

    settings = settings or get_settings()
    report = LoadReport()
    _stage(con, Path(directory))
    try:
        plan = _plan(con, settings, report)
        report.ingested = sum(1 for p in plan if p[3])
        report.duplicates = len(plan) - report.ingested
        report.rejected = con.execute("SELECT count(*) FROM stage_ingest_log WHERE status = 'rejected'").fetchone()[0]
        with transaction(con):
            _insert(con, plan)
    finally:
        for table in (*PARQUET_TABLES, "load_plan"):
            con.execute(f"DROP TABLE IF EXISTS stage_{table}" if table != "load_plan" else "DROP TABLE IF EXISTS load_plan")
    return report
