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

from newsgraph.extract.event_place_roles import apply_place_rules
from newsgraph.extract.event_rules import Lexicon, Trigger, governing_chain, lemma
from newsgraph.model import Analysis, Mention, Participant

PLACE_LABELS = {"PLACE", "FACILITY"}
SKIP_SUBTREE = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "parataxis", "appos", "pcomp"}
PREMODIFIER_POS = ("PROPN", "ADJ", "NOUN")
PAIR_JOINERS = ("–", "-", "—", "/", "and")
# Types whose "in <country>" names the host, who is a partner in the event.
DESTINATION_TYPES = {"MEET", "PORT_CALL", "DEPLOY", "EXERCISE", "AID"}
DESTINATION_PREPS = {"to", "into", "toward", "towards"}
COUNTERPART_ROLES = ("partner", "target")
GROUP_PLACE_PREPS = ("in", "from", "throughout", "across", "inside")
ACTING_ROLES = ("actor", "partner", "target")


class MentionIndex:
    """Mentions and entities of one document, looked up by token."""

    def __init__(self, analysis: Analysis, kb: Any = None) -> None:
        self.kb = kb
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        self.entities = {e.id: e for e in analysis.entities}
        self._starts = [m.start for m in self.mentions]

    def covering(self, token: Any) -> Mention | None:
        from bisect import bisect_right

        i = bisect_right(self._starts, token.idx) - 1
        if i >= 0 and self.mentions[i].start <= token.idx < self.mentions[i].end:
            return self.mentions[i]
        return None

    def name(self, m: Mention) -> str:
        ent = self.entities.get(m.entity or "")
        return ent.name if ent else m.text

    def label(self, m: Mention) -> str:
        ent = self.entities.get(m.entity or "")
        return ent.type if ent else m.label

    def role_label(self, m: Mention) -> str:
        """The type as a participant: a capital stands for its state ("talks in Amman" host Jordan)."""
        ent = self.entities.get(m.entity or "")
        if ent is not None and ent.type == "PLACE" and ent.attributes.get("capital") is True:
            return "COUNTRY"
        return self.label(m)

    def state_like(self, m: Mention) -> bool:
        return self.role_label(m) in ("COUNTRY", "NORP")


def np_tokens(token: Any, keep_prep_of: bool = True) -> list[Any]:
    """The token's phrase without nested clauses, appositions and prepositions other than "of"."""
    out = [token]
    for child in token.children:
        if child.dep_ in SKIP_SUBTREE and not (child.dep_ in ("conj", "cc") and child.pos_ not in ("VERB", "AUX")):
            continue
        if child.dep_ == "prep" and not (keep_prep_of and child.lower_ == "of"):
            continue
        out.extend(np_tokens(child, keep_prep_of))
    return out


def _left_extension(token: Any) -> list[Any]:
    """Modifiers just left of a name that a weak parse detached: "the Italian aircraft carrier Cavour"."""
    out = []
    i = min(t.i for t in np_tokens(token)) - 1
    sent_start = token.sent.start
    while i >= sent_start and token.doc[i].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") \
            and token.doc[i].dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        out.append(token.doc[i])
        i -= 1
    return out


def mentions_in(tokens: list[Any], index: MentionIndex) -> list[Mention]:
    seen: dict[int, Mention] = {}
    for tok in sorted(tokens, key=lambda t: t.i):
        m = index.covering(tok)
        if m is not None:
            seen.setdefault(m.start, m)
    return list(seen.values())


def phrase_mentions(token: Any, index: MentionIndex) -> list[Mention]:
    """The participants a noun phrase names: its head's name (and coordinated heads'), else the names in it.

    "Italian Defence Minister Guido Crosetto" is Crosetto (Italian is his affiliation); "the Chinese
    coast guard" is Chinese (a nationality standing for its state); "Israel and the Palestinians" both.
    """
    heads = [token] + [c for c in token.conjuncts if c.i > token.i and c.pos_ not in ("VERB", "AUX")]
    named = [index.covering(h) for h in heads]
    if named[0] is None:  # "the destroyer HMAS Sydney": the name in apposition is the participant
        appos = next((c for c in token.children if c.dep_ == "appos" and index.covering(c) is not None), None)
        if appos is not None and index.label(index.covering(appos)) not in ("COUNTRY", "NORP"):
            heads[0], named[0] = appos, index.covering(appos)
    if named[0] is not None and index.label(named[0]) not in ("COUNTRY", "NORP"):
        out: list[Mention] = []
        for head, m in zip(heads, named, strict=True):
            out.extend([m] if m is not None else mentions_in(np_tokens(head), index))
        return list({m.start: m for m in out}.values())
    return mentions_in(np_tokens(token), index) or _group_by_place(token, index)


def _group_by_place(token: Any, index: MentionIndex) -> list[Mention]:
    """"Opposition groups in Zimbabwe", "rebels from Mali": an unnamed group stands for the state it is in."""
    if token.pos_ != "NOUN":
        return []
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in GROUP_PLACE_PREPS):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            found = [m for m in mentions_in(np_tokens(pobj), index) if index.role_label(m) == "COUNTRY"]
            if found:
                return found
    return []


class Subject:
    """Who a clause's subject is: ``token`` (the by-agent in a passive that has one), whether it is a
    passive subject itself, and the ``patient`` (the passive subject when a by-agent acts)."""

    def __init__(self, token: Any | None, passive: bool = False, patient: Any | None = None) -> None:
        self.token, self.passive, self.patient = token, passive, patient


def find_subject(verb: Any, lex: Lexicon) -> Subject:
    """The subject of a verb, climbing through control and coordination; by-agent for passives.

    A passive subject found above the verb ("Cavour is set to make ...") is the embedded verb's actor.
    """
    cur = verb
    for _ in range(6):
        agent = _agent(cur)
        own = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        if agent is not None:
            return Subject(agent, False, own if own is not None and own.dep_ == "nsubjpass" else None)
        if own is not None:
            return Subject(own, own.dep_ == "nsubjpass" and cur.i == verb.i)
        # A reported clause ("..., an analyst said") never takes the speaker as its subject.
        if cur.dep_ not in ("xcomp", "conj", "advcl", "acomp", "pcomp") or cur.head.i == cur.i:
            break
        controller = _object_controller(cur, lex)
        if controller is not None:
            return Subject(controller)
        cur = cur.head if cur.dep_ != "pcomp" else cur.head.head
    return Subject(None)


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _object_controller(clause: Any, lex: Lexicon) -> Any | None:
    """"urged Azerbaijan to release", "condemned Beijing for firing": the object is the one who acts."""
    if clause.dep_ == "xcomp" and lemma(clause.head) in lex.object_control:
        return next((c for c in clause.head.children if c.dep_ in ("dobj", "dative")), None)
    if clause.dep_ == "pcomp" and clause.head.dep_ == "prep" and clause.head.lower_ in lex.gerund_preps:
        governor = clause.head.head  # "accused [the police of beating]" or "condemned Beijing [for firing]"
        if governor.dep_ in ("dobj", "dative"):
            return governor
        return next((c for c in governor.children if c.dep_ in ("dobj", "dative")), None)
    return None


def _inside_subject(token: Any, clause: Any) -> bool:
    """True when the token sits in its clause's subject ("the commander for the exercise said ...")."""
    cur = token
    for _ in range(12):
        if cur.i == clause.i or cur.head.i == cur.i:
            return False
        if cur.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return True
        cur = cur.head
    return False


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
        if label in PLACE_LABELS:
            return "location"
        return "instrument" if label in self.lex.instrument_types else "topic"

    # -- the rules ---------------------------------------------------------------------------------
    def run(self) -> None:
        if self._nominal_only():
            self._noun_modifiers(self.t.anchor)
            self._objects(self.t.anchor)
            return
        self._actor()
        verbs = [self.t.clause] if self.t.anchor.i == self.t.clause.i else [self.t.anchor, self.t.clause]
        for head in verbs:
            self._objects(head)
        if self.t.anchor.i != self.t.clause.i or self.t.kind == "noun":
            self._noun_modifiers(self.t.anchor)
        if self.etype.quad.startswith("verbal"):
            self._verbal_complements()
        apply_place_rules(self)

    def _nominal_only(self) -> bool:
        """A noun trigger takes its clause's subject and objects ("held talks", "sent ships on a deployment")
        unless it is the subject of its clause ("the attack would trigger ...") or the verb only observes
        it ("called the attack unacceptable", ``roles.noun_observer_verbs``): then its own modifiers count."""
        if self.t.kind != "noun":
            return False
        if self.t.extra.get("nominal") or _inside_subject(self.t.anchor, self.t.clause):
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
        mentions = self._subject_mentions(subj, subject.passive)
        self.add(mentions, self.other if subject.passive else "actor")
        if not mentions and subj.pos_ == "PRON":  # "Syria said it will withdraw": the speaker acts
            self._speaker_as_actor()

    def _subject_mentions(self, subj: Any, passive: bool) -> list[Mention]:
        mentions = phrase_mentions(subj, self.index) or mentions_in(_left_extension(subj), self.index)
        if mentions and not passive and all(self.index.label(m) in ("COUNTRY", "NORP") for m in mentions):
            mentions += [m for m in mentions_in(_left_extension(subj), self.index) if m not in mentions]
        places = [m for m in mentions if self.index.role_label(m) in PLACE_LABELS]
        if places and not passive:  # "Yokosuka offers ...": a place is where things happen, never who acts
            self.location = self.location or places[0]
            mentions = [m for m in mentions if m not in places]
        return mentions

    def _speaker_as_actor(self) -> None:
        for verb in governing_chain(self.t.clause)[1:]:
            speaker = find_subject(verb, self.lex)
            if speaker.token is not None and not speaker.passive:
                self.add(phrase_mentions(speaker.token, self.index), "actor")
                if self.found:
                    return

    def _objects(self, head: Any) -> None:
        for child in head.children:
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
        else:
            self.add([m], self.other)

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
