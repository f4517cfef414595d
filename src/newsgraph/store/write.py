"""Writing one document's records: all of them in one transaction, or none.

A killed ingest therefore never leaves a half-written document: DuckDB rolls the
open transaction back on the next open, and re-running the ingest redoes it.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pyarrow as pa

from newsgraph.model import Analysis, Document
from newsgraph.store.db import transaction


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def document_exists(con: duckdb.DuckDBPyConnection, doc_id: str) -> bool:
    return con.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None


DOCUMENT_COLUMNS = (
    "id, source, url, title, outlet, author, published, published_basis, language, text, removed, "
    "duplicate_of, content_hash, format, story, words"
)


def _document_row(doc: Document) -> list[Any]:
    removed = [{"text": r.text, "reason": r.reason, "line": r.line, "at": r.at} for r in doc.removed]
    return [
        doc.id, doc.source, doc.url, doc.title, doc.outlet, doc.author, doc.published,
        doc.published_basis, doc.language, doc.text, _json(removed), doc.duplicate_of,
        doc.content_hash, doc.format, doc.story, len(doc.text.split()),
    ]


def _insert_document(con: duckdb.DuckDBPyConnection, doc: Document) -> None:
    marks = ", ".join("?" for _ in DOCUMENT_COLUMNS.split(","))
    con.execute(f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({marks})", _document_row(doc))


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[list[Any]]) -> None:
    """Bulk insert for any writer of the store (resolution steps too)."""
    _insert_many(con, table, columns, rows)


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[list[Any]]) -> None:
    """Insert through an Arrow table: DuckDB's executemany runs one statement per row, which dominated ingest."""
    if not rows:
        return
    data = pa.table({f"c{i}": pa.array(list(col)) for i, col in enumerate(zip(*rows, strict=True))})
    con.register("_newsgraph_rows", data)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM _newsgraph_rows")
    finally:
        con.unregister("_newsgraph_rows")


def _entity_rows(a: Analysis) -> list[list[Any]]:
    return [
        [e.id, a.document.id, e.name, e.type, _json(e.aliases), _json(e.kb_ids), _json(e.attributes)]
        for e in a.entities
    ]


def _mention_rows(a: Analysis) -> list[list[Any]]:
    return [[m.doc, m.start, m.end, m.text, m.label, m.entity, m.kb_id, m.source] for m in a.mentions]


def _time_rows(a: Analysis) -> list[list[Any]]:
    rows = []
    for t in a.times:
        start, end = (t.span.start, t.span.end) if t.span else (None, None)
        rows.append([a.document.id, start, end, t.text, t.value, t.kind, t.start, t.end,
                     t.granularity, t.basis, t.modifier, _json(t.duration)])
    return rows


def _quantity_rows(a: Analysis) -> list[list[Any]]:
    rows = []
    for q in a.quantities:
        start, end = (q.span.start, q.span.end) if q.span else (None, None)
        rows.append([a.document.id, start, end, q.text, q.value, q.high, q.unit, q.bound, q.kind, q.attribute])
    return rows


def _quote_rows(a: Analysis) -> list[list[Any]]:
    rows = []
    for q in a.quotes:
        sp = q.speaker_span
        rows.append([q.id, q.doc, q.start, q.end, q.text, q.speaker, q.speaker_name, q.cue, q.method,
                     sp.start if sp else None, sp.end if sp else None])
    return rows


def _event_rows(a: Analysis) -> list[list[Any]]:
    rows = []
    for e in a.events:
        trig = e.sources[0] if e.sources else None
        sent = e.sentences[0] if e.sentences else None
        rows.append([
            e.id, a.document.id, e.type, e.plover, e.modality, e.summary,
            _json([p.__dict__ for p in e.participants]), e.location,
            _json(e.date.to_dict() | {"value": e.date.value} if e.date else None),
            _json([q.to_dict() for q in e.quantities]), e.trigger,
            trig.start if trig else None, trig.end if trig else None, trig.text if trig else None,
            sent.start if sent else None, sent.end if sent else None, sent.text if sent else None,
        ])
    return rows


def _claim_rows(a: Analysis) -> list[list[Any]]:
    rows = []
    for c in a.claims:
        for v in c.values:
            src = v.sources[0] if v.sources else None
            rows.append([
                c.id, a.document.id, c.subject, c.subject_name, c.attribute, v.value, _json(v.normalized),
                v.modality, v.published or a.document.published,
                src.start if src else None, src.end if src else None, src.text if src else None,
            ])
    return rows


def _failure_rows(a: Analysis) -> list[list[Any]]:
    """Isolated failures (extract/guard.py): the document was kept, this span's records of one stage were not."""
    return [[a.document.source, "partial", f.stage, f"{f.where}: {f.error}", a.document.id] for f in a.failures]


_TABLES = (
    ("local_entities", "id, doc, name, type, aliases, kb_ids, attributes", _entity_rows),
    ("mentions", 'doc, start, "end", text, label, local_entity, kb_id, source', _mention_rows),
    ("times", 'doc, start, "end", text, value, kind, iv_start, iv_end, granularity, basis, modifier, duration',
     _time_rows),
    ("quantities", 'doc, start, "end", text, value, high, unit, bound, kind, attribute', _quantity_rows),
    ("quotes", 'id, doc, start, "end", text, speaker_local, speaker_name, cue, method, speaker_start, speaker_end',
     _quote_rows),
    ("event_mentions", "id, doc, type, plover, modality, summary, participants, location, date, quantities, "
     'trigger, trigger_start, trigger_end, trigger_text, sent_start, sent_end, sentence', _event_rows),
    ("claim_values", 'id, doc, subject, subject_name, attribute, value, normalized, modality, published, '
     'start, "end", text', _claim_rows),
)
# Public names for other writers of the same rows (the Spark job writes them to Parquet).
TABLES = _TABLES
document_row = _document_row


def write_analysis(
    con: duckdb.DuckDBPyConnection,
    analysis: Analysis,
    minhash: tuple[bytes, list[tuple[int, int]]] | None = None,
) -> None:
    """Store one document and everything found in it, atomically."""
    doc_id = analysis.document.id
    with transaction(con):
        _insert_document(con, analysis.document)
        for table, columns, rows_of in _TABLES:
            _insert_many(con, table, columns, rows_of(analysis))
        if minhash is not None:
            signature, bands = minhash
            con.execute("INSERT INTO doc_minhash VALUES (?, ?)", [doc_id, signature])
            _insert_many(con, "lsh_bands", "band, key, doc", [[b, k, doc_id] for b, k in bands])
        con.execute(
            "INSERT INTO ingest_log (source, status, doc) VALUES (?, ?, ?)",
            [analysis.document.source, "duplicate" if analysis.document.duplicate_of else "ingested", doc_id],
        )
        _insert_many(con, "ingest_log", "source, status, reason, detail, doc", _failure_rows(analysis))


def log_rejection(con: duckdb.DuckDBPyConnection, source: str, reason: str, detail: str) -> None:
    con.execute(
        "INSERT INTO ingest_log (source, status, reason, detail) VALUES (?, 'rejected', ?, ?)",
        [source, reason, detail],
    )
