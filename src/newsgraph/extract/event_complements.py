"""Second-pass role rules: where the main structural rules (``event_roles``) left a side empty, the
clauses and phrases around the trigger often name it. Each rule fills only an empty side.

* **Conditional threats**: "threatened to stop talks if the United States deploys missiles": the one
  whose act sets off the threat is its target (``roles.conditional_target_types``).
* **Purpose clauses**: "staged demonstrations to demand reforms by Suharto's government", "opened fire
  to disperse the crowd": the objects of an infinitive of purpose are the counterpart.
* **Summoned to complain**: "summoned the ambassador to complain": the summoner complains (no object
  control), to the one summoned.
* **Perpetrators**: "an investigation into crimes committed by Croat forces": the one who did what is
  investigated or accused is the target (verbal conflict types).
* **Destination of a purpose**: "sent personnel to Bosnia to investigate": the state they were sent
  to is the counterpart of what they were sent to do.
* **Possessive pronouns**: "their withdrawal", "its demand" inside a clause or a statement: the
  clause's subject, else the speaker, acts.
* **Statal passives**: "Vietnam is committed to ...", "Syria is prepared to ...": the passive subject of
  these participles (``roles.stative_passives``) is the actor, not the one acted upon.
* **Clause-level fallback** where the parse gave a verb trigger no subject (the small model misparses
  long wire sentences): the noun phrase right before the finite verb, read from the surface, acts
  ("With the signing of the memorandum, the Sudanese government and the rebels have agreed ..." when
  the parse made "government" part of the prepositional phrase); a phrase opened by a preposition
  never counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.extract.event_phrases import find_subject, mentions_in, phrase_mentions
from newsgraph.extract.event_rules import lemma

if TYPE_CHECKING:
    from newsgraph.extract.event_roles import ParticipantFinder

COUNTERPART_ROLES = ("partner", "target")
CONDITION_MARKS = ("if", "unless")


def _has(finder: ParticipantFinder, roles: tuple[str, ...]) -> bool:
    return any(r in roles for _, r in finder.found)


def apply_complement_rules(finder: ParticipantFinder) -> None:
    if not _has(finder, ("actor",)):
        _pronoun_possessor(finder)
    if not _has(finder, ("actor",)) and finder.t.kind != "noun":
        _nearest_name_before(finder)
    if _has(finder, COUNTERPART_ROLES):
        return
    for rule in (_conditional_target, _purpose_objects, _summoned, _perpetrator, _destination_of_purpose):
        rule(finder)
        if _has(finder, COUNTERPART_ROLES):
            return


def _conditional_target(finder: ParticipantFinder) -> None:
    if finder.t.type not in finder.lex.role_rules.get("conditional_target_types", ()):
        return
    clauses = [finder.t.clause, *(c for c in finder.t.clause.children if c.dep_ in ("xcomp", "ccomp"))]
    for clause in clauses:
        for adv in (c for c in clause.children if c.dep_ == "advcl"):
            if not any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in adv.children):
                continue
            subj = next((c for c in adv.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                finder.add(phrase_mentions(subj, finder.index), finder.other)
                return


def _purpose_objects(finder: ParticipantFinder) -> None:
    """"... to demand reforms by X", "... to disperse demonstrators": objects of an infinitive of purpose."""
    for comp in (c for c in finder.t.clause.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"):
        if not any(a.dep_ == "aux" and a.lower_ == "to" for a in comp.children):
            continue
        finder.objects_of(comp)
        if _has(finder, COUNTERPART_ROLES):
            return


def _perpetrator(finder: ParticipantFinder) -> None:
    """"an investigation into crimes committed by Croat forces": who did what is investigated or accused."""
    if finder.etype.quad != "verbal_conflict":
        return
    heads = [finder.t.anchor, finder.t.clause]
    nouns = [o for h in heads for c in h.children if c.dep_ in ("dobj", "prep")
             for o in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])]
    for noun in nouns:
        for acl in (c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"):
            for agent in (c for c in acl.children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    finder.add(phrase_mentions(pobj, finder.index), finder.other)


def _destination_of_purpose(finder: ParticipantFinder) -> None:
    """"sent personnel to Bosnia to investigate": the purpose is carried out where they were sent."""
    clause = finder.t.clause
    if clause.dep_ not in ("advcl", "xcomp") or not any(a.dep_ == "aux" and a.lower_ == "to" for a in clause.children):
        return
    for prep in (c for c in clause.head.children if c.dep_ == "prep" and c.lower_ in ("to", "into")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            states = [m for m in phrase_mentions(pobj, finder.index) if finder.index.role_label(m) == "COUNTRY"]
            finder.add(states, finder.other)


def _summoned(finder: ParticipantFinder) -> None:
    clause = finder.t.clause
    if clause.dep_ != "xcomp" or lemma(clause.head) in finder.lex.object_control:
        return
    for obj in (c for c in clause.head.children if c.dep_ in ("dobj", "dative")):
        finder.add(phrase_mentions(obj, finder.index), finder.other)


def _pronoun_possessor(finder: ParticipantFinder) -> None:
    """"their withdrawal", "its demand": the pronoun refers to its clause's subject, else the speaker."""
    anchor = finder.t.anchor
    if finder.t.kind != "noun" or not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in anchor.children):
        return
    subject = find_subject(finder.t.clause, finder.lex).token
    if subject is not None and subject.i != anchor.i and not _inside(anchor, subject):
        finder.add(phrase_mentions(subject, finder.index), "actor")
    if not _has(finder, ("actor",)):
        finder.speaker_as_actor()


def _inside(token: Any, phrase_head: Any) -> bool:
    return any(t.i == token.i for t in phrase_head.subtree)


def stative_passive(finder: ParticipantFinder, verb: Any) -> bool:
    """True when the trigger's verb is a participle of state whose passive subject acts ("is committed to")."""
    return lemma(verb) in finder.lex.role_rules.get("stative_passives", frozenset())


FINITE_TAGS = ("VBD", "VBZ", "VBP")
NP_POS = ("DET", "ADJ", "NOUN", "PROPN", "NUM", "CCONJ", "PART")
NP_JOINERS = ("/", "-", "&", "'s", "’s")
SKIPPED_BEFORE_VERB = ("AUX", "ADV", "PART")


def _nearest_name_before(finder: ParticipantFinder) -> None:
    """The noun phrase right before a finite verb the parse left without a subject, read from the surface:
    auxiliaries and adverbs are skipped, the phrase runs back over determiners, adjectives, nouns, names,
    numbers and coordination, and counts only when it opens its clause (sentence start, punctuation or a
    subordinating word before it)."""
    anchor = finder.t.anchor
    if anchor.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in anchor.children):
        return
    perfect = anchor.tag_ == "VBN" and any(c.dep_ == "aux" for c in anchor.children)  # "have agreed"
    if not (anchor.tag_ in FINITE_TAGS or perfect) or anchor.dep_ in ("acl", "relcl", "amod", "xcomp", "pcomp", "advcl", "conj"):
        return  # participles, infinitives and coordinated verbs take their subjects from the structure
    doc, first = anchor.doc, anchor.sent.start
    i = finder.t.start - 1
    while i >= first and doc[i].pos_ in SKIPPED_BEFORE_VERB and doc[i].text not in NP_JOINERS:
        i -= 1
    end = i
    while i >= first and (doc[i].pos_ in NP_POS or doc[i].text in NP_JOINERS):
        i -= 1
    if end < first or i == end or (i >= first and doc[i].pos_ not in ("PUNCT", "SCONJ")):
        return  # the phrase must open its clause: after a preposition or a verb it is an object
    found = [m for m in mentions_in(list(doc[i + 1 : end + 1]), finder.index)
             if finder.index.role_label(m) in finder.lex.actor_types]
    starts = {m.start for m in found}  # the misparse may have read them as a prepositional counterpart
    finder.found = [(m, r) for m, r in finder.found if m.start not in starts]
    finder.add(found, "actor")
