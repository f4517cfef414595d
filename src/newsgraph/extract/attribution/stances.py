"""Stances stated with a copula: "X is a staunch opponent of Y", "X has been a supporter of Y",
"X is against Y". The subject holds a view of the object (FrameNet Taking_sides); the predicate from the
copula to the preposition is the cue, the preposition's object the content (a belief).
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.attribution.lexicon import BELIEF
from newsgraph.extract.attribution.reports import Reported, source_of
from newsgraph.extract.attribution.spans import subtree_spans
from newsgraph.extract.attribution.state import DocState

_STANCE_PREPS = frozenset({"against", "behind"})


def stance(state: DocState, tok: Any) -> list[Reported]:
    """A stance noun after a copula with its "of" object, or "against" / "behind" after a copula."""
    if state.inside[tok.i]:
        return []
    if tok.pos_ == "NOUN" and tok.dep_ == "attr" and tok.lemma_.lower() in state.lex.stance_nouns:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        return _report(state, tok.head, prep)
    if tok.dep_ == "prep" and tok.lower_ in _STANCE_PREPS and tok.head.lemma_ == "be" \
            and not any(c.dep_ in ("attr", "acomp") for c in tok.head.children):
        return _report(state, tok.head, tok)
    return []


def _report(state: DocState, copula: Any, prep: Any | None) -> list[Reported]:
    if prep is None or copula.lemma_ != "be":
        return []
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    source = source_of(copula)
    if obj is None or source is None or source.lower_ in ("it", "there", "this", "that"):
        return []
    content = subtree_spans(state, obj)
    if not content:
        return []
    cue = [t for t in copula.doc[copula.i : prep.i + 1] if not t.is_space]
    return [Reported(cue, content, source, statement_type=BELIEF)]
