"""Reading the dependency parse: value anchors, clauses, and whether a trigger governs a value.

A trigger governs a value when both sit in the same clause: walking up from each, the first clause
edge (a relative, adverbial, complement or participle clause, a coordinated verb, parataxis) is the
same. "The destroyer arrived on Monday" is an arrival on Monday; in "visits like this one, under an
agreement which entered into force last year" the year belongs to the relative clause, never to the
visit. Two exceptions: a relative or participle clause that describes the trigger noun itself ("the
carrier's port call, which began on Aug. 22" dates the port call), and an adverbial clause of the same
time ("crowds queued on Friday as the ship arrived"; never "two weeks after the carrier left"). The labels are data
(``syntax`` in kb/attributes.yaml).
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.claims.spec import syntax


def anchor(doc: Any, start: int, end: int) -> Any:
    """The syntactic root of the tokens covering a character span (the first token if none)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else doc[0]


def path(tok: Any) -> list[Any]:
    """The token and its syntactic ancestors, nearest first."""
    return [tok, *tok.ancestors]


def is_clause_edge(tok: Any) -> bool:
    """Does this token head a clause of its own inside its head's clause?"""
    if tok.head.i == tok.i:
        return True
    if tok.dep_ in syntax()["clause_deps"]:
        return True
    verbal = ("VERB", "AUX")
    return tok.dep_ == "conj" and tok.pos_ in verbal and tok.head.pos_ in verbal


def clause_head(tok: Any) -> Any:
    """The token that heads the clause ``tok`` belongs to."""
    while not is_clause_edge(tok):
        tok = tok.head
    return tok


def governs(trigger: list[Any], value: Any) -> bool:
    """Is the value in the clause of the trigger (a window of trigger tokens), or in a relative or
    participle clause that describes the trigger noun?"""
    head = clause_head(value)
    heads = [clause_head(t) for t in trigger]
    if any(h.i == head.i for h in heads):
        return True
    if any(_simultaneous(h, head) or _simultaneous(head, h) for h in heads):
        return True
    return head.dep_ in syntax()["describing_deps"] and head.head.i in _described(trigger)


def _simultaneous(inner: Any, outer: Any) -> bool:
    """Is ``inner`` an adverbial clause of ``outer`` that happens at the same time ("crowds queued on
    Friday as the ship arrived")? "after", "before" and "since" shift the time; "as", "when" and "while"
    do not."""
    return inner.dep_ == "advcl" and inner.head.i == outer.i and any(
        c.dep_ == "mark" and c.lower_ in syntax()["same_time_marks"] for c in inner.children)


def _described(trigger: list[Any]) -> set[int]:
    """The trigger noun and the object of a preposition on it: a relative clause after "the port call
    in Bergen, which began ..." is parsed onto "Bergen" as often as onto "call"."""
    nouns = {t.head if t.dep_ in ("compound", "amod") else t for t in trigger}
    out = {t.i for t in trigger} | {n.i for n in nouns}
    for noun in nouns:
        out |= {g.i for c in noun.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}
    return out


def token_distance(tok: Any, span: tuple[int, int]) -> int:
    """Tokens between ``tok`` and the character span (0 when inside it)."""
    first = tok.doc.char_span(span[0], span[1], alignment_mode="expand")
    if first is None:
        return 10**6
    if tok.i < first.start:
        return first.start - tok.i
    return max(0, tok.i - (first.end - 1))


def noun_of(value: Any) -> Any:
    """The noun a value pre-modifies ("the 27,100-ton *carrier*", "10 F-35B *jets*"), else the value."""
    tok = value
    while tok.dep_ in syntax()["modifier_deps"] and tok.head.i != tok.i and tok.i < tok.head.i:
        tok = tok.head
    return tok


def premodifies_noun(value: Any) -> bool:
    """Is the value a pre-modifier of a noun ("the 27,100-ton carrier", "a sixth-generation fighter")?"""
    noun = noun_of(value)
    return noun.i != value.i and noun.pos_ in ("NOUN", "PROPN")


def _line_between(a: Any, b: Any) -> bool:
    lo, hi = sorted((a.idx, b.idx))
    return "\n" in a.doc.text[lo:hi]


def subjects_of(verb: Any) -> list[Any]:
    """The subjects of a verb, climbing open complements and coordinated verbs ("is due to leave ... and
    sail": the subject of "is"); the by-agent of a passive. Several when the parse gives several
    ("YOKOSUKA, Japan - The carrier Cavour sailed"): the caller picks the one that fits."""
    tok = verb
    for _ in range(6):
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agent:
            return agent
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:  # a caption glued on by the parser is no subject ("Photo: a harbour\nAquila will arrive")
            return [c for c in subj if not _line_between(c, tok)]
        if any(c.dep_ == "expl" for c in tok.children):
            return []
        if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head
            continue
        return []
    return []
