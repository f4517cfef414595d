"""Read functions for attributions (who said, believes or intends what): the API, the web UI and the
brief call these; they return corpus entity ids and the spans as ``{start, end, text}``."""

from __future__ import annotations

import json
from typing import Any

from newsgraph.store.queries import _GLOBAL
from newsgraph.store.sql import DEFAULT_LIMIT, MAX_LIMIT
from newsgraph.store.sql import Where as _Where
from newsgraph.store.sql import page as _page
from newsgraph.store.sql import rows as _rows

_SELECT = f"""
    SELECT a.id, a.kind, a.doc, {_GLOBAL.format(col="a.speaker_local")} AS speaker, a.speaker_name,
           a.statement_type, a.source_start, a.source_end, a.source_text, a.cue_start, a.cue_end, a.cue_text,
           a.content, a.quote, d.title, d.outlet, CAST(d.published AS VARCHAR) AS published
    FROM attributions a JOIN documents d ON d.id = a.doc"""


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    """The export's shape (source / cue / content as spans) plus the document's title, outlet and date."""
    content = json.loads(row.pop("content") or "[]")
    s_start, s_end, s_text = row.pop("source_start"), row.pop("source_end"), row.pop("source_text")
    c_start, c_end, c_text = row.pop("cue_start"), row.pop("cue_end"), row.pop("cue_text")
    row["source"] = {"start": s_start, "end": s_end, "text": s_text} if s_start is not None else None
    row["cue"] = {"start": c_start, "end": c_end, "text": c_text}
    row["content"] = content
    return row


def list_attributions(
    con, *, doc: str | None = None, speaker: str | None = None, kind: str | None = None,
    statement_type: str | None = None, story: str | None = None, text: str | None = None,
    limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Attributions filtered by document, speaker (a corpus entity id), kind, statement type, story or
    words of the content; newest document first, then in text order."""
    where = _Where()
    if doc:
        where.add("a.doc = ?", doc)
    if speaker:
        where.add(f"{_GLOBAL.format(col='a.speaker_local')} = ?", speaker)
    if kind:
        where.add("a.kind = ?", kind)
    if statement_type:
        where.add("a.statement_type = ?", statement_type)
    if story:
        where.add("d.story = ?", story)
    if text:
        where.add("array_to_string(json_extract_string(a.content, '$[*].text'), ' ') ILIKE ?", f"%{text}%")
    page = _page(con, _SELECT, where, "d.published DESC NULLS LAST, a.doc, a.content_start, a.id", limit, offset)
    page["items"] = [_shape(r) for r in page["items"]]
    return page


def get_attribution(con, attribution_id: str) -> dict[str, Any] | None:
    rows = _rows(con, _SELECT + " WHERE a.id = ?", [attribution_id])
    return _shape(rows[0]) if rows else None


def document_attributions(con, doc_id: str) -> list[dict[str, Any]]:
    return list_attributions(con, doc=doc_id, limit=MAX_LIMIT)["items"]


def attribution_highlights(con, doc_id: str) -> list[dict[str, Any]]:
    """Highlights of a document's attributions, three kinds: ``attr_source``, ``attr_cue``,
    ``attr_content`` (one per content part), each ``{start, end, text, kind, label, ref}``."""
    out = []
    for a in document_attributions(con, doc_id):
        label = f"{a['kind']} · {a['speaker_name'] or 'unknown source'}"
        parts = [("attr_source", a["source"]), ("attr_cue", a["cue"])] + [("attr_content", c) for c in a["content"]]
        for kind, span in parts:
            if span and span.get("start") is not None:
                out.append({"start": span["start"], "end": span["end"], "text": span["text"], "kind": kind,
                            "label": label, "ref": a["id"]})
    return out
