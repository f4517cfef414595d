"""The relational flattening of the ``newsgraph/2`` export: one list of flat rows per table.

Every table export (Parquet, CSV) and the derived formats (GraphML, PLOVER) are built from
``flatten(build_export(con))``, so they all agree with the JSON contract and with each other.
Nested values that have no fixed columns (aliases, kb_ids, attributes, normalized values,
quantities, removals) are kept as JSON text columns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Column name and type per table; the order here is the column order in every file.
# Types: string, int, float, date (ISO date), json (JSON text).
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (
        ("id", "string"), ("source", "string"), ("title", "string"), ("outlet", "string"),
        ("author", "string"), ("published", "date"), ("published_basis", "string"), ("language", "string"),
        ("language_confidence", "float"), ("language_basis", "string"), ("charset", "string"),
        ("encoding_issue", "string"), ("duplicate_of", "string"), ("story", "string"), ("text", "string"), ("removed", "json"),
    ),
    "entities": (
        ("id", "string"), ("name", "string"), ("type", "string"), ("country", "string"),
        ("wikidata", "string"), ("mention_count", "int"), ("aliases", "json"), ("kb_ids", "json"),
        ("attributes", "json"),
    ),
    "mentions": (("entity", "string"), ("doc", "string"), ("start", "int"), ("end", "int"), ("text", "string")),
    "events": (
        ("id", "string"), ("type", "string"), ("plover", "string"), ("modality", "string"),
        ("summary", "string"), ("location", "string"), ("date_start", "string"), ("date_end", "string"),
        ("date_granularity", "string"), ("date_text", "string"), ("date_basis", "string"),
        ("source_count", "int"), ("quantities", "json"),
    ),
    "event_sources": (("event", "string"), ("doc", "string"), ("start", "int"), ("end", "int"), ("text", "string")),
    "participants": (
        ("event", "string"), ("position", "int"), ("entity", "string"), ("name", "string"), ("role", "string"),
        ("country", "string"), ("country_basis", "string"),
    ),
    "quotes": (
        ("id", "string"), ("speaker", "string"), ("speaker_name", "string"), ("text", "string"),
        ("doc", "string"), ("start", "int"), ("end", "int"), ("cue", "string"),
    ),
    "attributions": (
        ("id", "string"), ("kind", "string"), ("doc", "string"), ("speaker", "string"),
        ("speaker_name", "string"), ("statement_type", "string"), ("source_start", "int"),
        ("source_end", "int"), ("source_text", "string"), ("cue_start", "int"), ("cue_end", "int"),
        ("cue_text", "string"), ("content_text", "string"), ("content_parts", "int"),
    ),
    "attribution_content": (
        ("attribution", "string"), ("position", "int"), ("doc", "string"), ("start", "int"), ("end", "int"),
        ("text", "string"),
    ),
    "claims": (
        ("id", "string"), ("subject", "string"), ("subject_name", "string"), ("attribute", "string"),
        ("status", "string"), ("explanation", "string"), ("value_count", "int"),
    ),
    "claim_values": (
        ("claim", "string"), ("position", "int"), ("value", "string"), ("normalized", "json"),
        ("doc", "string"), ("start", "int"), ("end", "int"), ("text", "string"), ("basis", "string"),
        ("context_start", "int"), ("context_end", "int"), ("context_text", "string"), ("speaker", "string"),
        ("speaker_name", "string"),
    ),
    "stories": (("id", "string"), ("title", "string"), ("document_count", "int"), ("topic", "string"),
                ("unclusterable", "string")),
    "story_documents": (("story", "string"), ("doc", "string")),
    "topics": (("id", "string"), ("title", "string"), ("story_count", "int"), ("first_date", "date"),
               ("last_date", "date")),
    "topic_stories": (("topic", "string"), ("story", "string")),
}

# Which contract list each table comes from (the JSONL ``kind`` of its records).
TABLE_KIND = {
    "documents": "document", "entities": "entity", "events": "event", "quotes": "quote",
    "attributions": "attribution", "claims": "claim", "stories": "story", "topics": "topic",
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _country(entity: dict[str, Any]) -> str | None:
    """ISO3 the export itself states: a country's own code, or the state another entity belongs to."""
    attrs = entity.get("attributes") or {}
    for key in ("iso3", "country"):
        value = attrs.get(key)
        if isinstance(value, str) and len(value) == 3 and value.isupper():
            return value
    return None


def _documents(data: dict) -> Iterable[dict]:
    for d in data["documents"]:
        yield {**{k: d.get(k) for k, _ in TABLES["documents"]}, "removed": _json(d.get("removed") or [])}


def _entities(data: dict) -> Iterable[dict]:
    for e in data["entities"]:
        yield {"id": e["id"], "name": e["name"], "type": e["type"], "country": _country(e),
               "wikidata": (e.get("kb_ids") or {}).get("wikidata"), "mention_count": len(e["mentions"]),
               "aliases": _json(e["aliases"]), "kb_ids": _json(e["kb_ids"]), "attributes": _json(e["attributes"])}


def _mentions(data: dict) -> Iterable[dict]:
    for e in data["entities"]:
        for m in e["mentions"]:
            yield {"entity": e["id"], **m}


def _events(data: dict) -> Iterable[dict]:
    for e in data["events"]:
        date = e.get("date") or {}
        yield {"id": e["id"], "type": e["type"], "plover": e["plover"], "modality": e["modality"],
               "summary": e["summary"], "location": e.get("location"), "date_start": date.get("start"),
               "date_end": date.get("end"), "date_granularity": date.get("granularity"),
               "date_text": date.get("text"), "date_basis": date.get("basis"),
               "source_count": len(e["sources"]), "quantities": _json(e.get("quantities") or [])}


def _event_sources(data: dict) -> Iterable[dict]:
    for e in data["events"]:
        for s in e["sources"]:
            yield {"event": e["id"], **s}


def _participants(data: dict) -> Iterable[dict]:
    for e in data["events"]:
        for i, p in enumerate(e["participants"]):
            yield {"event": e["id"], "position": i, "entity": p.get("entity"), "name": p.get("name"),
                   "role": p.get("role"), "country": p.get("country"), "country_basis": p.get("country_basis")}


def _quotes(data: dict) -> Iterable[dict]:
    for q in data["quotes"]:
        yield {k: q.get(k) for k, _ in TABLES["quotes"]}


def _attributions(data: dict) -> Iterable[dict]:
    """One row per attribution; ``content_text`` joins a discontinuous content's parts with " … "."""
    for a in data.get("attributions", []):
        src, cue = a.get("source") or {}, a.get("cue") or {}
        yield {"id": a["id"], "kind": a["kind"], "doc": a["doc"], "speaker": a.get("speaker"),
               "speaker_name": a.get("speaker_name"), "statement_type": a.get("statement_type"),
               "source_start": src.get("start"), "source_end": src.get("end"), "source_text": src.get("text"),
               "cue_start": cue.get("start"), "cue_end": cue.get("end"), "cue_text": cue.get("text"),
               "content_text": " … ".join(c["text"] for c in a["content"]), "content_parts": len(a["content"])}


def _attribution_content(data: dict) -> Iterable[dict]:
    for a in data.get("attributions", []):
        for i, c in enumerate(a["content"]):
            yield {"attribution": a["id"], "position": i, "doc": a["doc"], **c}


def _claims(data: dict) -> Iterable[dict]:
    for c in data["claims"]:
        yield {**{k: c.get(k) for k, _ in TABLES["claims"][:-1]}, "value_count": len(c["values"])}


def _claim_values(data: dict) -> Iterable[dict]:
    """One row per (value, source span); ``position`` numbers the claim's values. The span is the value's
    own; ``context_*`` is the sentence it stands in."""
    for c in data["claims"]:
        for i, v in enumerate(c["values"]):
            ctx = v.get("context") or {}
            for s in v["sources"] or [{}]:
                yield {"claim": c["id"], "position": i, "value": v.get("value"),
                       "normalized": _json(v.get("normalized") or {}), "doc": s.get("doc"),
                       "start": s.get("start"), "end": s.get("end"), "text": s.get("text"),
                       "basis": v.get("basis"), "context_start": ctx.get("start"), "context_end": ctx.get("end"),
                       "context_text": ctx.get("text"), "speaker": v.get("speaker"),
                       "speaker_name": v.get("speaker_name")}


def _stories(data: dict) -> Iterable[dict]:
    for s in data["stories"]:
        yield {"id": s["id"], "title": s["title"], "document_count": len(s["documents"])}


def _story_documents(data: dict) -> Iterable[dict]:
    for s in data["stories"]:
        for doc in s["documents"]:
            yield {"story": s["id"], "doc": doc}


def _topics(data: dict) -> Iterable[dict]:
    for t in data.get("topics", []):
        yield {"id": t["id"], "title": t["title"], "story_count": len(t["stories"]),
               "first_date": t.get("first_date"), "last_date": t.get("last_date")}


def _topic_stories(data: dict) -> Iterable[dict]:
    for t in data.get("topics", []):
        for story in t["stories"]:
            yield {"topic": t["id"], "story": story}


_BUILDERS = {
    "documents": _documents, "entities": _entities, "mentions": _mentions, "events": _events,
    "event_sources": _event_sources, "participants": _participants, "quotes": _quotes,
    "attributions": _attributions, "attribution_content": _attribution_content, "claims": _claims,
    "claim_values": _claim_values, "stories": _stories, "story_documents": _story_documents,
    "topics": _topics, "topic_stories": _topic_stories,
}


def flatten(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The contract dict as relational tables: ``{table: [row, ...]}`` with the columns of ``TABLES``."""
    columns = {name: [c for c, _ in cols] for name, cols in TABLES.items()}
    return {name: [{c: row.get(c) for c in columns[name]} for row in build(data)]
            for name, build in _BUILDERS.items()}


def export_tables(archive) -> dict[str, list[dict[str, Any]]]:
    """The store's export flattened into tables (for the API, Spark or pandas)."""
    return flatten(archive.export())


# -- writing ------------------------------------------------------------------------------------
_ARROW_TYPES = {"string": "string", "json": "string", "int": "int64", "float": "float64", "date": "date32"}


def to_arrow(name: str, rows: list[dict[str, Any]]):
    """One table as a typed ``pyarrow.Table`` (typed even when empty)."""
    import pyarrow as pa

    cols = TABLES[name]
    schema = pa.schema([(c, getattr(pa, _ARROW_TYPES[t])()) for c, t in cols])
    dates = [c for c, t in cols if t == "date"]
    if dates:
        rows = [{**r, **{c: dt.date.fromisoformat(r[c]) if r[c] else None for c in dates}} for r in rows]
    return pa.Table.from_pylist(rows, schema=schema)


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_tables(tables: dict[str, list[dict[str, Any]]], folder: Path, fmt: str) -> dict[str, Path]:
    """Write one ``<table>.parquet`` or ``<table>.csv`` (with header) per table through DuckDB's COPY."""
    import duckdb

    options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true"}[fmt]
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    con = duckdb.connect()
    try:
        for name, rows in tables.items():
            path = folder / f"{name}.{fmt}"
            con.register("flat_table", to_arrow(name, rows))
            con.execute(f"COPY flat_table TO {_sql_path(path)} ({options})")
            con.unregister("flat_table")
            written[name] = path
    finally:
        con.close()
    return written


def jsonl_record(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """One JSONL line: ``kind`` names the record type; a record's own ``kind`` field (an attribution's)
    is written as ``<type>_kind`` ("attribution_kind") so the two never collide."""
    own = {f"{kind}_kind" if k == "kind" else k: v for k, v in record.items()}
    return {"kind": kind, **own}


def write_jsonl(data: dict[str, Any], path: Path) -> int:
    """The contract's records one per line, each with a ``kind``; returns the number of lines."""
    lines = 0
    with path.open("w", encoding="utf-8") as fh:
        for table, kind in TABLE_KIND.items():
            for record in data.get(table, []):
                fh.write(json.dumps(jsonl_record(kind, record), ensure_ascii=False, default=str) + "\n")
                lines += 1
    return lines
