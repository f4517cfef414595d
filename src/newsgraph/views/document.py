"""The document reader's view: the text in pieces, the facts behind each highlight, removals in place."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgraph.store import queries
from newsgraph.views.text import reader_pieces


def document_view(con: Any, doc_id: str) -> dict[str, Any] | None:
    """The document, its reader pieces, and the data the side panel needs; None for an unknown id.

    ``page_data`` travels to the page's script as JSON: ``facts`` (one per highlight, indexed by
    the pieces' ``marks``) and ``quotes`` (speaker and cue by quote id).
    """
    doc = queries.get_document(con, doc_id)
    if doc is None:
        return None
    reader = reader_pieces(doc["text"], doc["highlights"], doc.get("removed") or [])
    facts = [{"kind": h["kind"], "ref": h["ref"], "label": h["label"], "text": h["text"], "start": h["start"],
              "end": h["end"]} for h in doc["highlights"]]
    quotes = {q["id"]: {"speaker": q.get("speaker"), "speaker_name": q.get("speaker_name"), "cue": q.get("cue")}
              for q in doc["quotes"]}
    reasons = Counter(r.get("reason") or "other" for r in doc.get("removed") or [])
    return {
        "doc": doc,
        "pieces": reader["pieces"],
        "loose_removals": reader["loose"],
        "removal_reasons": sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        "page_data": {"doc": doc_id, "facts": facts, "quotes": quotes},
    }
