"""Name candidates: the statistical NER, the KB span ruler, ship names and military designations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.extract import names
from newsgraph.nlp.kb import KnowledgeBase
from newsgraph.nlp.pipeline import KB_SPANS

MODEL_LABELS = {
    "PERSON": "PERSON",
    "NORP": "NORP",
    "GPE": "GPE",
    "LOC": "PLACE",
    "ORG": "ORG",
    "FAC": "FACILITY",
    "PRODUCT": "PRODUCT",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}  # DATE/TIME/CARDINAL/ORDINAL/QUANTITY/MONEY/PERCENT belong to other stages
PRIORITY = {"kb": 2, "rule": 2, "model": 1}


@dataclass
class Cand:
    start: int
    end: int
    label: str
    kb_id: str | None = None
    source: str = "model"
    extra: dict[str, Any] = field(default_factory=dict)

    def overlaps(self, other: Cand) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Cand) -> bool:
        return self.start <= other.start and other.end <= self.end


# -- candidates ---------------------------------------------------------------------
def model_cands(doc: Doc, text: str) -> list[Cand]:
    out = []
    for ent in doc.ents:
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = names.repair_span(text, ent.start_char, ent.end_char)  # doc.text is O(n): pass it
        if end > start:
            out.append(Cand(start, end, label))
    return out


def kb_cands(doc: Doc) -> list[Cand]:
    spans = doc.spans.get(KB_SPANS, [])
    return [Cand(s.start_char, s.end_char, s.label_, s.id_ or None, "kb") for s in spans]


def longest(cands: list[Cand]) -> list[Cand]:
    """Non-overlapping, longest first (ties: the earlier one)."""
    chosen: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(cand.overlaps(c) for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _title_tokens(doc: Doc, i: int, lex: dict) -> int:
    """Index after a ship name starting at token ``i`` (capitalised words and joiners), max 5 words."""
    joiners = set(lex.get("vessel_name_joiners", []))
    j = i
    while j < len(doc) and j - i < 5:
        tok = doc[j]
        joined = tok.lower_ in joiners and j > i and j + 1 < len(doc) and _is_name_word(doc[j + 1])
        if not (_is_name_word(tok) or joined):
            break
        j += 1
    return j


def _is_name_word(tok: Token) -> bool:
    text = tok.text
    return text[:1].isupper() and (text[1:].islower() or len(text) <= 4 or "-" in text or "." in text)


def vessel_cands(doc: Doc, kb: KnowledgeBase) -> list[Cand]:
    """Ships named after a prefix ("HMAS Sydney") or after a class word ("escort ship Alpino")."""
    lex = kb.lexicon
    prefixes = lex.get("vessel_prefixes", {})
    class_words = set(lex.get("vessel_class_words", []))
    stop = set(lex.get("vessel_name_stopwords", []))
    out = []
    for tok in doc:
        if tok.text in prefixes and tok.i + 1 < len(doc) and _is_name_word(doc[tok.i + 1]):
            start = tok.i
        elif tok.lower_ in class_words and tok.pos_ != "VERB" and tok.i + 1 < len(doc):
            nxt = doc[tok.i + 1]
            if (
                nxt.text in prefixes
                or nxt.text in stop
                or not _is_name_word(nxt)
                or nxt.ent_type_
                in (
                    "DATE",
                    "TIME",
                    "GPE",
                    "NORP",
                    "CARDINAL",
                )
            ):
                continue
            start = tok.i + 1
        else:
            continue
        end = _title_tokens(doc, start + (1 if doc[start].text in prefixes else 0), lex)
        span = doc[start:end]
        if len(span) and span[-1].text not in prefixes:
            entry = kb.lookup(span.text, "VESSEL")
            country = prefixes.get(doc[start].text)
            extra = {"country": country} if country else {}
            out.append(
                Cand(span.start_char, span.end_char, "VESSEL", entry.id if entry else None, "rule", extra)
            )
    return out


def designation_cands(doc: Doc, kb: KnowledgeBase) -> list[Cand]:
    """Military designations ("F-35B", "Su-57", "SM-6") typed by prefix, else by a nearby context word."""
    lex = kb.lexicon
    regex = _designation_regex(
        lex.get("designation_regex", r"^(?P<prefix>[A-Z][A-Za-z]{0,3})-\d{1,3}[A-Z]{0,2}$")
    )
    aircraft, weapons = set(lex.get("aircraft_prefixes", [])), set(lex.get("weapon_prefixes", []))
    out = []
    for tok in doc:
        match = regex.match(tok.text)
        if not match:
            continue
        label = _designation_type(doc, tok, match.group("prefix"), aircraft, weapons, lex)
        if label:
            entry = kb.lookup(tok.text.rstrip("s"), label)
            out.append(Cand(tok.idx, tok.idx + len(tok.text), label, entry.id if entry else None, "rule"))
    return out


_REGEX_CACHE: dict[str, re.Pattern] = {}


def _designation_regex(pattern: str) -> re.Pattern:
    if pattern not in _REGEX_CACHE:
        _REGEX_CACHE[pattern] = re.compile(pattern.rstrip("$") + "s?$")
    return _REGEX_CACHE[pattern]


def _designation_type(
    doc: Doc, tok: Token, prefix: str, aircraft: set, weapons: set, lex: dict
) -> str | None:
    if prefix in aircraft:
        return "AIRCRAFT"
    if prefix in weapons:
        return "WEAPON"
    window = {t.lower_ for t in doc[max(0, tok.i - 4) : tok.i + 5]}
    if window & set(lex.get("aircraft_context", [])):
        return "AIRCRAFT"
    if window & set(lex.get("weapon_context", [])):
        return "WEAPON"
    return None


