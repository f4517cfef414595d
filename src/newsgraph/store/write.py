"""Writing documents' records: a batch of documents in one transaction, all of it or none.

``analysis_rows`` turns one analysed document into its rows, table by table (the worker
processes do this, in parallel); ``write_batch`` inserts the rows of many documents with one
Arrow insert per table, in one transaction. A killed ingest therefore never leaves a
half-written document: DuckDB rolls the open transaction back on the next open, and
re-running the ingest redoes the batch.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pyarrow as pa

from newsgraph.lang.scripts import count_units
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
_DOCUMENT_NAMES = tuple(name.strip() for name in DOCUMENT_COLUMNS.split(","))


def _document_row(doc: Document) -> list[Any]:
    removed = [{"text": r.text, "reason": r.reason, "line": r.line, "at": r.at} for r in doc.removed]
    return [
        doc.id, doc.source, doc.url, doc.title, doc.outlet, doc.author, doc.published,
        doc.published_basis, doc.language, doc.text, _json(removed), doc.duplicate_of,
        doc.content_hash, doc.format, doc.story, count_units(doc.text),
    ]


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


def _attribution_rows(a: Analysis) -> list[list[Any]]:
    rows = []
    for r in a.attributions:
        cue, src = r.cue, r.source
        content = [{"start": c.start, "end": c.end, "text": c.text} for c in r.content]
        rows.append([
            r.id, r.doc, r.kind, r.statement_type, cue.start if cue else None, cue.end if cue else None,
            cue.text if cue else None, _json(content), r.content[0].start if r.content else 0,
            src.start if src else None, src.end if src else None, src.text if src else None,
            r.speaker, r.speaker_name, r.quote,
        ])
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


def _claim_context_rows(a: Analysis) -> list[list[Any]]:
    """Per claim value: its sentence, its basis and its speaker (schema 6, claim_value_context)."""
    rows = []
    for c in a.claims:
        for v in c.values:
            ctx = v.context
            rows.append([
                c.id, a.document.id, v.basis, ctx.start if ctx else None, ctx.end if ctx else None,
                ctx.text if ctx else None, v.speaker, v.speaker_name, v.attribution,
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


def text_row(d: Document) -> list[Any]:
    """The document_text row: language confidence and basis, charset, encoding issue."""
    return [d.id, d.language_confidence, d.language_basis, d.charset, d.encoding_issue]


def _text_rows(a: Analysis) -> list[list[Any]]:
    return [text_row(a.document)]


def _publication_rows(a: Analysis) -> list[list[Any]]:
    """How the document's publication date was found (``ingest.published``): one row per analysed document
    (a duplicate, stored without analysis, has none: the Spark load drops its rows the same way)."""
    d = a.document
    if d.duplicate_of:
        return []
    return [[d.id, d.published_source, d.published_confidence,
             _json(d.published_evidence) if d.published_evidence else None, _json(d.published_warnings)]]


def _failure_rows(a: Analysis) -> list[list[Any]]:
    """Isolated failures (extract/guard.py): the document was kept, this span's records of one stage were not."""
    return [[a.document.source, "partial", f.stage, f"{f.where}: {f.error}", a.document.id] for f in a.failures]


_TABLES = (
    ("document_text", "doc, language_confidence, language_basis, charset, encoding_issue", _text_rows),
    ("local_entities", "id, doc, name, type, aliases, kb_ids, attributes", _entity_rows),
    ("mentions", 'doc, start, "end", text, label, local_entity, kb_id, source', _mention_rows),
    ("times", 'doc, start, "end", text, value, kind, iv_start, iv_end, granularity, basis, modifier, duration',
     _time_rows),
    ("quantities", 'doc, start, "end", text, value, high, unit, bound, kind, attribute', _quantity_rows),
    ("quotes", 'id, doc, start, "end", text, speaker_local, speaker_name, cue, method, speaker_start, speaker_end',
     _quote_rows),
    ("attributions", "id, doc, kind, statement_type, cue_start, cue_end, cue_text, content, content_start, "
     "source_start, source_end, source_text, speaker_local, speaker_name, quote", _attribution_rows),
    ("event_mentions", "id, doc, type, plover, modality, summary, participants, location, date, quantities, "
     'trigger, trigger_start, trigger_end, trigger_text, sent_start, sent_end, sentence', _event_rows),
    ("claim_values", 'id, doc, subject, subject_name, attribute, value, normalized, modality, published, '
     'start, "end", text', _claim_rows),
    ("claim_value_context", "claim_value, doc, basis, context_start, context_end, context_text, speaker_local, "
     "speaker_name, attribution", _claim_context_rows),
    ("publication_dates", "doc, source, confidence, evidence, warnings", _publication_rows),
)
# Public names for other writers of the same rows (the Spark job writes them to Parquet).
TABLES = _TABLES
document_row = _document_row


LOG_COLUMNS = "source, status, reason, detail, doc"
# Every table a batch writes, in insert order: documents first (what the rest points to).
BATCH_TABLES = (
    ("documents", DOCUMENT_COLUMNS),
    *((table, columns) for table, columns, _ in _TABLES),
    ("doc_minhash", "doc, signature"),
    ("lsh_bands", "band, key, doc"),
    ("ingest_log", LOG_COLUMNS),
)

Rows = dict[str, list[list[Any]]]


def analysis_rows(analysis: Analysis, minhash: tuple[bytes, list[tuple[int, int]]] | None = None) -> Rows:
    """One document and everything found in it, as rows per table (``BATCH_TABLES``)."""
    doc = analysis.document
    rows: Rows = {"documents": [_document_row(doc)]}
    for table, _, rows_of in _TABLES:
        rows[table] = rows_of(analysis)
    if minhash is not None:
        signature, bands = minhash
        rows["doc_minhash"] = [[doc.id, signature]]
        rows["lsh_bands"] = [[b, k, doc.id] for b, k in bands]
    status = "duplicate" if doc.duplicate_of else "ingested"
    rows["ingest_log"] = [[doc.source, status, None, None, doc.id], *_failure_rows(analysis)]
    return rows


def document_keys(rows: Rows) -> tuple[str, str, str | None]:
    """A document's id, source and original (``duplicate_of``) as its ``documents`` row holds them."""
    row = dict(zip(_DOCUMENT_NAMES, rows["documents"][0], strict=True))
    return row["id"], row["source"], row["duplicate_of"]


def write_batch(con: duckdb.DuckDBPyConnection, batch: list[Rows]) -> None:
    """Store many documents atomically: one Arrow insert per table for the whole batch."""
    if not batch:
        return
    with transaction(con):
        for table, columns in BATCH_TABLES:
            _insert_many(con, table, columns, [row for rows in batch for row in rows.get(table, ())])


def write_analysis(
    con: duckdb.DuckDBPyConnection,
    analysis: Analysis,
    minhash: tuple[bytes, list[tuple[int, int]]] | None = None,
) -> None:
    """Store one document and everything found in it, atomically."""
    write_batch(con, [analysis_rows(analysis, minhash)])


def log_rejection(con: duckdb.DuckDBPyConnection, source: str, reason: str, detail: str) -> None:
    con.execute(
        "INSERT INTO ingest_log (source, status, reason, detail) VALUES (?, 'rejected', ?, ?)",
        [source, reason, detail],
    )
