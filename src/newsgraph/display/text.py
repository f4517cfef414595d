"""A document's cleaned text cut into pieces, for a reader that marks spans and shows removals in place.

Pieces are plain strings (a face escapes them), so overlapping spans (a name inside a quote)
never produce broken markup.
"""

from __future__ import annotations

import itertools
from typing import Any

# Highlight kind → CSS class (attribution parts: the source, the cue and the content of a report).
CSS_KIND = {"mention": "entity", "quote": "quote", "event": "event", "claim": "claim",
            "attr_source": "attr-source", "attr_cue": "attr-cue", "attr_content": "attr-content"}


def segments(text: str, highlights: list[dict[str, Any]], cuts: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """Cut ``text`` at every highlight boundary (and at ``cuts``); each piece lists the highlights covering it.

    One sweep over the boundaries: O(pieces + spans). A piece is ``{start, text, marks, kinds}``:
    ``marks`` are indexes into ``highlights``, ``kinds`` the CSS classes of their kinds.
    """
    n = len(text)
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for i, h in enumerate(highlights):
        start, end = max(0, int(h["start"])), min(n, int(h["end"]))
        if start < end:
            opens.setdefault(start, []).append(i)
            closes.setdefault(end, []).append(i)
    bounds = sorted({0, n, *opens, *closes, *(c for c in cuts if 0 <= c <= n)})
    active: set[int] = set()
    pieces = []
    for lo, hi in itertools.pairwise(bounds):
        active.difference_update(closes.get(lo, ()))
        active.update(opens.get(lo, ()))
        covering = sorted(active)
        kinds = sorted({CSS_KIND.get(highlights[i]["kind"], "entity") for i in covering})
        pieces.append({"start": lo, "text": text[lo:hi], "marks": covering, "kinds": " ".join(kinds)})
    return pieces


def placed_removals(text: str, removed: list[dict[str, Any]]) -> tuple[dict[int, list[dict]], list[dict]]:
    """Removals by the offset where they stood, and those whose place is unknown (in raw line order).

    A place is trusted only at a paragraph boundary of ``text`` (its start, its end, or just
    before a line break): documents stored before positions were recorded, or whose text was
    replaced after cleaning, list their removals apart instead of in a wrong place.
    """
    placed: dict[int, list[dict]] = {}
    loose: list[dict] = []
    for item in removed:
        at = item.get("at")
        if isinstance(at, int) and (at in (0, len(text)) or (0 < at < len(text) and text[at] == "\n")):
            placed.setdefault(at, []).append(item)
        else:
            loose.append(item)
    loose.sort(key=lambda r: (r.get("line") is None, r.get("line") or 0))
    return placed, loose


def reader_pieces(text: str, highlights: list[dict[str, Any]], removed: list[dict[str, Any]],
                  cited: tuple[int, int] | None = None) -> dict[str, Any]:
    """The reader's pieces with removal blocks in place; ``loose`` removals have no known place.

    A removal piece is ``{"removed": [items...]}``; it comes just before the text piece starting at
    its offset (or last, at the end of the text). ``cited`` (a span a link asked for) cuts the text
    at its ends too, and the pieces inside it carry ``cited: True`` (the first also ``cited_first``).
    """
    placed, loose = placed_removals(text, removed)
    cuts = frozenset(placed) | frozenset(cited or ())
    pieces: list[dict[str, Any]] = []
    first = True
    for piece in segments(text, highlights, cuts):
        if piece["start"] in placed:
            pieces.append({"removed": placed.pop(piece["start"])})
        if cited and cited[0] <= piece["start"] < cited[1]:
            piece |= {"cited": True, "cited_first": first}
            first = False
        pieces.append(piece)
    for at in sorted(placed):  # at the very end of the text
        pieces.append({"removed": placed[at]})
    return {"pieces": pieces, "loose": loose, "count": len(removed)}
