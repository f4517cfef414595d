"""Stage ``time`` (20): every time expression of the document, normalised against its publication date.

The anchor is the document's publication date as ``newsgraph.ingest.published`` found it, with its
evidence, before analysis; a document made outside the ingest pipeline is dated the same way here.
Each expression is resolved inside ``sentence_guard``: one that breaks a resolver is recorded
(document id, the sentence's offsets) and the rest of the document keeps its times.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from newsgraph.extract.guard import sentence_guard
from newsgraph.extract.time.normalise import find_times
from newsgraph.ingest import published
from newsgraph.model import Analysis
from newsgraph.stages import Context, stage


def _to_date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _sentence_bounds(analysis: Analysis, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start`` (the parse's when there is one, else the line)."""
    if analysis.nlp is not None:
        span = analysis.nlp.char_span(start, max(end, start + 1), alignment_mode="expand")
        if span is not None and len(span):
            sent = span[0].sent
            return sent.start_char, sent.end_char
    text = analysis.document.text
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, right if right != -1 else len(text)


@stage("time", 20)
def run(analysis: Analysis, ctx: Context) -> None:
    doc = analysis.document
    if doc.published_source is None and doc.published_confidence is None:
        published.apply(doc)  # a document made outside the ingest pipeline: date it the same way
    anchor = _to_date(doc.published)

    def guard(start: int, end: int) -> AbstractContextManager[Any]:
        return sentence_guard(analysis, "time", *_sentence_bounds(analysis, start, end))

    analysis.times = find_times(doc.text, anchor, doc.id, analysis.nlp, guard=guard)
