"""Stage ``time`` (20): every time expression of the document, normalised against its publication date.

A document without a publication date gets one inferred from its text first (``published.py``).
Each expression is resolved inside ``sentence_guard``: one that breaks a resolver is recorded
(document id, the sentence's offsets) and the rest of the document keeps its times.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from newsgraph.extract.guard import sentence_guard
from newsgraph.extract.time.normalise import find_times
from newsgraph.extract.time.published import infer_published
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
    anchor = _to_date(doc.published)
    if anchor is None:
        with sentence_guard(analysis, "time"):
            iso, basis, _ = infer_published(doc.text, analysis.nlp)
            anchor = _to_date(iso)
            if anchor is not None:
                doc.published, doc.published_basis = iso, "inferred" if basis != "text" else "text"

    def guard(start: int, end: int) -> AbstractContextManager[Any]:
        return sentence_guard(analysis, "time", *_sentence_bounds(analysis, start, end))

    analysis.times = find_times(doc.text, anchor, doc.id, analysis.nlp, guard=guard)
