"""Tense and modality of the verb that governs a time expression: which year a bare month means.

"will make port in August" (future) → the next August; "was pulling out in December" (past) → the
last December. From the spaCy parse when there is one, else from regex cues in the sentence.
"""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract.time.lexicon import Lexicon, lexicon

INFINITIVE = "infinitive"
_PERFECT = {"has", "have", "'ve", "'s"}


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n")
    rights = [i for i in (text.find(ch, end) for ch in ".!?\n") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


def tense_from_text(text: str, start: int, end: int) -> str | None:
    """Fallback without a parse: regex cues in the sentence (future cues win)."""
    sent = _sentence(text, start, end).lower()
    lx = lexicon()
    if any(re.search(p, sent) for p in lx.future_cues):
        return "future"
    if any(re.search(p, sent) for p in lx.past_cues):
        return "past"
    return None


def verb_tense(verb: Any, lx: Lexicon | None = None) -> str | None:
    """Tense of one verb: future, past, None (present/modal), or "infinitive" (look further up)."""
    lx = lx or lexicon()
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & set(lx.future_auxiliaries):
        return "future"
    past_aux = any(a.tag_ == "VBD" or a.lower_ in lx.past_auxiliaries for a in auxes)
    if verb.lemma_.lower() in lx.future_lemmas and verb.tag_ != "VBD":
        return None if past_aux else "future"
    if verb.tag_ == "VBD" or past_aux:
        return "past"
    if words & _PERFECT:
        return None  # present perfect reaches up to now: "has been postponed until Saturday"
    if verb.tag_ == "VBN" and not auxes and verb.dep_ in ("conj", "acl"):
        return "past"  # "... and peaked by the end of the year", "plans announced in January"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"  # present progressive with a time: "is visiting in August"
    if verb.tag_ == "VB" and "to" in words:
        return INFINITIVE
    return None


def tense_of_token(token: Any) -> str | None:
    """Tense/modality of the verb governing ``token`` (walk up ``token.head``).

    An infinitive ("to run through June") defers to the verb above it, but a past verb
    above an infinitive ("agreed to visit in August") says nothing about the visit.
    """
    tok, lx, infinitive = token, lexicon(), False
    for _ in range(10):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            result = verb_tense(tok, lx)
            if result == INFINITIVE:
                infinitive = True
                continue
            return None if infinitive and result == "past" else result
    return None


def tense_from_parse(nlp_doc: Any, start: int, end: int) -> str | None:
    """Tense of the verb governing the expression at ``start:end``."""
    span = nlp_doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return tense_of_token(span.root)
