"""Who a cue's subject refers to: a named mention, a pronoun or a description resolved to the nearest
compatible named entity (person or organisation, gender and number where known), or only the words.

Speakers come only from PERSON, ORG, COUNTRY or NORP mentions, or from descriptions ("the ministry",
"officials"); dates, interjections and markup ("Thanks", "Sunday", a tweet id) never speak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsgraph.extract.attribution.cues import RELATIVE_TAGS
from newsgraph.extract.attribution.state import SPEAKER_LABELS, DocState
from newsgraph.model import Mention, Span

_NOT_NOUN_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_ORG_LABELS = frozenset({"ORG", "COUNTRY", "NORP"})


@dataclass
class Found:
    """A speaker: the mention (None when only a name phrase or nothing resolved) and how."""

    mention: Mention | None
    span: Span
    name: str | None
    method: str


def speaker_of(state: DocState, subj: Any, method: str) -> Found | None:
    """Who the subject token of a cue refers to, or None when it cannot be told."""
    lex = state.lex
    anaphor = "pronoun" if method == "same_sentence" else method
    low = subj.lower_
    if (low in lex.not_speakers and subj.tag_ not in RELATIVE_TAGS) or subj.ent_type_ in _NOT_NOUN_ENTS:
        return None
    if subj.tag_ in RELATIVE_TAGS:  # "X, who said ...": the noun the relative clause describes
        head = subj.head.head if subj.head.dep_ in ("relcl", "acl") else None
        return speaker_of(state, head, method) if head is not None and head.i != subj.i else None
    if low in lex.pronouns:
        m = antecedent(state, subj.idx, lex.pronouns[low])
        return _found(state, m, state.tokens_span(subj, subj), anaphor)
    if low == "it":
        m = group_antecedent(state, subj.idx, None)
        return _found(state, m, state.tokens_span(subj, subj), anaphor)
    m = mention_in_subject(state, subj)
    if m is not None:
        if method == "same_sentence" and has_apposition(subj):
            method = "apposition"
        return Found(m, m.span, state.name(m), method)
    if subj.pos_ == "PROPN":  # a name the entity stage missed: keep the words, no entity id
        return description(state, subj, method) if _plausible_name(subj) else None
    return _described(state, subj, method, anaphor)


def _described(state: DocState, subj: Any, method: str, anaphor: str) -> Found | None:
    described = subj.tag_ == "NNS" or any(c.dep_ in ("det", "poss", "nummod", "amod") for c in subj.children)
    if subj.pos_ != "NOUN" or not described:
        return None  # a bare singular noun ("time said") is no speaker
    words = description(state, subj, method)
    if is_role_noun(state, subj):  # "the expert noted": the person quoted before
        m = antecedent(state, subj.idx, None)
        if m is not None:
            return Found(m, words.span, state.name(m), anaphor)
    kind = org_kind(state, subj)
    if kind is not None:  # "the ministry said": the organisation named before
        m = group_antecedent(state, subj.idx, kind)
        if m is not None:
            return Found(m, words.span, state.name(m), anaphor)
    return words  # "officials said": words, no entity


def _plausible_name(tok: Any) -> bool:
    """A proper noun that could be a speaker's name: letters, not markup or a web handle."""
    text = tok.text
    return any(ch.isalpha() for ch in text) and not any(ch in text for ch in "=/@<>#_") and text[:1].isupper()


def description(state: DocState, subj: Any, method: str) -> Found:
    """The subject's own words (determiner, modifiers, name parts), with no entity behind them."""
    parts = [c for c in subj.lefts if c.dep_ in ("det", "poss", "nummod", "compound", "amod", "flat")]
    span = state.tokens_span(parts[0] if parts else subj, subj)
    return Found(None, span, span.text, method)


def _found(state: DocState, m: Mention | None, span: Span, method: str) -> Found | None:
    if m is None:
        return None
    return Found(m, span, state.name(m), method)


def is_role_noun(state: DocState, tok: Any) -> bool:
    if tok.pos_ != "NOUN":
        return False
    phrase = " ".join(t.lower_ for t in tok.subtree if t.dep_ == "compound" or t.i == tok.i)
    has_det = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    return has_det and (tok.lemma_.lower() in state.lex.role_nouns or phrase in state.lex.role_nouns)


def org_kind(state: DocState, tok: Any) -> str | None:
    """ORG / COUNTRY for a definite description of an organisation or state ("the daily", "the ministry")."""
    has_det = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    if not has_det or tok.tag_ == "NNS":
        return None
    return state.lex.org_nouns.get(tok.lower_) or state.lex.org_nouns.get(tok.lemma_.lower())


def has_apposition(subj: Any) -> bool:
    """The name is followed by a descriptor before its verb: "X, an expert at Y, says"."""
    return subj.i < subj.head.i and any(
        c.dep_ in ("appos", "relcl", "acl") and c.i > subj.i for c in subj.children
    )


def mention_in_subject(state: DocState, subj: Any) -> Mention | None:
    m = state.mention_at(subj.idx)
    if m is not None and m.label in SPEAKER_LABELS:
        return m
    for appos in (c for c in subj.children if c.dep_ == "appos"):  # "The commander, Rear Admiral X, said"
        for t in appos.subtree:
            m = state.mention_at(t.idx)
            if m is not None and m.label == "PERSON":
                return m
    # the head may be a title ("Minister") next to the name: look in the phrase before any comma
    for t in subj.subtree:
        if t.text == "," and t.i > subj.i:
            break
        if t.dep_ in ("prep", "relcl", "acl") and t.i > subj.i:
            break  # "a lawyer for the outlet": the outlet is not the one who speaks
        m = state.mention_at(t.idx)
        if m is not None and m.label == "PERSON":
            return m
    return None


# --------------------------------------------------------------------------- antecedents


def _key(m: Mention) -> str:
    return m.entity or m.text


def gender_of(state: DocState, m: Mention) -> str | None:
    known = state.gender.get(_key(m))
    if known:
        return known
    before = state.token_before(m.start)
    if before is not None and before.lower_ in state.lex.honorifics:
        return state.lex.honorifics[before.lower_]
    words = state.name(m).split()
    first = words[0].lower() if words else ""
    return state.lex.honorifics.get(first) or state.lex.names.get(first)


def _fits(state: DocState, m: Mention, gender: str | None) -> bool:
    g = gender_of(state, m)
    return gender is None or g is None or g == gender


def antecedent(state: DocState, pos: int, gender: str | None) -> Mention | None:
    """The most recent fitting PERSON that is salient (a main-clause subject or a speaker) in the
    last few paragraphs, else the most recent fitting PERSON."""
    para = state.para_of(pos)
    window = state.paras[max(0, para - 3)][0] if para >= 0 else 0
    earlier = [(p, m, sal) for p, m, sal in state.persons if p < pos and _fits(state, m, gender)]
    for p, m, sal in reversed(earlier):
        if sal and p >= window:
            return _learn(state, m, gender)
    return _learn(state, earlier[-1][1], gender) if earlier else None


def group_antecedent(state: DocState, pos: int, kind: str | None) -> Mention | None:
    """The most recent ORG / COUNTRY (NORP for neither) mention before ``pos`` within three
    paragraphs, a salient one first: "the ministry", "the daily", "it"."""
    para = state.para_of(pos)
    window = state.paras[max(0, para - 3)][0] if para >= 0 else 0
    wanted = {kind} if kind else _ORG_LABELS - {"NORP"}
    if kind == "COUNTRY":
        wanted = {"COUNTRY", "ORG"}  # "the government" of a state is often typed as an organisation
    earlier = [(p, m, sal) for p, m, sal in state.groups if window <= p < pos and m.label in wanted]
    for _p, m, sal in reversed(earlier):
        if sal:
            return m
    return earlier[-1][1] if earlier else None


def _learn(state: DocState, m: Mention, gender: str | None) -> Mention:
    if gender is not None:
        state.gender.setdefault(_key(m), gender)
    return m


def remember_speaker(state: DocState, found: Found) -> None:
    """A speaker just attributed becomes salient for later pronouns and descriptions."""
    m = found.mention
    if m is None:
        return
    entries = state.persons if m.label == "PERSON" else state.groups
    entries.append((found.span.start, m, True))
    entries.sort(key=lambda pm: pm[0])
