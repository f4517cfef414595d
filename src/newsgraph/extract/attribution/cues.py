"""Cue words over the parse: speech verbs (with their particles), "according to", and their subjects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsgraph.extract.attribution.lexicon import Lexicon

RELATIVE_TAGS = ("WP", "WDT")


@dataclass
class Cue:
    token: Any  # spacy Token: the verb, "according", or the colon
    text: str
    subject: Any  # spacy Token or None
    channel: bool = False  # "X reported": X carries the quote, a person's own cue wins


def is_verb(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")


def according_object(lex: Lexicon, tok: Any) -> Any | None:
    """For "according" in "according to X": the token X (None when it is not that phrase)."""
    if tok.lower_ not in lex.according or tok.i + 1 >= len(tok.doc) or tok.nbor().lower_ != "to":
        return None
    to = tok.nbor()
    return next((c for c in to.children if c.dep_ == "pobj"), None) or next(
        (c for c in tok.children if c.dep_ == "pobj"), None)


def cue_at(lex: Lexicon, tok: Any) -> Cue | None:
    """A speech cue for direct quotes at ``tok``: a speech verb by lemma, a phrasal verb with its
    particle, or "according to"; a verb whose subject is a relative pronoun describes, it does not speak."""
    if tok.lower_ in lex.according and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
        return Cue(tok, "according to", according_object(lex, tok), channel=True)
    if not is_verb(tok):
        return None
    lemma = tok.lemma_.lower()
    text = tok.text
    if lemma in lex.phrasal:
        prt = next((c for c in tok.children if c.dep_ == "prt" and c.lower_ == lex.phrasal[lemma]), None)
        if prt is None:
            return None
        text = f"{tok.text} {prt.text}"
    elif lemma not in lex.speech_verbs:
        return None
    subject = subject_of(tok)
    if subject is not None and subject.tag_ in RELATIVE_TAGS:
        return None  # "who writes on defense": a relative clause describes, it does not speak
    return Cue(tok, text, subject, channel=lemma in lex.channel)


def subject_of(verb: Any, depth: int = 0) -> Any:
    """The verb's subject: nsubj, the agent of a passive, a shared subject across ``conj`` or an
    ``xcomp`` ("wants to say"), or an inverted proper-noun object ('..., said Zappa.')."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    for c in verb.children:
        if c.dep_ == "agent":  # "was announced by X"
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if verb.dep_ in ("conj", "xcomp") and depth < 3 and verb.head.i != verb.i:
        return subject_of(verb.head, depth + 1)
    # inverted order misparsed as an object: '..., said Zappa.'
    return next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ == "PROPN"), None)
