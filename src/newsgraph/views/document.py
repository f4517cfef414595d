"""The document reader's view: the text in pieces, the facts behind each highlight, removals in place."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from newsgraph.store import queries
from newsgraph.views.text import reader_pieces

REASONS_FILE = Path(__file__).with_name("removal_reasons.yaml")


@lru_cache(maxsize=1)
def reason_labels() -> dict[str, str]:
    """Reason code → the words a reader shows (``removal_reasons.yaml``)."""
    return yaml.safe_load(REASONS_FILE.read_text(encoding="utf-8")) or {}


def _labelled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = reason_labels()
    return [item | {"label": labels.get(item.get("reason") or "", item.get("reason") or "removed")} for item in items]


def document_view(con: Any, doc_id: str) -> dict[str, Any] | None:
    """The document, its reader pieces, and the data the side panel needs; None for an unknown id.

    ``page_data`` travels to the page's script as JSON: ``facts`` (one per highlight, indexed by
    the pieces' ``marks``) and ``quotes`` (speaker and cue by quote id).
    """
    doc = queries.get_document(con, doc_id)
    if doc is None:
        return None
    reader = reader_pieces(doc["text"], doc["highlights"], _labelled(doc.get("removed") or []))
    facts = [{"kind": h["kind"], "ref": h["ref"], "label": h["label"], "text": h["text"], "start": h["start"],
              "end": h["end"]} for h in doc["highlights"]]
    quotes = {q["id"]: {"speaker": q.get("speaker"), "speaker_name": q.get("speaker_name"), "cue": q.get("cue")}
              for q in doc["quotes"]}
    reasons = Counter(r["label"] for r in _labelled(doc.get("removed") or []))
    return {
        "doc": doc,
        "pieces": reader["pieces"],
        "loose_removals": reader["loose"],
        "removal_reasons": sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        "page_data": {"doc": doc_id, "facts": facts, "quotes": quotes},
    }
