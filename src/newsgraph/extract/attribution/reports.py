"""A reported content before it becomes an ``Attribution``, and what every rule needs to find one:
the cue's tokens and the source (the cue's subject, a passive's agent, or a subject it shares)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsgraph.extract.attribution.cues import is_verb
from newsgraph.extract.attribution.lexicon import STATEMENT
from newsgraph.extract.attribution.state import DocState


@dataclass
class Reported:
    """One reported content found over the parse, before it becomes an ``Attribution``."""

    cue: list[Any]  # tokens of the cue (the verb, its particle, a preposition)
    content: list[tuple[int, int]]  # character spans, in text order
    source: Any | None  # the head token of the source noun phrase
    kind: str = "indirect"
    statement_type: str = STATEMENT
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cue_token(self) -> Any:
        return self.cue[0]


def source_of(verb: Any, depth: int = 0) -> Any | None:
    """The token heading the cue's source: its subject, a passive's agent, or (for a participle, an
    infinitive or a conjoined verb) the subject of the verb it hangs from."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:  # "reasons that Trump refuses to ...": the name, not the relative word the parse also took
        return next((c for c in subjects if c.tag_ not in ("WDT", "WP")), subjects[0]) if len(subjects) > 1 \
            else subjects[0]
    agent = passive_agent(verb)
    if agent is not None:
        return agent
    if depth < 3 and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ == "NOUN":
        return _participle_source(verb.head, depth)
    if depth < 3 and verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
        return source_of(verb.head.head, depth + 1)  # "after saying X, she ...": the clause's subject
    if depth < 3 and verb.head.i != verb.i and verb.dep_ in ("conj", "xcomp", "advcl", "acl") and (
        verb.dep_ != "advcl" or verb.tag_ == "VBG" or infinitive(verb)
    ) and not any(c.dep_ == "nsubjpass" for c in verb.children):
        return source_of(verb.head, depth + 1)
    inverted = next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ == "PROPN"
                     and c.i == verb.i + 1), None)
    return inverted if inverted is not None else _name_just_before(verb)


def _name_just_before(verb: Any) -> Any | None:
    """"In a meeting with the board of the Post Trump said that ...": a name right before a finite cue
    with no subject, which the parse hung elsewhere, is its subject."""
    if verb.i == 0 or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    before = verb.doc[verb.i - 1]
    if before.pos_ == "PROPN" and before.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return before
    return None


def _participle_source(noun: Any, depth: int) -> Any | None:
    """The source of a participle describing a noun: the noun itself when it is evidence ("a video
    showing ...") or a message that is not the object of someone's act ("a statement from the ministry
    saying ..."), else the subject of the verb the noun hangs from ("she held a news conference
    announcing that ...", "the campaign has an ad hitting Trump for ...")."""
    from newsgraph.extract.attribution.lexicon import load_lexicon

    lex = load_lexicon()
    lemma = noun.lemma_.lower()
    if lemma in lex.evidence_nouns or noun.lower_ in lex.evidence_nouns:
        return noun
    if lemma in lex.message_nouns and noun.dep_ != "dobj":
        return noun  # "a statement from the ministry saying ...", "the ad, attacking ..."
    if noun.dep_ in ("dobj", "pobj") and noun.head.i != noun.i:
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        if verb.pos_ in ("VERB", "AUX"):
            return source_of(verb, depth + 1)
    return None


def passive_agent(verb: Any) -> Any | None:
    """X in "was announced by X"."""
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def cue_tokens(verb: Any) -> list[Any]:
    return [verb, *(c for c in verb.children if c.dep_ == "prt")]


def infinitive(tok: Any) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def is_cue_verb(state: DocState, verb: Any) -> bool:
    """A cue verb by lemma (a phrasal one only with its particle), outside quotes."""
    lex = state.lex
    if not is_verb(verb) or state.inside[verb.i]:
        return False
    lemma = verb.lemma_.lower()
    if lemma in lex.phrasal:
        return any(c.dep_ == "prt" and c.lower_ == lex.phrasal[lemma] for c in verb.children)
    return lemma in lex.cue_types or lemma in lex.evidence_verbs
