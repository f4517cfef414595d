"""The state of a group the KB lists with several candidate states, or that the sentence places.

Runs in the entities stage after affiliation. Three rules, each only where the group has no country
yet, and never a guess: when no rule decides, the group keeps none.

``context``  a group the KB lists with several states (``kb/peoples.yaml``, ``kb/groups.yaml``:
             ``countries``), one of which the same sentence names, else the only one the document
             names ("Kurdish fighters ... northern Iraq" → IRQ);
``placed``   a group named by nationality, ethnicity or religion with a place after it: "Moslem
             forces in east Bosnia", "Kurds in Syria", "a group based in Trinidad";
``ethnic``   "ethnic Albanians" in a sentence that names exactly one other state: an ethnic
             minority is coded to the state it lives in (CAMEO), not to its kin state.
"""

from __future__ import annotations

from typing import Any

from newsgraph.model import Analysis, Entity, Mention
from newsgraph.nlp.kb import NORP, KnowledgeBase

GROUP_TYPES = (NORP, "ORG")
PLACE_PREPS = ("in", "from", "throughout", "across", "inside", "of")
ETHNIC_WORDS = ("ethnic",)


class _Sentences:
    """The states each sentence of a document names (states, nationalities, capitals, placed places)."""

    def __init__(self, analysis: Analysis) -> None:
        self.doc = analysis.nlp
        self.entities = {e.id: e for e in analysis.entities}
        self.by_sent: dict[int, set[str]] = {}
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        for m in self.mentions:
            code = self.state(m)
            if code:
                self.by_sent.setdefault(self.sent_of(m), set()).add(code)

    def sent_of(self, m: Mention) -> int:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        return span.sent.start if span is not None else -1

    def state(self, m: Mention) -> str | None:
        ent = self.entities.get(m.entity or "")
        if ent is None:
            return None
        code = ent.attributes.get("iso3") if ent.type == "COUNTRY" else ent.attributes.get("country")
        return code if isinstance(code, str) and len(code) == 3 else None

    def document(self) -> set[str]:
        return set().union(*self.by_sent.values()) if self.by_sent else set()


def assign_group_countries(analysis: Analysis, kb: KnowledgeBase) -> None:
    if analysis.nlp is None:
        return
    sents = _Sentences(analysis)
    for ent in analysis.entities:
        if ent.type not in GROUP_TYPES:
            continue
        mentions = [m for m in sents.mentions if m.entity == ent.id]
        found = _ethnic(ent, mentions, sents)
        if found is None and "country" not in ent.attributes:
            found = _context(ent, mentions, sents, kb) or _placed(mentions, sents)
        if found is not None:
            ent.attributes["country"], ent.attributes["country_basis"] = found


def _candidates(ent: Entity, kb: KnowledgeBase) -> list[str] | None:
    for name in (ent.name, *ent.aliases):
        for entry in kb.candidates(name):
            if entry.type in GROUP_TYPES and isinstance(entry.attributes.get("countries"), list):
                return [str(c) for c in entry.attributes["countries"]]
    return None


def _context(ent: Entity, mentions: list[Mention], sents: _Sentences, kb: KnowledgeBase) -> tuple[str, str] | None:
    candidates = _candidates(ent, kb)
    if not candidates:
        return None
    for m in mentions:
        named = [c for c in candidates if c in sents.by_sent.get(sents.sent_of(m), set())]
        if len(named) == 1:
            return named[0], "context"
    named = [c for c in candidates if c in sents.document()]
    return (named[0], "context") if len(named) == 1 else None


def _placed(mentions: list[Mention], sents: _Sentences) -> tuple[str, str] | None:
    """"Moslem forces in east Bosnia": a place after the group's noun phrase names its state."""
    for m in mentions:
        span = sents.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        if head.dep_ in ("amod", "compound", "nmod", "poss"):
            head = head.head
        code = _place_after(head, sents)
        if code:
            return code, "placed"
    return None


def _place_after(head: Any, sents: _Sentences) -> str | None:
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in PLACE_PREPS]
    preps += [p for c in head.children if c.dep_ == "acl" and c.lemma_ == "base"
              for p in c.children if p.dep_ == "prep" and p.lower_ == "in"]
    for prep in preps:
        for tok in (t for pobj in prep.children if pobj.dep_ == "pobj" for t in pobj.subtree):
            m = _mention_at(sents, tok)
            code = sents.state(m) if m is not None else None
            if code:
                return code
    return None


def _mention_at(sents: _Sentences, tok: Any) -> Mention | None:
    for m in sents.mentions:
        if m.start <= tok.idx < m.end:
            return m
    return None


def _ethnic(ent: Entity, mentions: list[Mention], sents: _Sentences) -> tuple[str, str] | None:
    """"ethnic Albanians ... in Serbia": an ethnic group stands for the other state its sentence names."""
    if ent.type != NORP:
        return None
    own = ent.attributes.get("country")
    for m in mentions:
        span = sents.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.start == 0 or sents.doc[span.start - 1].lower_ not in ETHNIC_WORDS:
            continue
        others = sents.by_sent.get(sents.sent_of(m), set()) - {own}
        if len(others) == 1:
            return others.pop(), "ethnic"
    return None
