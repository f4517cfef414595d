"""The entities stage for documents that are not in English: KB names, plus a spaCy NER model
where the language has one (French), never the English model.

KB matches (kbmatch) win over model spans they overlap. Model spans are kept only when they look
like names: a capital letter (in cased scripts), not a function word, not made only of function
words, at least two letters; a model span that is a KB name of the document's language is linked
to its entry. Mentions are grouped into document-local entities by KB id, else by type and
normalised name; each entity records the document language (``attributes.language``), which the
corpus-level resolution uses to keep acronym matching ("EU" for "Estados Unidos") to English names.
"""

from __future__ import annotations

import re
from collections import Counter

from newsgraph.lang.conventions import is_function_word
from newsgraph.lang.kbmatch import KBMatch, matcher_for
from newsgraph.lang.models import ner_pipeline
from newsgraph.lang.scripts import has_unspaced
from newsgraph.model import Analysis, Entity, Mention, one_entity_per_id, stable_id
from newsgraph.model import Span as TextSpan
from newsgraph.nlp.kb import NORP, KBEntry, KnowledgeBase, normalise
from newsgraph.stages import Context

_LETTERS = re.compile(r"[^\W\d_]")
# KB attributes an entity carries over (the same the English entities stage keeps).
KEEP_ATTRS = ("iso2", "iso3", "capital", "country", "countries", "acronym", "class", "operator", "lat", "lon", "seat")


def model_mentions(text: str, language: str) -> list[KBMatch]:
    """Name spans from the language's spaCy NER model (empty where it has none)."""
    found = ner_pipeline(language)
    if found is None:
        return []
    nlp, labels = found
    out = []
    for ent in nlp(text).ents:
        label = labels.get(ent.label_)
        surface = _name_part(ent.text.strip(" \t\n'’\"«»“”-–,.;:"), language)
        if label is None or not looks_like_name(surface, language):
            continue
        start = ent.start_char + ent.text.index(surface)
        out.append(KBMatch(start, start + len(surface), "", label, surface))
    return out


def _name_part(surface: str, language: str) -> str:
    """The span from its first capitalised word on: "ministre des Armées" is a title before a name,
    "gare Part-Dieu" a common noun before one (cased scripts only)."""
    if has_unspaced(surface):
        return surface
    words = surface.split(" ")
    while len(words) > 1 and (not words[0][:1].isupper() or is_function_word(words[0], language)):
        words.pop(0)
    return " ".join(words)


def looks_like_name(surface: str, language: str) -> bool:
    """Names have letters, a capital in cased scripts, and are not (made of) function words."""
    if len(_LETTERS.findall(surface)) < 2 or is_function_word(surface, language) or is_function_word(surface):
        return False
    if has_unspaced(surface):
        return True
    words = re.findall(r"[^\W\d_]+", surface)
    if not any(w[:1].isupper() for w in words):
        return False
    return not all(is_function_word(w, language) for w in words)


def _merge(kb_hits: list[KBMatch], model_hits: list[KBMatch], kb: KnowledgeBase, language: str) -> list[KBMatch]:
    chosen = list(kb_hits)
    index = _language_index(kb, language)
    for hit in model_hits:
        if any(hit.start < k.end and k.start < hit.end for k in kb_hits):
            continue
        entry_id = index.get(normalise(hit.text))
        entry = kb.get(entry_id) if entry_id else None
        if entry is not None and (entry.type == hit.label or hit.label != "PERSON"):
            hit = KBMatch(hit.start, hit.end, entry.id, entry.type, hit.text)
        chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


_INDEXES: dict[tuple[int, str], dict[str, str]] = {}


def _language_index(kb: KnowledgeBase, language: str) -> dict[str, str]:
    key = (id(kb), language)
    if key not in _INDEXES:
        index: dict[str, str] = {}
        for entry in kb.entries.values():
            for name in entry.names_for(language):
                index.setdefault(normalise(name), entry.id)
        _INDEXES[key] = index
    return _INDEXES[key]


def _entities(hits: list[KBMatch], doc_id: str, text: str, kb: KnowledgeBase,
              language: str) -> tuple[list[Mention], list[Entity]]:
    groups: dict[str, list[KBMatch]] = {}
    for hit in hits:
        if hit.kb_id and hit.label == NORP:  # "italiani" is not "Italia": an entity of its own
            key = f"norp:{hit.kb_id}"
        else:
            key = f"kb:{hit.kb_id}" if hit.kb_id else f"{hit.label}:{normalise(hit.text)}"
        groups.setdefault(key, []).append(hit)
    mentions, entities = [], []
    for group in groups.values():
        entry = kb.get(group[0].kb_id) if group[0].kb_id else None
        nationality = entry if entry is not None and group[0].label == NORP else None
        entry = None if nationality is not None else entry
        label = entry.type if entry else Counter(h.label for h in group).most_common(1)[0][0]
        forms = [h.text for h in group]
        name = entry.name if entry else max(forms, key=lambda f: (Counter(forms)[f], len(f)))
        if nationality is not None:
            name = _english_demonym(nationality) or name
        entity = Entity(
            id=stable_id("ent", doc_id, label, name), name=name, type=label,
            aliases=sorted({f for f in forms if f != name}),
            mentions=[TextSpan(doc_id, h.start, h.end, h.text) for h in group],
            attributes={"language": language},
        )
        if nationality is not None:
            entity.attributes.update(_nationality(nationality))
        if entry is not None:
            entity.kb_ids["kb"] = entry.id
            if entry.wikidata:
                entity.kb_ids["wikidata"] = entry.wikidata
            entity.attributes.update({k: v for k, v in entry.attributes.items() if k in KEEP_ATTRS})
        entities.append(entity)
        source = "kb" if entry is not None else "model"
        mentions.extend(Mention(doc_id, h.start, h.end, h.text, label, entity.id, h.kb_id or None,
                                "kb" if h.kb_id else source) for h in group)
    mentions.sort(key=lambda m: m.start)
    return mentions, one_entity_per_id(entities)


def _english_demonym(entry: KBEntry) -> str | None:
    """The name a nationality's entity takes in every language: the KB's first English demonym
    ("Italian" for "italiana" and "イタリア人"), so that corpus-level resolution meets the English one."""
    demonyms = entry.attributes.get("demonyms") or []
    return str(demonyms[0]) if demonyms else None


def _nationality(entry: KBEntry) -> dict[str, str]:
    """What an English demonym's entity carries: the nationality and the state it stands for, no KB id."""
    iso3 = entry.attributes.get("iso3") if entry.type == "COUNTRY" else entry.attributes.get("country")
    attrs = {"nationality": entry.name}
    if isinstance(iso3, str):
        attrs |= {"country": iso3, "country_basis": "demonym"}
    return attrs


def find_entities(text: str, language: str, kb: KnowledgeBase, doc_id: str = "") -> tuple[list[Mention], list[Entity]]:
    kb_hits = matcher_for(kb, language).find(text)
    hits = _merge(kb_hits, model_mentions(text, language), kb, language)
    return _entities(hits, doc_id, text, kb, language)


def run(analysis: Analysis, ctx: Context) -> None:
    """The entities stage for documents that are not in English."""
    doc = analysis.document
    analysis.mentions, analysis.entities = find_entities(doc.text, doc.language or "und", ctx.kb, doc.id)
