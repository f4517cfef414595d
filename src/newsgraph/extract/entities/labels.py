"""Typing the candidates: model against KB/rule spans, KB links, non-names, people, metonymy."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from newsgraph.extract import names
from newsgraph.extract.entities.candidates import Cand, longest
from newsgraph.nlp.kb import NORP, KBEntry, KnowledgeBase, normalise


# -- merging ------------------------------------------------------------------------
def merge(model: list[Cand], strong: list[Cand], text: str) -> list[Cand]:
    """Model spans against KB/rule spans: the more specific view wins, never both."""
    chosen: list[Cand] = []
    for cand in model:
        inner = [s for s in strong if cand.overlaps(s)]
        if not inner or (all(cand.contains(s) for s in inner) and _has_more_names(cand, inner, text)):
            chosen.append(cand)
    for cand in strong:
        if not any(cand.overlaps(c) for c in chosen):
            chosen.append(cand)
    return sorted(longest(chosen), key=lambda c: c.start)


def _has_more_names(outer: Cand, inner: list[Cand], text: str) -> bool:
    """True when the model's longer span has capitalised words beyond the KB/rule spans inside it."""
    chars = list(text[outer.start : outer.end])
    for s in inner:
        chars[s.start - outer.start : s.end - outer.start] = " " * (s.end - s.start)
    rest = re.findall(r"[A-Za-z][\w'’\-]*", "".join(chars))
    return any(w[0].isupper() and w.lower() != "the" for w in rest)


def type_model_cands(cands: list[Cand], kb: KnowledgeBase, text: str) -> list[Cand]:
    """Map the model's labels into the vocabulary, linking to the KB where a name is known."""
    for cand in cands:
        if cand.source != "model":
            continue
        name = names.clean_name(text[cand.start : cand.end])
        entry = _kb_for_model(kb, name, cand.label)
        if entry is not None:
            label = NORP if kb.is_demonym(name, entry) else entry.type
            cand.label, cand.kb_id, cand.source = label, entry.id, "kb"
        elif cand.label == "GPE":
            cand.label = "PLACE"
        elif cand.label == "PRODUCT":
            cand.label = "OTHER"
        if cand.source != "kb" and _is_law_name(name, kb):
            cand.label = "OTHER"  # "Mutual Defense Treaty": an agreement, never an actor
    return cands


def _is_law_name(name: str, kb: KnowledgeBase) -> bool:
    words = name.split()
    return len(words) > 1 and words[-1] in set(kb.lexicon.get("law_words", []))


def _kb_for_model(kb: KnowledgeBase, name: str, label: str) -> KBEntry | None:
    found = kb.candidates(name)
    if label == "PERSON":  # only a KB name that is never a person (ships, kit) overrides a PERSON
        found = [e for e in found if e.type in ("VESSEL", "AIRCRAFT", "WEAPON", "PROGRAM")]
    return found[0] if found else None


def drop_non_names(cands: list[Cand], kb: KnowledgeBase, text: str) -> list[Cand]:
    """Drop model mentions that are bare title words ("Defense", "Navy") or have no letters."""
    titles = {t.lower() for t in kb.lexicon.get("titles", [])}
    generic = {t.lower() for t in kb.lexicon.get("not_names", [])} | titles
    out = []
    for cand in cands:
        name = names.clean_name(text[cand.start : cand.end])
        if cand.source == "model" and (name.lower() in generic or not re.search(r"[A-Za-z]{2}", name)):
            continue
        out.append(cand)
    return out


def fix_persons(cands: list[Cand], text: str, kb: KnowledgeBase) -> list[Cand]:
    """Model ORG/OTHER spans that are people: a person's role follows them, or they repeat a person's name."""
    for cand in cands:
        name = names.clean_name(text[cand.start : cand.end])
        words = name.split()
        if (
            cand.source == "model"
            and cand.label in ("ORG", "OTHER")
            and 1 < len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and names.apposition(text, cand.end, kb.lexicon)
        ):
            cand.label = "PERSON"
    people = [names.clean_name(text[c.start : c.end]) for c in cands if c.label == "PERSON"]
    full = {normalise(p) for p in people if len(p.split()) > 1}
    surnames = {normalise(p.split()[-1]) for p in people if len(p.split()) > 1}
    for cand in cands:
        key = normalise(names.clean_name(text[cand.start : cand.end]))
        if cand.source == "model" and cand.label in ("ORG", "OTHER") and (key in full or key in surnames):
            cand.label = "PERSON"
    return _drop_titles(cands, text, kb)


def _drop_titles(cands: list[Cand], text: str, kb: KnowledgeBase) -> list[Cand]:
    """A model ORG inside a person's role title ("the Sea Power Research Fellow at ...") is no name."""
    titles: list[tuple[int, int]] = []
    for cand in cands:
        role = names.apposition(text, cand.end, kb.lexicon) if cand.label == "PERSON" else None
        if role is not None:
            titles.append((cand.end, role.aff_start if role.aff_text else role.aff_start + 200))
    return [
        c
        for c in cands
        if not (
            c.source == "model" and c.label == "ORG" and any(a <= c.start and c.end <= b for a, b in titles)
        )
    ]



# -- metonymy: a capital or seat of government standing for its state ----------------------
def apply_metonymy(cands: list[Cand], doc: Doc, kb: KnowledgeBase) -> list[Cand]:
    lex = kb.lexicon
    for cand in cands:
        entry = kb.get(cand.kb_id) if cand.kb_id else None
        if entry is None or not (entry.attributes.get("capital") or entry.attributes.get("seat")):
            continue
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is not None and _names_state(span, lex):
            state = kb.country(entry.attributes.get("country"))
            if state is not None:
                cand.label, cand.kb_id, cand.extra["via"] = "COUNTRY", state.id, entry.id
    return cands


def _names_state(span: Span, lex: dict) -> bool:
    """Subject/object, possessor of a non-place noun, or object of a relational preposition."""
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    head = root.head
    if root.dep_ in lex.get("state_dependencies", []):
        return head.lemma_ not in lex.get("place_verbs", [])
    if root.dep_ == "poss":
        return head.lemma_.lower() not in lex.get("place_nouns", [])
    if root.dep_ == "pobj":
        if head.lower_ in lex.get("state_prepositions", []):
            return True
        return head.lower_ in ("to", "of", "with", "from") and head.head.lemma_.lower() in lex.get(
            "relational_nouns", []
        )
    return False


