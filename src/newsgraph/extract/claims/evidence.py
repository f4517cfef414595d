"""Where a claim value stands in the text: the span of the value itself, and its sentence as context.

The value span is what an analyst checks ("$1.8 billion", "27,100-ton", "on Thursday", "Japan, Italy
and the United Kingdom"); the context is the sentence around it, cut at line breaks so that a caption
glued to the next sentence never becomes evidence.
"""

from __future__ import annotations

from typing import Any

from newsgraph.model import Span


def value_span(doc_id: str, text: str, span: tuple[int, int]) -> Span:
    start, end = span
    return Span(doc_id, start, end, text[start:end])


def context_span(doc_id: str, text: str, sent: Any, value: tuple[int, int]) -> Span:
    """The sentence holding the value, never crossing a line break, without trailing space."""
    start, end = sent.start_char, sent.end_char
    start = max(start, text.rfind("\n", start, value[0]) + 1)
    nl = text.find("\n", value[1], end)
    end = nl if nl != -1 else end
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < value[0] and text[start].isspace():
        start += 1
    return Span(doc_id, start, end, text[start:end])
