"""Reported content that is a noun phrase: the object of a cue verb ("criticized the deal", "called
Clinton a “disgrace”"), the object of the preposition it takes ("called for a ban", "accused X of
lying", "spoke about the economy"), and what follows the object ("blamed X for Y", "urged X to Y").

Verbs that take an addressee (``addressee_verbs``: "told reporters", "asked officials") never make the
addressee the content. Times and dates are never content ("said on Monday").
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.attribution.reports import Reported, cue_tokens, source_of
from newsgraph.extract.attribution.spans import token_spans, tokens_of
from newsgraph.extract.attribution.state import DocState

_FOLLOWING = frozenset({"oprd", "attr", "acomp"})
_SETTING_PREPS = frozenset({"in", "on", "at", "during", "after", "before", "since", "until", "via", "through"})
_TIME_ENTS = frozenset({"DATE", "TIME"})
# an amount is what was counted, spent or raised, not what was said ("raised $5 million", "added 84 jobs")
_AMOUNT_ENTS = frozenset({"MONEY", "CARDINAL", "PERCENT", "QUANTITY"})


def objects(state: DocState, verb: Any) -> list[Reported]:
    """The object content of a cue verb, when it has no clausal one."""
    lex = state.lex
    lemma = verb.lemma_.lower()
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return []
    evidence = lemma in lex.evidence_objects and evidence_subject(state, verb)
    if lemma in lex.perception_verbs and not evidence:
        return _seen_as(state, verb, lemma)
    preps = lex.object_cues.get(lemma, frozenset())
    direct = _direct_object(state, verb, lemma, evidence)
    if direct and _before_preposition(verb, preps):
        return direct  # "blamed Trump for the delay": the one blamed and the reason together
    if preps and (found := _prepositional(state, verb, lemma, preps)):
        return found
    if direct:
        return direct
    if lemma in lex.object_cues or lemma in lex.cue_types:
        return _prepositional(state, verb, lemma, lex.object_preps)
    return []


def _before_preposition(verb: Any, preps: frozenset[str]) -> bool:
    """Whether the verb's direct object comes before its content preposition ("blamed X for Y")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and any(c.dep_ == "prep" and c.lower_ in preps and c.i > obj.i for c in verb.children)


def evidence_subject(state: DocState, verb: Any) -> bool:
    """"a poll found ...", "records show ...": a source that is evidence, not a person who saw."""
    subject = source_of(verb)
    nouns = state.lex.evidence_nouns
    return subject is not None and (subject.lower_ in nouns or subject.lemma_.lower() in nouns)


def _direct_object(state: DocState, verb: Any, lemma: str, evidence: bool = False) -> list[Reported]:
    lex = state.lex
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.pos_ == "PRON" or obj.ent_type_ in _TIME_ENTS | _AMOUNT_ENTS:
        return []
    if lemma in lex.addressee_verbs and not evidence:
        return []  # "told reporters": the addressee is no content ("polls show Clinton ahead": evidence)
    following = _following(verb, obj)
    predicate = lemma in lex.predicate_cues and any(
        c.dep_ in _FOLLOWING or (c.dep_ == "prep" and c.lower_ == "as") for c in following)
    if lemma not in lex.object_cues and not evidence and not predicate \
            and not (lex.generic_objects and lex.speech_type(lemma)):
        return []
    heads = [obj, *following]
    tokens = _without_setting(state, tokens_of(state, heads))
    return [Reported(cue_tokens(verb), token_spans(state, tokens), source_of(verb),
                     statement_type=lex.statement_type(lemma))]


def _without_setting(state: DocState, tokens: list[Any]) -> list[Any]:
    """An object content less the setting of the act at its end: a time ("in July", "Thursday") or a
    medium ("in an email", "on Twitter", "during the debate")."""
    ids = {t.i for t in tokens}
    cut = None
    for t in tokens:
        if t.dep_ == "npadvmod" and t.ent_type_ in _TIME_ENTS and t.right_edge.i == tokens[-1].i:
            cut = t.left_edge.i if cut is None else min(cut, t.left_edge.i)
        if t.dep_ != "prep" or t.lower_ not in _SETTING_PREPS or t.right_edge.i != tokens[-1].i:
            continue
        obj = next((c for c in t.children if c.dep_ == "pobj"), None)
        if obj is not None and (obj.ent_type_ in _TIME_ENTS or obj.lemma_.lower() in state.lex.settings):
            cut = t.i if cut is None else min(cut, t.i)
    if cut is None or cut <= tokens[0].i:
        return tokens
    return [t for t in tokens if t.i < cut and t.i in ids]


def _seen_as(state: DocState, verb: Any, lemma: str) -> list[Reported]:
    """A perception verb reports a view only as "saw the comment as a dig"."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return []
    as_prep = [c for c in (*obj.children, *verb.children) if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i]
    if not as_prep:
        return []
    heads = [obj, *(p for p in as_prep if p.head.i == verb.i)]
    return [Reported(cue_tokens(verb), token_spans(state, tokens_of(state, heads)), source_of(verb),
                     statement_type="belief")]


def _following(verb: Any, obj: Any) -> list[Any]:
    """What the parse hangs on the verb after the object but belongs to the content: "as a disgrace",
    "for lying", "a liar", "in the way the candidates see it" (a prepositional phrase the parse may attach
    to either); it stops at anything else. The act's setting at the end (a time, a medium: "on Twitter")
    is cut afterwards (``_without_setting``)."""
    out = []
    for c in verb.children:
        if c.i <= obj.i:
            continue
        if c.dep_ in _FOLLOWING or c.dep_ == "prep" or _predicative_adverb(c):
            out.append(c)
        else:
            break
    return out


def _predicative_adverb(tok: Any) -> bool:
    """"show the mayor well ahead of her rival": an adverb phrase predicated of the object."""
    return tok.dep_ == "advmod" and any(c.dep_ == "prep" for c in tok.children)


def _prepositional(state: DocState, verb: Any, lemma: str, preps: frozenset[str] | set[str]) -> list[Reported]:
    for p in verb.children:
        if p.dep_ not in ("prep", "prt") or p.lower_ not in preps or p.i < verb.i:
            continue
        obj = next((c for c in p.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is None or obj.ent_type_ in _TIME_ENTS or obj.pos_ == "PRON":
            continue
        return [Reported([*cue_tokens(verb), p], token_spans(state, tokens_of(state, [obj])), source_of(verb),
                         statement_type=state.lex.statement_type(lemma))]
    return []


def message_object(state: DocState, verb: Any) -> list[Reported]:
    """"issued a statement on the ruling", "unleashed a flurry of tweets", "sent a letter to the board":
    a verb whose object is a message (a communication noun) is an act of communication by its subject,
    whatever the verb; the message is the content. Verbs of receiving or perceiving ("read the
    statement", "received a letter") are left out: their subject is not the author."""
    lex = state.lex
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB" or state.inside[verb.i] or lemma in lex.reception_verbs:
        return []
    if any(c.dep_ in ("nsubjpass", "auxpass", "ccomp") for c in verb.children):
        return []
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or not _message_noun(lex, obj):
        return []
    source = source_of(verb)
    if source is None:
        return []
    tokens = _without_setting(state, tokens_of(state, [obj, *_following(verb, obj)]))
    return [Reported(cue_tokens(verb), token_spans(state, tokens), source, statement_type="statement",
                     extra={"message": True})]


def _message_noun(lex: Any, noun: Any) -> bool:
    """The object's head, or the noun after "a flurry of" / "a series of", is a message noun."""
    if noun.pos_ != "NOUN":
        return False
    if noun.lower_ in lex.message_nouns or noun.lemma_.lower() in lex.message_nouns:
        return True
    if noun.lemma_.lower() in lex.quantity_nouns:
        inner = next((g for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                      for g in p.children if g.dep_ == "pobj"), None)
        return inner is not None and _message_noun(lex, inner)
    return False
