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

from typing import Any

from newsgraph.extract.claims.spec import INFERRED, STATED, attribute_specs, syntax
from newsgraph.extract.claims.syntax import anchor, governs, noun_of, premodifies_noun, token_distance

_HYPHENS = {"-", "\u2010", "\u2011"}
PLACE_TYPES = ("COUNTRY", "PLACE", "FACILITY")


def _trigger_word(word: str) -> tuple[str, str | None]:
    text, _, pos = word.partition("/")
    return text, pos.upper() or None


def _word_fits(tok: Any, word: tuple[str, str | None]) -> bool:
    text, pos = word
    return (tok.lemma_.lower() == text or tok.lower_ == text) and (pos is None or tok.pos_ == pos)


def trigger_windows(sent: Any, phrases: list[str], scope: set[int] | None = None) -> list[list[Any]]:
    """Every occurrence of a trigger phrase in the sentence, as its tokens (hyphens skipped)."""
    toks = [t for t in sent if t.text not in _HYPHENS]
    found = []
    for phrase in phrases or []:
        words = [_trigger_word(w) for w in phrase.lower().split()]
        for i in range(len(toks) - len(words) + 1):
            window = toks[i : i + len(words)]
            fits = all(_word_fits(t, w) for t, w in zip(window, words, strict=True))
            if fits and (scope is None or window[0].i in scope):
                found.append(window)
    return found


def governing_trigger(view: Any, sent: Any, spec: dict[str, Any], span: tuple[int, int],
                      scope: set[int] | None = None, phrases: list[str] | None = None) -> Any:
    """The trigger token that governs the value and names a fitting event, or None: one the value
    hangs from ("sailed into Yokosuka on Thursday") before one that is only in its clause, then the nearest."""
    value = anchor(view.nlp, *span)
    above = {t.i for t in value.ancestors}
    limit = attribute_specs()["trigger_window_tokens"]
    best = None
    for window in trigger_windows(sent, spec.get("triggers") if phrases is None else phrases, scope):
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
