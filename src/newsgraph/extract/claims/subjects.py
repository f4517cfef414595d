"""The subject of a claim: which entity the value is said of.

In order:
1. for attributes that name an event (``subject_from_trigger``), the event's agent when the text
   names one: a fitting mention is the subject; a mention of another kind, or a bare common noun
   ("visiting warships"), means the event is someone else's and there is no claim; a pronoun or a
   definite description is resolved as below;
2. the owner the phrase around the value names ("the carrier, with 10 jets aboard", "the carrier's
   port call");
3. a definite description ("The 27,100-ton carrier") refers back to an earlier fitting mention;
4. the nearest fitting mention in the sentence (preferred types first, clause subjects first);
5. the sentences before (``subject_lookback_sentences``) and, per ``subject_fallback``, the
   article's most salient fitting entity (``DocView.salience``: mentions, the lead, the headline),
   which finds a subject named only later or in the headline.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.claims.owners import (
    antecedent,
    clause_subject,
    definite_description,
    describes,
    event_agents,
    is_definite,
    is_modifier,
    is_pronoun,
    owner,
)
from newsgraph.extract.claims.spec import Candidate, attribute_specs
from newsgraph.extract.claims.syntax import noun_of
from newsgraph.extract.claims.view import DocView, key
from newsgraph.model import Mention

_NOBODY = object()  # the event's agent is named and does not fit: no subject at all


def find_subject(view: DocView, si: int, cand: Candidate) -> Mention | None:
    types = cand.spec["subject_types"]
    lo, hi = cand.span

    def fits(m: Mention) -> bool:
        return view.type_of(m) in types and (m.end <= lo or m.start >= hi) and not is_modifier(view.nlp, m)

    agent = _agent_subject(view, cand, fits)
    if agent is _NOBODY:
        return None
    if agent is not None:
        return agent
    named = _named_by_phrase(view, cand, fits)
    if named is not None:
        return named
    here = [m for m in view.in_sentence(view.sents[si]) if fits(m)]
    if here:
        return min(here, key=lambda m: _rank(view.nlp, m, types.index(view.type_of(m)), lo))
    return _elsewhere(view, si, cand, fits)


def _agent_subject(view: DocView, cand: Candidate, fits: Any) -> Any:
    """The agent of the trigger's event as the subject; _NOBODY when it is named and is not a subject."""
    if not cand.spec.get("subject_from_trigger") or cand.trigger is None:
        return None
    agents = [a for a in event_agents(cand.trigger) if not is_pronoun(a)]
    if not agents:
        return None
    names = [t for a in agents for t in _naming(a)]
    fitting = [m for tok in names for m in _covering(view, tok) if fits(m)]
    if fitting:
        return fitting[0]
    types = cand.spec["subject_types"]
    for agent in agents:  # "the carrier", "its ship": a description of an entity named before
        if is_definite(agent) and not _covering(view, agent):
            found = antecedent(view, agent, fits, lookback=describes(agent, types))
            if found is not None:
                return found
    return _NOBODY  # another kind of actor, or "warships" in general


def _naming(tok: Any, depth: int = 3) -> list[Any]:
    """The agent and the words that name it with it: appositions ("the carrier, the Cavour") and
    compounds, to a small depth."""
    out = [tok]
    if depth > 0:
        for c in tok.children:
            if c.dep_ in ("appos", "compound", "flat"):
                out += _naming(c, depth - 1)
    return out


def _covering(view: DocView, tok: Any) -> list[Mention]:
    return [m for m in view.mentions_in(max(0, tok.idx - 200), tok.idx + 1) if m.start <= tok.idx < m.end]


def _named_by_phrase(view: DocView, cand: Candidate, fits: Any) -> Mention | None:
    head = owner(cand)
    if head is not None:  # "the Cavour, with 10 jets aboard", "the Cavour's port call": the owner is named
        named = [m for tok in _naming(head) for m in _covering(view, tok) if fits(m)]
        if named:
            return named[0]
    described = definite_description(view, head if head is not None else clause_subject(cand.anchor), fits)
    if described is None:
        return None
    # "The 27,100-ton carrier ...": the value describes an earlier-named entity. An owner must be a noun
    # for the subject's type ("the carrier's port call"), not any group or crowd ("the task group's tour").
    lookback = head is None or describes(described, cand.spec["subject_types"])
    return antecedent(view, described, fits, lookback=lookback)


def _elsewhere(view: DocView, si: int, cand: Candidate, fits: Any) -> Mention | None:
    """A subject outside the sentence: the look-back, and the article's salient entity."""
    fallback = cand.spec.get("subject_fallback")
    if fallback == "document":  # "the partners" of the programme the article is about
        found = salient_subject(view, fits, cand.spec["subject_types"])
        if found is not None:
            return found
    found = _looked_back(view, si, fits, cand.spec["subject_types"])
    if found is None and fallback == "salient":
        found = salient_subject(view, fits, cand.spec["subject_types"])
        if found is not None and not _speaks_of(cand, view.type_of(found)):
            return None
    return found


def _speaks_of(cand: Candidate, entity_type: str) -> bool:
    """Does the value's own phrase speak of an entity of this type ("a sixth-generation *fighter*",
    "put the new *jet* into service", "give them a combat *aircraft* by 2035")? Without that, a value far from any name ("the frigates will be
    operational by 2030") is not given to the article's main programme."""
    nouns = [noun_of(cand.anchor), clause_subject(cand.anchor)]
    verbs = [t for t in cand.anchor.ancestors if t.pos_ in ("VERB", "AUX")][:1]
    if cand.trigger is not None:
        verbs += [cand.trigger, cand.trigger.head]
    nouns += [c for v in verbs for c in v.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")]
    return any(n is not None and describes(n, [entity_type]) for n in nouns)


def _looked_back(view: DocView, si: int, fits: Any, types: list[str]) -> Mention | None:
    back = attribute_specs()["subject_lookback_sentences"]
    before = [m for prev in view.sents[max(0, si - back) : si] for m in view.in_sentence(prev) if fits(m)]
    if not before:
        return None
    return max(before, key=lambda m: (-types.index(view.type_of(m)), m.start))


def salient_subject(view: DocView, fits: Any, types: list[str]) -> Mention | None:
    """The first mention of the article's most salient fitting entity (preferred type first), if it is
    salient enough to be what the article is about (``salience.minimum``); else None."""
    first: dict[str, Mention] = {}
    for m in view.mentions:
        if fits(m):
            first.setdefault(key(m), m)
    least = attribute_specs()["salience"]["minimum"]
    ranked = [(k, m) for k, m in first.items() if view.salience.get(k, 0) >= least]
    if not ranked:
        return None
    _, best = max(ranked, key=lambda km: (-types.index(view.type_of(km[1])), view.salience[km[0]], -km[1].start))
    return best


def _rank(doc: Any, m: Mention, type_rank: int, value_start: int) -> tuple[int, int, int]:
    """Preferred type first, then clause subjects (the first-named of coordinated ones), then nearest."""
    if _is_subject(doc, m):
        return (type_rank, 0, m.start)
    return (type_rank, 1, abs(m.start - value_start))


def _is_subject(doc: Any, m: Mention) -> bool:
    """Is the mention a clause subject ("the carrier Cavour and the ship Alpino visited": Cavour)?"""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("appos", "compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")
