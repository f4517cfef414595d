"""Roles of one event trigger from the dependency structure of its sentence: who acts, with or on whom.

Each trigger (``event_rules.find_triggers``) gets its participants from the parse, never from
proximity:

* the **actor** is the subject of the trigger's clause, climbing through control and coordinated
  verbs; in the passive it is the by-agent and the passive subject is the counterpart ("the boat was
  rammed by the coast guard"); "condemned X for firing ..." and "accused X of ..." make X the one
  who fires; "urged X to ..." makes X the one who acts (object control, ``roles.object_control``);
* the **counterpart** (``partner`` in cooperation, ``target`` in conflict) comes from objects and
  from the prepositions in ``partner_preps``; coordinated subjects and objects all take part;
* a **nominal trigger** takes its actor from a possessive, a name compound or a by-phrase ("China's
  attack on the Philippines", "the Italy–Japan exercise"); when it is the object of another trigger
  it is its own event, and the outer event's counterpart is only its actor (ACCUSE(USA→CHN) and
  ASSAULT(CHN→PHL), never USA→PHL);
* only actors (``roles.actor_types``: states, nationalities, organisations, units, ships, people)
  fill actor, partner or target; equipment is an ``instrument``, treaties, programmes and other
  things are the ``topic``, places the ``location``;
* a name inside a person's or organisation's description (a demonym, an apposition) is that
  participant's affiliation, not another participant;
* a role no rule decides stays empty.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.event_complements import apply_complement_rules, stative_passive
from newsgraph.extract.event_phrases import (
    MentionIndex,
    Subject,
    find_subject,
    inside_subject,
    left_extension,
    mentions_in,
    np_tokens,
    phrase_mentions,
)
from newsgraph.extract.event_place_roles import actor_states, apply_place_rules
from newsgraph.extract.event_rules import Lexicon, Trigger, governing_chain, lemma
from newsgraph.model import Mention, Participant

__all__ = ["MentionIndex", "ParticipantFinder", "Subject", "find_subject", "np_tokens", "phrase_mentions"]

PLACE_LABELS = {"PLACE", "FACILITY"}
PREMODIFIER_POS = ("PROPN", "ADJ", "NOUN")
PAIR_JOINERS = ("–", "-", "—", "/", "and")
# Types whose "in <country>" names the host, who is a partner in the event.
DESTINATION_TYPES = {"MEET", "PORT_CALL", "DEPLOY", "EXERCISE", "AID"}
DESTINATION_PREPS = {"to", "into", "toward", "towards"}
COUNTERPART_ROLES = ("partner", "target")
ACTING_ROLES = ("actor", "partner", "target")


class ParticipantFinder:
    """Actor, partner/target, instrument, topic and location of one trigger."""

    def __init__(self, trigger: Trigger, lex: Lexicon, index: MentionIndex, nested: set[int] | None = None) -> None:
        self.t, self.lex, self.index = trigger, lex, index
        self.etype = lex.types[trigger.type]
        self.other = "target" if self.etype.conflictual else "partner"
        self.nested = nested or set()  # anchors of nominal triggers that are events of their own
        self.found: list[tuple[Mention, str]] = []
        self.location: Mention | None = None
        # mention start -> (ISO3, basis) for participants that stand for a state by a role rule
        self.stands_for: dict[int, tuple[str, str]] = {}
        self.implied: list[Participant] = []  # states a place rule adds (``event_place_roles``)

    # -- adding, with the rule that only actors act -----------------------------------------------
    def add(self, mentions: list[Mention], role: str) -> None:
        for m in mentions:
            role_here = self._role_for(m, role)
            if role_here == "location":
                self.location = self.location or m
                continue
            if role_here and all(m.start != f.start for f, _ in self.found):
                self.found.append((m, role_here))

    def _role_for(self, m: Mention, role: str) -> str | None:
        if role not in ACTING_ROLES:
            return role
        label = self.index.role_label(m)
        if label in self.lex.actor_types:
            return role
        if label in PLACE_LABELS and m.start in self.index.placed:  # "rival militias in Tripoli"
            self.stands_for[m.start] = (self.index.place_state(m) or "", "placed")
            return role
        if label in PLACE_LABELS:
            return "location"
        return "instrument" if label in self.lex.instrument_types else "topic"

    # -- the rules ---------------------------------------------------------------------------------
    def run(self) -> None:
        if self._nominal_only():
            self._noun_modifiers(self.t.anchor)
            self._objects(self.t.anchor)
            apply_complement_rules(self)
            apply_place_rules(self)
            return
        self._actor()
        verbs = [self.t.clause] if self.t.anchor.i == self.t.clause.i else [self.t.anchor, self.t.clause]
        for head in verbs:
            self._objects(head)
        if self.t.anchor.i != self.t.clause.i or self.t.kind == "noun":
            self._noun_modifiers(self.t.anchor)
        if self.etype.quad.startswith("verbal"):
            self._verbal_complements()
        apply_complement_rules(self)
        apply_place_rules(self)

    def _nominal_only(self) -> bool:
        """A noun trigger takes its clause's subject and objects ("held talks", "sent ships on a deployment")
        unless it is the subject of its clause ("the attack would trigger ...") or the verb only observes
        it ("called the attack unacceptable", ``roles.noun_observer_verbs``): then its own modifiers count."""
        if self.t.kind != "noun":
            return False
        if self.t.extra.get("nominal") or inside_subject(self.t.anchor, self.t.clause):
            return True
        verb = lemma(self.t.clause)
        if verb in self.lex.light_verbs:  # "announced a suspension", "reiterated its demand": the subject acts
            return False
        return verb in self.lex.noun_observer_verbs or verb in self.lex.reporting_verbs

    def _verbal_complements(self) -> None:
        """"offered to hand over to Britain": Britain is the partner; "demanded that Iran abandon": Iran."""
        for comp in (c for c in self.t.clause.children if c.dep_ == "xcomp"):
            self._objects(comp)
        for comp in (c for c in self.t.clause.children if c.dep_ == "ccomp"):
            subj = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                self.add(phrase_mentions(subj, self.index), self.other)

    def _actor(self) -> None:
        frame = self.t.extra.get("frame")
        if frame is not None:  # "Russia said that Sudan must return ...": Russia demands of Sudan
            speaker = find_subject(frame, self.lex).token
            if speaker is not None:
                self.add(phrase_mentions(speaker, self.index), "actor")
            own = next((c for c in self.t.clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if own is not None:
                self.add(phrase_mentions(own, self.index), self.other)
            return
        subject = find_subject(self.t.clause, self.lex)
        if subject.patient is not None:  # "the boat was rammed by the coast guard": the boat is acted upon
            self.add(self._subject_mentions(subject.patient, True), self.other)
        subj = subject.token
        if subj is None or subj.i in range(self.t.start, self.t.end):  # "talks were held": no one named
            return
        passive = subject.passive and not stative_passive(self, self.t.clause)  # "is committed to"
        mentions = self._subject_mentions(subj, passive)
        self.add(mentions, self.other if passive else "actor")
        if not mentions and subj.pos_ == "PRON":  # "Syria said it will withdraw": the speaker acts
            self.speaker_as_actor()
        if not mentions and lemma(subj) in self.lex.nouns:  # "a roadside bombing near Samarra killed ..."
            self._subject_place(subj)

    def _subject_mentions(self, subj: Any, passive: bool) -> list[Mention]:
        mentions = phrase_mentions(subj, self.index) or mentions_in(left_extension(subj), self.index)
        if mentions and not passive and all(self.index.label(m) in ("COUNTRY", "NORP") for m in mentions):
            mentions += [m for m in mentions_in(left_extension(subj), self.index) if m not in mentions]
        places = [m for m in mentions if self.index.role_label(m) in PLACE_LABELS and m.start not in self.index.placed]
        if places and not passive:  # "Yokosuka offers ...": a place is where things happen, never who acts
            self.location = self.location or places[0]
            mentions = [m for m in mentions if m not in places]
        return mentions

    def _subject_place(self, subj: Any) -> None:
        """An event noun as subject ("a bombing near Samarra killed ...") says where the event happened."""
        for prep in (c for c in subj.children if c.dep_ == "prep" and lemma(c) in self.lex.location_preps):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                places = [m for m in mentions_in(list(pobj.subtree), self.index)
                          if self.index.role_label(m) in (*PLACE_LABELS, "COUNTRY")]
                if places:
                    self.location = self.location or places[0]
                    return

    def speaker_as_actor(self) -> None:
        for verb in governing_chain(self.t.clause)[1:]:
            speaker = find_subject(verb, self.lex)
            if speaker.token is not None and not speaker.passive:
                self.add(phrase_mentions(speaker.token, self.index), "actor")
                if self.found:
                    return

    def objects_of(self, head: Any) -> None:
        """Objects of another clause (purpose, complement) taken as this event's counterparts."""
        self._objects(head)

    def _objects(self, head: Any) -> None:
        for child in head.children:
            if child.dep_ == "prt":  # "kidnapped up to 16 Russian advisers": the parse hangs "to" on "up"
                for prep in (c for c in child.children if c.dep_ == "prep" and lemma(c) in self.lex.partner_preps):
                    self._prep(prep)
                continue
            if head.pos_ in ("NOUN", "PROPN") and child.dep_ == "prep" and lemma(child) in ("of", "by"):
                self._noun_complement(child)
                continue
            if child.dep_ in ("dobj", "dative", "attr", "oprd") and child.i not in range(self.t.start, self.t.end):
                if child.i in self.nested:  # "condemned China's attack on ...": only the attacker is accused
                    self.add(self._nominal_actor(child), self.other)
                    continue
                for m in phrase_mentions(child, self.index):  # "deployed the Cavour": a means
                    means = self.t.type in self.lex.means_types and self.index.label(m) == "VESSEL"
                    self.add([m], "instrument" if means else self.other)
                self._objects(child)  # "attend the summit in Rome"
            elif child.dep_ == "prep" and lemma(child) in self.lex.partner_preps:
                self._prep(child)

    def _noun_complement(self, prep: Any) -> None:
        """Inside an object: "calls by Belarus's rulers", "an appeal from X" (a counterpart), and "part of
        an aid programme for Bosnia" (looked into)."""
        for pobj in (c for c in prep.children if c.dep_ == "pobj" and c.i not in self.nested):
            if lemma(prep) == "by":
                self.add(phrase_mentions(pobj, self.index), self.other)
            self._objects(pobj)

    def _nominal_actor(self, noun: Any) -> list[Mention]:
        inner = ParticipantFinder(self.t, self.lex, self.index)
        inner._noun_modifiers(noun)
        return [m for m, role in inner.found if role == "actor"]

    def _prep(self, prep: Any) -> None:
        prep_lemma = lemma(prep)
        is_loc = prep_lemma in self.lex.location_preps
        is_dest = prep_lemma in DESTINATION_PREPS or prep_lemma in ("in", "at")
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if pobj.i in self.nested:
                continue
            for m in phrase_mentions(pobj, self.index):
                self._place_or_party(m, is_loc, is_dest, prep_lemma)
            self._objects(pobj)  # "in the port of Yokosuka in Japan"

    def _place_or_party(self, m: Mention, is_loc: bool, is_dest: bool, prep: str) -> None:
        """A place is where it happens; a host country (or capital) of a visit or deployment is also a partner."""
        label = self.index.role_label(m)
        if (is_dest or is_loc) and label in PLACE_LABELS:
            self.location = self.location or m
        elif is_dest and label == "COUNTRY" and self.t.type in DESTINATION_TYPES:
            self.location = self.location or m
            self.add([m], "partner")
        elif is_loc and label == "COUNTRY":
            self.location = self.location or m
        elif prep in self.lex.topic_preps and label not in self.lex.actor_types:
            self.add([m], "topic")
        elif prep == "with" and self._own_vessel(m):  # "held an exercise with the frigate Aurelia"
            self.add([m], "instrument")
        else:
            self.add([m], self.other)

    def _own_vessel(self, m: Mention) -> bool:
        """A ship with which an exercise, deployment or port call is made is its means, unless the ship
        is known to fly the flag of a state that is not acting (then that state takes part)."""
        if self.t.type not in self.lex.means_types or self.index.label(m) != "VESSEL":
            return False
        ent = self.index.entities.get(m.entity or "")
        flag = ent.attributes.get("country") if ent is not None else None
        return not flag or flag in actor_states(self, named_only=True)

    def _noun_modifiers(self, noun: Any) -> None:
        self.add(self._premodifier_names(noun), "actor")
        for child in noun.children:
            if child.dep_ == "poss":
                self.add(phrase_mentions(child, self.index), "actor")
            elif child.dep_ in ("compound", "amod", "nmod"):
                self.add(mentions_in([child, *(c for c in child.children if c.dep_ in ("conj", "compound"))],
                                     self.index), "actor")
            elif child.dep_ == "prep" and lemma(child) == "by":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    self.add(phrase_mentions(pobj, self.index), "actor")
            elif child.dep_ == "prep" and lemma(child) in self.lex.partner_preps:
                self._prep(child)

    def _premodifier_names(self, noun: Any) -> list[Mention]:
        """States and organisations named right before an event noun, whatever the parse made of them:
        "the Italy–Japan exercise", "a US-Philippine patrol"."""
        found: list[Mention] = []
        i = noun.i - 1
        while i >= noun.sent.start:
            tok = noun.doc[i]
            if tok.pos_ not in PREMODIFIER_POS and tok.text not in PAIR_JOINERS:
                break
            m = self.index.covering(tok)
            if m is not None and self.index.role_label(m) in ("COUNTRY", "NORP", "ORG"):
                found.insert(0, m)
            i -= 1
        return list({m.start: m for m in found}.values())

    def participants(self) -> list[Participant]:
        out = []
        for m, role in self.found:
            code, basis = self.stands_for.get(m.start, (None, None))
            out.append(Participant(entity=m.entity, name=self.index.name(m), role=role, country=code, basis=basis))
        return out + self.implied
