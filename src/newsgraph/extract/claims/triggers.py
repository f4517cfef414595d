"""Trigger words: which attribute a value is stated as, and whether the event they name fits it.

A trigger licenses a value only when it governs it (same clause, ``syntax.governs``) and lies within
``trigger_window_tokens``. Hyphens are skipped ("in-service" matches "in service"); a trigger word may
name its part of speech ("stop/NOUN"). With ``trigger_relation: dominates`` the trigger and the value
must be on one line of descent in the parse ("buy 64 jets", "a $1.8 billion contract", "10 jets
aboard"), not merely in one clause. An attribute's ``place_object`` verbs only count when their
direct object, if they have one, is a place: "reached Manila" is an arrival, "reached an agreement"
is not.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsgraph.extract.claims.spec import INFERRED, STATED, attribute_specs, syntax
from newsgraph.extract.claims.syntax import anchor, governs, noun_of, premodifies_noun, token_distance

_HYPHENS = {"-", "\u2010", "\u2011"}
PLACE_TYPES = ("COUNTRY", "PLACE", "FACILITY")


def _trigger_word(word: str) -> tuple[str, str | None]:
    text, _, pos = word.partition("/")
    return text, pos.upper() or None


def trigger_windows(sent: Any, phrases: list[str], scope: set[int] | None = None) -> list[list[Any]]:
    """Every occurrence of a trigger phrase in the sentence, as its tokens (hyphens skipped)."""
    found = _windows(_Sentence(sent), tuple(phrases or ()))
    return found if scope is None else [w for w in found if w[0].i in scope]


@lru_cache(maxsize=256)
def _phrase_words(phrases: tuple[str, ...]) -> tuple[tuple[tuple[str, str | None], ...], ...]:
    return tuple(tuple(_trigger_word(w) for w in phrase.lower().split()) for phrase in phrases)


class _Sentence:
    """A sentence's tokens without hyphens, with each token's lemma, form and part of speech, and the
    positions of each lemma and form: a trigger phrase is tried only where its first word is."""

    def __init__(self, sent: Any) -> None:
        self.toks = [t for t in sent if t.text not in _HYPHENS]
        self.words = [(t.lemma_.lower(), t.lower_, t.pos_) for t in self.toks]
        self.at: dict[str, list[int]] = {}
        for i, (lem, low, _) in enumerate(self.words):
            self.at.setdefault(lem, []).append(i)
            if low != lem:
                self.at.setdefault(low, []).append(i)

    def fits(self, i: int, word: tuple[str, str | None]) -> bool:
        lem, low, pos = self.words[i]
        text, want = word
        return (lem == text or low == text) and (want is None or pos == want)


def _windows(sentence: _Sentence, phrases: tuple[str, ...]) -> list[list[Any]]:
    """The windows of ``trigger_windows`` (no scope), in its order: phrase by phrase, left to right."""
    found = []
    size = len(sentence.toks)
    for words in _phrase_words(phrases):
        if not words:  # an empty phrase fits everywhere (as the plain scan found it)
            found.extend([] for _ in range(size + 1))
            continue
        n = len(words)
        for i in sorted(set(sentence.at.get(words[0][0], ()))):
            if i + n <= size and all(sentence.fits(i + k, w) for k, w in enumerate(words)):
                found.append(sentence.toks[i : i + n])
    return found


def _view_windows(view: Any, sent: Any, phrases: list[str] | None, scope: set[int] | None) -> list[list[Any]]:
    """``trigger_windows`` of a sentence of the document, found once per sentence and phrase list: each
    value of a sentence asks again for the same attributes' triggers."""
    cache = view.__dict__.setdefault("_trigger_windows", {})
    key = (sent.start, sent.end, tuple(phrases or ()))
    if key not in cache:
        sentences = view.__dict__.setdefault("_trigger_sentences", {})
        if (sent.start, sent.end) not in sentences:
            sentences[(sent.start, sent.end)] = _Sentence(sent)
        cache[key] = _windows(sentences[(sent.start, sent.end)], key[2])
    found = cache[key]
    return found if scope is None else [w for w in found if w[0].i in scope]


def governing_trigger(view: Any, sent: Any, spec: dict[str, Any], span: tuple[int, int],
                      scope: set[int] | None = None, phrases: list[str] | None = None) -> Any:
    """The trigger token that governs the value and names a fitting event, or None: one the value
    hangs from ("sailed into Yokosuka on Thursday") before one that is only in its clause, then the nearest."""
    value = anchor(view.nlp, *span)
    above = {t.i for t in value.ancestors}
    limit = attribute_specs()["trigger_window_tokens"]
    best = None
    for window in _view_windows(view, sent, spec.get("triggers") if phrases is None else phrases, scope):
        if not governs(window, value) or not _event_fits(view, window, spec):
            continue
        if spec.get("trigger_relation") == "dominates" and not _on_one_line(window, value):
            continue
        rank = (not any(t.i in above for t in window), token_distance(window[0], span))
        if rank[1] <= limit and (best is None or rank < best[0]):
            best = (rank, window[0])
    return best[1] if best else None


def _on_one_line(window: list[Any], value: Any) -> bool:
    """Is the trigger above the value, or below the noun the value counts ("10 F-35B jets aboard")?"""
    above = {t.i for t in value.ancestors}
    noun = noun_of(value)
    return any(t.i in above or noun.i in {a.i for a in t.ancestors} for t in window)


def _event_fits(view: Any, window: list[Any], spec: dict[str, Any]) -> bool:
    """With ``place_object``: the direct object of one of those trigger verbs must be a place."""
    verbs = spec.get("place_object") or []
    inside = {t.i for t in window}
    objects = [c for t in window if t.lemma_.lower() in verbs for c in t.children
               if c.dep_ == "dobj" and c.i not in inside]
    return all(_is_place(view, obj) for obj in objects)


def _is_place(view: Any, tok: Any) -> bool:
    """A place: a place mention, a place noun ("port"), or a name the entity stage did not type."""
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
    named = [m for m in view.mentions_in(lo, hi) if m.end <= hi and m.start <= tok.idx < m.end]
    if named:
        return any(view.type_of(m) in PLACE_TYPES for m in named)
    return tok.pos_ == "PROPN" or tok.lemma_.lower() in syntax()["place_nouns"]


def has_value_prefix(text: str, start: int, spec: dict[str, Any]) -> bool:
    """Words right before the value that say what it is ("by 2035" for a completion year)."""
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in (spec.get("value_prefix") or [])


def license_value(view: Any, sent: Any, spec: dict[str, Any], span: tuple[int, int]) -> tuple[Any, str] | None:
    """(trigger token or None, basis) when the sentence states the value as this attribute, else None.

    With ``triggers``: a governing trigger states it; without one, a ``value_prefix`` ("by 2035") only
    suggests it (inferred). Without ``triggers`` the value's own form fits the attribute: it is stated
    when a ``stated_by`` word governs it, when it pre-modifies a noun ("the 27,100-ton carrier") or when
    its form names the attribute ("sixth-generation"); otherwise it is inferred from its unit alone.
    """
    if spec.get("triggers"):
        trigger = governing_trigger(view, sent, spec, span)
        if trigger is not None:
            return trigger, STATED
        if has_value_prefix(view.text, span[0], spec):
            return None, INFERRED
        return None
    if spec.get("value_prefix") and not has_value_prefix(view.text, span[0], spec):
        return None
    value = anchor(view.nlp, *span)
    stated = (spec.get("quantity_attribute") or premodifies_noun(value)
              or governing_trigger(view, sent, spec, span, phrases=spec.get("stated_by") or []) is not None)
    return None, STATED if stated else INFERRED
