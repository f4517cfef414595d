"""Event dates by anchoring: the time expression that governs an event, else its report's date.

An event takes the date of a time expression only when that expression belongs to the event's own
clause: a modifier of the trigger ("the June summit", "talks on Monday"), of the verb heading the
trigger's clause ("will make port in August", "held talks last December"), of a clause describing
the trigger ("the exercise, held in May"; "the summit, which took place in June"), of an occurrence
verb whose subject the trigger is ("the trial is set to begin on Wednesday"), or the time a clause
describes ("in 2008, when the company posted a loss"). A clause with no time of its own shares its
main clause's only when it has no tense ("fired on Saturday, injuring the crew") or "as"/"when"/
"while" ties the two. A time expression in a neighbouring clause never dates the event: not the
reporting verb's ("said on Monday that ..."), not a purpose clause's ("an agreement to field a jet
by 2035"), not a relative clause's about something else, not a conjoined clause's; nor does one
that modifies another noun ("criticised the 1991 agreement").

A year-less expression was resolved by the time stage with the tense of its verb; the event's
modality can say more ("the June port call was announced" in a July article is next June), so a
planned event dated wholly before its report, or a past-tense happened one dated wholly after it,
is read again with the tense its modality implies.

With no governing expression the event is dated by its report, with basis ``reported``: the date
the document was published, never presented as a date the text states.

Bases (``TimeValue.basis``): ``stated`` (the text gives the whole date), ``relative`` (resolved
against the document's date), ``inferred`` (resolved against another date of the narrative) and
``reported`` (no date in the text: the report's date). docs/time.md has the rules with examples.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from newsgraph.extract.time.lexicon import lexicon
from newsgraph.extract.time.normalise import resolve_again
from newsgraph.extract.time.scope import RELATIVE, REPORTED, UNANCHORED
from newsgraph.extract.time.tense import verb_tense
from newsgraph.model import GRANULARITIES, Analysis, TimeValue

FUTURE_MODALITIES = {"planned", "expected", "announced"}
_MAX_STEPS = 8
# How a time expression (or the preposition that carries it) can hang on a noun it then belongs to.
_NOUN_MODIFIERS = {"compound", "nmod", "poss", "amod", "nummod", "npadvmod", "appos"}


def _is_verb(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass")


def clause_of(tok: Any) -> Any:
    """The verb heading the clause ``tok`` belongs to (itself when it is one, the root otherwise)."""
    cur = tok
    for _ in range(_MAX_STEPS * 2):
        if _is_verb(cur) or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def attachment(tok: Any, trigger: Any) -> tuple[Any, int]:
    """What a time expression (its root ``tok``) modifies, with the number of steps up the parse.

    The trigger when the path meets it first; else the first verb above; but a common noun on the
    way that the expression modifies directly ("the 1991 agreement", "Monday's closing price") or
    through a preposition ("an increase from March 12", "the attack on Monday") keeps it: the time
    is that noun's. Names and pronouns are passed through ("talks in Tokyo on Monday": a parse may
    hang "on Monday" on "Tokyo"), and so is a subject's prepositional phrase ("sales in June rose":
    the parse hangs the clause's time on its subject).
    """
    cur, steps = tok, 0
    for _ in range(_MAX_STEPS):
        if cur.head.i == cur.i:
            break
        head = cur.head
        steps += head.pos_ != "ADP"  # "on Friday" is as close to its verb as "this year"
        if head.i == trigger.i or _is_verb(head):
            return head, steps
        if head.pos_ == "NOUN" and _keeps(head, cur):
            return head, steps
        cur = head
    return cur, steps


def _keeps(noun: Any, child: Any) -> bool:
    """Whether a time reaching common noun ``noun`` through ``child`` is that noun's own."""
    if child.dep_ in _NOUN_MODIFIERS:
        return True
    return child.dep_ == "prep" and noun.dep_ not in ("nsubj", "nsubjpass")


def _describes(verb: Any, trigger: Any) -> bool:
    """A clause describing the trigger noun: a participle ("the exercise, held in May", "talks scheduled
    for June") or a relative clause saying when it happens ("the summit, which took place in June")."""
    head = verb.head
    if verb.dep_ == "acl" and head.i == trigger.i:
        return verb.tag_ in ("VBN", "VBG")
    if verb.dep_ != "relcl" or verb.lemma_.lower() not in lexicon().occurrence_verbs:
        return False
    # A place cannot begin: "the port call in Yokosuka, which began on Aug. 22" (hung on the name)
    on_place = head.pos_ == "PROPN" and head.dep_ == "pobj" and head.head.head.i == trigger.i
    return head.i == trigger.i or on_place


def _non_finite(verb: Any) -> bool:
    return verb.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children)


def host_clause(clause: Any) -> Any | None:
    """The main clause whose time a subordinate clause shares, when it has no time of its own.

    A participial adjunct has no tense of its own ("fired on Saturday, damaging the boat and injuring
    the crew"), and "as" / "when" / "while" say that two clauses coincide ("crowds queued on Friday
    as the ship arrived"). Any other clause (reported, conjoined, relative, purpose) keeps its own.
    """
    cur = clause
    while cur.dep_ == "conj" and _non_finite(cur) and _is_verb(cur.head):
        cur = cur.head  # "damaging ... and injuring ...": the conjuncts share one adjunct
    if cur.dep_ != "advcl" or cur.head.i == cur.i:
        return None
    marks = {c.lower_ for c in cur.children if c.dep_ == "mark"}
    if (_non_finite(cur) and not marks) or marks & set(lexicon().simultaneity_markers):
        return clause_of(cur.head)
    return None


def _occurs(verb: Any, trigger: Any, clause: Any) -> bool:
    """The trigger noun is the subject of a frame whose complement says when it happens:
    "the trial is set to begin on Wednesday", "the summit is expected to take place in June"."""
    if trigger.dep_ not in ("nsubj", "nsubjpass") or trigger.head.i != clause.i:
        return False
    cur = verb
    for _ in range(3):
        if cur.dep_ != "xcomp":
            return False
        if cur.head.i == clause.i:
            return verb.lemma_.lower() in lexicon().occurrence_verbs
        cur = cur.head
    return False


def _in_time(tok: Any, time_span: Any) -> bool:
    return time_span.start <= tok.i < time_span.end


def governs(time_span: Any, trigger: Any, clause: Any) -> int | None:
    """Steps from the time expression to the event, or None when the expression is another clause's."""
    if clause.dep_ in ("relcl", "advcl") and _in_time(clause.head, time_span):
        return 1  # "in 2008, when the company posted a loss": the clause describes the time
    head, steps = attachment(time_span.root, trigger)
    if head.i == trigger.i:
        return steps
    if head.i == clause.i or _describes(head, trigger) or _occurs(head, trigger, clause):
        return steps + _MAX_STEPS  # the trigger's own modifier ("the June port call") comes first
    return None


def _usable(tv: TimeValue) -> bool:
    """A point or interval on the calendar; not a duration, a repetition, or a vague "recently"."""
    if tv.kind not in ("DATE", "TIME") or tv.span is None or tv.basis == UNANCHORED:
        return False
    return tv.start is not None or (tv.end is not None and tv.modifier == "before")


def governing_time(trigger: Any, clause: Any, times: list[TimeValue], doc: Any) -> TimeValue | None:
    """The time expression of the trigger's own clause, else of the main clause it shares its time with.

    Among several, a calendar expression beats a vague one ("now"), then a modifier of the trigger
    itself beats one of its clause ("the June port call was announced on Tuesday"), then the nearest
    in the parse (prepositions do not count), then the finest granularity ("on Friday" over "this
    year"), then the nearest in the text.
    """
    found = _own_time(trigger, clause, times, doc)
    host = host_clause(clause) if found is None else None
    return _own_time(host, host, times, doc) if host is not None else found


def _own_time(trigger: Any, clause: Any, times: list[TimeValue], doc: Any) -> TimeValue | None:
    sent = trigger.sent
    found: list[tuple[bool, int, int, int, TimeValue]] = []
    for tv in times:
        if tv.span is None or not (sent.start_char <= tv.span.start < sent.end_char) or not _usable(tv):
            continue
        span = doc.char_span(tv.span.start, tv.span.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        steps = governs(span, trigger, clause)
        if steps is not None:
            vague = tv.value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF")  # "now" yields to "next month"
            fine = GRANULARITIES.index(tv.granularity) if tv.granularity in GRANULARITIES else len(GRANULARITIES)
            found.append((vague, steps, fine, abs(tv.span.start - trigger.idx), tv))
    return min(found, key=lambda f: f[:4])[4] if found else None


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def with_modality(tv: TimeValue, modality: str | None, clause: Any, text: str, published: date | None,
                  doc: Any = None) -> TimeValue:
    """Read a year-less expression again when the event's modality contradicts the year it got."""
    if published is None or tv.basis != RELATIVE:
        return tv
    first, last = _day(tv.start), _day(tv.end or tv.start)
    tense = None
    if modality in FUTURE_MODALITIES and last is not None and last < published:
        tense = "future"
    elif modality == "happened" and first is not None and first > published and verb_tense(clause) == "past":
        tense = "past"
    if tense is None:
        return tv
    again = resolve_again(tv, text, published, tense, doc)
    return again if again is not None and again.start else tv


def reported_date(published: str | None) -> TimeValue | None:
    """The report's own date, for an event the text does not date."""
    day = _day(published)
    if day is None:
        return None
    iso = day.isoformat()
    return TimeValue(text="", start=iso, end=iso, granularity="day", basis=REPORTED, value=iso)


def event_date(analysis: Analysis, trigger: Any, clause: Any, modality: str | None) -> TimeValue | None:
    """The date of the event whose trigger token is ``trigger`` (clause verb ``clause``), with its basis."""
    document = analysis.document
    tv = governing_time(trigger, clause, analysis.times, analysis.nlp)
    if tv is None:
        return reported_date(document.published)
    tv = with_modality(tv, modality, clause, document.text, _day(document.published), analysis.nlp)
    return replace(tv)
