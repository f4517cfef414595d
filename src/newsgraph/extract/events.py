"""Stage ``events`` (50): typed events with PLOVER codes, modality, participants, place and date.

Triggers come from ``event_rules`` (lemma lexicon in ``kb/events.yaml``); this module attaches
what the earlier stages found (mentions, times, quantities) to each trigger's clause.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from newsgraph.extract.event_roles import MentionIndex, ParticipantFinder, find_subject, np_tokens
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
from newsgraph.model import Analysis, Event, Participant, Quantity, Span, TimeValue, stable_id
from newsgraph.stages import Context, stage

# Statement types that already say what an intent would: they keep their own code.
INTENT_KEEPS = {"AGREE", "THREATEN", "REQUEST", "REJECT", "ACCUSE"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# ---------------------------------------------------------------- date, quantities, coding


def sentence_quantities(sent: Any, quantities: list[Quantity]) -> list[Quantity]:
    return [q for q in quantities if q.span is not None and sent.start_char <= q.span.start < sent.end_char]


def _is_joint(trigger: Trigger, lex: Lexicon) -> bool:
    words = {lemma(c) for c in trigger.anchor.children} | {lemma(t) for t in trigger.anchor.doc[trigger.start:trigger.end]}
    return bool(words & lex.joint_modifiers)


def _states_own_intent(trigger: Trigger, frames: set[str], lex: Lexicon) -> bool:
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
    speaker = find_subject(frame, lex).token
    if speaker is None:
        return False
    said_by = {t.lower_ for t in np_tokens(speaker) if t.pos_ == "PROPN"}
    return bool(said_by & {t.lower_ for t in np_tokens(own) if t.pos_ == "PROPN"})


def plover_code(trigger: Trigger, lex: Lexicon, mod: str, participants: list[Participant]) -> str:
    """PLOVER category: the type's own, adjusted for solo exercises and for statements of intent."""
    etype = lex.types[trigger.type]
    code = etype.plover
    co_actors = sum(1 for p in participants if p.role == "actor") > 1
    if etype.plover_joint and (_is_joint(trigger, lex) or co_actors):  # "joint patrols" by two states
        code = etype.plover_joint
    if etype.plover_alone and not _is_joint(trigger, lex):
        actors = [p for p in participants if p.role == "actor"]
        if not any(p.role == "partner" for p in participants) and len(actors) <= 1:
            code = etype.plover_alone
    if code == "ASSAULT":
        code = _violence_code(trigger, lex)
    code = _readiness_or_peacekeeping(trigger, lex, code)
    if etype.plover_signed and {lemma(trigger.anchor), lemma(trigger.clause)} & lex.signing_verbs:
        code = etype.plover_signed  # "signed an agreement": PLOVER SUPPORT
    intent = lex.intent or {}
    framed = _states_own_intent(trigger, set(intent.get("frames", [])), lex)
    auxes = {c.lower_ for c in trigger.clause.children if c.dep_ == "aux"}
    if framed and auxes & set(intent.get("obligation_modals", [])):
        return intent.get("obligation", code)
    if not etype.conflictual and code not in ("REQUEST",):
        refused = _refused(trigger, mod, auxes, framed, lex)
        if refused:
            return intent.get("refusal", code)
        if mod in ("planned", "announced") and intent.get("future_cooperation"):
            return intent["future_cooperation"]  # PLOVER: cooperation in the future tense is an intent
    if not framed or code in INTENT_KEEPS:
        return code
    if mod in ("planned", "announced", "expected"):
        return intent["conflict"] if etype.conflictual else intent["cooperation"]
    return code


def _readiness_or_peacekeeping(trigger: Trigger, lex: Lexicon, code: str) -> str:
    """Armed force prepared to strike mobilises; peacekeepers arriving or deployed are aid (``intent``)."""
    intent = lex.intent or {}
    if code in ("ASSAULT", "FIGHT") and intent.get("readiness_code"):
        frames = set(intent.get("readiness_frames", []))
        if any(lemma(v) in frames for v in governing_chain(trigger.clause)[1:3]):
            return intent["readiness_code"]
    if trigger.type in set(intent.get("peacekeeping_types", [])) and intent.get("peacekeeping_code"):
        words = set(intent.get("peacekeeping_words", []))
        subject = [c for c in trigger.clause.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        if any(t.lower_ in words for c in subject for t in c.subtree):
            return intent["peacekeeping_code"]
    return code


def _refused(trigger: Trigger, mod: str, auxes: set[str], framed: bool, lex: Lexicon) -> bool:
    """A cooperative act refused: negated with a future or an intent frame ("will not accept", "said it
    would not attend"), or under a failing frame ("failed to reach agreement")."""
    if mod != "negated":
        return False
    if framed or auxes & (set(lex.modality.get("planned_aux", ())) | {"would"}):
        return True
    frames = set((lex.intent or {}).get("refusal_frames", []))
    return any(lemma(v) in frames for v in governing_chain(trigger.clause)[1:])


def _violence_code(trigger: Trigger, lex: Lexicon) -> str:
    """FIGHT for a generic act of violence whose sentence names military forces or weapons and no
    unconventional means; ASSAULT otherwise (``violence`` in ``kb/events.yaml``)."""
    words = lex.violence
    if trigger.lemma not in words.get("generic_triggers", frozenset()):
        return "ASSAULT"
    lemmas = {lemma(t) for t in trigger.anchor.sent} | {t.lower_ for t in trigger.anchor.sent}
    if lemmas & words.get("conventional", frozenset()) and not lemmas & words.get("unconventional", frozenset()):
        return "FIGHT"
    return "ASSAULT"


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
    others = [p.name for p in parts if p.role in ("partner", "target")]
    text = f"{who} {label}".strip()
    if others:
        text += (" against " if parts and any(p.role == "target" for p in parts) else " with ") + ", ".join(others)
    for role, joiner in (("topic", " on "), ("instrument", " using ")):
        named = [p.name for p in parts if p.role == role]
        if named:
            text += joiner + ", ".join(named)
    if location and location not in others:
        text += f" in {location}"
    date = _date_text(tv)
    return f"{text}{', ' + date if date else ''} [{mod}]"


# ---------------------------------------------------------------- the stage


def still_to_come(mod: str, tv: TimeValue | None, published: str | None) -> str:
    """A report cannot tell of something that happened after the day it appeared: an event it dates
    wholly later ("the exercise on 3 September" in an August report), or by a deadline still ahead
    ("an advanced combat aircraft by 2035"), is planned, whatever the tense of its verb."""
    if mod != "happened" or tv is None or tv.basis == "reported" or not published:
        return mod
    try:
        day = date.fromisoformat(str(published)[:10]) + timedelta(days=1)  # a day of slack for time zones
        if tv.start is not None:
            return "planned" if date.fromisoformat(tv.start) > day else mod
        return "planned" if tv.end and date.fromisoformat(tv.end) > day else mod  # a deadline ahead
    except ValueError:
        return mod


def build_event(trigger: Trigger, analysis: Analysis, lex: Lexicon, index: MentionIndex,
                nested: set[int] | None = None) -> Event | None:
    doc, document = analysis.nlp, analysis.document
    finder = ParticipantFinder(trigger, lex, index, nested)
    finder.run()
    parts = finder.participants()
    # An event noun needs a light verb ("held talks") or someone taking part ("talks with Japan").
    bare_noun = trigger.kind == "noun" and lemma(trigger.clause) not in lex.light_verbs
    acting = [p for p in parts if p.role in ("actor", "partner", "target")]
    if bare_noun and not acting and finder.location is None:
        return None  # a bare event noun with no one taking part is a topic, not an event
    mod = modality(trigger, lex)
    span = doc[trigger.start : trigger.end]
    sent = trigger.anchor.sent
    tv = event_date(analysis, trigger.anchor, trigger.clause, mod)
    mod = still_to_come(mod, tv, document.published)
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


def extract_events(analysis: Analysis, lex: Lexicon | None = None, kb: Any = None) -> list[Event]:
    lex = lex or load_lexicon()
    index = MentionIndex(analysis, kb)
    events = []
    for sent in analysis.nlp.sents:
        triggers = find_triggers(sent, lex)
        nested = {t.anchor.i for t in triggers if t.extra.get("nominal")}
        for trigger in triggers:
            event = build_event(trigger, analysis, lex, index, nested)
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
    analysis.events.extend(extract_events(analysis, kb=ctx.kb))
