"""Search snippets: the passage of a text where the query's words are densest, with those words marked.

Words match as the search index matches them (``store.search``: case-folded, stemmed, stop words
left out; CJK by character bigrams), so "carriers" marks "carrier". A snippet is a list of pieces
``{"text", "hit"}``: the page renders each piece as text (autoescaped) and a hit inside ``<mark>``,
so no markup from an article ever reaches the page as markup.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import regex

from newsgraph.store.search import Stemmer, raw_tokens

WIDTH = 240  # characters of a snippet
_WORD = regex.compile(r"[^\W_]+")
_CJK_CHAR = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def query_terms(con: Any, query: str) -> tuple[set[str], set[str]]:
    """(stems of the query's words, its CJK bigrams)."""
    words, grams = set(), set()
    for token, is_word in raw_tokens(query):
        (words if is_word else grams).add(token)
    stems = Stemmer(con).stems(words)
    return {stems.get(w, w) for w in words}, grams


def hit_spans(con: Any, text: str, terms: tuple[set[str], set[str]]) -> list[tuple[int, int]]:
    """Character spans of ``text`` holding a query word (by stem) or a query CJK bigram, in order."""
    stems_wanted, grams = terms
    spans = []
    if stems_wanted:
        found = [(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()).casefold())
                 for m in _WORD.finditer(text) if not _CJK_CHAR.match(m.group())]
        stems = Stemmer(con).stems({w for _, _, w in found})
        spans += [(s, e) for s, e, w in found if stems.get(w, w) in stems_wanted]
    for gram in grams:
        start = text.find(gram)
        while start >= 0:
            spans.append((start, start + len(gram)))
            start = text.find(gram, start + 1)
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def snippet(text: str, spans: list[tuple[int, int]], width: int = WIDTH) -> list[dict[str, Any]]:
    """The ``width``-character window with the most hits (the text's start when none), cut at spaces."""
    if not text:
        return []
    start = _best_start(spans, width) if len(text) > width else 0
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    pieces = [{"text": "…", "hit": False}] if start > 0 else []
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > at:
            pieces.append({"text": text[at:s], "hit": False})
        pieces.append({"text": text[s:e], "hit": True})
        at = e
    if at < end:
        pieces.append({"text": text[at:end], "hit": False})
    if end < len(text):
        pieces.append({"text": "…", "hit": False})
    for p in pieces:  # one running line (same length, so offsets into the snippet still hold)
        p["text"] = p["text"].replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return pieces


def _best_start(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the window holding the most hits, with a little context before the first one."""
    best, best_count, j = 0, 0, 0
    for i, (s, _) in enumerate(spans):
        while spans[j][0] < s - width:
            j += 1
        if i - j + 1 > best_count:  # hits in [s - width, s]: the window ends at this hit
            best_count, best = i - j + 1, spans[j][0]
    return max(0, best - 40) if spans else 0


def plain(pieces: list[dict[str, Any]]) -> str:
    return "".join(p["text"] for p in pieces)
