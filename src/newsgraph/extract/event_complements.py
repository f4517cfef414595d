"""Second-pass role rules: where the main structural rules (``event_roles``) left a side empty, the
clauses and phrases around the trigger often name it. Each rule fills only an empty side.

* **Conditional threats**: "threatened to stop talks if the United States deploys missiles": the one
  whose act sets off the threat is its target (``roles.conditional_target_types``).
* **Purpose clauses**: "staged demonstrations to demand reforms by Suharto's government", "opened fire
  to disperse the crowd": the objects of an infinitive of purpose are the counterpart.
* **Summoned to complain**: "summoned the ambassador to complain": the summoner complains (no object
  control), to the one summoned.
* **Possessive pronouns**: "their withdrawal", "its demand" inside a clause or a statement: the
  clause's subject, else the speaker, acts.
* **Statal passives**: "Vietnam is committed to ...", "Syria is prepared to ...": the passive subject of
  these participles (``roles.stative_passives``) is the actor, not the one acted upon.
* **Clause-level fallback** where the parse gave a verb trigger no subject (the small model misparses
  long wire sentences): the nearest state, nationality, organisation or person named before the verb
  in the same clause segment acts ("Officials said Sudanese troops, backed by militias, shelled ...").
  The segment ends at a comma, semicolon, colon, dash or parenthesis, a conjunction or relative word,
  or another verb; a name inside a prepositional phrase never counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.extract.event_phrases import find_subject, phrase_mentions
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
    for rule in (_conditional_target, _purpose_objects, _summoned):
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
SEGMENT_STOPS = {",", ";", ":", "(", ")", "--", "\u2014", "\u2013", "\""}


def _nearest_name_before(finder: ParticipantFinder) -> None:
    anchor = finder.t.anchor
    if anchor.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in anchor.children):
        return
    if anchor.tag_ not in FINITE_TAGS or anchor.dep_ in ("acl", "relcl", "amod", "xcomp", "pcomp", "advcl"):
        return  # participles and infinitives take their subjects from the structure, never from the left
    i = finder.t.start - 1
    while i >= anchor.sent.start:
        tok = anchor.doc[i]
        if tok.text in SEGMENT_STOPS or tok.dep_ in ("mark", "cc") or tok.tag_ in ("WDT", "WP", "IN") \
                or (tok.pos_ == "VERB" and tok.dep_ not in ("amod", "compound")):
            return
        m = finder.index.covering(tok)
        if m is not None and _in_prepositional_phrase(tok, anchor):
            i -= 1
            continue
        if m is not None and finder.index.role_label(m) in finder.lex.actor_types:
            finder.add([m], "actor")
            return
        i -= 1


def _in_prepositional_phrase(tok: Any, verb: Any) -> bool:
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pobj":
            return True
        if cur.head.i == cur.i or cur.head.i == verb.i:
            return False
        cur = cur.head
    return False
