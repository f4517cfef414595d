"""Stage ``events`` (50): typed events with PLOVER codes, modality, participants, place and date.

Triggers come from ``event_rules`` (lemma lexicon in ``kb/events.yaml``); this module attaches
what the earlier stages found (mentions, times, quantities) to each trigger's clause.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.event_rules import (
    Lexicon,
    Trigger,
    clause_head,
    find_triggers,
    governing_chain,
    lemma,
    load_lexicon,
    modality,
)
from newsgraph.extract.time import event_date
from newsgraph.model import Analysis, Event, Mention, Participant, Quantity, Span, TimeValue, stable_id
from newsgraph.stages import Context, stage

PLACE_LABELS = {"PLACE", "FACILITY"}
INSTRUMENT_LABELS = {"VESSEL", "AIRCRAFT", "WEAPON"}
SKIP_SUBTREE = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "parataxis"}
# Types whose "in <country>" names the host, who is a partner in the event.
DESTINATION_TYPES = {"MEET", "PORT_CALL", "DEPLOY", "EXERCISE", "AID"}
DESTINATION_PREPS = {"to", "into", "toward", "towards"}
# Statement types that already say what an intent would: they keep their own code.
INTENT_KEEPS = {"AGREE", "THREATEN", "REQUEST", "REJECT", "ACCUSE"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class MentionIndex:
    """Mentions and entities of one document, looked up by token."""

    def __init__(self, analysis: Analysis) -> None:
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        self.entities = {e.id: e for e in analysis.entities}

    def covering(self, token: Any) -> Mention | None:
        for m in self.mentions:
            if m.start <= token.idx < m.end:
                return m
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


def _np_tokens(token: Any, keep_prep_of: bool = True) -> list[Any]:
    """The token's phrase without nested clauses (and without prepositions other than "of")."""
    out = [token]
    for child in token.children:
        if child.dep_ in SKIP_SUBTREE and not (child.dep_ in ("conj", "cc") and child.pos_ not in ("VERB", "AUX")):
            continue
        if child.dep_ == "prep" and not (keep_prep_of and child.lower_ == "of"):
            continue
        out.extend(_np_tokens(child, keep_prep_of))
    return out


def _left_extension(token: Any) -> list[Any]:
    """Modifiers just left of a name that a weak parse detached: "the Italian aircraft carrier Cavour"."""
    out = []
    i = min(t.i for t in _np_tokens(token)) - 1
    sent_start = token.sent.start
    while i >= sent_start and token.doc[i].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") \
            and token.doc[i].dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        out.append(token.doc[i])
        i -= 1
    return out


def _mentions_in(tokens: list[Any], index: MentionIndex) -> list[Mention]:
    seen: dict[int, Mention] = {}
    for tok in sorted(tokens, key=lambda t: t.i):
        m = index.covering(tok)
        if m is not None:
            seen.setdefault(m.start, m)
    return list(seen.values())


def _subject(verb: Any) -> tuple[Any | None, bool]:
    """The subject of a verb, climbing through control verbs; True when it is a passive subject.

    A passive subject found above the verb ("Cavour is set to make ...") is the embedded verb's actor.
    """
    cur = verb
    for _ in range(5):
        for child in cur.children:
            if child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, False
        for child in cur.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return child, child.dep_ == "nsubjpass" and cur.i == verb.i
        # A reported clause ("..., an analyst said") never takes the speaker as its subject.
        if cur.dep_ not in ("xcomp", "conj", "advcl", "acomp", "pcomp") or cur.head.i == cur.i:
            break
        if cur.dep_ == "xcomp":  # "urged Azerbaijan to release": the object is the one who acts
            obj = next((c for c in cur.head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                return obj, False
        cur = cur.head
    return None, False


class ParticipantFinder:
    """Actor, partner/target and location of one trigger."""

    def __init__(self, trigger: Trigger, lex: Lexicon, index: MentionIndex) -> None:
        self.t, self.lex, self.index = trigger, lex, index
        self.etype = lex.types[trigger.type]
        self.other = "target" if self.etype.conflictual else "partner"
        self.found: list[tuple[Mention, str]] = []
        self.location: Mention | None = None

    def add(self, mentions: list[Mention], role: str) -> None:
        for m in mentions:
            if all(m.start != f.start for f, _ in self.found):
                self.found.append((m, role))

    def run(self) -> None:
        self._actor()
        verbs = [self.t.clause] if self.t.anchor.i == self.t.clause.i else [self.t.anchor, self.t.clause]
        for head in verbs:
            self._objects(head)
        if self.t.anchor.i != self.t.clause.i:
            self._noun_modifiers(self.t.anchor)
        if self.etype.quad.startswith("verbal"):  # "offered to hand over to Britain": Britain is the partner
            for comp in (c for c in self.t.clause.children if c.dep_ == "xcomp"):
                self._objects(comp)
        if self.etype.quad.startswith("verbal"):  # "demanded that Iran abandon ...": Iran is addressed
            for comp in (c for c in self.t.clause.children if c.dep_ == "ccomp"):
                subj = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    self.add(_mentions_in(_np_tokens(subj), self.index), self.other)

    def _actor(self) -> None:
        frame = self.t.extra.get("frame")
        if frame is not None:  # "Russia said that Sudan must return ...": Russia demands of Sudan
            speaker, _ = _subject(frame)
            if speaker is not None:
                self.add(_mentions_in(_np_tokens(speaker), self.index), "actor")
            own = next((c for c in self.t.clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if own is not None:
                self.add(_mentions_in(_np_tokens(own), self.index), self.other)
            return
        subj, passive = _subject(self.t.clause)
        if subj is None:
            return
        if subj.i in range(self.t.start, self.t.end):  # the trigger noun is the subject: "talks were held"
            return
        tokens = _np_tokens(subj)
        mentions = _mentions_in(tokens, self.index) or _mentions_in(_left_extension(subj), self.index)
        if mentions and not passive:
            mentions += [m for m in _mentions_in(_left_extension(subj), self.index) if m not in mentions]
        places = [m for m in mentions if self.index.role_label(m) in PLACE_LABELS]
        if places and not passive:  # "Yokosuka offers ...": a place is where things happen, never who acts
            self.location = self.location or places[0]
            mentions = [m for m in mentions if m not in places]
        self.add(mentions, self.other if passive else "actor")
        if not mentions and subj.pos_ == "PRON":  # "Syria said it will withdraw": the speaker acts
            self._speaker_as_actor()

    def _speaker_as_actor(self) -> None:
        for verb in governing_chain(self.t.clause)[1:]:
            speaker, sp_passive = _subject(verb)
            if speaker is not None and not sp_passive:
                self.add(_mentions_in(_np_tokens(speaker), self.index), "actor")
                if self.found:
                    return

    def _objects(self, head: Any) -> None:
        for child in head.children:
            if child.dep_ in ("dobj", "dative", "attr", "oprd") and child.i not in range(self.t.start, self.t.end):
                for m in _mentions_in(_np_tokens(child), self.index):  # "deployed the Cavour": a means
                    self.add([m], "instrument" if self.index.label(m) in INSTRUMENT_LABELS else self.other)
                self._objects(child)  # "attend the summit in Rome"
            elif child.dep_ == "prep" and lemma(child) in self.lex.partner_preps:
                self._prep(child)

    def _prep(self, prep: Any) -> None:
        prep_lemma = lemma(prep)
        is_loc = prep_lemma in self.lex.location_preps
        is_dest = prep_lemma in DESTINATION_PREPS or prep_lemma in ("in", "at")
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for m in _mentions_in(_np_tokens(pobj), self.index):
                self._place_or_party(m, is_loc, is_dest)
            self._objects(pobj)  # "in the port of Yokosuka in Japan"

    def _place_or_party(self, m: Mention, is_loc: bool, is_dest: bool) -> None:
        """A place is where it happens; a host country (or capital) of a visit or deployment is also a partner."""
        label = self.index.role_label(m)
        if (is_dest or is_loc) and label in PLACE_LABELS:
            self.location = self.location or m
        elif is_dest and label == "COUNTRY" and self.t.type in DESTINATION_TYPES:
            self.location = self.location or m
            self.add([m], "partner")
        elif is_loc and label == "COUNTRY":
            self.location = self.location or m
        else:
            self.add([m], self.other)

    def _noun_modifiers(self, noun: Any) -> None:
        for child in noun.children:
            if child.dep_ == "poss":
                self.add(_mentions_in(_np_tokens(child), self.index), "actor")
            elif child.dep_ in ("compound", "amod", "nmod"):
                self.add(_mentions_in([child], self.index), "actor")
            elif child.dep_ == "prep" and lemma(child) in self.lex.partner_preps:
                if lemma(child) == "by":
                    continue
                self._prep(child)
            elif child.dep_ == "prep" and lemma(child) == "by":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    self.add(_mentions_in(_np_tokens(pobj), self.index), "actor")

    def participants(self) -> list[Participant]:
        return [Participant(entity=m.entity, name=self.index.name(m), role=role) for m, role in self.found]


# ---------------------------------------------------------------- date, quantities, coding


def sentence_quantities(sent: Any, quantities: list[Quantity]) -> list[Quantity]:
    return [q for q in quantities if q.span is not None and sent.start_char <= q.span.start < sent.end_char]


def _is_joint(trigger: Trigger, lex: Lexicon) -> bool:
    words = {lemma(c) for c in trigger.anchor.children} | {lemma(t) for t in trigger.anchor.doc[trigger.start:trigger.end]}
    return bool(words & lex.joint_modifiers)


def _states_own_intent(trigger: Trigger, frames: set[str]) -> bool:
    """True when a reporting/intent frame governs the clause and its speaker is the one who acts
    ("Norway is willing to send", "Syria said it will withdraw"), not a third party."""
    frame = next((v for v in governing_chain(trigger.clause)[1:] if lemma(v) in frames), None)
    if frame is None:
        return False
    own = None
    cur = trigger.clause
    while own is None and cur.i != frame.i:
        own = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        cur = cur.head
    if own is None or own.tag_ == "PRP":
        return True
    own = [own]
    speaker, _ = _subject(frame)
    if speaker is None:
        return False
    said_by = {t.lower_ for t in _np_tokens(speaker) if t.pos_ == "PROPN"}
    return bool(said_by & {t.lower_ for t in _np_tokens(own[0]) if t.pos_ == "PROPN"})


def plover_code(trigger: Trigger, lex: Lexicon, mod: str, participants: list[Participant]) -> str:
    """PLOVER category: the type's own, adjusted for solo exercises and for statements of intent."""
    etype = lex.types[trigger.type]
    code = etype.plover
    if etype.plover_alone and not _is_joint(trigger, lex):
        actors = [p for p in participants if p.role == "actor"]
        if not any(p.role == "partner" for p in participants) and len(actors) <= 1:
            code = etype.plover_alone
    intent = lex.intent or {}
    framed = _states_own_intent(trigger, set(intent.get("frames", [])))
    auxes = {c.lower_ for c in trigger.clause.children if c.dep_ == "aux"}
    if framed and auxes & set(intent.get("obligation_modals", [])):
        return intent.get("obligation", code)
    if not framed or code in INTENT_KEEPS:
        return code
    if mod == "negated" and not etype.conflictual:  # "said it will not accept refugees"
        return intent.get("refusal", code)
    if mod in ("planned", "announced", "expected"):
        return intent["conflict"] if etype.conflictual else intent["cooperation"]
    return code


def _date_text(tv: TimeValue | None) -> str:
    if tv is None:
        return ""
    if tv.basis == "reported":  # the text gives no date: say when it was reported, never as its date
        return f"undated, reported {tv.start}"
    if tv.start and tv.granularity == "month":
        return f"{MONTHS[int(tv.start[5:7]) - 1]} {tv.start[:4]}"
    if tv.start and tv.granularity == "day":
        return tv.start
    return tv.value or tv.text


def summary(label: str, parts: list[Participant], location: str | None, tv: TimeValue | None, mod: str,
            country_names: set[str]) -> str:
    """A readable line: "Cavour (Italy) port call with Japan, Aug 2024 [planned]"."""
    actors = [p.name for p in parts if p.role == "actor"]
    names = [a for a in actors if a not in country_names]
    flags = [a for a in actors if a in country_names]
    who = ", ".join(names) + (f" ({', '.join(flags)})" if names and flags else ", ".join(flags))
    others = [p.name for p in parts if p.role != "actor"]
    text = f"{who} {label}".strip()
    if others:
        text += (" against " if parts and any(p.role == "target" for p in parts) else " with ") + ", ".join(others)
    if location and location not in others:
        text += f" in {location}"
    date = _date_text(tv)
    return f"{text}{', ' + date if date else ''} [{mod}]"


# ---------------------------------------------------------------- the stage


def build_event(trigger: Trigger, analysis: Analysis, lex: Lexicon, index: MentionIndex) -> Event | None:
    doc, document = analysis.nlp, analysis.document
    finder = ParticipantFinder(trigger, lex, index)
    finder.run()
    parts = finder.participants()
    # An event noun needs a light verb ("held talks") or someone taking part ("talks with Japan").
    bare_noun = trigger.kind == "noun" and lemma(trigger.clause) not in lex.light_verbs
    if bare_noun and not parts and finder.location is None:
        return None  # a bare event noun with no one taking part is a topic, not an event
    mod = modality(trigger, lex)
    span = doc[trigger.start : trigger.end]
    sent = trigger.anchor.sent
    tv = event_date(analysis, trigger.anchor, trigger.clause, mod)
    loc = finder.location
    countries = {index.name(m) for m, _ in finder.found if index.label(m) == "COUNTRY"}
    return Event(
        id=stable_id("evt", document.id, span.start_char),
        type=trigger.type,
        plover=plover_code(trigger, lex, mod, parts),
        modality=mod,
        summary=summary(lex.types[trigger.type].label, parts, index.name(loc) if loc else None, tv, mod, countries),
        participants=parts,
        location=(loc.entity or loc.text) if loc else None,
        date=tv,
        quantities=sentence_quantities(sent, analysis.quantities),
        sources=[Span(document.id, span.start_char, span.end_char, span.text)],
        sentences=[Span(document.id, sent.start_char, sent.end_char, sent.text)],
        trigger=trigger.lemma,
    )


def extract_events(analysis: Analysis, lex: Lexicon | None = None) -> list[Event]:
    lex = lex or load_lexicon()
    index = MentionIndex(analysis)
    events = []
    for sent in analysis.nlp.sents:
        for trigger in find_triggers(sent, lex):
            event = build_event(trigger, analysis, lex, index)
            if event is not None:
                events.append(event)
    return events


def main_event(events: list[Event], doc: Any) -> Event | None:
    """The most salient event of a sentence: the one whose trigger sits highest in the parse."""
    def depth(ev: Event) -> tuple[int, int]:
        span = doc.char_span(ev.sources[0].start, ev.sources[0].end, alignment_mode="expand")
        tok = clause_head(span.root)
        d = 0
        while tok.head.i != tok.i:
            tok, d = tok.head, d + 1
        return d, ev.sources[0].start

    return min(events, key=depth) if events else None


@stage("events", 50)
def run(analysis: Analysis, ctx: Context) -> None:
    if analysis.nlp is None:
        analysis.warnings.append("events: no parse; stage skipped")
        return
    analysis.events.extend(extract_events(analysis))
