"""A person's titles, affiliations and nationality from the words around each mention."""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract import names
from newsgraph.extract.entities.candidates import Cand
from newsgraph.nlp.kb import KBEntry, KnowledgeBase


def person_roles(group: list[Cand], cands: list[Cand], text: str, kb: KnowledgeBase) -> dict[str, Any]:
    """Titles, affiliations and nationality from the words around each mention of a person."""
    lex = kb.lexicon
    titles: list[str] = []
    affiliations: list[str] = []
    nationality: KBEntry | None = None
    for cand in group:
        before = names.title_before(text, cand.start, lex.get("titles", []))
        if before:
            _append(titles, before[0])
            nationality = nationality or _nationality(kb, text, before[1])
        role = names.apposition(text, cand.end, lex)
        if role:
            for title in role.titles:
                _append(titles, title)
            for org in _affiliations(role, cands, text, kb):
                _append(affiliations, org)
    attrs: dict[str, Any] = {"titles": titles, "affiliations": affiliations}
    if nationality is not None:
        attrs["nationality"] = nationality.name
        attrs["country"] = nationality.attributes.get("iso3")
    return attrs


def _append(items: list[str], item: str) -> None:
    if item and item.lower() not in (i.lower() for i in items):
        items.append(item)


def _nationality(kb: KnowledgeBase, text: str, pos: int) -> KBEntry | None:
    """A country or demonym just before a title, in the same sentence ("Italian Defence Minister")."""
    start = max(text.rfind(stop, max(0, pos - 40), pos) for stop in (".", "!", "?", "\n", ";", ":"))
    if start >= 0:
        text, pos = text[start + 1 : pos], pos - start - 1
    for words in names.words_before(text, pos):
        entry = kb.lookup(words, "COUNTRY")
        if entry is not None:
            return entry
    return None


def _affiliations(role: names.Role, cands: list[Cand], text: str, kb: KnowledgeBase) -> list[str]:
    """ORG mentions inside the affiliation part; else its leading capitalised phrase."""
    orgs = [c for c in cands if c.label == "ORG" and role.aff_start <= c.start and c.end <= role.aff_end]
    if orgs:
        return [_display_name(c, text, kb) for c in orgs]
    phrase = re.split(r",|\s+in\s+|\s+and\s+", role.aff_text)[0].strip()
    phrase = names.clean_name(phrase)
    return [phrase] if phrase[:1].isupper() else []


def _display_name(cand: Cand, text: str, kb: KnowledgeBase) -> str:
    entry = kb.get(cand.kb_id) if cand.kb_id else None
    return entry.name if entry else names.clean_name(text[cand.start : cand.end])


