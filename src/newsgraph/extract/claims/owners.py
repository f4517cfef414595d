"""Who a value is said of, read from the phrase around it.

* the owner the phrase names: the noun a with-phrase modifies ("The carrier, with 10 F-35B jets
  aboard, ...") and the possessor of the trigger noun ("the carrier's port call");
* the agent of the event the trigger names: a verb's subject (through "is due to", coordinated verbs
  and by-agents), the noun a participle modifies ("visiting warships"), a noun's possessor or
  by-phrase ("a visit by the Aquila"), or the subject of a light verb ("made a port call");
* a definite description ("the 27,100-ton carrier") and the earlier mention it refers back to.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.claims.spec import Candidate, attribute_specs, syntax
from newsgraph.extract.claims.syntax import path, subjects_of
from newsgraph.model import Mention


def owner(cand: Candidate) -> Any:
    """The noun a value is said of by the phrase around it, when that is not the clause subject."""
    words = syntax()
    for tok in path(cand.anchor)[1:]:
        if tok.lower_ in words["with_words"] and tok.dep_ == "prep":
            head = tok.head
            if head.pos_ in ("VERB", "AUX"):
                subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
                return subj[0] if subj else None
            return head
        if tok.dep_ in words["clause_deps"]:
            break
    trigger = cand.trigger
    if trigger is None:
        return None
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    return next((c for c in noun.children if c.dep_ == "poss" and c.tag_ not in ("PRP$", "WP$")), None)


def event_agents(trigger: Any) -> list[Any]:
    """The tokens naming who does what the trigger names; empty when the text does not say."""
    if trigger.pos_ in ("VERB", "AUX") and trigger.dep_ not in ("amod", "acl"):
        return subjects_of(trigger)
    if trigger.dep_ in ("amod", "acl") and trigger.head.pos_ in ("NOUN", "PROPN"):  # "visiting warships"
        return [trigger.head]
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    for child in noun.children:
        if child.dep_ == "poss":
            return [child]
        if child.dep_ == "prep" and child.lower_ == "by":
            return [g for g in child.children if g.dep_ == "pobj"]
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in syntax()["light_verbs"]:  # "made a port call"
        return subjects_of(noun.head)
    return []


def is_modifier(doc: Any, m: Mention) -> bool:
    """A nationality adjective ("an Italian carrier") qualifies a noun; it is not what the clause is about."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.dep_ == "amod" and span.root.pos_ == "ADJ"


def is_pronoun(tok: Any) -> bool:
    return tok.tag_ in ("PRP", "PRP$", "WP", "WDT") or tok.pos_ == "PRON"


def is_definite(tok: Any) -> bool:
    """A common noun introduced by "the/this/that" or a possessor ("the carrier", "its ship", "Italy's carrier")."""
    return tok.pos_ == "NOUN" and any(
        (c.dep_ == "det" and c.lower_ in syntax()["definite"]) or c.dep_ == "poss" for c in tok.children)


def describes(noun: Any, types: list[str]) -> bool:
    """Is the common noun one that names an entity of these types ("the carrier" for a VESSEL)?"""
    nouns = syntax()["type_nouns"]
    return any(noun.lemma_.lower() in nouns.get(t, ()) for t in types)


def clause_subject(anchor: Any) -> Any:
    """The noun the value pre-modifies ("the 27,100-ton carrier"), else the subject of its clause."""
    tok = anchor
    while tok.dep_ in syntax()["modifier_deps"] and tok.head.i != tok.i and tok.i < tok.head.i:
        tok = tok.head
    if tok is not anchor and tok.pos_ == "NOUN":
        return tok
    for tok in path(anchor):
        if tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "ROOT" and tok.pos_ == "NOUN"):  # fragment parse
            return tok
        if tok.pos_ in ("VERB", "AUX"):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                return subj[0]
    return None


def definite_description(view: Any, head: Any, fits: Any) -> Any:
    """``head`` when it is a "the <common noun>" that names no fitting entity itself, else None."""
    if head is None or head.pos_ != "NOUN" or not any(
            c.dep_ == "det" and c.lower_ in syntax()["definite"] for c in head.children):
        return None
    lo, hi = head.left_edge.idx, head.idx + len(head)
    named = [m for m in view.mentions_in(max(0, lo - 200), hi) if m.start < hi and m.end > lo and fits(m)]
    return None if named else head


def antecedent(view: Any, head: Any, fits: Any, lookback: bool = True) -> Mention | None:
    """The entity a definite description refers back to: the latest earlier fitting mention introduced
    with the same noun ("the aircraft carrier Cavour" for "the carrier"), else (with ``lookback``) the
    latest fitting mention in the look-back."""
    before = [m for m in view.mentions_in(0, head.left_edge.idx) if m.end <= head.left_edge.idx and fits(m)]
    noun = head.lemma_.lower()
    named_so = [m for m in before if noun in view.text[max(0, m.start - 30) : m.start].lower().split()[-3:]]
    if named_so:
        return max(named_so, key=lambda m: m.start)
    if not lookback:
        return None
    back = attribute_specs()["subject_lookback_sentences"]
    first = view.sents[max(0, view.sentence_index(head.idx) - back)].start_char
    recent = [m for m in before if m.start >= first]
    return max(recent, key=lambda m: m.start) if recent else None
