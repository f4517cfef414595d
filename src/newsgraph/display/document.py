"""The document reader: the text in pieces, the facts behind each highlight, removals in place."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from newsgraph.display.links import parse_fact, parse_span
from newsgraph.display.text import reader_pieces

REASONS_FILE = Path(__file__).with_name("removal_reasons.yaml")
ATTRIBUTION_FIELDS = ("kind", "speaker", "speaker_name", "statement_type", "source", "cue", "content")


@lru_cache(maxsize=1)
def reason_labels() -> dict[str, str]:
    """Reason code → the words a reader shows (``removal_reasons.yaml``)."""
    return yaml.safe_load(REASONS_FILE.read_text(encoding="utf-8")) or {}


def _labelled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = reason_labels()
    return [item | {"label": labels.get(item.get("reason") or "", item.get("reason") or "removed")} for item in items]


def document_page(doc: dict[str, Any], span: str | None = None, fact: str | None = None) -> dict[str, Any]:
    """What the document page shows of a document record (``queries.get_document``'s shape).

    ``pieces``: the reader's text with removal blocks in place; ``loose_removals``: removals whose
    place is unknown; ``removal_reasons``: (label, count), most first; ``page_data``: the JSON the
    page's script reads: ``facts`` (one per highlight, indexed by the pieces' ``marks``), ``quotes``
    (speaker and cue by quote id) and, when the record has them, ``attributions``.

    ``span`` and ``fact`` come from an evidence link (``display.links``): the cited characters
    (``cited``: ``{start, end, text}``, marked in the pieces) and the fact whose panel opens first;
    both are also in ``page_data``. A span outside the text, or a malformed one, is ignored.
    """
    removed = _labelled(doc.get("removed") or [])
    cited = parse_span(span, len(doc["text"]))
    reader = reader_pieces(doc["text"], doc["highlights"], removed, cited)
    facts = [{"kind": h["kind"], "ref": h["ref"], "label": h["label"], "text": h["text"], "start": h["start"],
              "end": h["end"]} for h in doc["highlights"]]
    quotes = {q["id"]: {"speaker": q.get("speaker"), "speaker_name": q.get("speaker_name"), "cue": q.get("cue")}
              for q in doc.get("quotes") or []}
    page_data: dict[str, Any] = {"doc": doc["id"], "facts": facts, "quotes": quotes,
                                 "cited": {"start": cited[0], "end": cited[1]} if cited else None,
                                 "fact": parse_fact(fact)}
    if doc.get("attributions"):
        page_data["attributions"] = {a["id"]: {k: a.get(k) for k in ATTRIBUTION_FIELDS} for a in doc["attributions"]}
    reasons = Counter(r["label"] for r in removed)
    return {
        "doc": doc,
        "pieces": reader["pieces"],
        "loose_removals": reader["loose"],
        "removal_reasons": sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        "page_data": page_data,
        "cited": {"start": cited[0], "end": cited[1], "text": doc["text"][cited[0]:cited[1]]} if cited else None,
    }
